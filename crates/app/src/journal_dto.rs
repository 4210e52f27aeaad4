//! The JSON shapes of the journal's insights and of the personal plan, shared by
//! `GET /api/v1/journal/insights` and `/journal/plan`, the insights page and
//! `spinewise journal insights --json`.
//!
//! Built from the domain's results at this boundary, like [`crate::dto`], so that the
//! engine's types can change without changing the JSON. Every number is rounded (to 3
//! decimals, interval levels to 4) so that the same journal gives the same bytes, and every
//! field the engine may not have yet (an estimate before there are enough logs) is `null`
//! rather than left out.
//!
//! [`Person`] and [`plan_request`] turn a saved profile into what the insights and the plan
//! are worked out for, with the same assumptions everywhere: without a saved pain type or
//! role, the insights assume `unclear` and `receptive` and say so; the plan needs both.

use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::flares::{Flare, Precedents};
use spinewise_domain::journal::insights::{
    Correlation, Difference, Evidence, Insight, Insights, PegTrend, Status, Tolerance, Unit,
};
use spinewise_domain::journal::personal::PersonalPlan;
use spinewise_domain::journal::stats::Interval;
use spinewise_domain::journal::{EntryId, LocalDate, LocalDateTime};
use spinewise_domain::knowledge::InsightText;
use spinewise_domain::recommend::PersonInput;
use spinewise_domain::vocab::{PainType, RoleChoice};
use spinewise_store::ProfileRecord;
use utoipa::ToSchema;

use crate::dto::{CheckDto, PersonDto, SourceDto, TriageDto};
use crate::error::{AppError, FieldError};
use crate::requests::{PersonRequest, RecommendRequest};

/// Rounds to 3 decimals, and turns a value that is not a number into `None`.
fn round3(x: f64) -> Option<f64> {
    x.is_finite().then(|| (x * 1000.0).round() / 1000.0 + 0.0)
}

/// [`round3`] for a value that is always a number (0 if it is not).
fn r3(x: f64) -> f64 {
    round3(x).unwrap_or(0.0)
}

/// Rounds a level to 4 decimals (0.9964), where 3 would hide the correction.
fn round4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0 + 0.0
    } else {
        0.0
    }
}

/// Collects the source ids a response cites, to list their full citations once.
#[derive(Debug, Default)]
struct Cited(Vec<String>);

impl Cited {
    fn strings(&mut self, ids: &[String]) -> Vec<String> {
        for id in ids {
            if !self.0.contains(id) {
                self.0.push(id.clone());
            }
        }
        ids.to_vec()
    }

    fn references(&self, k: &Knowledge) -> Vec<SourceDto> {
        self.0
            .iter()
            .filter_map(|id| k.source(id).ok())
            .map(SourceDto::from)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Who the insights are for
// ---------------------------------------------------------------------------------------------

/// The person the insights are worked out for, from a saved profile, with what had to be
/// assumed because the profile does not say it.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The pain type, role and conditions used.
    pub input: PersonInput,
    /// The profile's fields that were missing and assumed: `pain_type`, `role`.
    pub assumed: Vec<&'static str>,
}

impl Person {
    /// The pain type assumed when none is saved: every direction of movement counts.
    pub const DEFAULT_PAIN_TYPE: PainType = PainType::Unclear;
    /// The role assumed when none is saved.
    pub const DEFAULT_ROLE: RoleChoice = RoleChoice::Receptive;

    /// The person a saved profile describes (`None` for each field not saved), with
    /// [`Person::DEFAULT_PAIN_TYPE`] and [`Person::DEFAULT_ROLE`] for what is missing.
    pub fn from_saved(
        pain_type: Option<PainType>,
        role: Option<RoleChoice>,
        conditions: Vec<String>,
    ) -> Person {
        let mut assumed = Vec::new();
        if pain_type.is_none() {
            assumed.push("pain_type");
        }
        if role.is_none() {
            assumed.push("role");
        }
        Person {
            input: PersonInput {
                pain_type: pain_type.unwrap_or(Self::DEFAULT_PAIN_TYPE),
                role: role.unwrap_or(Self::DEFAULT_ROLE),
                pain_now: None,
                conditions,
                pregnancy_weeks: None,
            },
            assumed,
        }
    }

    /// The person the server's saved profile describes ([`Person::from_saved`]); with no
    /// profile saved, both the pain type and the role are assumed.
    pub fn from_profile(profile: Option<&ProfileRecord>) -> Person {
        match profile {
            Some(p) => Person::from_saved(p.pain_type, p.role, p.conditions.clone()),
            None => Person::from_saved(None, None, Vec::new()),
        }
    }

    /// Whether anything was assumed.
    pub fn is_assumed(&self) -> bool {
        !self.assumed.is_empty()
    }

