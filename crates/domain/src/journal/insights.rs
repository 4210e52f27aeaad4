//! What a person's journal says about their own back: how each position has suited them,
//! whether preparation or the time of day changed how far their pain rose, how often and how
//! their back felt afterwards, how sleep, mood, stress and exercise went with their pain, the
//! flare-ups they had and what came before them, and the trend of their weekly PEG score.
//!
//! Every insight carries its evidence (counts, estimates, intervals) and a [`Status`]: a
//! claim, "not enough data yet" with how many more logs, days, weeks or answers are needed,
//! or "no clear difference" when there is data but no signal.
//!
//! # Statistical choices
//!
//! - **Positions** ([`Tolerance`]): a log *flared* when pain rose by 2 points or more, right
//!   after or the next morning ([`super::Outcome::flared`]). The chance of that is given a
//!   beta prior from the posture model's verdict for this person's own back ([`prior_mean`]:
//!   recommended 0.15, caution 0.35, avoid 0.60) with the weight of [`PRIOR_STRENGTH`] = 4
//!   logs: the verdict is an inference from healthy volunteers, so a handful of the person's
//!   own logs should outweigh it. The posterior uses the most recent [`POSITION_WINDOW`] logs
//!   with the position (backs change), and is reported with a 90% credible interval. Below
//!   [`MIN_POSITION_LOGS`] logs nothing is said beyond the prior. A claim is made when the
//!   credible interval at the corrected level (below) excludes the prior mean: the person's
//!   logs then clearly disagree with what the model expected.
//! - **Preparation, time of day, exercise**: the pain rise (continuous: the worse of right
//!   after and the next morning, minus before; it can be negative) with and without, or the
//!   next day's pain after days with and without exercise, compared by Welch's interval for
//!   the difference of means. Each group needs [`MIN_GROUP_LOGS`] values. Scores are whole
//!   numbers, so each group's variance is at least 1/12, the variance of rounding.
//! - **Frequency and daily factors**: Pearson's correlation with Fisher's z interval, over at
//!   least [`MIN_WEEKS`] weeks or [`MIN_DAYS`] days. Both series are persistent from one day
//!   (or week) to the next, which makes a correlation look surer than it is, so the interval
//!   uses Bartlett's effective number of pairs ([`stats::effective_pairs`]).
//! - **Multiple comparisons**: every comparison the report makes (each position with enough
//!   logs, each preparation step, each time of day, frequency, each daily factor, exercise)
//!   shares a family error of [`FAMILY_ERROR`] = 5% by Bonferroni: each interval that decides
//!   a claim is at level 1 − 0.05 / m. This is stricter than correcting within each kind of
//!   insight: on a journal with no effects at all, the whole report should make any false
//!   claim at most about 5% of the time (the tests find 4 in 200 synthetic journals).
//! - **Flare-ups** ([`super::flares`]): the usual level is the median daily pain over the
//!   previous [`BASELINE_DAYS`] days (with at least [`MIN_BASELINE_DAYS`] check-ins); a
//!   flare-up is [`MIN_FLARE_DAYS`] or more consecutive days with pain at least
//!   [`FLARE_POINTS`] above it. Flare-ups are events in the person's own data, not claims.
//! - **PEG**: the latest score, its change from the first and from about four weeks before;
//!   a claim of improvement when the mean of the last two answers is 30% or more below the
//!   mean of the first two (Ostelo et al. 2008), over at least four answers and four weeks.
//!
//! The wording is neutral and speaks of "your logs": it describes the person's data and is
//! not medical advice ([`Insights::disclaimer`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

pub use super::flares::{
    BASELINE_DAYS, FLARE_POINTS, Flare, HIGH_STRESS, MIN_BASELINE_DAYS, MIN_FLARE_DAYS,
    PRECEDING_DAYS, Precedents, PrecedingExercise, PrecedingLog, SHORT_SLEEP_HOURS,
};
use super::stats::{self, Beta, Interval, Sample};
use super::{Day, Intimacy, Journal, LocalDate};
use crate::knowledge::{InsightText, Knowledge, Position};
use crate::recommend::{self, PersonInput, PlanRequest, RequestError};
use crate::vocab::{Preparation, TimeOfDay, Verdict};
use crate::words::{capitalise, level_words};

/// The ids of the explanations the insights show; the knowledge base must define each.
pub const TEXTS_USED: &[&str] = &[
    text::POSITION_TOLERANCE,
    text::PREPARATION,
    text::TIME_OF_DAY,
    text::FREQUENCY,
    text::SLEEP,
    text::MOOD_STRESS,
    text::EXERCISE,
    text::FLARES,
    text::PEG,
];

/// Ids of the explanations in `content/journal.toml`.
pub mod text {
    /// How each position has suited the person's back.
    pub const POSITION_TOLERANCE: &str = "position-tolerance";
    /// Preparation steps, with and without.
    pub const PREPARATION: &str = "preparation";
    /// Time of day.
    pub const TIME_OF_DAY: &str = "time-of-day";
    /// Intimacy per week and pain the days after.
    pub const FREQUENCY: &str = "frequency";
    /// Sleep and pain.
    pub const SLEEP: &str = "sleep";
    /// Mood, stress and pain.
    pub const MOOD_STRESS: &str = "mood-stress";
    /// Exercise and the next day's pain.
    pub const EXERCISE: &str = "exercise";
    /// Flare-ups.
    pub const FLARES: &str = "flares";
    /// The weekly PEG score.
    pub const PEG: &str = "peg";
}

