//! The guided timer: an exercise's dose laid out as timed steps — getting into position, each
//! repetition at a steady pace or held for its count, changing sides, resting between sets,
//! walking bouts in minutes — for following an exercise without the camera coach.
//!
//! The counts (sets, repetitions, holds, minutes, rests, each side) are the dose the program
//! prescribes; nothing here changes them. The pace of a movement is this module's: about four
//! seconds a repetition (two each way, the slow, controlled tempo the steps ask for), two seconds
//! into and out of a hold, five to change sides and ten to get into position at the start. Each
//! step carries the words a page shows and speaks; which repetitions and holds it completes is
//! marked, so that a front end can total what was done when the person stops.

use crate::knowledge::Dose;

/// Seconds to get into the starting position before the first step.
pub const READY_S: u32 = 10;
/// Seconds of one repetition that is not held: about two seconds each way.
pub const REP_S: u32 = 4;
/// Seconds to move into a hold, and again to come out of it.
pub const MOVE_S: u32 = 2;
/// Seconds to change sides between the two halves of a set done on each side.
pub const SWITCH_S: u32 = 5;

/// What a step asks the person to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Get into the starting position.
    Ready,
    /// One repetition at a steady pace.
    Rep,
    /// Move into a hold.
    Into,
    /// Hold the position.
    Hold,
    /// Come out of a hold.
    Release,
    /// Change to the other side.
    Switch,
    /// Rest between sets.
    Rest,
    /// Walk for a bout.
    Walk,
    /// The set is done (no time: the end of the plan).
    Done,
}

impl StepKind {
    /// The kind's name in the page's vocabulary (`snake_case`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Ready => "ready",
            StepKind::Rep => "rep",
            StepKind::Into => "into",
            StepKind::Hold => "hold",
            StepKind::Release => "release",
            StepKind::Switch => "switch",
            StepKind::Rest => "rest",
            StepKind::Walk => "walk",
            StepKind::Done => "done",
        }
    }
}

/// One timed step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What to do.
    pub kind: StepKind,
    /// How long, in seconds (0 only for [`StepKind::Done`]).
    pub seconds: u32,
    /// Where in the set it is, e.g. "Round 1 of 3 · first side": the same for every step of
    /// a round and side, so that a change of it is worth announcing.
    pub phase: String,
    /// The step in a word or two, e.g. "Hold", "Rest", "Rep 4 of 6".
    pub title: String,
    /// What it belongs to or what comes next, e.g. "Rep 4 of 6", "Round 2 of 3 next".
    pub detail: String,
    /// What a voice says as the step begins.
    pub say: String,
    /// A repetition is done when this step ends.
    pub completes_rep: bool,
}

/// A dose as timed steps, from getting ready to done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The steps in order; the last is [`StepKind::Done`].
    pub steps: Vec<Step>,
    /// Whether the dose counts repetitions (a front end totals them when the person stops).
    pub counts_reps: bool,
    /// Whether the dose holds a position (a front end keeps the longest hold).
    pub holds: bool,
    /// Whether the dose is walking time in minutes.
    pub walking: bool,
}

impl Plan {
    /// The whole plan's length, in seconds.
    pub fn total_seconds(&self) -> u32 {
        self.steps.iter().map(|s| s.seconds).sum()
    }
}

/// Where a step sits: the set and how many, the side (1 or 2) when the dose is per side.
#[derive(Clone, Copy)]
struct At {
    set: u32,
    sets: u32,
    side: Option<u8>,
    walking: bool,
}

impl At {
    fn round(self) -> String {
        let noun = if self.walking { "Bout" } else { "Round" };
        if self.sets > 1 {
            format!("{noun} {} of {}", self.set, self.sets)
        } else {
            String::new()
        }
    }

    fn phase(self) -> String {
        let side = match self.side {
            Some(1) => "first side",
            Some(_) => "other side",
            None => "",
        };
        let round = self.round();
        match (round.is_empty(), side.is_empty()) {
            (true, true) => "Your set".to_owned(),
            (true, false) => crate::words::capitalise(side),
            (false, true) => round,
            (false, false) => format!("{round} · {side}"),
        }
    }
}

