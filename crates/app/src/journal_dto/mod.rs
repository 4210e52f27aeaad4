//! The JSON shapes of the journal's insights and of the personal plan, shared by
//! `GET /api/v1/journal/insights` and `/journal/plan`, the insights page and
//! `spinewise journal insights --json`, and of the one-page clinical summary
//! (`GET /api/v1/journal/summary`, `spinewise journal summary --json`).
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

mod cited;
mod evidence;
mod flares;
mod insights;
mod person;
mod plan;
mod round;
mod summary;

#[cfg(test)]
mod tests;

pub use evidence::{DatedScoreDto, EvidenceDto, GroupDto, IntervalDto};
pub use flares::{
    AdviceDto, FlareDto, HighStressDto, PositionRefDto, PrecedentsDto, PrecedingExerciseDto,
    PrecedingLogDto, ShortSleepDto,
};
pub use insights::{AboutDto, InsightDto, InsightsDto, NeededDto, unit_id};
pub use person::{Person, plan_request};
pub use plan::{PersonalPlanDto, PersonalPositionDto, ToleranceSummaryDto};
pub use summary::{
    ClinicalSummaryDto, SummaryConditionDto, SummaryExerciseDto, SummaryFlareDto,
    SummaryPainTypeDto, SummaryPegDto, SummaryRedFlagDto, SummaryWeekDto, pain_type_line,
    red_flag_headline, red_flag_lines,
};
