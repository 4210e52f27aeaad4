//! A realistic synthetic journal, for trying the app out and for benchmarks: a person whose back
//! dislikes bending forward ([`demo_profile`]), receptive partner, no conditions.
//!
//! [`demo_year`] (or [`demo_journal`] for any number of days) writes, up to `today`:
//!
//! - a daily check-in on most days (some missed; today's holds only the morning), whose pain
//!   follows a slowly improving level with a seasonal wave, a few flare-ups of several days,
//!   worse pain after short nights and on stressful days, a little less the day after
//!   exercise, and the aftermath of intimacy that went badly; mood follows pain and stress;
//! - a weekly PEG answer on most Sundays;
//! - exercise sessions two or three times a week;
//! - intimacy one to three times a week (less on bad days), with positions from a small
//!   repertoire weighted towards the ones the posture model recommends. How far pain rises
//!   follows the position's demand on this back's sensitive dimension (forward bending), so
//!   positions that round the lower back flare more; a warm bath beforehand truly lowers the
//!   rise, pillows a little, and mornings raise it. The next morning's pain is usually logged.
//!
//! It is deterministic: the same `today`, `seed` and length give the same entries. The random
//! numbers come from a seeded SplitMix64 generator, never from the system. Every entry passes
//! [`Entry::validate`] for a clock on or after `today`, and ids run `demo-000001`,
//! `demo-000002`, … in the order written.

use std::f64::consts::PI;

use super::{
    DailyCheckIn, Entry, EntryId, Exercise, Intimacy, LocalDate, LocalDateTime, Peg, Rating,
};
use crate::knowledge::Knowledge;
use crate::recommend::{self, PersonInput, PlanRequest};
use crate::vocab::{Felt, PainScore, PainType, Preparation, Role, Verdict};

/// The person the demo journal describes: flexion-intolerant, receptive, no conditions.
pub fn demo_profile() -> PersonInput {
    PersonInput::new(PainType::Flexion, Role::Receptive)
}

/// A year of entries ending `today`, from `seed`.
pub fn demo_year(knowledge: &Knowledge, today: LocalDate, seed: u64) -> Vec<Entry> {
    demo_journal(knowledge, today, 365, seed)
}

/// `days` days of entries ending `today`, from `seed` (ten years for the benchmarks).
pub fn demo_journal(knowledge: &Knowledge, today: LocalDate, days: u32, seed: u64) -> Vec<Entry> {
    Generator::new(knowledge, seed)
        .map(|g| g.run(today, days))
        .unwrap_or_default()
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough for synthetic data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.uniform() * f64::from(hi - lo + 1)) as u32
    }

    /// An index drawn with these weights.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

fn score(x: f64) -> Option<PainScore> {
    PainScore::new(x.round().clamp(0.0, f64::from(PainScore::MAX)) as u8)
}

fn rating(x: f64) -> Option<Rating> {
    Rating::new(
        x.round()
            .clamp(f64::from(Rating::MIN), f64::from(Rating::MAX)) as u8,
    )
}

/// A position in the person's repertoire.
struct Favourite {
    id: String,
    /// How often it is chosen, relative to the others.
    weight: f64,
    /// The demand on this back's sensitive dimension, 0–4.
    demand: u8,
}

/// How much the pain rises, on average, by the sensitive demand of the position.
const RISE_BY_DEMAND: [f64; 5] = [-0.3, 0.2, 1.0, 1.9, 2.6];
/// What a warm bath beforehand does to the rise.
const WARM_BATH: f64 = -1.6;
/// What pillows do to the rise.
const PILLOWS: f64 = -0.5;
/// What a pain reliever does to the rise.
const PAIN_RELIEVER: f64 = -0.4;
/// What a morning does to the rise, for a back that dislikes bending forward.
const MORNING: f64 = 1.2;
/// Pain per hour of sleep short of seven.
const SLEEP_EFFECT: f64 = 0.55;
/// Pain per point of stress above three.
const STRESS_EFFECT: f64 = 0.35;
/// Pain the day after exercise.
const EXERCISE_EFFECT: f64 = -0.5;

const EXERCISES: &[&str] = &[
    "bird dog, side plank, 20 min walk",
    "walk, 30 min",
    "physio exercises: bridges, dead bug, hip hinge practice",
    "swimming",
    "cycling, easy pace",
    "yoga for back pain, no forward folds",
];

struct Generator {
    rng: Rng,
    favourites: Vec<Favourite>,
    entries: Vec<Entry>,
    next_id: usize,
}

/// Today's intimacy log, waiting for the next morning's pain.
struct Pending {
    index: usize,
    /// Whether the person answers the next morning's question.
    logged: bool,
    /// The next morning's pain, before rounding: the evening's pain and the aftermath.
    next_morning: f64,
}

