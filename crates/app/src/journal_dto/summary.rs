//! The one-page clinical summary as JSON: `GET /api/v1/journal/summary` and
//! `spinewise journal summary --json`, built field by field from the domain's
//! [`ClinicalSummary`].

use serde::{Deserialize, Serialize};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::journal::summary::ClinicalSummary;
use spinewise_domain::safety::Reported;
use utoipa::ToSchema;

use super::evidence::DatedScoreDto;
use super::round::{r3, round3};

/// The one-page clinical summary of the journal: `GET /api/v1/journal/summary` and
/// `spinewise journal summary --json`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClinicalSummaryDto {
    /// The day it was worked out for; entries dated after it are left out.
    pub today: LocalDate,
    /// The person's own records, for education: not a diagnosis.
    pub disclaimer: String,
    /// The pain type from the latest self-assessment that found one; `null` without one.
    pub pain_type: Option<SummaryPainTypeDto>,
    /// The weekly PEG score (pain, enjoyment of life, general activity; 0–10).
    pub peg: SummaryPegDto,
    /// Flare-ups: an ongoing one first, then the most recent first.
    pub flares: Vec<SummaryFlareDto>,
    /// Exercise sessions logged in each of the last weeks.
    pub exercise: SummaryExerciseDto,
    /// The red flags the journal still holds, most recent first.
    pub red_flags: Vec<SummaryRedFlagDto>,
    /// The red-flag level the safety policy gives those red flags with the person's
    /// conditions: `none`, `soon`, `urgent` or `emergency`.
    pub red_flag_level: String,
    /// The person's conditions, from the saved profile.
    pub conditions: Vec<SummaryConditionDto>,
}

/// The pain type from a self-assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryPainTypeDto {
    /// The day of the assessment.
    pub date: LocalDate,
    /// The pain type's id: `flexion`, `extension`, `motion`, `none` or `unclear`.
    pub pain_type: String,
    /// The pain type's name.
    pub name: String,
    /// How sure the assessment was, 0–1 (3 decimals); `null` when its answers no longer
    /// score.
    pub confidence: Option<f64>,
    /// How sure, in a word: `low`, `moderate` or `high`; `null` as for `confidence`.
    pub confidence_label: Option<String>,
}

/// The weekly PEG score: first, latest and the change against the meaningful-change
/// threshold.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryPegDto {
    /// Answers so far.
    pub answers: usize,
    /// The first answer.
    pub first: Option<DatedScoreDto>,
    /// The latest answer.
    pub latest: Option<DatedScoreDto>,
    /// The latest score minus the first.
    pub change_from_first: Option<f64>,
    /// (mean of the last two answers − mean of the first two) / mean of the first two.
    pub relative_change: Option<f64>,
    /// The fall, as a share of the starting score, generally counted as a meaningful
    /// improvement (0.3).
    pub threshold: f64,
    /// Whether there are enough answers (4 over 4 weeks) to speak of a trend.
    pub enough_answers: bool,
    /// Whether `relative_change` is a fall of at least `threshold` (only with enough
    /// answers).
    pub meaningful_improvement: bool,
}

/// A flare-up's dates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryFlareDto {
    /// The first day.
    pub start: LocalDate,
    /// The last day; `null` while it is ongoing.
    pub end: Option<LocalDate>,
    /// How many days so far.
    pub days: usize,
    /// The highest daily pain, 0–10.
    pub peak: f64,
}

/// Exercise sessions per week.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryExerciseDto {
    /// The mean number of sessions per week over `weeks` (3 decimals).
    pub sessions_per_week: f64,
    /// The last weeks, oldest first, the latest ending on `today`.
    pub weeks: Vec<SummaryWeekDto>,
}

/// One week's exercise.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryWeekDto {
    /// The week's first day.
    pub start: LocalDate,
    /// The week's last day.
    pub end: LocalDate,
    /// Sessions logged.
    pub sessions: usize,
    /// Minutes logged.
    pub minutes: u32,
}

/// A red flag noted in the journal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryRedFlagDto {
    /// The symptom's id.
    pub symptom: String,
    /// The symptom's name.
    pub name: String,
    /// How soon the symptom alone needs a clinician.
    pub level: String,
    /// Where it was reported: `logged` (a journal log) or `assessed` (a self-assessment).
    pub source: String,
    /// The day it was reported.
    pub date: LocalDate,
}

