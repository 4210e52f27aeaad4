//! Flare-ups as JSON: when each began and ended, its peak, what was logged in the days
//! before it, and what to do.

use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::flares::{Flare, Precedents};
use spinewise_domain::journal::{EntryId, LocalDate, LocalDateTime};
use utoipa::ToSchema;

use super::cited::Cited;
use super::round::r3;

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

pub(super) fn flare_dto(k: &Knowledge, f: &Flare<'_>, cited: &mut Cited) -> FlareDto {
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