impl Generator {
    fn new(knowledge: &Knowledge, seed: u64) -> Option<Generator> {
        let plan = recommend::recommend(knowledge, &PlanRequest::new(demo_profile())).ok()?;
        // A small repertoire, as most couples have: the first recommended, caution and avoid
        // positions of the plan, weighted towards the recommended ones, and the alternative to
        // intercourse now and then.
        let mut favourites = Vec::new();
        for (verdict, take, weights) in [
            (Verdict::Recommended, 3, [5.0, 4.0, 3.0]),
            (Verdict::Caution, 2, [3.0, 2.0, 0.0]),
            (Verdict::Avoid, 2, [2.0, 1.5, 0.0]),
        ] {
            for (p, w) in plan
                .positions
                .iter()
                .filter(|p| p.you.verdict == verdict && !p.position.alternative)
                .take(take)
                .zip(weights)
            {
                favourites.push(Favourite {
                    id: p.position.id.clone(),
                    weight: w,
                    demand: p.you.sensitive_demand.level(),
                });
            }
        }
        if let Some(p) = plan.positions.iter().find(|p| p.position.alternative) {
            favourites.push(Favourite {
                id: p.position.id.clone(),
                weight: 1.0,
                demand: p.you.sensitive_demand.level(),
            });
        }
        if favourites.is_empty() {
            return None;
        }
        Some(Generator {
            rng: Rng(seed ^ 0x5eed_5eed_5eed_5eed),
            favourites,
            entries: Vec::new(),
            next_id: 1,
        })
    }

    fn id(&mut self) -> Option<EntryId> {
        let id = format!("demo-{:06}", self.next_id).parse().ok();
        self.next_id += 1;
        id
    }

    fn run(mut self, today: LocalDate, days: u32) -> Vec<Entry> {
        let last = today.0.to_julian_day();
        let first = last - i32::try_from(days.max(1)).unwrap_or(i32::MAX) + 1;
        let mut stress = 0.0_f64;
        let mut flare_left = 0_u32;
        let mut flare_length = 1_u32;
        let mut flare_height = 0.0_f64;
        let mut carry = 0.0_f64;
        let mut exercised_yesterday = false;
        let mut pending: Option<Pending> = None;
        let mut week_levels: Vec<f64> = Vec::new();

        for day in first..=last {
            let Ok(date) = time::Date::from_julian_day(day) else {
                continue;
            };
            let date = LocalDate(date);
            let t = f64::from(day - first);
            let is_today = day == last;

            // The slowly improving level, with a seasonal wave.
            let base = 2.8 + 1.8 * (-t / 120.0).exp() + 0.3 * (2.0 * PI * t / 365.0).sin();
            stress = 0.6 * stress + 0.8 * self.rng.normal();
            let stress_rating = (3.0 + stress).round().clamp(1.0, 5.0);
            let sleep = ((7.0 + 0.9 * self.rng.normal() - 0.3 * (stress_rating - 3.0))
                .clamp(3.5, 10.0)
                * 2.0)
                .round()
                / 2.0;
            if flare_left == 0 && self.rng.chance(1.0 / 75.0) {
                flare_length = self.rng.between(3, 7);
                flare_left = flare_length;
                flare_height = 2.8 + 1.2 * self.rng.uniform();
            }
            let flare = if flare_left > 0 {
                let into = f64::from(flare_length - flare_left);
                flare_left -= 1;
                flare_height * (1.0 - 0.5 * (into / f64::from(flare_length)).powi(2))
            } else {
                0.0
            };
            let level = base
                + flare
                + carry
                + SLEEP_EFFECT * (7.0 - sleep)
                + STRESS_EFFECT * (stress_rating - 3.0)
                + if exercised_yesterday {
                    EXERCISE_EFFECT
                } else {
                    0.0
                }
                + 0.5 * self.rng.normal();
            carry = 0.0;

            let mut morning = score(level + 0.3 + 0.5 * self.rng.normal());
            if let Some(p) = pending.take() {
                // The morning after intimacy is shaped by how it went.
                morning = score(p.next_morning);
                if p.logged
                    && let Some(Entry::Intimacy(log)) = self.entries.get_mut(p.index)
                {
                    log.next_day_pain = morning;
                }
            }

            // The day's check-in.
            if !self.rng.chance(0.07) {
                let evening = if is_today {
                    None
                } else {
                    score(level + 0.5 * self.rng.normal())
                };
                let mood = rating(
                    3.6 - 0.45 * (level - 3.0) - 0.3 * (stress_rating - 3.0)
                        + 0.6 * self.rng.normal(),
                );
                let quality = rating(3.0 + 0.8 * (sleep - 7.0) + 0.6 * self.rng.normal());
                if let Some(id) = self.id() {
                    self.entries.push(Entry::Daily(DailyCheckIn {
                        id,
                        date,
                        pain_morning: morning,
                        pain_evening: evening,
                        sleep_hours: Some(sleep),
                        sleep_quality: quality,
                        mood: if is_today { None } else { mood },
                        stress: if is_today {
                            None
                        } else {
                            rating(stress_rating)
                        },
                        note: None,
                    }));
                }
            }

            // The weekly PEG, on most Sundays.
            week_levels.push(level);
            if date.0.weekday() == time::Weekday::Sunday {
                let week = week_levels.iter().sum::<f64>() / week_levels.len() as f64;
                week_levels.clear();
                if self.rng.chance(0.9)
                    && let (Some(pain), Some(enjoyment), Some(activity)) = (
                        score(week + 0.4 * self.rng.normal()),
                        score(0.9 * week + 0.6 * self.rng.normal()),
                        score(week + 0.6 * self.rng.normal()),
                    )
                    && let Some(id) = self.id()
                {
                    self.entries.push(Entry::Peg(Peg {
                        id,
                        date,
                        pain,
                        enjoyment,
                        activity,
                    }));
                }
            }

            if is_today {
                break;
            }

            // Exercise, two or three times a week.
            exercised_yesterday = false;
            if self.rng.chance(0.4) {
                exercised_yesterday = self.exercise(date, level);
            }

            // Intimacy, one to three times a week, less often on bad days.
            let p = if level >= 6.0 { 0.08 } else { 0.28 };
            if self.rng.chance(p)
                && let Some((index, before, rise)) = self.intimacy(date, level)
            {
                carry = (rise - 0.5).max(0.0) * 0.7;
                pending = Some(Pending {
                    index,
                    logged: self.rng.chance(0.85),
                    next_morning: before + 0.8 * rise.max(0.0) + 0.4 * self.rng.normal(),
                });
            }
        }
        self.entries
    }