    /// What was assumed, in words, or `None`.
    pub fn note(&self) -> Option<String> {
        let parts: Vec<String> = self
            .assumed
            .iter()
            .map(|field| match *field {
                "pain_type" => format!(
                    "the pain type '{}' (every direction of movement counts)",
                    Self::DEFAULT_PAIN_TYPE.as_str()
                ),
                _ => format!("the role '{}'", Self::DEFAULT_ROLE.as_str()),
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        let missing: Vec<String> = self
            .assumed
            .iter()
            .map(|f| format!("your {}", f.replace('_', " ")))
            .collect();
        Some(format!(
            "No saved profile gives {}, so these insights assume {}. The posture model's \
             expectation for each position depends on them: save a profile to compare your logs \
             with the model's verdict for your own back.",
            missing.join(" or "),
            parts.join(" and ")
        ))
    }
}

/// The plan request a saved profile makes, as the plan page makes it (no pain score, time
/// of day or symptoms: a usual day); a conflict naming what is missing when the profile has
/// no pain type or no role.
///
/// # Errors
///
/// [`AppError::Conflict`] with a field error for each of `pain_type` and `role` not saved.
pub fn plan_request(profile: Option<&ProfileRecord>) -> Result<RecommendRequest, AppError> {
    let missing: Vec<&'static str> = match profile {
        None => vec!["pain_type", "role"],
        Some(p) => [
            ("pain_type", p.pain_type.is_none()),
            ("role", p.role.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, missing)| missing.then_some(field))
        .collect(),
    };
    match profile {
        Some(p) if missing.is_empty() => Ok(RecommendRequest {
            you: PersonRequest {
                pain_type: p.pain_type.map(|t| t.as_str().to_owned()),
                role: p.role.map(|r| r.as_str().to_owned()),
                pain_now: None,
                conditions: p.conditions.clone(),
                pregnancy_weeks: None,
            },
            partner: Some(PersonRequest {
                pain_type: p.partner_pain_type.map(|t| t.as_str().to_owned()),
                role: None,
                pain_now: None,
                conditions: p.partner_conditions.clone(),
                pregnancy_weeks: None,
            }),
            time: None,
            symptoms: Vec::new(),
        }),
        _ => Err(AppError::Conflict {
            detail: format!(
                "save a profile first: {} (PUT /api/v1/profile, or the plan page with \"save\" \
                 ticked)",
                missing.join(", ")
            ),
            errors: missing
                .iter()
                .map(|field| FieldError::new(*field, "is not saved in your profile"))
                .collect(),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Insights
// ---------------------------------------------------------------------------------------------

/// What the journal says about the person's back: `GET /api/v1/journal/insights` and
/// `spinewise journal insights --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InsightsDto {
    /// The day the insights were worked out for; entries dated after it are left out.
    pub today: LocalDate,
    /// These are the person's own data, not medical advice.
    pub disclaimer: String,
    /// The pain type, role and conditions the posture model's expectations are for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonDto>,
    /// `true` when no saved profile gives a pain type or a role and the insights assume pain
    /// type `unclear` and role `receptive` (see `profile_note`).
    pub profile_assumed: bool,
    /// What was assumed and why it matters, when `profile_assumed` is `true`.
    pub profile_note: Option<String>,
    /// How many comparisons this report makes (each position with enough logs, each
    /// preparation step and time of day with enough logs in both groups, frequency, each
    /// daily factor and exercise once they have enough data).
    pub comparisons: usize,
    /// The level of each interval that decides a claim: 1 − 0.05 / `comparisons`
    /// (Bonferroni). Sharing a 5% chance of error among all the comparisons keeps the chance
    /// that the whole report makes any false claim at about 5%, instead of 5% for each one;
    /// the price is wider intervals, so a claim needs clearer data. Rounded to 4 decimals.
    pub level: f64,
    /// Copies of the insights below that claim something, in the same order, so that a
    /// reader sees at a glance what the data show.
    pub claims: Vec<InsightDto>,
    /// One per position the person has logged, in the knowledge base's order.
    pub positions: Vec<InsightDto>,
    /// One per preparation step.
    pub preparation: Vec<InsightDto>,
    /// One per time of day.
    pub time_of_day: Vec<InsightDto>,
    /// Intimacy per week against pain over the following days.
    pub frequency: InsightDto,
    /// Sleep hours, sleep quality, mood and stress against the day's pain.
    pub daily: Vec<InsightDto>,
    /// Days with and without exercise, by the next day's pain.
    pub exercise: InsightDto,
    /// The weekly PEG score's trend.
    pub peg: InsightDto,
    /// Flare-ups found: an ongoing one first, then the most recent first.
    pub flares: Vec<FlareDto>,
    /// How flare-ups are found.
    pub flares_about: AboutDto,
    /// Full citations of every source cited above.
    pub references: Vec<SourceDto>,
}

/// One insight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsightDto {
    /// The kind: `position-tolerance`, `preparation`, `time-of-day`, `frequency`,
    /// `sleep-hours`, `sleep-quality`, `mood`, `stress`, `exercise` or `peg`.
    pub kind: &'static str,
    /// What it is about: a position id, a preparation step, a time of day, or the kind's own
    /// id.
    pub subject: String,
    /// What it is about, in words (a position's name).
    pub label: String,
    /// `claim`, `not-enough-data` or `no-clear-difference`.
    pub status: &'static str,
    /// For a claim: `less-pain` (with it, or with more of it, pain was lower or rose less)
    /// or `more-pain`; otherwise `null`.
    pub direction: Option<&'static str>,
    /// For `not-enough-data`: how much more is needed; otherwise `null`.
    pub needed: Option<NeededDto>,
    /// What it says, in plain, neutral words.
    pub statement: String,
    /// The numbers behind it.
    pub evidence: EvidenceDto,
    /// How it is worked out and what the research says.
    pub about: AboutDto,
}

/// How much more data an insight needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeededDto {
    /// At least this many more.
    pub more: usize,
    /// Of what: `logs` (intimacy logs), `days` (check-ins), `weeks` or `answers` (PEG).
    pub unit: &'static str,
}

/// The explanation behind a kind of insight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AboutDto {
    /// Its id in the knowledge base.
    pub id: String,
    /// A short title.
    pub title: String,
    /// How it is worked out and what the research says.
    pub text: String,
    /// Source ids (full citations in `references`).
    pub sources: Vec<String>,
}

/// A two-sided interval.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct IntervalDto {
    /// The lower bound.
    pub lower: f64,
    /// The upper bound.
    pub upper: f64,
    /// Its level, such as 0.95.
    pub level: f64,
}

impl From<Interval> for IntervalDto {
    fn from(i: Interval) -> Self {
        IntervalDto {
            lower: r3(i.lower),
            upper: r3(i.upper),
            level: round4(i.level),
        }
    }
}

/// One group of a comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    /// How many values.
    pub n: usize,
    /// Their mean (`null` without values).
    pub mean: Option<f64>,
}