/// The chance of any false claim in a whole report, shared among its comparisons.
pub const FAMILY_ERROR: f64 = 0.05;
/// How many logs the posture model's verdict is worth in a position's prior.
pub const PRIOR_STRENGTH: f64 = 4.0;
/// Logs with a position before anything is said beyond the model's verdict.
pub const MIN_POSITION_LOGS: usize = 3;
/// Only a position's most recent logs count: a back changes over months and years.
pub const POSITION_WINDOW: usize = 20;
/// The level of the credible interval reported for a position.
pub const TOLERANCE_LEVEL: f64 = 0.90;
/// Values needed in each group of a comparison (with and without).
pub const MIN_GROUP_LOGS: usize = 5;
/// Weeks needed to relate intimacy per week to pain.
pub const MIN_WEEKS: usize = 8;
/// Days with a pain score a week's following days need to count.
pub const MIN_WEEK_DAYS: usize = 4;
/// Days needed to relate sleep, mood or stress to pain.
pub const MIN_DAYS: usize = 14;
/// PEG answers needed for a trend.
pub const MIN_PEG_ANSWERS: usize = 4;
/// Days the PEG answers must span for a trend.
pub const PEG_SPAN_DAYS: i32 = 28;
/// A fall of this share of the starting PEG score counts as a meaningful improvement.
pub const PEG_MEANINGFUL_FALL: f64 = 0.30;
/// The variance of rounding a score to a whole number: the least any group's variance can be.
const ROUNDING_VARIANCE: f64 = 1.0 / 12.0;

/// The expected chance that a log with a position flares, from the posture model's verdict
/// for the person's own back.
pub const fn prior_mean(verdict: Verdict) -> f64 {
    match verdict {
        Verdict::Recommended => 0.15,
        Verdict::Caution => 0.35,
        Verdict::Avoid => 0.60,
    }
}

/// The prior of a position with this verdict: [`prior_mean`] with [`PRIOR_STRENGTH`].
pub fn prior(verdict: Verdict) -> Beta {
    Beta::with_mean(prior_mean(verdict), PRIOR_STRENGTH)
}

/// The time of day of an hour: morning 5–11, afternoon 12–16, evening 17–21, night 22–4.
pub const fn time_of_day(hour: u8) -> TimeOfDay {
    match hour {
        5..=11 => TimeOfDay::Morning,
        12..=16 => TimeOfDay::Afternoon,
        17..=21 => TimeOfDay::Evening,
        _ => TimeOfDay::Night,
    }
}

/// What an insight is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InsightKind {
    /// How a position has suited the person's back.
    PositionTolerance,
    /// A preparation step, with and without.
    Preparation,
    /// A time of day against the others.
    TimeOfDay,
    /// Intimacy per week against pain the days after.
    Frequency,
    /// Hours of sleep against the day's pain.
    SleepHours,
    /// Sleep quality against the day's pain.
    SleepQuality,
    /// Mood against the day's pain.
    Mood,
    /// Stress against the day's pain.
    Stress,
    /// Days with and without exercise, by the next day's pain.
    Exercise,
    /// The weekly PEG score's trend.
    Peg,
}

impl InsightKind {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            InsightKind::PositionTolerance => "position-tolerance",
            InsightKind::Preparation => "preparation",
            InsightKind::TimeOfDay => "time-of-day",
            InsightKind::Frequency => "frequency",
            InsightKind::SleepHours => "sleep-hours",
            InsightKind::SleepQuality => "sleep-quality",
            InsightKind::Mood => "mood",
            InsightKind::Stress => "stress",
            InsightKind::Exercise => "exercise",
            InsightKind::Peg => "peg",
        }
    }

    /// The id of the explanation in `content/journal.toml`.
    pub const fn text_id(self) -> &'static str {
        match self {
            InsightKind::PositionTolerance => text::POSITION_TOLERANCE,
            InsightKind::Preparation => text::PREPARATION,
            InsightKind::TimeOfDay => text::TIME_OF_DAY,
            InsightKind::Frequency => text::FREQUENCY,
            InsightKind::SleepHours | InsightKind::SleepQuality => text::SLEEP,
            InsightKind::Mood | InsightKind::Stress => text::MOOD_STRESS,
            InsightKind::Exercise => text::EXERCISE,
            InsightKind::Peg => text::PEG,
        }
    }
}

impl fmt::Display for InsightKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a claim goes, for the person's pain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// With it (or with more of it), pain was lower or rose less.
    LessPain,
    /// With it (or with more of it), pain was higher or rose more.
    MorePain,
}

impl Direction {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::LessPain => "less-pain",
            Direction::MorePain => "more-pain",
        }
    }
}

/// What is being counted when more data are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Intimacy logs.
    Logs,
    /// Days with a check-in.
    Days,
    /// Weeks.
    Weeks,
    /// PEG answers.
    Answers,
}

impl Unit {
    /// The unit in words, singular or plural.
    pub const fn words(self, count: usize) -> &'static str {
        match (self, count) {
            (Unit::Logs, 1) => "log",
            (Unit::Logs, _) => "logs",
            (Unit::Days, 1) => "day",
            (Unit::Days, _) => "days",
            (Unit::Weeks, 1) => "week",
            (Unit::Weeks, _) => "weeks",
            (Unit::Answers, 1) => "answer",
            (Unit::Answers, _) => "answers",
        }
    }
}

/// What an insight can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Enough data, and they show something in this direction.
    Claim(Direction),
    /// Too little data to say anything yet: at least `more` more of `unit` are needed.
    NotEnoughData {
        /// How many more.
        more: usize,
        /// Of what.
        unit: Unit,
    },
    /// Enough data, but no clear difference or link.
    NoClearDifference,
}

impl Status {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Claim(_) => "claim",
            Status::NotEnoughData { .. } => "not-enough-data",
            Status::NoClearDifference => "no-clear-difference",
        }
    }
}

/// A position's flare-up rate for this person: the model's prior and what the logs made of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// The posture model's verdict for the person's own back.
    pub verdict: Verdict,
    /// The prior from the verdict.
    pub prior: Beta,
    /// The posterior after the counted logs.
    pub posterior: Beta,
    /// Logs counted: the most recent ones with this position, up to [`POSITION_WINDOW`].
    pub logs: usize,
    /// Every log with this position.
    pub all_logs: usize,
    /// Counted logs in which pain rose by 2 points or more.
    pub flares: usize,
    /// The most recent counted logs in a row without a flare-up.
    pub clean_streak: usize,
    /// The posterior's credible interval at [`TOLERANCE_LEVEL`].
    pub interval: Interval,
    /// The credible interval at the corrected level that decides a claim, once there are
    /// [`MIN_POSITION_LOGS`] logs.
    pub decision: Option<Interval>,
}

