//! The JSON shapes of sharing with a clinician: what a person asks for
//! (`POST /api/v1/shares`), what they are told once (the link), their list with its access
//! log, and what the clinician's link shows (`GET /api/v1/shared/{secret}`).
//!
//! What the clinician sees is built at sharing time from the same DTOs as the person's own
//! pages — the plan's [`PlanDto`], the [`ClinicalSummaryDto`] — and kept sealed; it is a
//! snapshot, so these shapes are read back as well as written.

use serde::{Deserialize, Serialize};
use spinewise_domain::journal::LocalDate;
use utoipa::ToSchema;

use crate::dto::PlanDto;
use crate::journal_dto::{
    ClinicalSummaryDto, SummaryConditionDto, SummaryExerciseDto, SummaryFlareDto,
    SummaryPainTypeDto, SummaryPegDto, SummaryRedFlagDto,
};

/// A part a share can include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SharePart {
    /// The plan from the saved profile: the positions and their verdicts.
    Plan,
    /// The pain type, the PEG trend, flare-ups, red flags noted and conditions.
    Summary,
    /// Exercise sessions per week.
    Adherence,
    /// The journal as an HL7 FHIR R4 bundle, to download.
    Fhir,
}

impl SharePart {
    /// Every part, in the order a page lists them.
    pub const ALL: [SharePart; 4] = [
        SharePart::Plan,
        SharePart::Summary,
        SharePart::Adherence,
        SharePart::Fhir,
    ];

    /// The part's id, as the API and the forms write it.
    pub fn as_str(self) -> &'static str {
        match self {
            SharePart::Plan => "plan",
            SharePart::Summary => "summary",
            SharePart::Adherence => "adherence",
            SharePart::Fhir => "fhir",
        }
    }

    /// The part in words, for a page.
    pub fn label(self) -> &'static str {
        match self {
            SharePart::Plan => "Plan summary: the positions and their verdicts",
            SharePart::Summary => "Pain and PEG trend, flare-ups, red flags and conditions",
            SharePart::Adherence => "Exercise sessions per week",
            SharePart::Fhir => "The journal as a FHIR R4 bundle to download",
        }
    }

    /// The part named `id`, if there is one.
    pub fn parse(id: &str) -> Option<SharePart> {
        SharePart::ALL.into_iter().find(|p| p.as_str() == id)
    }
}

/// A new share: `POST /api/v1/shares`.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    /// What the share includes, at least one: `plan`, `summary`, `adherence`, `fhir`.
    #[schema(value_type = Vec<SharePart>, min_items = 1)]
    pub parts: Vec<String>,
    /// For how many days the link opens, 1–30; 7 when left out.
    #[serde(
        default,
        deserialize_with = "spinewise_domain::whole_number::read_optional"
    )]
    #[schema(minimum = 1, maximum = 30)]
    pub days: Option<i64>,
    /// A PIN of 4–8 digits the clinician must give as well; none when left out or empty.
    #[serde(default)]
    #[schema(pattern = r"^([0-9]{4,8})?$")]
    pub pin: Option<String>,
}

/// A share just made: the link, shown this once (only a hash of its secret is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShareDto {
    /// The share's id, for revoking it.
    pub id: String,
    /// The link's secret: whoever holds it (and the PIN, if any) can open the share.
    pub secret: String,
    /// The page the clinician opens, on this server.
    pub url: String,
    /// When the link stops opening (RFC 3339, UTC).
    pub expires_at: String,
    /// Whether opening it needs the PIN.
    pub has_pin: bool,
}

/// One of the person's shares, with its access log: `GET /api/v1/shares`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareDto {
    /// The share's id.
    pub id: String,
    /// `active`, `expired` or `revoked`.
    pub status: &'static str,
    /// Whether opening it needs a PIN.
    pub has_pin: bool,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// When it stops (or stopped) opening (RFC 3339, UTC).
    pub expires_at: String,
    /// When it was revoked (RFC 3339, UTC), if it was.
    pub revoked_at: Option<String>,
    /// How many times it was opened.
    pub times_opened: usize,
    /// When it was opened (RFC 3339, UTC), the most recent first; at most the last 50.
    pub openings: Vec<String>,
}