/// A score on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatedScoreDto {
    /// The date.
    pub date: LocalDate,
    /// The score, 0 to 10.
    pub score: f64,
}

/// The numbers behind an insight; `type` says which.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EvidenceDto {
    /// A position's chance of a flare-up (pain rising by 2 points or more after a log).
    Tolerance {
        /// The posture model's verdict for the person's own back, which sets the prior.
        verdict: &'static str,
        /// The chance the model expected before any log.
        prior_mean: f64,
        /// The estimated chance after the counted logs (posterior mean).
        estimate: f64,
        /// The 90% credible interval of the chance.
        interval: IntervalDto,
        /// The credible interval at the corrected level, which decides a claim; `null` below
        /// 3 logs.
        decision: Option<IntervalDto>,
        /// Logs counted: the most recent ones with this position, up to 20.
        logs: usize,
        /// Every log with this position.
        all_logs: usize,
        /// Counted logs after which pain rose by 2 points or more.
        flares: usize,
        /// The most recent counted logs in a row without a flare-up.
        clean_streak: usize,
    },
    /// With against without: pain rise after intimacy, or the next day's pain for exercise.
    Difference {
        /// The values with (the step, the time of day, exercise the day before).
        with: GroupDto,
        /// The values without.
        without: GroupDto,
        /// Mean with minus mean without, once both groups have enough values.
        estimate: Option<f64>,
        /// Welch's 95% interval of the difference.
        interval95: Option<IntervalDto>,
        /// Welch's interval at the corrected level, which decides a claim.
        interval: Option<IntervalDto>,
    },
    /// A correlation with pain.
    Correlation {
        /// Pairs: days or weeks.
        n: usize,
        /// The effective number of independent pairs, allowing for day-to-day persistence.
        effective_n: f64,
        /// Pearson's r, once there are enough pairs and both sides vary.
        r: Option<f64>,
        /// Fisher's 95% interval.
        interval95: Option<IntervalDto>,
        /// Fisher's interval at the corrected level, which decides a claim.
        interval: Option<IntervalDto>,
    },
    /// The weekly PEG score's trend (the mean of three 0–10 answers).
    Peg {
        /// Answers so far.
        answers: usize,
        /// The first answer.
        first: Option<DatedScoreDto>,
        /// The latest answer.
        latest: Option<DatedScoreDto>,
        /// The answer from about four weeks before the latest, if any.
        four_weeks_before: Option<DatedScoreDto>,
        /// The latest score minus the first.
        change_from_first: Option<f64>,
        /// The latest score minus the one about four weeks before.
        change_from_four_weeks: Option<f64>,
        /// (mean of the last two − mean of the first two) / mean of the first two; −0.3 or
        /// less is a meaningful improvement.
        relative_change: Option<f64>,
    },
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn signed(x: f64) -> String {
    let s = format!("{x:.1}");
    match s.strip_prefix('-') {
        Some("0.0") => "0.0".to_owned(),
        Some(rest) => format!("\u{2212}{rest}"),
        None if s == "0.0" => s,
        None => format!("+{s}"),
    }
}

fn level_words(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

impl InsightDto {
    /// The evidence in one short line, for a page or a terminal: counts, the estimate and
    /// its 95% (or, for a position, 90%) range, parts separated by " · ".
    pub fn evidence_summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let two = |x: f64| format!("{x:.2}").replace('-', "\u{2212}");
        match &self.evidence {
            EvidenceDto::Tolerance {
                prior_mean,
                estimate,
                interval,
                logs,
                all_logs,
                flares,
                ..
            } => {
                let counted = if all_logs > logs {
                    format!("the last {logs} of {all_logs} logs")
                } else {
                    plural(*logs, "log")
                };
                format!(
                    "A rise of 2 points or more after {flares} of {counted} · estimated chance \
                     {} ({}: {} to {}) · expected from the posture {}",
                    percent(*estimate),
                    level_words(interval.level),
                    percent(interval.lower),
                    percent(interval.upper),
                    percent(*prior_mean),
                )
            }
            EvidenceDto::Difference {
                with,
                without,
                estimate,
                interval95,
                ..
            } => {
                // Exercise compares the next day's pain; the others, how far pain rose.
                let (unit, what, value): (&str, &str, fn(f64) -> String) =
                    if self.kind == "exercise" {
                        ("day", "pain the next day", |x| format!("{x:.1}"))
                    } else {
                        ("log", "rise", signed)
                    };
                let group = |g: &GroupDto| {
                    let mean = g
                        .mean
                        .map_or_else(String::new, |m| format!(", mean {what} {}", value(m)));
                    format!("{}{mean}", plural(g.n, unit))
                };
                let mut s = format!("With: {} · without: {}", group(with), group(without));
                if let (Some(e), Some(i)) = (estimate, interval95) {
                    s.push_str(&format!(
                        " · difference {} (95%: {} to {})",
                        signed(*e),
                        signed(i.lower),
                        signed(i.upper)
                    ));
                }
                s
            }
            EvidenceDto::Correlation {
                n,
                effective_n,
                r,
                interval95,
                ..
            } => {
                let unit = if self.kind == "frequency" {
                    "week"
                } else {
                    "day"
                };
                let mut s = format!("{} (about {effective_n:.0} independent)", plural(*n, unit));
                if let Some(r) = r {
                    s.push_str(&format!(" · r = {}", two(*r)));
                }
                if let Some(i) = interval95 {
                    s.push_str(&format!(" (95%: {} to {})", two(i.lower), two(i.upper)));
                }
                s
            }
            EvidenceDto::Peg {
                answers,
                latest,
                change_from_first,
                relative_change,
                ..
            } => {
                let mut s = plural(*answers, "answer");
                if let Some(l) = latest {
                    s.push_str(&format!(" · latest {:.1} on {}", l.score, l.date));
                }
                if let Some(c) = change_from_first {
                    s.push_str(&format!(" · {} from the first", signed(*c)));
                }
                if let Some(c) = relative_change {
                    let pct = format!("{:+.0}%", c * 100.0).replace('-', "\u{2212}");
                    s.push_str(&format!(" · last two against the first two {pct}"));
                }
                s
            }
        }
    }
}