/// A condition.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryConditionDto {
    /// The condition's id.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl ClinicalSummaryDto {
    /// The summary as JSON, every number rounded to 3 decimals.
    pub fn new(knowledge: &Knowledge, s: &ClinicalSummary<'_>) -> ClinicalSummaryDto {
        let dated = |x: Option<(LocalDate, f64)>| {
            x.map(|(date, score)| DatedScoreDto {
                date,
                score: r3(score),
            })
        };
        let trend = &s.peg.trend;
        ClinicalSummaryDto {
            today: s.today,
            disclaimer: s.disclaimer.to_owned(),
            pain_type: s.pain_type.map(|p| SummaryPainTypeDto {
                date: p.date,
                pain_type: p.pain_type.as_str().to_owned(),
                name: knowledge
                    .pain_type(p.pain_type)
                    .map_or_else(|| p.pain_type.as_str().to_owned(), |i| i.name.clone()),
                confidence: p.confidence.and_then(round3),
                confidence_label: p.confidence_label.map(|l| l.as_str().to_owned()),
            }),
            peg: SummaryPegDto {
                answers: trend.answers,
                first: dated(trend.first),
                latest: dated(trend.latest),
                change_from_first: trend.change_from_first().and_then(round3),
                relative_change: trend.relative_change.and_then(round3),
                threshold: r3(s.peg.threshold),
                enough_answers: s.peg.enough,
                meaningful_improvement: s.peg.meaningful,
            },
            flares: s
                .flares
                .iter()
                .map(|f| SummaryFlareDto {
                    start: f.start,
                    end: f.end,
                    days: f.days,
                    peak: r3(f.peak),
                })
                .collect(),
            exercise: SummaryExerciseDto {
                sessions_per_week: r3(s.sessions_per_week()),
                weeks: s
                    .exercise
                    .iter()
                    .map(|w| SummaryWeekDto {
                        start: w.start,
                        end: w.end,
                        sessions: w.sessions,
                        minutes: w.minutes,
                    })
                    .collect(),
            },
            red_flags: s
                .red_flags
                .iter()
                .map(|f| SummaryRedFlagDto {
                    symptom: f.symptom.id.clone(),
                    name: f.symptom.name.clone(),
                    level: f.symptom.level.as_str().to_owned(),
                    source: match f.reported {
                        Reported::Logged(_) => "logged",
                        Reported::Assessed(_) => "assessed",
                    }
                    .to_owned(),
                    date: f.reported.date(),
                })
                .collect(),
            red_flag_level: s.red_flag_level.as_str().to_owned(),
            conditions: s
                .conditions
                .iter()
                .map(|c| SummaryConditionDto {
                    id: c.id.clone(),
                    name: c.name.clone(),
                })
                .collect(),
        }
    }
}

/// A number with one decimal, never "-0.0".
fn one(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".to_owned() } else { s }
}

impl ClinicalSummaryDto {
    /// The pain type in a line, for the page and the terminal.
    pub fn pain_type_line(&self) -> String {
        pain_type_line(self.pain_type.as_ref())
    }

    /// The knowledge base's headline for the red-flag level ("See a doctor today or
    /// tomorrow"), or `None` when no red flag is noted.
    pub fn red_flag_headline(&self, knowledge: &Knowledge) -> Option<String> {
        red_flag_headline(knowledge, &self.red_flag_level)
    }

    /// The red flags noted, each in a line.
    pub fn red_flag_lines(&self) -> Vec<String> {
        red_flag_lines(&self.red_flags)
    }
}

/// The pain type of a summary in a line, for the page and the terminal.
pub fn pain_type_line(pain_type: Option<&SummaryPainTypeDto>) -> String {
    let Some(p) = pain_type else {
        return "No self-assessment in the journal.".to_owned();
    };
    let confidence = match (p.confidence_label.as_deref(), p.confidence) {
        (Some(label), Some(c)) => format!(" ({label} confidence, {:.0}%)", c * 100.0),
        _ => String::new(),
    };
    format!("{}{confidence}, self-assessment of {}.", p.name, p.date)
}

/// The knowledge base's headline for a red-flag level ("See a doctor today or tomorrow"), or
/// `None` for `none`.
pub fn red_flag_headline(knowledge: &Knowledge, level: &str) -> Option<String> {
    (level != "none").then(|| {
        level
            .parse()
            .ok()
            .and_then(|l| knowledge.level(l))
            .map_or_else(|| level.to_owned(), |i| i.headline.clone())
    })
}

/// Red flags noted, each in a line.
pub fn red_flag_lines(red_flags: &[SummaryRedFlagDto]) -> Vec<String> {
    red_flags
        .iter()
        .map(|f| {
            let source = if f.source == "logged" {
                "logged"
            } else {
                "in a self-assessment"
            };
            format!("{}: {source} on {}", f.name, f.date)
        })
        .collect()
}

impl SummaryPegDto {
    /// The first and latest scores and the change, in a line.
    pub fn scores_line(&self) -> String {
        match (&self.first, &self.latest) {
            (Some(first), Some(latest)) => {
                let change = latest.score - first.score;
                let sign = if change > 0.0 { "+" } else { "" };
                format!(
                    "First {}/10 ({}), latest {}/10 ({}), change {sign}{}; {} answers.",
                    one(first.score),
                    first.date,
                    one(latest.score),
                    latest.date,
                    one(change),
                    self.answers
                )
            }
            _ => "No PEG answers.".to_owned(),
        }
    }

    /// The trend against the meaningful-change threshold, in a line.
    pub fn trend_line(&self) -> String {
        let threshold = format!("{:.0}%", self.threshold * 100.0);
        if !self.enough_answers {
            return format!(
                "Not enough answers for a trend ({} so far; a trend needs 4 over 4 weeks).",
                self.answers
            );
        }
        match self.relative_change {
            Some(c) if self.meaningful_improvement => format!(
                "The last two answers average {:.0}% below the first two: at or beyond the \
                 {threshold} fall generally counted as a meaningful improvement.",
                -c * 100.0
            ),
            Some(c) if c < 0.0 => format!(
                "The last two answers average {:.0}% below the first two: less than the \
                 {threshold} fall generally counted as a meaningful improvement.",
                -c * 100.0
            ),
            Some(c) => format!(
                "The last two answers average {:.0}% above the first two (a {threshold} fall \
                 is generally counted as a meaningful improvement).",
                c * 100.0
            ),
            None => format!(
                "No change can be worked out from a first score of 0 (threshold {threshold})."
            ),
        }
    }
}

impl SummaryFlareDto {
    /// The flare-up's dates, length and peak, in a line.
    pub fn line(&self) -> String {
        match self.end {
            Some(end) => format!(
                "{} to {} ({} days, peak {}/10)",
                self.start,
                end,
                self.days,
                one(self.peak)
            ),
            None => format!(
                "Since {}, ongoing ({} days so far, peak {}/10)",
                self.start,
                self.days,
                one(self.peak)
            ),
        }
    }
}
