//! Flare-ups: days in a row with pain well above the person's usual level, what the journal
//! holds for the days before each one, and what to do about it.
//!
//! The usual level on a day is the median daily pain ([`super::Day::pain`]) over the
//! [`BASELINE_DAYS`] days before it, once at least [`MIN_BASELINE_DAYS`] of them have a
//! check-in. A flare-up is [`MIN_FLARE_DAYS`] or more consecutive days (a day without a
//! check-in ends a run) with pain at least [`FLARE_POINTS`] above the usual level of its
//! first day: about the smallest change people with back pain notice as real (Ostelo et al.
//! 2008). A single bad day is not a flare-up. One whose last day is today or yesterday goes
//! on. For each, the intimacy logs (with their positions and whether pain rose by 2 points or
//! more), exercise sessions, short nights and stressful days of the [`PRECEDING_DAYS`] days
//! before it are listed, with the flare-up advice the safety policy gives this person
//! ([`crate::safety::flare_advice`]). Coming before a flare-up does not make something its
//! cause, and the wording says only what was logged.

use std::collections::BTreeMap;

use super::{Day, Entry, EntryId, Journal, LocalDate, LocalDateTime, Rating};
use crate::knowledge::Knowledge;
use crate::safety::Advice;
use crate::vocab::Felt;

/// The days before a day whose median pain is its usual level.
pub const BASELINE_DAYS: i32 = 28;
/// Days with a pain score needed among them.
pub const MIN_BASELINE_DAYS: usize = 7;
/// How far above the usual level a day's pain must be to belong to a flare-up.
pub const FLARE_POINTS: f64 = 2.0;
/// Consecutive days above it that make a flare-up.
pub const MIN_FLARE_DAYS: usize = 2;
/// The days before a flare-up that are searched for what came before it.
pub const PRECEDING_DAYS: i32 = 3;
/// A night shorter than this is a short night.
pub const SHORT_SLEEP_HOURS: f64 = 6.0;
/// Stress rated this or higher is high.
pub const HIGH_STRESS: u8 = 4;

/// An intimacy log in the days before a flare-up.
#[derive(Debug, Clone, PartialEq)]
pub struct PrecedingLog {
    /// The entry.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// Positions used.
    pub positions: Vec<String>,
    /// How far pain rose, right after or the next morning.
    pub rise: u8,
    /// Whether that was 2 points or more.
    pub flared: bool,
}

/// An exercise session in the days before a flare-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrecedingExercise {
    /// The entry.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// What was done.
    pub what: String,
    /// For how long, in minutes.
    pub minutes: u16,
    /// How the back felt afterwards.
    pub felt: Felt,
}

/// What the journal holds for the days before a flare-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Precedents {
    /// Intimacy logs.
    pub intimacy: Vec<PrecedingLog>,
    /// Exercise sessions.
    pub exercise: Vec<PrecedingExercise>,
    /// Nights shorter than [`SHORT_SLEEP_HOURS`]: the day and the hours.
    pub short_sleep: Vec<(LocalDate, f64)>,
    /// Days with stress of [`HIGH_STRESS`] or more.
    pub high_stress: Vec<(LocalDate, Rating)>,
}

impl Precedents {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.intimacy.is_empty()
            && self.exercise.is_empty()
            && self.short_sleep.is_empty()
            && self.high_stress.is_empty()
    }
}

/// A flare-up: days in a row with pain well above the person's usual level.
#[derive(Debug, Clone)]
pub struct Flare<'k> {
    /// The first day.
    pub start: LocalDate,
    /// The last day, or `None` while it goes on (its last day is today or yesterday).
    pub end: Option<LocalDate>,
    /// The last day with a check-in in it.
    pub last_day: LocalDate,
    /// Days in it so far.
    pub days: usize,
    /// The highest daily pain.
    pub peak: f64,
    /// The day of the peak.
    pub peak_date: LocalDate,
    /// The usual level it is measured against: the median over the 28 days before it.
    pub baseline: f64,
    /// What was logged in the 3 days before it.
    pub before: Precedents,
    /// What to do, as the safety policy allows it for this person.
    pub advice: Vec<Advice<'k>>,
    /// What it was, in plain words.
    pub statement: String,
}