fn about_dto(about: &InsightText, cited: &mut Cited) -> AboutDto {
    AboutDto {
        id: about.id.clone(),
        title: about.title.clone(),
        text: about.text.clone(),
        sources: cited.strings(&about.sources),
    }
}

/// The id of a unit in JSON.
pub const fn unit_id(unit: Unit) -> &'static str {
    match unit {
        Unit::Logs => "logs",
        Unit::Days => "days",
        Unit::Weeks => "weeks",
        Unit::Answers => "answers",
    }
}

fn tolerance_dto(t: &Tolerance) -> EvidenceDto {
    EvidenceDto::Tolerance {
        verdict: t.verdict.as_str(),
        prior_mean: r3(t.prior_mean()),
        estimate: r3(t.posterior_mean()),
        interval: t.interval.into(),
        decision: t.decision.map(IntervalDto::from),
        logs: t.logs,
        all_logs: t.all_logs,
        flares: t.flares,
        clean_streak: t.clean_streak,
    }
}

fn difference_dto(d: &Difference) -> EvidenceDto {
    let group = |s: &spinewise_domain::journal::stats::Sample| GroupDto {
        n: s.n,
        mean: if s.n == 0 { None } else { round3(s.mean) },
    };
    EvidenceDto::Difference {
        with: group(&d.with),
        without: group(&d.without),
        estimate: d.estimate.and_then(round3),
        interval95: d.interval95.map(IntervalDto::from),
        interval: d.interval.map(IntervalDto::from),
    }
}

fn correlation_dto(c: &Correlation) -> EvidenceDto {
    EvidenceDto::Correlation {
        n: c.n,
        effective_n: r3(c.effective_n),
        r: c.r.and_then(round3),
        interval95: c.interval95.map(IntervalDto::from),
        interval: c.interval.map(IntervalDto::from),
    }
}

fn peg_dto(p: &PegTrend) -> EvidenceDto {
    let dated = |x: Option<(LocalDate, f64)>| {
        x.map(|(date, score)| DatedScoreDto {
            date,
            score: r3(score),
        })
    };
    EvidenceDto::Peg {
        answers: p.answers,
        first: dated(p.first),
        latest: dated(p.latest),
        four_weeks_before: dated(p.four_weeks_before),
        change_from_first: p.change_from_first().and_then(round3),
        change_from_four_weeks: p.change_from_four_weeks().and_then(round3),
        relative_change: p.relative_change.and_then(round3),
    }
}

fn insight_dto(i: &Insight<'_>, cited: &mut Cited) -> InsightDto {
    let (direction, needed) = match i.status {
        Status::Claim(d) => (Some(d.as_str()), None),
        Status::NotEnoughData { more, unit } => (
            None,
            Some(NeededDto {
                more,
                unit: unit_id(unit),
            }),
        ),
        Status::NoClearDifference => (None, None),
    };
    InsightDto {
        kind: i.kind.as_str(),
        subject: i.subject.clone(),
        label: i.label.clone(),
        status: i.status.as_str(),
        direction,
        needed,
        statement: i.statement.clone(),
        evidence: match &i.evidence {
            Evidence::Tolerance(t) => tolerance_dto(t),
            Evidence::Difference(d) => difference_dto(d),
            Evidence::Correlation(c) => correlation_dto(c),
            Evidence::Peg(p) => peg_dto(p),
        },
        about: about_dto(i.about, cited),
    }
}

impl InsightDto {
    /// Whether it claims something.
    pub fn is_claim(&self) -> bool {
        self.status == "claim"
    }

    /// Whether it needs more data.
    pub fn needs_more(&self) -> bool {
        self.needed.is_some()
    }
}

/// A flare-up: days in a row with pain at least 2 points above the usual level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlareDto {
    /// The first day.
    pub start: LocalDate,
    /// The last day, or `null` while it goes on (its last day is today or yesterday).
    pub end: Option<LocalDate>,
    /// Whether it goes on.
    pub ongoing: bool,
    /// The last day with a check-in in it.
    pub last_day: LocalDate,
    /// Days in it so far.
    pub days: usize,
    /// The highest daily pain, 0 to 10.
    pub peak: f64,
    /// The day of the peak.
    pub peak_date: LocalDate,
    /// The usual level it is measured against: the median daily pain over the 28 days before.
    pub baseline: f64,
    /// What it was, and what came before it, in plain words.
    pub statement: String,
    /// What was logged in the 3 days before it. Coming before a flare-up does not make
    /// something its cause.
    pub before: PrecedentsDto,
    /// What to do, for this person's conditions, in the order to show.
    pub advice: Vec<AdviceDto>,
}