impl Tolerance {
    /// Whether there are enough logs to say anything beyond the prior.
    pub fn has_enough_logs(&self) -> bool {
        self.logs >= MIN_POSITION_LOGS
    }

    /// The expected flare-up rate before any log.
    pub fn prior_mean(&self) -> f64 {
        self.prior.mean()
    }

    /// The estimated flare-up rate after the logs.
    pub fn posterior_mean(&self) -> f64 {
        self.posterior.mean()
    }

    /// The claim the logs make, if any: the credible interval at the corrected level
    /// excludes the prior mean.
    pub fn claim(&self) -> Option<Direction> {
        let decision = self.decision?;
        let prior = self.prior_mean();
        if !decision.excludes(prior) {
            None
        } else if self.posterior_mean() < prior {
            Some(Direction::LessPain)
        } else {
            Some(Direction::MorePain)
        }
    }

    /// The posterior probability that the flare-up rate is below the model's expectation.
    pub fn probability_below_prior(&self) -> f64 {
        self.posterior.cdf(self.prior_mean())
    }
}

/// A difference of two means: with and without.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The values with (the step, the time of day, exercise the day before).
    pub with: Sample,
    /// The values without.
    pub without: Sample,
    /// Mean with minus mean without, once both groups have enough values.
    pub estimate: Option<f64>,
    /// Welch's 95% interval of the difference.
    pub interval95: Option<Interval>,
    /// Welch's interval at the corrected level, which decides a claim.
    pub interval: Option<Interval>,
}

/// A correlation with pain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// Pairs: days or weeks.
    pub n: usize,
    /// The effective number of independent pairs, allowing for persistence.
    pub effective_n: f64,
    /// Pearson's r, once there are enough pairs and both sides vary.
    pub r: Option<f64>,
    /// Fisher's 95% interval.
    pub interval95: Option<Interval>,
    /// Fisher's interval at the corrected level, which decides a claim.
    pub interval: Option<Interval>,
}

/// The PEG score's trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PegTrend {
    /// Answers so far.
    pub answers: usize,
    /// The first answer's date and score.
    pub first: Option<(LocalDate, f64)>,
    /// The latest answer's date and score.
    pub latest: Option<(LocalDate, f64)>,
    /// The answer from about four weeks before the latest (21 to 35 days), if any.
    pub four_weeks_before: Option<(LocalDate, f64)>,
    /// The mean of the first two answers.
    pub start: Option<f64>,
    /// The mean of the last two answers.
    pub recent: Option<f64>,
    /// (recent − start) / start.
    pub relative_change: Option<f64>,
}

impl PegTrend {
    /// The latest score minus the first.
    pub fn change_from_first(&self) -> Option<f64> {
        Some(self.latest?.1 - self.first?.1)
    }

    /// The latest score minus the one about four weeks before.
    pub fn change_from_four_weeks(&self) -> Option<f64> {
        Some(self.latest?.1 - self.four_weeks_before?.1)
    }

    /// Days from the first answer to the latest (0 without answers).
    pub fn span_days(&self) -> i32 {
        match (self.first, self.latest) {
            (Some(f), Some(l)) => day_number(l.0) - day_number(f.0),
            _ => 0,
        }
    }

    /// Whether there are enough answers over enough weeks for a trend: at least
    /// [`MIN_PEG_ANSWERS`] over [`PEG_SPAN_DAYS`] days.
    pub fn has_enough_answers(&self) -> bool {
        self.answers >= MIN_PEG_ANSWERS && self.span_days() >= PEG_SPAN_DAYS
    }

    /// Whether the trend shows a meaningful improvement: enough answers, and the mean of the
    /// last two at least [`PEG_MEANINGFUL_FALL`] below the mean of the first two.
    pub fn fell_meaningfully(&self) -> bool {
        self.has_enough_answers()
            && self
                .relative_change
                .is_some_and(|c| c <= -PEG_MEANINGFUL_FALL)
    }
}

/// The evidence behind an insight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Evidence {
    /// A position's flare-up rate.
    Tolerance(Tolerance),
    /// With against without.
    Difference(Difference),
    /// A correlation.
    Correlation(Correlation),
    /// A trend in the PEG score.
    Peg(PegTrend),
}

/// One insight: what it is about, what it says, and the evidence.
#[derive(Debug, Clone)]
pub struct Insight<'k> {
    /// The kind.
    pub kind: InsightKind,
    /// The id of what it is about: a position, a preparation step, a time of day, or the
    /// kind's own id.
    pub subject: String,
    /// What it is about, in words.
    pub label: String,
    /// What it can say.
    pub status: Status,
    /// What it says, in plain, neutral words.
    pub statement: String,
    /// The numbers behind it.
    pub evidence: Evidence,
    /// How it is worked out and what the research says, with sources.
    pub about: &'k InsightText,
}

impl Insight<'_> {
    /// Whether it claims something.
    pub fn is_claim(&self) -> bool {
        matches!(self.status, Status::Claim(_))
    }

    /// The position's flare-up rate, for a position insight.
    pub fn tolerance(&self) -> Option<&Tolerance> {
        match &self.evidence {
            Evidence::Tolerance(t) => Some(t),
            _ => None,
        }
    }
}

