//! The personal plan as JSON: `GET /api/v1/journal/plan`, the couple's plan re-ranked by the
//! person's own journal.

use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::personal::PersonalPlan;
use utoipa::ToSchema;

use super::round::r3;
use crate::dto::{CheckDto, SourceDto, TriageDto};

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