/// What the journal holds for the days before a flare-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrecedentsDto {
    /// Intimacy logs.
    pub intimacy: Vec<PrecedingLogDto>,
    /// Exercise sessions.
    pub exercise: Vec<PrecedingExerciseDto>,
    /// Nights shorter than 6 hours.
    pub short_sleep: Vec<ShortSleepDto>,
    /// Days with stress of 4 or 5 out of 5.
    pub high_stress: Vec<HighStressDto>,
}

/// A position, by id and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PositionRefDto {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
}

/// An intimacy log in the days before a flare-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrecedingLogDto {
    /// The entry's id.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// The positions used.
    pub positions: Vec<PositionRefDto>,
    /// How far pain rose, right after or the next morning.
    pub rise: u8,
    /// Whether that was 2 points or more.
    pub flared: bool,
}

/// An exercise session in the days before a flare-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrecedingExerciseDto {
    /// The entry's id.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// What was done.
    pub what: String,
    /// For how long, in minutes.
    pub minutes: u16,
    /// How the back felt afterwards: `better`, `same` or `worse`.
    pub felt: &'static str,
}

/// A short night.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShortSleepDto {
    /// The day after the night.
    pub date: LocalDate,
    /// Hours slept.
    pub hours: f64,
}

/// A stressful day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HighStressDto {
    /// The day.
    pub date: LocalDate,
    /// Stress, 1 to 5.
    pub stress: u8,
}

/// One thing to do in a flare-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviceDto {
    /// Its id in the knowledge base.
    pub id: String,
    /// A short title.
    pub title: String,
    /// The advice.
    pub text: String,
    /// Source ids (full citations in `references`).
    pub sources: Vec<String>,
}

fn precedents_dto(k: &Knowledge, p: &Precedents) -> PrecedentsDto {
    PrecedentsDto {
        intimacy: p
            .intimacy
            .iter()
            .map(|l| PrecedingLogDto {
                id: l.id.clone(),
                at: l.at,
                positions: l
                    .positions
                    .iter()
                    .map(|id| PositionRefDto {
                        id: id.clone(),
                        name: k
                            .position(id)
                            .map_or_else(|_| id.clone(), |p| p.name.clone()),
                    })
                    .collect(),
                rise: l.rise,
                flared: l.flared,
            })
            .collect(),
        exercise: p
            .exercise
            .iter()
            .map(|x| PrecedingExerciseDto {
                id: x.id.clone(),
                at: x.at,
                what: x.what.clone(),
                minutes: x.minutes,
                felt: x.felt.as_str(),
            })
            .collect(),
        short_sleep: p
            .short_sleep
            .iter()
            .map(|(date, hours)| ShortSleepDto {
                date: *date,
                hours: r3(*hours),
            })
            .collect(),
        high_stress: p
            .high_stress
            .iter()
            .map(|(date, s)| HighStressDto {
                date: *date,
                stress: s.value(),
            })
            .collect(),
    }
}

fn flare_dto(k: &Knowledge, f: &Flare<'_>, cited: &mut Cited) -> FlareDto {
    FlareDto {
        start: f.start,
        end: f.end,
        ongoing: f.is_ongoing(),
        last_day: f.last_day,
        days: f.days,
        peak: r3(f.peak),
        peak_date: f.peak_date,
        baseline: r3(f.baseline),
        statement: f.statement.clone(),
        before: precedents_dto(k, &f.before),
        advice: f
            .advice
            .iter()
            .map(|a| AdviceDto {
                id: a.id.to_owned(),
                title: a.title.clone(),
                text: a.text.clone(),
                sources: cited.strings(
                    &a.sources
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect::<Vec<_>>(),
                ),
            })
            .collect(),
    }
}

impl PrecedentsDto {
    /// Whether nothing was logged in the days before.
    pub fn is_empty(&self) -> bool {
        self.intimacy.is_empty()
            && self.exercise.is_empty()
            && self.short_sleep.is_empty()
            && self.high_stress.is_empty()
    }

    /// Each thing logged, as a short line.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in &self.intimacy {
            let names: Vec<&str> = l.positions.iter().map(|p| p.name.as_str()).collect();
            let positions = if names.is_empty() {
                "no position noted".to_owned()
            } else {
                names.join(", then ")
            };
            let outcome = if l.flared {
                format!("pain rose by {} points", l.rise)
            } else {
                "pain did not rise by 2 points or more".to_owned()
            };
            out.push(format!(
                "Intimacy on {} ({positions}): {outcome}.",
                l.at.date()
            ));
        }
        for x in &self.exercise {
            out.push(format!(
                "Exercise on {}: {}, {} minutes, back felt {}.",
                x.at.date(),
                x.what,
                x.minutes,
                x.felt
            ));
        }
        for s in &self.short_sleep {
            out.push(format!(
                "A short night before {}: {:.1} hours.",
                s.date, s.hours
            ));
        }
        for s in &self.high_stress {
            out.push(format!("Stress {}/5 on {}.", s.stress, s.date));
        }
        out
    }
}