/// Everything the journal says about this person's back.
#[derive(Debug, Clone)]
pub struct Insights<'k> {
    /// The day they were worked out for.
    pub today: LocalDate,
    /// One per position the person has logged, in the knowledge base's order.
    pub positions: Vec<Insight<'k>>,
    /// One per preparation step.
    pub preparation: Vec<Insight<'k>>,
    /// One per time of day.
    pub time_of_day: Vec<Insight<'k>>,
    /// Intimacy per week against pain the days after.
    pub frequency: Insight<'k>,
    /// Sleep hours, sleep quality, mood and stress against the day's pain.
    pub daily: Vec<Insight<'k>>,
    /// Exercise against the next day's pain.
    pub exercise: Insight<'k>,
    /// The PEG trend.
    pub peg: Insight<'k>,
    /// Flare-ups: an ongoing one first, then the most recent first.
    pub flares: Vec<Flare<'k>>,
    /// The explanation of flare-ups.
    pub flares_about: &'k InsightText,
    /// The comparisons that share the family error.
    pub comparisons: usize,
    /// The level of each interval that decides a claim: 1 − 0.05 / comparisons.
    pub level: f64,
    /// Their own data, not medical advice.
    pub disclaimer: &'k str,
}

impl<'k> Insights<'k> {
    /// Every insight: positions, preparation, time of day, frequency, daily factors,
    /// exercise, PEG.
    pub fn all(&self) -> impl Iterator<Item = &Insight<'k>> {
        self.positions
            .iter()
            .chain(&self.preparation)
            .chain(&self.time_of_day)
            .chain(std::iter::once(&self.frequency))
            .chain(&self.daily)
            .chain(std::iter::once(&self.exercise))
            .chain(std::iter::once(&self.peg))
    }

    /// The insights that claim something.
    pub fn claims(&self) -> impl Iterator<Item = &Insight<'k>> {
        self.all().filter(|i| i.is_claim())
    }

    /// The insight about a position, if the person has logged it.
    pub fn position(&self, id: &str) -> Option<&Insight<'k>> {
        self.positions.iter().find(|i| i.subject == id)
    }

    /// The flare-up going on today, if any.
    pub fn ongoing_flare(&self) -> Option<&Flare<'k>> {
        self.flares.first().filter(|f| f.is_ongoing())
    }
}

/// A day as a number, for arithmetic on dates.
fn day_number(date: LocalDate) -> i32 {
    date.0.to_julian_day()
}

/// A number with one decimal, never "-0.0".
fn num(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".to_owned() } else { s }
}

/// A signed number with one decimal: "+1.2", "−0.4".
fn signed(x: f64) -> String {
    let s = num(x);
    if s.starts_with('-') {
        s.replacen('-', "\u{2212}", 1)
    } else if s == "0.0" {
        s
    } else {
        format!("+{s}")
    }
}

/// A number with two decimals and a true minus sign, as correlations are written.
fn two_places(x: f64) -> String {
    let s = format!("{x:.2}");
    match s.strip_prefix('-') {
        Some("0.00") => "0.00".to_owned(),
        Some(rest) => format!("\u{2212}{rest}"),
        None => s,
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn count(n: usize, unit: Unit) -> String {
    format!("{n} {}", unit.words(n))
}

/// An intimacy log with its outcome.
struct Log<'j> {
    log: &'j Intimacy,
    /// The worst of right after and the next morning, minus before (may be negative).
    rise: f64,
    flared: bool,
}

struct RawPosition<'k> {
    position: &'k Position,
    verdict: Verdict,
    all_logs: usize,
    /// Flared or not, oldest first, the most recent [`POSITION_WINDOW`].
    recent: Vec<bool>,
}

impl RawPosition<'_> {
    fn ready(&self) -> bool {
        self.recent.len() >= MIN_POSITION_LOGS
    }
}

struct RawComparison {
    kind: InsightKind,
    subject: String,
    label: String,
    with: Vec<f64>,
    without: Vec<f64>,
}

impl RawComparison {
    fn ready(&self) -> bool {
        self.with.len() >= MIN_GROUP_LOGS && self.without.len() >= MIN_GROUP_LOGS
    }
}

struct RawCorrelation {
    kind: InsightKind,
    subject: &'static str,
    label: &'static str,
    pairs: Vec<(f64, f64)>,
    /// Consecutive pairs of each side, for persistence.
    lag_x: Vec<(f64, f64)>,
    lag_y: Vec<(f64, f64)>,
    minimum: usize,
    unit: Unit,
}

impl RawCorrelation {
    fn ready(&self) -> bool {
        self.pairs.len() >= self.minimum
    }
}