/// What a clinician's link shows: `GET /api/v1/shared/{secret}`. Only the parts the person
/// chose are present; the others are `null`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedDto {
    /// The parts the person chose.
    pub parts: Vec<SharePart>,
    /// The day it was shared; the summary is the journal up to that day.
    pub shared_on: LocalDate,
    /// When the link stops opening (RFC 3339, UTC).
    #[serde(default)]
    pub expires_at: String,
    /// Shared by the patient: their own records, for education, not a diagnosis.
    pub disclaimer: String,
    /// The plan from the person's saved profile.
    pub plan: Option<SharedPlanDto>,
    /// The pain type, PEG trend, flare-ups, red flags and conditions.
    pub summary: Option<SharedSummaryDto>,
    /// Exercise sessions per week.
    pub adherence: Option<SummaryExerciseDto>,
    /// Whether the FHIR R4 bundle can be downloaded (`GET /api/v1/shared/{secret}/fhir`).
    pub fhir: bool,
}

/// The plan, as much of it as a clinician needs: who it is for and each position's verdict.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedPlanDto {
    /// The person's pain type, in words, and their role.
    pub you: String,
    /// The partner's pain type, in words, and their role.
    pub partner: String,
    /// The red-flag level the plan was worked out with: `none`, `soon`, `urgent` or
    /// `emergency`; at `urgent` and above no positions are given.
    pub triage_level: String,
    /// What that level asks, in words.
    pub triage_headline: String,
    /// The positions, best first for both backs.
    pub positions: Vec<SharedPositionDto>,
}

/// A position's verdict for the couple.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedPositionDto {
    /// The position's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `recommended`, `caution` or `avoid`.
    pub verdict: String,
    /// The verdict with the plan's modifications.
    pub with_modifications: String,
}

/// The clinical summary without its exercise part (which is [`SharePart::Adherence`]).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedSummaryDto {
    /// The pain type from the latest self-assessment; `null` without one.
    pub pain_type: Option<SummaryPainTypeDto>,
    /// The weekly PEG score.
    pub peg: SummaryPegDto,
    /// Flare-ups: an ongoing one first, then the most recent first.
    pub flares: Vec<SummaryFlareDto>,
    /// The red flags the journal holds, most recent first.
    pub red_flags: Vec<SummaryRedFlagDto>,
    /// Their level: `none`, `soon`, `urgent` or `emergency`.
    pub red_flag_level: String,
    /// The person's conditions.
    pub conditions: Vec<SummaryConditionDto>,
}

impl SharedSummaryDto {
    /// The summary's parts but exercise, which is shared on its own.
    pub fn from_summary(s: ClinicalSummaryDto) -> (SharedSummaryDto, SummaryExerciseDto) {
        (
            SharedSummaryDto {
                pain_type: s.pain_type,
                peg: s.peg,
                flares: s.flares,
                red_flags: s.red_flags,
                red_flag_level: s.red_flag_level,
                conditions: s.conditions,
            },
            s.exercise,
        )
    }
}

impl SharedPlanDto {
    /// The shared part of a plan.
    pub fn from_plan(plan: &PlanDto, you: String, partner: String) -> SharedPlanDto {
        SharedPlanDto {
            you,
            partner,
            triage_level: plan.triage.level.to_owned(),
            triage_headline: plan.triage.headline.clone(),
            positions: plan
                .positions
                .iter()
                .map(|p| SharedPositionDto {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    verdict: p.verdict.to_owned(),
                    with_modifications: p.with_modifications.to_owned(),
                })
                .collect(),
        }
    }
}