impl InsightsDto {
    /// The insights as JSON. The person is not known from [`Insights`]: add it with
    /// [`InsightsDto::for_person`].
    pub fn new(k: &Knowledge, insights: &Insights<'_>) -> InsightsDto {
        let mut cited = Cited::default();
        let mut list = |v: &[Insight<'_>]| -> Vec<InsightDto> {
            v.iter().map(|i| insight_dto(i, &mut cited)).collect()
        };
        let positions = list(&insights.positions);
        let preparation = list(&insights.preparation);
        let time_of_day = list(&insights.time_of_day);
        let frequency = insight_dto(&insights.frequency, &mut cited);
        let daily = insights
            .daily
            .iter()
            .map(|i| insight_dto(i, &mut cited))
            .collect();
        let exercise = insight_dto(&insights.exercise, &mut cited);
        let peg = insight_dto(&insights.peg, &mut cited);
        let flares_about = about_dto(insights.flares_about, &mut cited);
        let flares = insights
            .flares
            .iter()
            .map(|f| flare_dto(k, f, &mut cited))
            .collect();
        let mut dto = InsightsDto {
            today: insights.today,
            disclaimer: insights.disclaimer.to_owned(),
            person: None,
            profile_assumed: false,
            profile_note: None,
            comparisons: insights.comparisons,
            level: round4(insights.level),
            claims: Vec::new(),
            positions,
            preparation,
            time_of_day,
            frequency,
            daily,
            exercise,
            peg,
            flares,
            flares_about,
            references: cited.references(k),
        };
        dto.claims = dto.all().filter(|i| i.is_claim()).cloned().collect();
        dto
    }

    /// Says who the insights are for, and what was assumed.
    #[must_use]
    pub fn for_person(mut self, person: &Person) -> InsightsDto {
        let p = &person.input;
        self.person = Some(PersonDto {
            pain_type: p.pain_type.as_str(),
            role: p.role.as_str(),
            pain_now: None,
            conditions: p.conditions.clone(),
            pregnancy_weeks: p.pregnancy_weeks,
        });
        self.profile_assumed = person.is_assumed();
        self.profile_note = person.note();
        self
    }

    /// Every insight (not the claims' copies): positions, preparation, time of day,
    /// frequency, daily factors, exercise, PEG.
    pub fn all(&self) -> impl Iterator<Item = &InsightDto> {
        self.positions
            .iter()
            .chain(&self.preparation)
            .chain(&self.time_of_day)
            .chain(std::iter::once(&self.frequency))
            .chain(&self.daily)
            .chain(std::iter::once(&self.exercise))
            .chain(std::iter::once(&self.peg))
    }

    /// The groups in the order shown: an id (the field's, with hyphens), a heading and the
    /// insights.
    pub fn groups(&self) -> Vec<(&'static str, &'static str, Vec<&InsightDto>)> {
        vec![
            ("positions", "Positions", self.positions.iter().collect()),
            (
                "preparation",
                "Preparation",
                self.preparation.iter().collect(),
            ),
            (
                "time-of-day",
                "Time of day",
                self.time_of_day.iter().collect(),
            ),
            ("frequency", "How often", vec![&self.frequency]),
            (
                "daily",
                "Sleep, mood and stress",
                self.daily.iter().collect(),
            ),
            ("exercise", "Exercise", vec![&self.exercise]),
            ("peg", "Weekly PEG score", vec![&self.peg]),
        ]
    }

    /// Whether any comparison has enough data to be judged (the PEG trend is not a
    /// comparison). Until one has, `comparisons` and `level` have nothing to say.
    pub fn compares_anything(&self) -> bool {
        self.all().any(|i| i.kind != "peg" && !i.needs_more())
    }

    /// `level` as a percentage in words: "99.8%", "95%".
    pub fn level_words(&self) -> String {
        level_words(self.level)
    }

    /// The flare-up going on today, if any.
    pub fn ongoing_flare(&self) -> Option<&FlareDto> {
        self.flares.first().filter(|f| f.ongoing)
    }

    /// What to log next when nothing is clear yet: the statements of the insights that need
    /// more data, those needing the least first (at most `limit`).
    pub fn to_log_next(&self, limit: usize) -> Vec<&InsightDto> {
        let mut v: Vec<&InsightDto> = self.all().filter(|i| i.needs_more()).collect();
        v.sort_by_key(|i| i.needed.as_ref().map_or(usize::MAX, |n| n.more));
        v.truncate(limit);
        v
    }
}

// ---------------------------------------------------------------------------------------------
// The personal plan
// ---------------------------------------------------------------------------------------------

/// The couple's plan re-ranked by the person's own journal: `GET /api/v1/journal/plan`.
/// Verdicts, triage, tips and notices are the plan's own (see `POST /api/v1/recommend`);
/// only the order of the positions changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalPlanDto {
    /// The red-flag triage, which comes before everything else.
    pub triage: TriageDto,
    /// Whether the triage withholds all other advice (then `positions` is empty).
    pub withholds_advice: bool,
    /// The positions, best first for this person.
    pub positions: Vec<PersonalPositionDto>,
    /// The person's own data, not medical advice.
    pub disclaimer: String,
    /// Full citations of every source cited above.
    pub references: Vec<SourceDto>,
}

/// One position in the personal order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalPositionDto {
    /// The position's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The plan's verdict for the couple, unchanged: `recommended`, `caution` or `avoid`.
    pub verdict: &'static str,
    /// The verdict once the plan's modifications are used.
    pub with_modifications: &'static str,
    /// The verdict group it is ranked with for this person.
    pub tier: &'static str,
    /// Where the posture model alone ranked it (1 is first).
    pub model_rank: usize,
    /// Where it ranks for this person (1 is first).
    pub rank: usize,
    /// `promoted` (ranked with a better verdict's positions), `unchanged` or `demoted`.
    pub change: &'static str,
    /// Why it is where it is, for a position the person has logged.
    pub note: Option<String>,
    /// What the person's logs with it show, if they have logged it.
    pub tolerance: Option<ToleranceSummaryDto>,
}