    fn exercise(&mut self, date: LocalDate, level: f64) -> bool {
        let morning = self.rng.chance(0.4);
        let (hour, minute) = if morning { (7, 30) } else { (18, 0) };
        let felt = match self.rng.weighted(&[0.6, 0.3, 0.1]) {
            0 => Felt::Better,
            1 => Felt::Same,
            _ => Felt::Worse,
        };
        let before = score(level + 0.5 * self.rng.normal());
        let after = before.and_then(|b| {
            let change = match felt {
                Felt::Better => -1.0,
                Felt::Same => 0.0,
                Felt::Worse => 1.0,
            };
            score(f64::from(b.value()) + change)
        });
        let what = EXERCISES[self.rng.between(0, EXERCISES.len() as u32 - 1) as usize];
        let (Some(at), Some(id)) = (LocalDateTime::at(date, hour, minute), self.id()) else {
            return false;
        };
        self.entries.push(Entry::Exercise(Exercise {
            id,
            at,
            what: what.to_owned(),
            minutes: 15 + 5 * self.rng.between(0, 6) as u16,
            felt,
            pain_before: before,
            pain_after: after,
            note: None,
            sets: Vec::new(),
        }));
        true
    }

    /// Logs intimacy on `date`; returns the entry's index, the pain before and the rise.
    fn intimacy(&mut self, date: LocalDate, level: f64) -> Option<(usize, f64, f64)> {
        let weights: Vec<f64> = self.favourites.iter().map(|f| f.weight).collect();
        let main = self.rng.weighted(&weights);
        let mut chosen = vec![main];
        if self.rng.chance(0.2) {
            let second = self.rng.weighted(&weights);
            if second != main {
                chosen.push(second);
            }
        }
        let demand = chosen
            .iter()
            .map(|&i| self.favourites[i].demand)
            .max()
            .unwrap_or(0);
        let positions: Vec<String> = chosen
            .iter()
            .map(|&i| self.favourites[i].id.clone())
            .collect();

        let mut preparation = Vec::new();
        let mut rise = RISE_BY_DEMAND[usize::from(demand.min(4))];
        if self.rng.chance(0.4) {
            preparation.push(Preparation::WarmBath);
            rise += WARM_BATH;
        }
        if self.rng.chance(0.3) {
            preparation.push(Preparation::Stretching);
        }
        if self.rng.chance(if level >= 4.0 { 0.35 } else { 0.15 }) {
            preparation.push(Preparation::PainReliever);
            rise += PAIN_RELIEVER;
        }
        if self.rng.chance(0.45) {
            preparation.push(Preparation::Pillows);
            rise += PILLOWS;
        }
        if self.rng.chance(0.15) {
            preparation.push(Preparation::IceAfter);
        }

        let (hour, morning) = match self.rng.weighted(&[0.25, 0.15, 0.4, 0.2]) {
            0 => (self.rng.between(6, 10), true),
            1 => (self.rng.between(12, 16), false),
            2 => (self.rng.between(17, 21), false),
            _ => (self.rng.between(22, 23), false),
        };
        if morning {
            rise += MORNING;
        }
        rise += 0.9 * self.rng.normal();

        let before = score(level + 0.2 + 0.5 * self.rng.normal())?;
        let b = f64::from(before.value());
        let after = score(b + rise)?;
        let during = score(b + 0.7 * rise + 0.5 * self.rng.normal());
        let minute = 5 * self.rng.between(0, 11);
        let at = LocalDateTime::at(date, u8::try_from(hour).ok()?, u8::try_from(minute).ok()?)?;
        let id = self.id()?;
        let stopped_early = rise >= 3.0 && self.rng.chance(0.5);
        self.entries.push(Entry::Intimacy(Intimacy {
            id,
            at,
            positions,
            preparation,
            pain_before: before,
            pain_during: during,
            pain_after: after,
            stopped_early,
            symptoms: Vec::new(),
            next_day_pain: None,
            note: None,
        }));
        Some((self.entries.len() - 1, b, rise))
    }
}