/// The guided steps of `dose`.
pub fn plan(dose: &Dose) -> Plan {
    let walking = dose.minutes.is_some();
    let counts_reps = !walking && (dose.reps.is_some() || !dose.pyramid.is_empty());
    let holds = !walking && dose.hold_s.is_some();
    let sets = dose.sets;
    let first = At {
        set: 1,
        sets,
        side: None,
        walking,
    }
    .round();
    let mut steps = vec![Step {
        kind: StepKind::Ready,
        seconds: READY_S,
        phase: "Get ready".to_owned(),
        title: if walking {
            "Get ready to walk".to_owned()
        } else {
            "Get into position".to_owned()
        },
        detail: if first.is_empty() {
            String::new()
        } else {
            format!("{first} next")
        },
        say: if walking {
            "Get ready to walk.".to_owned()
        } else {
            "Get into position.".to_owned()
        },
        completes_rep: false,
    }];
    for set in 1..=sets {
        let at = At {
            set,
            sets,
            side: None,
            walking,
        };
        if let Some(minutes) = dose.minutes {
            walk(&mut steps, at, minutes);
        } else {
            let reps = if dose.pyramid.is_empty() {
                dose.reps
            } else {
                usize::try_from(set - 1)
                    .ok()
                    .and_then(|i| dose.pyramid.get(i))
                    .copied()
            };
            let sides: &[u8] = if dose.per_side { &[1, 2] } else { &[] };
            if sides.is_empty() {
                work(&mut steps, at, reps, dose.hold_s);
            }
            for &side in sides {
                if side == 2 {
                    steps.push(Step {
                        kind: StepKind::Switch,
                        seconds: SWITCH_S,
                        phase: "Change sides".to_owned(),
                        title: "Change sides".to_owned(),
                        detail: "Other side next".to_owned(),
                        say: "Change sides.".to_owned(),
                        completes_rep: false,
                    });
                }
                work(
                    &mut steps,
                    At {
                        side: Some(side),
                        ..at
                    },
                    reps,
                    dose.hold_s,
                );
            }
        }
        if set < sets && dose.rest_s > 0 {
            let next = At { set: set + 1, ..at }.round();
            steps.push(Step {
                kind: StepKind::Rest,
                seconds: dose.rest_s,
                phase: format!("Rest before {}", crate::words::lower_first(&next)),
                title: "Rest".to_owned(),
                detail: format!("{next} next"),
                say: format!("Rest for {} seconds.", dose.rest_s),
                completes_rep: false,
            });
        }
    }
    steps.push(Step {
        kind: StepKind::Done,
        seconds: 0,
        phase: "Set done".to_owned(),
        title: "Set done".to_owned(),
        detail: String::new(),
        say: "That is the set done. Well done.".to_owned(),
        completes_rep: false,
    });
    Plan {
        steps,
        counts_reps,
        holds,
        walking,
    }
}

/// One bout of walking.
fn walk(steps: &mut Vec<Step>, at: At, minutes: u32) {
    let round = at.round();
    let time = crate::words::count(minutes, "minute", "minutes");
    steps.push(Step {
        kind: StepKind::Walk,
        seconds: minutes * 60,
        phase: if round.is_empty() {
            "Walk".to_owned()
        } else {
            round.clone()
        },
        title: "Walk".to_owned(),
        detail: if round.is_empty() {
            format!("{minutes} min at an easy pace")
        } else {
            format!("{round} · {minutes} min")
        },
        say: if round.is_empty() {
            format!("Walk for {time} at an easy pace.")
        } else {
            format!("{round}: walk for {time}.")
        },
        completes_rep: false,
    });
}