/// A position's flare-up record, in short.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ToleranceSummaryDto {
    /// Logs counted (the most recent, up to 20).
    pub logs: usize,
    /// Every log with the position.
    pub all_logs: usize,
    /// Counted logs after which pain rose by 2 points or more.
    pub flares: usize,
    /// The estimated chance of that (posterior mean).
    pub estimate: f64,
    /// The chance the posture model expected before any log.
    pub prior: f64,
}

impl PersonalPlanDto {
    /// The personal plan as JSON.
    pub fn new(k: &Knowledge, plan: &PersonalPlan<'_, '_>) -> PersonalPlanDto {
        let check = CheckDto::new(k, plan.triage());
        let positions = plan
            .positions
            .iter()
            .enumerate()
            .map(|(i, p)| PersonalPositionDto {
                id: p.plan.position.id.clone(),
                name: p.plan.position.name.clone(),
                verdict: p.plan.verdict.as_str(),
                with_modifications: p.plan.with_modifications.as_str(),
                tier: p.tier.as_str(),
                model_rank: p.model_rank + 1,
                rank: i + 1,
                change: p.change.as_str(),
                note: p.note.clone(),
                tolerance: p.tolerance.map(|t| ToleranceSummaryDto {
                    logs: t.logs,
                    all_logs: t.all_logs,
                    flares: t.flares,
                    estimate: r3(t.posterior_mean()),
                    prior: r3(t.prior_mean()),
                }),
            })
            .collect();
        PersonalPlanDto {
            triage: check.triage,
            withholds_advice: plan.withholds_advice(),
            positions,
            disclaimer: k.journal.disclaimer.clone(),
            references: check.references,
        }
    }
}

#[cfg(test)]
mod tests {
    use spinewise_domain::journal::Journal;
    use spinewise_domain::journal::demo::{demo_journal, demo_profile};
    use spinewise_domain::journal::insights::insights;
    use spinewise_domain::journal::personal::personalise;
    use spinewise_domain::recommend::{self, PlanRequest};
    use time::macros::date;

    use super::*;

    const TODAY: LocalDate = LocalDate(date!(2026 - 06 - 15));

    fn demo() -> (&'static Knowledge, Journal) {
        let k = Knowledge::bundled().expect("the bundled knowledge loads");
        let journal = Journal::new(demo_journal(k, TODAY, 365, 7));
        (k, journal)
    }