/// Works out the insights in `journal` for the person described by `profile` (their pain
/// type, role and conditions; the pain score is not used: a position's prior is the verdict
/// for a usual day), as of `today`. Entries dated after `today` are left out.
///
/// # Errors
///
/// [`RequestError`] when a condition id is unknown.
pub fn insights<'k>(
    knowledge: &'k Knowledge,
    journal: &Journal,
    profile: &PersonInput,
    today: LocalDate,
) -> Result<Insights<'k>, RequestError> {
    let person = PersonInput {
        pain_now: None,
        ..profile.clone()
    };
    let plan = recommend::recommend(knowledge, &PlanRequest::new(person))?;
    let verdicts: HashMap<&str, Verdict> = plan
        .positions
        .iter()
        .map(|p| (p.position.id.as_str(), p.you.verdict))
        .collect();
    // Flare-up advice is the safety policy's, in the light of the red flags the journal holds.
    let role = profile
        .role
        .fixed()
        .unwrap_or(crate::vocab::Role::Receptive);
    let person = crate::safety::Person::new(
        knowledge,
        profile.pain_type,
        role,
        None,
        &profile.conditions,
        profile.pregnancy_weeks,
    )?;
    let noted = crate::safety::journal_red_flags(knowledge, journal, today);
    let red_flags =
        crate::safety::red_flags(knowledge, &[] as &[&str], &noted, &person.conditions)?;
    let advice = crate::safety::flare_advice(knowledge, &person, &red_flags);

    let today_n = day_number(today);
    let days = journal.days();
    let days: BTreeMap<LocalDate, Day> = days.into_iter().filter(|(d, _)| *d <= today).collect();
    let pain: BTreeMap<i32, f64> = days
        .iter()
        .filter_map(|(d, day)| Some((day_number(*d), day.pain()?)))
        .collect();
    // A log from yesterday or today without its next-morning answer is still open: counting
    // it would take "no answer yet" for "no flare-up".
    let open_since = today.0.saturating_sub(time::Duration::days(1));
    let logs: Vec<Log<'_>> = journal
        .intimacy()
        .filter(|l| l.at.date() <= today)
        .filter(|l| l.at.date().0 < open_since || journal.next_day_pain(l, &days).is_some())
        .map(|l| {
            let o = journal.outcome(l, &days);
            let worst = o.next_day.map_or(o.after, |n| n.max(o.after));
            Log {
                log: l,
                rise: f64::from(worst.value()) - f64::from(o.before.value()),
                flared: o.flared(),
            }
        })
        .collect();

    let positions = raw_positions(knowledge, &verdicts, &logs);
    let preparation = preparation_raw(&logs);
    let time = time_of_day_raw(&logs);
    let exercise = exercise_raw(journal, &pain, today_n);
    let frequency = frequency_raw(&logs, &pain, today_n);
    let daily = daily_raw(&days);

    let m = positions.iter().filter(|p| p.ready()).count()
        + preparation
            .iter()
            .chain(&time)
            .filter(|c| c.ready())
            .count()
        + usize::from(exercise.ready())
        + usize::from(frequency.ready())
        + daily.iter().filter(|c| c.ready()).count();
    let comparisons = m.max(1);
    let level = 1.0 - FAMILY_ERROR / comparisons as f64;

    let about = |kind: InsightKind| knowledge.insight_text(kind.text_id());
    let compared = |raws: Vec<RawComparison>| -> Result<Vec<Insight<'k>>, RequestError> {
        raws.into_iter()
            .map(|raw| {
                let text = about(raw.kind)?;
                Ok(comparison_insight(raw, level, comparisons, text))
            })
            .collect()
    };
    let correlated = |raw: RawCorrelation| -> Result<Insight<'k>, RequestError> {
        let text = about(raw.kind)?;
        Ok(correlation_insight(raw, level, comparisons, text))
    };

    let position_text = about(InsightKind::PositionTolerance)?;
    let position_insights = positions
        .iter()
        .map(|raw| position_insight(raw, level, comparisons, position_text))
        .collect();
    let preparation = compared(preparation)?;
    let time_of_day = compared(time)?;
    let exercise = comparison_insight(exercise, level, comparisons, about(InsightKind::Exercise)?);
    let frequency = correlated(frequency)?;
    let daily = daily
        .into_iter()
        .map(correlated)
        .collect::<Result<Vec<_>, _>>()?;
    let peg = peg_insight(journal, today, about(InsightKind::Peg)?);
    let flares = super::flares::find(knowledge, journal, &days, &advice, today);
    let flares_about = knowledge.insight_text(text::FLARES)?;
    Ok(Insights {
        today,
        positions: position_insights,
        preparation,
        time_of_day,
        frequency,
        daily,
        exercise,
        peg,
        flares,
        flares_about,
        comparisons,
        level,
        disclaimer: &knowledge.journal.disclaimer,
    })
}

fn raw_positions<'k>(
    knowledge: &'k Knowledge,
    verdicts: &HashMap<&str, Verdict>,
    logs: &[Log<'_>],
) -> Vec<RawPosition<'k>> {
    let mut by_position: HashMap<&str, Vec<bool>> = HashMap::new();
    for l in logs {
        for id in &l.log.positions {
            by_position.entry(id.as_str()).or_default().push(l.flared);
        }
    }
    knowledge
        .positions
        .iter()
        .filter_map(|position| {
            let all = by_position.get(position.id.as_str())?;
            let verdict = verdicts.get(position.id.as_str()).copied()?;
            let recent = all[all.len().saturating_sub(POSITION_WINDOW)..].to_vec();
            Some(RawPosition {
                position,
                verdict,
                all_logs: all.len(),
                recent,
            })
        })
        .collect()
}

fn position_insight<'k>(
    raw: &RawPosition<'_>,
    level: f64,
    comparisons: usize,
    about: &'k InsightText,
) -> Insight<'k> {
    let prior = prior(raw.verdict);
    let n = raw.recent.len();
    let flares = raw.recent.iter().filter(|f| **f).count();
    let clean_streak = raw.recent.iter().rev().take_while(|f| !**f).count();
    let posterior = prior.updated(flares, n);
    let decision = raw.ready().then(|| posterior.interval(level));
    let tolerance = Tolerance {
        verdict: raw.verdict,
        prior,
        posterior,
        logs: n,
        all_logs: raw.all_logs,
        flares,
        clean_streak,
        interval: posterior.interval(TOLERANCE_LEVEL),
        decision,
    };
    let verdict_words = match raw.verdict {
        Verdict::Recommended => "recommended",
        Verdict::Caution => "one to use with care",
        Verdict::Avoid => "one to avoid",
    };
    let (status, statement) = match decision {
        None => {
            let more = MIN_POSITION_LOGS - n;
            (
                Status::NotEnoughData {
                    more,
                    unit: Unit::Logs,
                },
                format!(
                    "The posture model rates this position {verdict_words} for your back. You \
                     have {} with it so far; after {more} more, your own logs will start to count.",
                    count(n, Unit::Logs)
                ),
            )
        }
        Some(_) => {
            let last = if raw.all_logs > n { "last " } else { "" };
            let counts = if flares == 0 {
                format!(
                    "In your {last}{} with this position your pain never rose by 2 points or more.",
                    count(n, Unit::Logs)
                )
            } else {
                format!(
                    "Your pain rose by 2 points or more in {flares} of your {last}{} with this \
                     position.",
                    count(n, Unit::Logs)
                )
            };
            let estimate = format!(
                "Taking your logs together with the posture model, which rates it \
                 {verdict_words} for your back and on its own would expect about {}, the \
                 estimated chance of such a rise with this position is {} (90% credible range {} \
                 to {}).",
                percent(prior.mean()),
                percent(posterior.mean()),
                percent(tolerance.interval.lower),
                percent(tolerance.interval.upper),
            );
            let (status, verdict) = match tolerance.claim() {
                Some(Direction::LessPain) => (
                    Status::Claim(Direction::LessPain),
                    "In your logs it has suited your back clearly better than the model \
                         expected."
                        .to_owned(),
                ),
                Some(Direction::MorePain) => (
                    Status::Claim(Direction::MorePain),
                    "In your logs it has raised your pain clearly more often than the model \
                         expected: consider its modifications or another position."
                        .to_owned(),
                ),
                None => (
                    Status::NoClearDifference,
                    format!(
                        "Not clearly different from what the model expected (judged at \
                         {} to allow for {comparisons} comparisons).",
                        level_words(level)
                    ),
                ),
            };
            (status, format!("{counts} {estimate} {verdict}"))
        }
    };
    Insight {
        kind: InsightKind::PositionTolerance,
        subject: raw.position.id.clone(),
        label: raw.position.name.clone(),
        status,
        statement,
        evidence: Evidence::Tolerance(tolerance),
        about,
    }
}