impl Flare<'_> {
    /// Whether it goes on.
    pub fn is_ongoing(&self) -> bool {
        self.end.is_none()
    }
}

/// A day as a number, for arithmetic on dates.
fn day_number(date: LocalDate) -> i32 {
    date.0.to_julian_day()
}

fn date_of(day: i32) -> Option<LocalDate> {
    time::Date::from_julian_day(day).ok().map(LocalDate)
}

/// A number with one decimal.
fn num(x: f64) -> String {
    format!("{x:.1}")
}

/// Each day's usual level: the median pain of the days with a check-in among the
/// [`BASELINE_DAYS`] before it, when there are at least [`MIN_BASELINE_DAYS`] of them. The
/// window slides over the days in order, kept sorted.
fn baselines(series: &[(i32, f64)]) -> Vec<Option<f64>> {
    let mut out = Vec::with_capacity(series.len());
    let mut window: Vec<f64> = Vec::with_capacity(BASELINE_DAYS as usize + 1);
    let mut lo = 0;
    for (i, &(day, _)) in series.iter().enumerate() {
        if let Some(&(_, previous)) = i.checked_sub(1).and_then(|j| series.get(j)) {
            let at = window.partition_point(|v| *v < previous);
            window.insert(at, previous);
        }
        while lo < i && series[lo].0 < day - BASELINE_DAYS {
            let old = series[lo].1;
            let at = window.partition_point(|v| *v < old);
            if window.get(at) == Some(&old) {
                window.remove(at);
            }
            lo += 1;
        }
        let n = window.len();
        out.push((n >= MIN_BASELINE_DAYS).then(|| {
            if n.is_multiple_of(2) {
                0.5 * (window[n / 2 - 1] + window[n / 2])
            } else {
                window[n / 2]
            }
        }));
    }
    out
}

/// The flare-ups in `journal` up to `today`, an ongoing one first, then the most recent
/// first, each with `advice`.
pub fn flares<'k>(
    knowledge: &'k Knowledge,
    journal: &Journal,
    advice: &[Advice<'k>],
    today: LocalDate,
) -> Vec<Flare<'k>> {
    let days: BTreeMap<LocalDate, Day> = journal
        .days()
        .into_iter()
        .filter(|(d, _)| *d <= today)
        .collect();
    find(knowledge, journal, &days, advice, today)
}

/// [`flares`], with the journal's days already merged and cut at `today`.
pub(super) fn find<'k>(
    knowledge: &'k Knowledge,
    journal: &Journal,
    days: &BTreeMap<LocalDate, Day>,
    advice: &[Advice<'k>],
    today: LocalDate,
) -> Vec<Flare<'k>> {
    let today = day_number(today);
    let series: Vec<(i32, f64)> = days
        .iter()
        .filter_map(|(d, day)| Some((day_number(*d), day.pain()?)))
        .collect();
    let usual = baselines(&series);
    let context = Context {
        knowledge,
        journal,
        days,
        advice,
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < series.len() {
        let p = series[i].1;
        let Some(baseline) = usual[i].filter(|b| p >= b + FLARE_POINTS) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < series.len()
            && series[j].0 == series[j - 1].0 + 1
            && series[j].1 >= baseline + FLARE_POINTS
        {
            j += 1;
        }
        let run = &series[i..j];
        let ongoing = j == series.len() && series[j - 1].0 >= today - 1;
        if run.len() >= MIN_FLARE_DAYS
            && let Some(flare) = context.flare(run, baseline, ongoing)
        {
            found.push(flare);
        }
        i = j;
    }
    found.sort_by_key(|f: &Flare<'k>| (!f.is_ongoing(), std::cmp::Reverse(f.start)));
    found
}

/// What a flare-up is described with.
struct Context<'a, 'k> {
    knowledge: &'k Knowledge,
    journal: &'a Journal,
    days: &'a BTreeMap<LocalDate, Day>,
    advice: &'a [Advice<'k>],
}