/// One set (or one side of it): `reps` repetitions, each held `hold_s` when given, or a
/// single hold when there are no repetitions.
fn work(steps: &mut Vec<Step>, at: At, reps: Option<u32>, hold_s: Option<u32>) {
    let phase = at.phase();
    let opening = |first: bool, words: String| {
        if first {
            format!("{phase}. {words}")
        } else {
            words
        }
    };
    match (reps, hold_s) {
        (Some(n), None) => {
            for rep in 1..=n {
                steps.push(Step {
                    kind: StepKind::Rep,
                    seconds: REP_S,
                    phase: phase.clone(),
                    title: format!("Rep {rep} of {n}"),
                    detail: "Slow and steady".to_owned(),
                    say: opening(rep == 1, rep.to_string()),
                    completes_rep: true,
                });
            }
        }
        (Some(n), Some(h)) => {
            for rep in 1..=n {
                held(
                    steps,
                    &phase,
                    format!("Rep {rep} of {n}"),
                    h,
                    true,
                    |words| opening(rep == 1, format!("Rep {rep}. {words}")),
                );
            }
        }
        (None, Some(h)) => {
            let label = if at.sets > 1 {
                format!("Hold {} of {}", at.set, at.sets)
            } else {
                "Your hold".to_owned()
            };
            held(steps, &phase, label, h, false, |words| opening(true, words));
        }
        (None, None) => {}
    }
}