fn preparation_raw(logs: &[Log<'_>]) -> Vec<RawComparison> {
    Preparation::ALL
        .iter()
        .map(|p| {
            let (with, without): (Vec<&Log<'_>>, Vec<&Log<'_>>) =
                logs.iter().partition(|l| l.log.preparation.contains(p));
            RawComparison {
                kind: InsightKind::Preparation,
                subject: p.as_str().to_owned(),
                label: p.label().to_owned(),
                with: with.iter().map(|l| l.rise).collect(),
                without: without.iter().map(|l| l.rise).collect(),
            }
        })
        .collect()
}

fn time_label(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Morning => "the morning (5 to 11)",
        TimeOfDay::Afternoon => "the afternoon (12 to 16)",
        TimeOfDay::Evening => "the evening (17 to 21)",
        TimeOfDay::Night => "the night (22 to 4)",
    }
}

fn time_of_day_raw(logs: &[Log<'_>]) -> Vec<RawComparison> {
    TimeOfDay::ALL
        .iter()
        .map(|t| {
            let (with, without): (Vec<&Log<'_>>, Vec<&Log<'_>>) = logs
                .iter()
                .partition(|l| time_of_day(l.log.at.hour()) == *t);
            RawComparison {
                kind: InsightKind::TimeOfDay,
                subject: t.as_str().to_owned(),
                label: time_label(*t).to_owned(),
                with: with.iter().map(|l| l.rise).collect(),
                without: without.iter().map(|l| l.rise).collect(),
            }
        })
        .collect()
}

fn exercise_raw(journal: &Journal, pain: &BTreeMap<i32, f64>, today: i32) -> RawComparison {
    let exercised: BTreeSet<i32> = journal
        .exercise()
        .map(|x| day_number(x.at.date()))
        .filter(|d| *d <= today)
        .collect();
    let mut with = Vec::new();
    let mut without = Vec::new();
    // The days after the first session: none yet when it was today.
    if let Some(&first) = exercised.first()
        && first < today
    {
        for (&d, &p) in pain.range(first + 1..=today) {
            if exercised.contains(&(d - 1)) {
                with.push(p);
            } else {
                without.push(p);
            }
        }
    }
    RawComparison {
        kind: InsightKind::Exercise,
        subject: InsightKind::Exercise.as_str().to_owned(),
        label: "exercise".to_owned(),
        with,
        without,
    }
}

fn comparison_insight<'k>(
    raw: RawComparison,
    level: f64,
    comparisons: usize,
    about: &'k InsightText,
) -> Insight<'k> {
    let floor = |mut s: Sample| {
        if s.n >= 2 && (s.variance.is_nan() || s.variance < ROUNDING_VARIANCE) {
            s.variance = ROUNDING_VARIANCE;
        }
        s
    };
    let with = floor(Sample::of(&raw.with));
    let without = floor(Sample::of(&raw.without));
    let ready = raw.ready();
    let w95 = if ready {
        stats::welch(with, without, 0.95)
    } else {
        None
    };
    let wl = if ready {
        stats::welch(with, without, level)
    } else {
        None
    };
    let difference = Difference {
        with,
        without,
        estimate: wl.map(|w| w.estimate),
        interval95: w95.map(|w| w.interval),
        interval: wl.map(|w| w.interval),
    };
    let exercise = raw.kind == InsightKind::Exercise;
    let unit = if exercise { Unit::Days } else { Unit::Logs };
    let (with_words, without_words) = match raw.kind {
        InsightKind::Preparation => (
            format!("with {}", raw.label),
            format!("without {}", raw.label),
        ),
        InsightKind::TimeOfDay => (format!("in {}", raw.label), "at other times".to_owned()),
        _ => (
            "after a day with exercise".to_owned(),
            "after a day without".to_owned(),
        ),
    };
    let (status, statement) = match (ready, wl) {
        (false, _) => {
            let more_with = MIN_GROUP_LOGS.saturating_sub(with.n);
            let more_without = MIN_GROUP_LOGS.saturating_sub(without.n);
            let mut needs = Vec::new();
            if more_with > 0 {
                needs.push(format!(
                    "{more_with} more {} {with_words}",
                    unit.words(more_with)
                ));
            }
            if more_without > 0 {
                needs.push(format!(
                    "{more_without} more {} {without_words}",
                    unit.words(more_without)
                ));
            }
            (
                Status::NotEnoughData {
                    more: more_with + more_without,
                    unit,
                },
                format!(
                    "Not enough data yet: {} before the journal compares them.",
                    needs.join(" and ")
                ),
            )
        }
        (true, None) => (
            Status::NoClearDifference,
            "Your values were all the same with and without, so there is nothing to compare."
                .to_owned(),
        ),
        (true, Some(w)) => {
            let range = format!(
                "a difference of {} points (range {} to {} at {} to allow for {comparisons} \
                 comparisons)",
                signed(w.estimate),
                signed(w.interval.lower),
                signed(w.interval.upper),
                level_words(level),
            );
            let numbers = if exercise {
                format!(
                    "In your check-ins, your pain the day after exercise averaged {} ({}), and \
                     the day after a day without exercise {} ({}): {range}.",
                    num(with.mean),
                    count(with.n, unit),
                    num(without.mean),
                    count(without.n, unit),
                )
            } else {
                format!(
                    "In your logs, {with_words} your pain rose on average by {} ({}), and \
                     {without_words} by {} ({}): {range}.",
                    num(with.mean),
                    count(with.n, unit),
                    num(without.mean),
                    count(without.n, unit),
                )
            };
            let claim = |less: bool| {
                let (rose, was) = if less {
                    ("less", "lower")
                } else {
                    ("more", "higher")
                };
                if exercise {
                    format!("Your pain was clearly {was} the day after exercise.")
                } else {
                    format!(
                        "{}, your pain rose clearly {rose}.",
                        capitalise(&with_words)
                    )
                }
            };
            if w.interval.upper < 0.0 {
                (
                    Status::Claim(Direction::LessPain),
                    format!("{numbers} {}", claim(true)),
                )
            } else if w.interval.lower > 0.0 {
                (
                    Status::Claim(Direction::MorePain),
                    format!("{numbers} {}", claim(false)),
                )
            } else {
                (
                    Status::NoClearDifference,
                    format!("{numbers} No clear difference so far."),
                )
            }
        }
    };
    Insight {
        kind: raw.kind,
        subject: raw.subject,
        label: raw.label,
        status,
        statement,
        evidence: Evidence::Difference(difference),
        about,
    }
}