    /// Every number in a JSON value, with its path.
    fn numbers(v: &serde_json::Value, path: &str, out: &mut Vec<(String, f64)>) {
        match v {
            serde_json::Value::Number(n) => out.push((path.to_owned(), n.as_f64().unwrap_or(0.0))),
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    numbers(x, &format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(o) => {
                for (key, x) in o {
                    numbers(x, &format!("{path}.{key}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn a_demo_journal_has_claims_and_well_formed_json() {
        let (k, journal) = demo();
        let person = Person::from_saved(
            Some(demo_profile().pain_type),
            Some(demo_profile().role),
            vec![],
        );
        let found = insights(k, &journal, &person.input, TODAY).expect("insights");
        let dto = InsightsDto::new(k, &found).for_person(&person);
        assert!(!dto.claims.is_empty(), "the demo journal shows something");
        assert_eq!(dto.claims.len(), found.claims().count());
        assert!(!dto.profile_assumed);
        assert_eq!(dto.profile_note, None);

        let json = serde_json::to_value(&dto).expect("serialises");
        assert_eq!(json["today"], "2026-06-15");
        assert_eq!(json["person"]["pain_type"], "flexion");
        for claim in json["claims"].as_array().expect("claims") {
            assert_eq!(claim["status"], "claim");
            assert!(
                claim["direction"] == "less-pain" || claim["direction"] == "more-pain",
                "{claim}"
            );
            assert!(claim["needed"].is_null());
        }
        let all: Vec<&serde_json::Value> = ["positions", "preparation", "time_of_day", "daily"]
            .iter()
            .flat_map(|g| json[*g].as_array().expect("a group").iter())
            .chain(["frequency", "exercise", "peg"].iter().map(|g| &json[*g]))
            .collect();
        for i in &all {
            let status = i["status"].as_str().expect("status");
            assert!(
                ["claim", "not-enough-data", "no-clear-difference"].contains(&status),
                "{status}"
            );
            assert_eq!(i["needed"].is_null(), status != "not-enough-data", "{i}");
            assert_eq!(i["direction"].is_null(), status != "claim", "{i}");
            assert!(!i["about"]["text"].as_str().unwrap_or_default().is_empty());
        }
        let types: Vec<&str> = all
            .iter()
            .map(|i| i["evidence"]["type"].as_str().expect("evidence type"))
            .collect();
        for t in ["tolerance", "difference", "correlation", "peg"] {
            assert!(types.contains(&t), "{t} in {types:?}");
        }
        assert!(json["positions"][0]["evidence"]["interval"]["level"] == 0.9);
        assert!(json["references"].as_array().is_some_and(|r| !r.is_empty()));

        let mut nums = Vec::new();
        numbers(&json, "", &mut nums);
        for (path, x) in nums {
            let scaled = x * 10_000.0;
            assert!(
                (scaled - scaled.round()).abs() < 1e-6,
                "{path} = {x} is not rounded"
            );
            if !path.ends_with(".level") {
                let scaled = x * 1000.0;
                assert!(
                    (scaled - scaled.round()).abs() < 1e-6,
                    "{path} = {x} has more than 3 decimals"
                );
            }
        }
        // The same journal gives the same bytes.
        let again = InsightsDto::new(k, &found).for_person(&person);
        assert_eq!(
            serde_json::to_string(&dto).ok(),
            serde_json::to_string(&again).ok()
        );
    }

    #[test]
    fn an_empty_journal_needs_more_data_everywhere() {
        let k = Knowledge::bundled().expect("knowledge");
        let person = Person::from_saved(None, None, vec![]);
        let found = insights(k, &Journal::default(), &person.input, TODAY).expect("insights");
        let dto = InsightsDto::new(k, &found).for_person(&person);
        assert!(dto.claims.is_empty());
        assert!(dto.positions.is_empty());
        assert!(!dto.compares_anything());
        assert_eq!(dto.level_words(), "95%");
        assert!(dto.profile_assumed);
        let note = dto.profile_note.as_deref().unwrap_or_default();
        assert!(
            note.contains("'unclear'") && note.contains("'receptive'"),
            "{note}"
        );
        assert_eq!(dto.person.as_ref().map(|p| p.pain_type), Some("unclear"));
        let next = dto.to_log_next(3);
        assert_eq!(next.len(), 3);
        let json = serde_json::to_value(&dto).expect("serialises");
        assert_eq!(json["frequency"]["status"], "not-enough-data");
        assert_eq!(json["frequency"]["needed"]["unit"], "weeks");
        assert_eq!(json["peg"]["needed"]["unit"], "answers");
        assert!(json["exercise"]["evidence"]["with"]["mean"].is_null());
        assert_eq!(json["flares"], serde_json::json!([]));
    }

    #[test]
    fn a_partial_profile_names_what_was_assumed() {
        let p = Person::from_saved(Some(PainType::Flexion), None, vec![]);
        assert_eq!(p.assumed, ["role"]);
        let note = p.note().unwrap_or_default();
        assert!(
            note.starts_with("No saved profile gives your role,"),
            "{note}"
        );
        assert!(!note.contains("unclear"));
        assert_eq!(p.input.role, RoleChoice::Receptive);
    }

    #[test]
    fn a_plan_needs_a_saved_pain_type_and_role() {
        let k = Knowledge::bundled().expect("knowledge");
        let fields = |r: Result<RecommendRequest, AppError>| match r {
            Err(AppError::Conflict { detail, errors }) => {
                assert!(detail.starts_with("save a profile first: "), "{detail}");
                errors.into_iter().map(|e| e.field).collect::<Vec<_>>()
            }
            other => panic!("not a conflict: {other:?}"),
        };
        assert_eq!(fields(plan_request(None)), ["pain_type", "role"]);
        let mut saved = ProfileRecord {
            pain_type: Some(PainType::Flexion),
            ..ProfileRecord::default()
        };
        assert_eq!(fields(plan_request(Some(&saved))), ["role"]);
        saved.role = Some(RoleChoice::Insertive);
        saved.conditions = vec!["disc-problem".to_owned()];
        let request = plan_request(Some(&saved))
            .expect("a full profile")
            .validate(k)
            .expect("valid");
        assert_eq!(request.you.role, RoleChoice::Insertive);
        assert_eq!(request.you.conditions, ["disc-problem"]);
        assert_eq!(request.partner.role, RoleChoice::Receptive);
        assert_eq!(request.partner.pain_type, PainType::None);
        assert_eq!(Person::from_profile(Some(&saved)).input, request.you);
        assert!(Person::from_profile(None).is_assumed());
    }

    #[test]
    fn the_personal_plan_keeps_verdicts_and_ranks_from_one() {
        let (k, journal) = demo();
        let you = demo_profile();
        let found = insights(k, &journal, &you, TODAY).expect("insights");
        let plan = recommend::recommend(k, &PlanRequest::new(you)).expect("plan");
        let personal = personalise(&plan, &found);
        let dto = PersonalPlanDto::new(k, &personal);
        assert!(!dto.withholds_advice);
        assert_eq!(dto.triage.level, "none");
        assert_eq!(dto.positions.len(), plan.positions.len());
        assert_eq!(dto.positions[0].rank, 1);
        let mut model: Vec<usize> = dto.positions.iter().map(|p| p.model_rank).collect();
        model.sort_unstable();
        assert_eq!(model, (1..=plan.positions.len()).collect::<Vec<_>>());
        for p in &dto.positions {
            let judged = plan
                .positions
                .iter()
                .find(|q| q.position.id == p.id)
                .expect("the same positions");
            assert_eq!(p.verdict, judged.verdict.as_str());
            assert!(["promoted", "unchanged", "demoted"].contains(&p.change));
            assert_eq!(p.note.is_some(), p.tolerance.is_some());
        }
        assert!(dto.positions.iter().any(|p| p.tolerance.is_some()));
        let json = serde_json::to_value(&dto).expect("serialises");
        assert!(json["positions"][0]["tier"].is_string());
    }

    #[test]
    fn evidence_summaries_are_short_lines() {
        let (k, journal) = demo();
        let person =
            Person::from_saved(Some(PainType::Flexion), Some(RoleChoice::Receptive), vec![]);
        let found = insights(k, &journal, &person.input, TODAY).expect("insights");
        let dto = InsightsDto::new(k, &found);
        for i in dto.all() {
            let s = i.evidence_summary();
            assert!(!s.is_empty() && !s.contains("NaN"), "{s}");
        }
        let tolerance = dto.positions[0].evidence_summary();
        let exercise = dto.exercise.evidence_summary();
        assert!(exercise.starts_with("With: "), "{exercise}");
        assert!(
            exercise.contains(" days, mean pain the next day "),
            "{exercise}"
        );
        let bath = dto.preparation[0].evidence_summary();
        assert!(bath.contains(" logs, mean rise "), "{bath}");
        assert!(
            tolerance.starts_with("A rise of 2 points or more after "),
            "{tolerance}"
        );
        assert!(tolerance.contains(" (90%: "), "{tolerance}");
    }
}