/// Into a hold, the hold, and out of it; `say` words the first step's speech.
fn held(
    steps: &mut Vec<Step>,
    phase: &str,
    label: String,
    hold_s: u32,
    counts: bool,
    say: impl Fn(String) -> String,
) {
    steps.push(Step {
        kind: StepKind::Into,
        seconds: MOVE_S,
        phase: phase.to_owned(),
        title: "Move into position".to_owned(),
        detail: label.clone(),
        say: say("Move into position.".to_owned()),
        completes_rep: false,
    });
    steps.push(Step {
        kind: StepKind::Hold,
        seconds: hold_s,
        phase: phase.to_owned(),
        title: format!("Hold {hold_s} s"),
        detail: label.clone(),
        say: "Hold.".to_owned(),
        completes_rep: counts,
    });
    steps.push(Step {
        kind: StepKind::Release,
        seconds: MOVE_S,
        phase: phase.to_owned(),
        title: "Release".to_owned(),
        detail: label,
        say: "And release.".to_owned(),
        completes_rep: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dose(f: impl FnOnce(&mut Dose)) -> Dose {
        let mut d = Dose {
            level: 1,
            variant: None,
            sets: 1,
            reps: None,
            pyramid: Vec::new(),
            hold_s: None,
            minutes: None,
            rest_s: 0,
            per_side: false,
        };
        f(&mut d);
        d
    }

    fn kinds(p: &Plan) -> Vec<&'static str> {
        p.steps.iter().map(|s| s.kind.as_str()).collect()
    }

    fn reps_counted(p: &Plan) -> usize {
        p.steps.iter().filter(|s| s.completes_rep).count()
    }

    #[test]
    fn repetitions_go_at_a_steady_pace_with_rests_between_sets_only() {
        let p = plan(&dose(|d| {
            d.sets = 2;
            d.reps = Some(3);
            d.rest_s = 45;
        }));
        assert_eq!(
            kinds(&p),
            [
                "ready", "rep", "rep", "rep", "rest", "rep", "rep", "rep", "done"
            ]
        );
        assert_eq!(reps_counted(&p), 6);
        assert_eq!(p.total_seconds(), READY_S + 6 * REP_S + 45);
        assert_eq!(p.steps[1].phase, "Round 1 of 2");
        assert_eq!(p.steps[2].title, "Rep 2 of 3");
        assert_eq!(p.steps[4].phase, "Rest before round 2 of 2");
        assert_eq!(p.steps[4].detail, "Round 2 of 2 next");
        assert_eq!(p.steps[1].say, "Round 1 of 2. 1");
        assert_eq!(p.steps[2].say, "2");
        assert!(p.counts_reps && !p.holds && !p.walking);
    }

    #[test]
    fn held_repetitions_each_side_follow_the_pyramid_and_change_sides_within_a_round() {
        let p = plan(&dose(|d| {
            d.sets = 3;
            d.pyramid = vec![4, 3, 2];
            d.hold_s = Some(8);
            d.rest_s = 20;
            d.per_side = true;
        }));
        // Each repetition: into, hold, release; each round: both sides.
        assert_eq!(reps_counted(&p), 2 * (4 + 3 + 2));
        assert_eq!(
            p.steps
                .iter()
                .filter(|s| s.kind == StepKind::Switch)
                .count(),
            3
        );
        assert_eq!(
            p.steps.iter().filter(|s| s.kind == StepKind::Rest).count(),
            2
        );
        let hold = p
            .steps
            .iter()
            .find(|s| s.kind == StepKind::Hold)
            .expect("a hold");
        assert_eq!(
            (hold.seconds, hold.title.as_str(), hold.detail.as_str()),
            (8, "Hold 8 s", "Rep 1 of 4")
        );
        assert_eq!(hold.phase, "Round 1 of 3 · first side");
        let last_round: Vec<&Step> = p
            .steps
            .iter()
            .filter(|s| s.phase == "Round 3 of 3 · other side" && s.completes_rep)
            .collect();
        assert_eq!(last_round.len(), 2);
        assert_eq!(
            p.total_seconds(),
            READY_S + 18 * (2 * MOVE_S + 8) + 3 * SWITCH_S + 2 * 20
        );
        assert!(p.counts_reps && p.holds);
    }

    #[test]
    fn a_hold_without_repetitions_is_one_hold_per_set_and_counts_no_repetitions() {
        let p = plan(&dose(|d| {
            d.sets = 3;
            d.hold_s = Some(10);
            d.rest_s = 20;
            d.per_side = true;
        }));
        assert_eq!(reps_counted(&p), 0);
        assert_eq!(
            p.steps.iter().filter(|s| s.kind == StepKind::Hold).count(),
            6
        );
        assert!(!p.counts_reps && p.holds);
        assert_eq!(p.steps[2].detail, "Hold 1 of 3");
    }

    #[test]
    fn walking_is_bouts_of_minutes() {
        let p = plan(&dose(|d| {
            d.sets = 2;
            d.minutes = Some(5);
        }));
        assert_eq!(kinds(&p), ["ready", "walk", "walk", "done"]);
        assert_eq!(p.steps[1].seconds, 300);
        assert_eq!(p.steps[1].say, "Bout 1 of 2: walk for 5 minutes.");
        assert_eq!(p.steps[0].title, "Get ready to walk");
        assert!(p.walking && !p.counts_reps && !p.holds);
        let one = plan(&dose(|d| d.minutes = Some(1)));
        assert_eq!(one.steps[1].say, "Walk for 1 minute at an easy pace.");
        assert_eq!(one.steps[1].phase, "Walk");
    }

    #[test]
    fn a_single_set_has_no_round_numbers() {
        let p = plan(&dose(|d| d.reps = Some(5)));
        assert_eq!(p.steps[1].phase, "Your set");
        assert_eq!(p.steps[0].detail, "");
        assert!(p.steps.iter().all(|s| !s.phase.contains("of 1")));
    }

    #[test]
    fn every_bundled_dose_gives_a_plan_that_ends_done_and_counts_its_repetitions() {
        let k = crate::Knowledge::bundled().expect("the bundled content loads");
        for e in k.exercises() {
            for d in &e.levels {
                let p = plan(d);
                let last = p.steps.last().expect("a last step");
                assert_eq!(last.kind, StepKind::Done, "{} level {}", e.id, d.level);
                assert!(
                    p.steps[..p.steps.len() - 1].iter().all(|s| s.seconds > 0),
                    "{} level {}: every step but the last takes time",
                    e.id,
                    d.level
                );
                let per_set: u32 = if d.pyramid.is_empty() {
                    d.reps.unwrap_or(0) * d.sets
                } else {
                    d.pyramid.iter().sum()
                };
                let sides = if d.per_side { 2 } else { 1 };
                assert_eq!(
                    u32::try_from(reps_counted(&p)).ok(),
                    Some(per_set * sides),
                    "{} level {}",
                    e.id,
                    d.level
                );
            }
        }
    }
}