/// Lag-one pairs of a series keyed by consecutive numbers (days or weeks).
fn lag_pairs(series: &BTreeMap<i32, f64>) -> Vec<(f64, f64)> {
    series
        .iter()
        .filter_map(|(&k, &v)| series.get(&(k + 1)).map(|&next| (v, next)))
        .collect()
}

fn correlation_raw(
    kind: InsightKind,
    subject: &'static str,
    label: &'static str,
    series: &BTreeMap<i32, (f64, f64)>,
    minimum: usize,
    unit: Unit,
) -> RawCorrelation {
    let xs: BTreeMap<i32, f64> = series.iter().map(|(&k, &(x, _))| (k, x)).collect();
    let ys: BTreeMap<i32, f64> = series.iter().map(|(&k, &(_, y))| (k, y)).collect();
    RawCorrelation {
        kind,
        subject,
        label,
        pairs: series.values().copied().collect(),
        lag_x: lag_pairs(&xs),
        lag_y: lag_pairs(&ys),
        minimum,
        unit,
    }
}

fn frequency_raw(logs: &[Log<'_>], pain: &BTreeMap<i32, f64>, today: i32) -> RawCorrelation {
    let mut series: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
    if let Some(first) = logs.first() {
        let monday =
            |d: LocalDate| day_number(d) - i32::from(d.0.weekday().number_days_from_monday());
        let mut per_week: BTreeMap<i32, usize> = BTreeMap::new();
        for l in logs {
            *per_week.entry(monday(l.log.at.date())).or_default() += 1;
        }
        let mut week = monday(first.log.at.date());
        // The week's following days run from its Tuesday to the next Monday, so that each
        // log's next day is among them.
        while week + 7 <= today {
            let after: Vec<f64> = pain.range(week + 1..=week + 7).map(|(_, p)| *p).collect();
            if after.len() >= MIN_WEEK_DAYS {
                let n = per_week.get(&week).copied().unwrap_or(0);
                series.insert(week / 7, (n as f64, stats::mean(&after)));
            }
            week += 7;
        }
    }
    correlation_raw(
        InsightKind::Frequency,
        "frequency",
        "intimacy per week",
        &series,
        MIN_WEEKS,
        Unit::Weeks,
    )
}

fn daily_raw(days: &BTreeMap<LocalDate, Day>) -> Vec<RawCorrelation> {
    type Pick = fn(&Day) -> Option<f64>;
    let factors: [(InsightKind, &'static str, &'static str, Pick); 4] = [
        (
            InsightKind::SleepHours,
            "sleep-hours",
            "hours of sleep the night before",
            |d| d.sleep_hours,
        ),
        (
            InsightKind::SleepQuality,
            "sleep-quality",
            "sleep quality",
            |d| d.sleep_quality.map(|r| f64::from(r.value())),
        ),
        (InsightKind::Mood, "mood", "mood", |d| {
            d.mood.map(|r| f64::from(r.value()))
        }),
        (InsightKind::Stress, "stress", "stress", |d| {
            d.stress.map(|r| f64::from(r.value()))
        }),
    ];
    factors
        .iter()
        .map(|(kind, subject, label, pick)| {
            let series: BTreeMap<i32, (f64, f64)> = days
                .iter()
                .filter_map(|(d, day)| Some((day_number(*d), (pick(day)?, day.pain()?))))
                .collect();
            correlation_raw(*kind, subject, label, &series, MIN_DAYS, Unit::Days)
        })
        .collect()
}

fn correlation_insight<'k>(
    raw: RawCorrelation,
    level: f64,
    comparisons: usize,
    about: &'k InsightText,
) -> Insight<'k> {
    let n = raw.pairs.len();
    let ready = raw.ready();
    let r = if ready {
        stats::pearson(&raw.pairs)
    } else {
        None
    };
    let rho_x = stats::lag_one(&raw.lag_x).unwrap_or(0.0);
    let rho_y = stats::lag_one(&raw.lag_y).unwrap_or(0.0);
    let effective_n = stats::effective_pairs(n, rho_x, rho_y);
    let i95 = r.and_then(|r| stats::fisher_interval(r, effective_n, 0.95));
    let il = r.and_then(|r| stats::fisher_interval(r, effective_n, level));
    let correlation = Correlation {
        n,
        effective_n,
        r,
        interval95: i95,
        interval: il,
    };
    let (more_words, higher, lower) = match raw.kind {
        InsightKind::Frequency => (
            "More intimacy in a week",
            "higher pain over the following days",
            "lower pain over the following days",
        ),
        InsightKind::SleepHours => ("Longer nights", "higher pain", "lower pain"),
        InsightKind::SleepQuality => ("Better sleep", "higher pain", "lower pain"),
        InsightKind::Mood => ("A better mood", "higher pain", "lower pain"),
        _ => ("More stress", "higher pain", "lower pain"),
    };
    let pain_words = if raw.kind == InsightKind::Frequency {
        "your pain over the following days"
    } else {
        "that day's pain"
    };
    let (status, statement) = match (ready, r, il) {
        (false, _, _) => {
            let more = raw.minimum - n;
            let of_what = if raw.kind == InsightKind::Frequency {
                "with check-ins".to_owned()
            } else {
                format!("with both pain and {} in a check-in", raw.label)
            };
            (
                Status::NotEnoughData {
                    more,
                    unit: raw.unit,
                },
                format!(
                    "Not enough data yet: {} more {} {of_what} are needed (you have {n}).",
                    more,
                    raw.unit.words(more)
                ),
            )
        }
        (true, Some(r), Some(i)) => {
            let numbers = format!(
                "Over {} in your check-ins, the correlation between {} and {} was r = {} \
                 (range {} to {} at {} to allow for {comparisons} comparisons and for \
                 day-to-day persistence).",
                count(n, raw.unit),
                raw.label,
                pain_words,
                two_places(r),
                two_places(i.lower),
                two_places(i.upper),
                level_words(level),
            );
            if i.lower > 0.0 {
                (
                    Status::Claim(Direction::MorePain),
                    format!("{numbers} {more_words} went with {higher}."),
                )
            } else if i.upper < 0.0 {
                (
                    Status::Claim(Direction::LessPain),
                    format!("{numbers} {more_words} went with {lower}."),
                )
            } else {
                (
                    Status::NoClearDifference,
                    format!("{numbers} No clear link so far."),
                )
            }
        }
        (true, _, _) => (
            Status::NoClearDifference,
            format!(
                "Over {} either your {} or your pain did not vary, so there is nothing to \
                 relate.",
                count(n, raw.unit),
                raw.label
            ),
        ),
    };
    let statement = if raw.kind == InsightKind::Frequency && status.as_str() == "claim" {
        format!("{statement} This may also mean that you chose intimacy when your back was calmer.")
    } else {
        statement
    };
    Insight {
        kind: raw.kind,
        subject: raw.subject.to_owned(),
        label: raw.label.to_owned(),
        status,
        statement,
        evidence: Evidence::Correlation(correlation),
        about,
    }
}