impl<'k> Context<'_, 'k> {
    fn flare(&self, run: &[(i32, f64)], baseline: f64, ongoing: bool) -> Option<Flare<'k>> {
        let (first, _) = *run.first()?;
        let (last, _) = *run.last()?;
        let (peak_day, peak) =
            run.iter().copied().fold(
                (first, f64::MIN),
                |best, x| if x.1 > best.1 { x } else { best },
            );
        let start = date_of(first)?;
        let last_day = date_of(last)?;
        let peak_date = date_of(peak_day)?;
        let before = self.precedents(first - PRECEDING_DAYS, first)?;

        let days_in = run.len();
        let mut statement = if ongoing {
            format!(
                "A flare-up since {start} ({days_in} days so far): pain up to {}/10 on \
                 {peak_date}, against your usual {}/10.",
                num(peak),
                num(baseline)
            )
        } else {
            format!(
                "A flare-up from {start} to {last_day} ({days_in} days): pain up to {}/10 on \
                 {peak_date}, against your usual {}/10.",
                num(peak),
                num(baseline)
            )
        };
        statement.push(' ');
        statement.push_str(&self.precedents_words(&before));
        Some(Flare {
            start,
            end: (!ongoing).then_some(last_day),
            last_day,
            days: days_in,
            peak,
            peak_date,
            baseline,
            before,
            advice: self.advice.to_vec(),
            statement,
        })
    }

    /// What was logged on the days `from..until`.
    fn precedents(&self, from: i32, until: i32) -> Option<Precedents> {
        let (from_date, until_date) = (date_of(from)?, date_of(until)?);
        let mut before = Precedents::default();
        let entries = self.journal.entries();
        let lo = entries.partition_point(|e| e.date() < from_date);
        for e in entries[lo..].iter().take_while(|e| e.date() < until_date) {
            if let Entry::Intimacy(l) = e {
                let outcome = self.journal.outcome(l, self.days);
                before.intimacy.push(PrecedingLog {
                    id: l.id.clone(),
                    at: l.at,
                    positions: l.positions.clone(),
                    rise: outcome.rise(),
                    flared: outcome.flared(),
                });
            }
            if let Entry::Exercise(x) = e {
                before.exercise.push(PrecedingExercise {
                    id: x.id.clone(),
                    at: x.at,
                    what: x.what.clone(),
                    minutes: x.minutes,
                    felt: x.felt,
                });
            }
        }
        for (d, day) in self.days.range(from_date..until_date) {
            if let Some(h) = day.sleep_hours.filter(|h| *h < SHORT_SLEEP_HOURS) {
                before.short_sleep.push((*d, h));
            }
            if let Some(s) = day.stress.filter(|s| s.value() >= HIGH_STRESS) {
                before.high_stress.push((*d, s));
            }
        }
        Some(before)
    }

    fn precedents_words(&self, before: &Precedents) -> String {
        if before.is_empty() {
            return "Nothing logged in the 3 days before it.".to_owned();
        }
        let mut parts = Vec::new();
        for l in &before.intimacy {
            let positions = if l.positions.is_empty() {
                "no position noted".to_owned()
            } else {
                l.positions
                    .iter()
                    .map(|id| {
                        self.knowledge
                            .position(id)
                            .map_or(id.as_str(), |p| p.name.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(", then ")
            };
            let outcome = if l.flared {
                format!("pain rose by {} points", l.rise)
            } else {
                "pain did not rise by 2 points or more".to_owned()
            };
            parts.push(format!(
                "intimacy on {} ({positions}; {outcome})",
                l.at.date()
            ));
        }
        if !before.exercise.is_empty() {
            let n = before.exercise.len();
            parts.push(crate::words::count(
                n,
                "exercise session",
                "exercise sessions",
            ));
        }
        for (d, h) in &before.short_sleep {
            parts.push(format!("a short night before {d} ({} hours)", num(*h)));
        }
        for (d, s) in &before.high_stress {
            parts.push(format!("stress {}/5 on {d}", s.value()));
        }
        format!("In the 3 days before it: {}.", parts.join("; "))
    }
}