/// The trend of the weekly PEG score in `journal` up to `today`.
pub fn peg_trend(journal: &Journal, today: LocalDate) -> PegTrend {
    let answers: Vec<(LocalDate, f64)> = journal
        .peg()
        .filter(|p| p.date <= today)
        .map(|p| (p.date, p.score()))
        .collect();
    let n = answers.len();
    let first = answers.first().copied();
    let latest = answers.last().copied();
    let four_weeks_before = latest.and_then(|(d, _)| {
        let target = day_number(d) - 28;
        answers
            .iter()
            .filter(|(a, _)| (day_number(*a) - target).abs() <= 7)
            .min_by_key(|(a, _)| (day_number(*a) - target).abs())
            .copied()
    });
    let start = (n >= 2).then(|| (answers[0].1 + answers[1].1) / 2.0);
    let recent = (n >= 2).then(|| (answers[n - 2].1 + answers[n - 1].1) / 2.0);
    let relative_change = match (start, recent) {
        (Some(s), Some(r)) if s > 0.0 => Some((r - s) / s),
        _ => None,
    };
    PegTrend {
        answers: n,
        first,
        latest,
        four_weeks_before,
        start,
        recent,
        relative_change,
    }
}

fn peg_insight<'k>(journal: &Journal, today: LocalDate, about: &'k InsightText) -> Insight<'k> {
    let trend = peg_trend(journal, today);
    let PegTrend {
        answers: n,
        first,
        latest,
        four_weeks_before,
        relative_change,
        ..
    } = trend;
    let span = trend.span_days();
    let (status, statement) = match (first, latest) {
        (Some(f), Some(l)) if trend.has_enough_answers() => {
            let mut s = format!(
                "Your latest PEG score is {} out of 10 ({}), {} from your first ({} on {}).",
                num(l.1),
                l.0,
                signed(l.1 - f.1),
                num(f.1),
                f.0
            );
            if let Some((d, v)) = four_weeks_before {
                s.push_str(&format!(
                    " Four weeks before it, on {d}, it was {} ({}).",
                    num(v),
                    signed(l.1 - v)
                ));
            }
            match relative_change {
                Some(c) if trend.fell_meaningfully() => (
                    Status::Claim(Direction::LessPain),
                    format!(
                        "{s} Your last two answers average {}% below your first two: a fall \
                         of 30% or more is the size of improvement generally counted as \
                         meaningful.",
                        (-c * 100.0).round()
                    ),
                ),
                _ => (Status::NoClearDifference, s),
            }
        }
        _ => {
            let (more, unit) = if n < MIN_PEG_ANSWERS {
                (MIN_PEG_ANSWERS - n, Unit::Answers)
            } else {
                let weeks = (PEG_SPAN_DAYS - span + 6) / 7;
                (usize::try_from(weeks.max(1)).unwrap_or(1), Unit::Weeks)
            };
            (
                Status::NotEnoughData { more, unit },
                format!(
                    "Not enough data yet: the trend needs at least {MIN_PEG_ANSWERS} weekly \
                     answers over 4 weeks ({} more {}).",
                    more,
                    unit.words(more)
                ),
            )
        }
    };
    Insight {
        kind: InsightKind::Peg,
        subject: InsightKind::Peg.as_str().to_owned(),
        label: "weekly PEG score".to_owned(),
        status,
        statement,
        evidence: Evidence::Peg(trend),
        about,
    }
}
