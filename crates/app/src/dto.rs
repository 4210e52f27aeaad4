//! The JSON shapes spinewise prints with `--json` (and that the web API will serve): plain
//! serialisable structs, built from the domain's results at this boundary so that the domain
//! types stay free to change.
//!
//! The shapes of `recommend` and `check` are a documented contract (README): fields may be
//! added, never renamed or removed.

use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{Assessment, SCORED, Unclear};
use spinewise_domain::knowledge::{FaqEntry, Position, RoleProfile, Source, Tip};
use spinewise_domain::posture::{AppliedModification, PersonVerdict};
use spinewise_domain::program::Program;
use spinewise_domain::recommend::{Plan, PlanRequest, PositionPlan, TipAdvice};
use spinewise_domain::safety::{Circumstances, Noted, RedFlags};
use spinewise_domain::triage::Triage;
use spinewise_domain::vocab::{Dimension, Phase, Restriction};
use utoipa::ToSchema;

use crate::program_dto::ProgramPlanDto;

/// Collects the source ids a response cites, to list their full citations once.
#[derive(Debug, Default)]
pub(crate) struct Cited(Vec<String>);

impl Cited {
    /// Notes `id` as cited, once.
    pub(crate) fn note(&mut self, id: &str) {
        if !self.0.iter().any(|c| c == id) {
            self.0.push(id.to_owned());
        }
    }

    /// The ids cited, in the order first cited.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    fn ids<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        ids.into_iter()
            .map(|id| {
                if !self.0.iter().any(|c| c == id) {
                    self.0.push(id.to_owned());
                }
                id.to_owned()
            })
            .collect()
    }

    fn strings(&mut self, ids: &[String]) -> Vec<String> {
        self.ids(ids.iter().map(String::as_str))
    }

    fn references(self, knowledge: &Knowledge) -> Vec<SourceDto> {
        self.0
            .iter()
            .filter_map(|id| knowledge.source(id).ok())
            .map(SourceDto::from)
            .collect()
    }
}

/// A full citation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceDto {
    pub id: String,
    pub kind: &'static str,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub note: String,
}

impl From<&Source> for SourceDto {
    fn from(s: &Source) -> Self {
        SourceDto {
            id: s.id.clone(),
            kind: s.kind.as_str(),
            citation: s.citation(),
            url: s
                .url
                .clone()
                .or_else(|| s.doi.as_ref().map(|d| format!("https://doi.org/{d}"))),
            note: s.note.clone(),
        }
    }
}

/// `spinewise recommend --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub positions: Vec<PositionPlanDto>,
    pub tips: TipsDto,
    pub triage: TriageDto,
    pub notices: Vec<NoticeDto>,
    pub disclaimer: String,
    /// The couple the plan is for, as understood.
    pub couple: CoupleDto,
    /// Full citations of every source cited above.
    pub references: Vec<SourceDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoupleDto {
    pub you: PersonDto,
    pub partner: PersonDto,
    /// Whether each position was judged both ways round (either partner said `switch`).
    pub switching: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<&'static str>,
    pub symptoms: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub pain_type: &'static str,
    /// `receptive`, `insertive` or `switch`.
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_now: Option<u8>,
    pub conditions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pregnancy_weeks: Option<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PositionPlanDto {
    pub id: String,
    pub name: String,
    pub verdict: &'static str,
    /// The verdict once the listed modifications are used.
    pub with_modifications: &'static str,
    pub reasons: Vec<String>,
    pub modifications: Vec<ModificationDto>,
    pub sources: Vec<String>,
    pub description: String,
    /// Each partner's own verdict; the couple's is the worse of the two.
    pub partners: PartnersDto,
    /// `measured` in the motion-capture studies or `reasoned` from them.
    pub basis: &'static str,
    /// What the basis means, in words.
    pub basis_note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnersDto {
    pub you: PartnerVerdictDto,
    pub partner: PartnerVerdictDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerVerdictDto {
    pub verdict: &'static str,
    pub with_modifications: &'static str,
    pub posture: String,
    /// The role this verdict was judged in: the person's, or, for a couple that switches, the
    /// role that gave the more cautious verdict.
    pub role: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModificationDto {
    pub id: String,
    pub name: String,
    pub how: String,
    /// Whose back it helps: `you` or `partner`.
    #[serde(rename = "for")]
    pub for_whom: &'static str,
    pub changes: Vec<ChangeDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    pub dimension: &'static str,
    pub from: u8,
    pub to: u8,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct TipsDto {
    pub before: Vec<TipDto>,
    pub during: Vec<TipDto>,
    pub after: Vec<TipDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TipDto {
    pub id: String,
    pub title: String,
    pub text: String,
    pub evidence: &'static str,
    pub evidence_note: String,
    pub sources: Vec<String>,
    /// The tip this one stands in for, withheld because of a condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDto {
    pub id: String,
    pub text: String,
    pub sources: Vec<String>,
}

/// `spinewise check --json`, and the `triage` of other responses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TriageDto {
    pub level: &'static str,
    pub headline: String,
    pub action: String,
    pub findings: Vec<FindingDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingDto {
    pub symptom: String,
    pub name: String,
    pub level: &'static str,
    pub advice: String,
    pub sources: Vec<String>,
    /// The combination of symptoms that raised this one's level, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalated_by: Option<String>,
    /// Where it was reported, when it comes from the journal rather than now: "noted in your
    /// journal on 2026-03-04".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noted: Option<String>,
}

/// `spinewise check --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckDto {
    #[serde(flatten)]
    pub triage: TriageDto,
    pub disclaimer: String,
    pub references: Vec<SourceDto>,
}

pub(crate) fn triage_dto(
    knowledge: &Knowledge,
    triage: &Triage<'_>,
    noted: &[Noted],
    cited: &mut Cited,
) -> TriageDto {
    let info = knowledge.level(triage.level);
    TriageDto {
        level: triage.level.as_str(),
        headline: info.map(|i| i.headline.clone()).unwrap_or_default(),
        action: info.map(|i| i.action.clone()).unwrap_or_default(),
        findings: triage
            .findings
            .iter()
            .map(|f| FindingDto {
                symptom: f.symptom.id.clone(),
                name: f.symptom.name.clone(),
                level: f.level.as_str(),
                advice: f.advice.to_owned(),
                sources: cited.ids(f.sources.iter().copied()),
                escalated_by: f.escalated_by.map(|c| c.id.clone()),
                noted: noted
                    .iter()
                    .find(|n| n.symptom == f.symptom.id)
                    .map(|n| n.reported.words()),
            })
            .collect(),
    }
}

impl CheckDto {
    pub fn new(knowledge: &Knowledge, triage: &Triage<'_>) -> CheckDto {
        CheckDto::with_noted(knowledge, triage, &[])
    }

    /// The check, saying which findings came from the journal and when.
    pub fn with_noted(knowledge: &Knowledge, triage: &Triage<'_>, noted: &[Noted]) -> CheckDto {
        let mut cited = Cited::default();
        let triage = triage_dto(knowledge, triage, noted, &mut cited);
        CheckDto {
            triage,
            disclaimer: knowledge.about.disclaimer.clone(),
            references: cited.references(knowledge),
        }
    }
}

fn modification_dto(m: &AppliedModification<'_>) -> ModificationDto {
    ModificationDto {
        id: m.modification.id.clone(),
        name: m.modification.name.clone(),
        how: m.how.to_owned(),
        for_whom: m.who.as_str(),
        changes: m
            .changes
            .iter()
            .map(|(d, from, to)| ChangeDto {
                dimension: d.as_str(),
                from: from.level(),
                to: to.level(),
            })
            .collect(),
    }
}

fn partner_dto(v: &PersonVerdict<'_>, position: &Position) -> PartnerVerdictDto {
    PartnerVerdictDto {
        verdict: v.verdict.as_str(),
        with_modifications: v.with_modifications.as_str(),
        posture: position.profile(v.role).posture.clone(),
        role: v.role.as_str(),
    }
}

fn tip_dto(advice: &TipAdvice<'_>, cited: &mut Cited) -> TipDto {
    TipDto {
        id: advice.tip.id.clone(),
        title: advice.tip.title.clone(),
        text: advice.text(),
        evidence: advice.tip.evidence.as_str(),
        evidence_note: advice.tip.evidence_note.clone(),
        sources: cited.strings(&advice.tip.sources),
        replaces: advice.replaces.map(|t| t.id.clone()),
    }
}

fn person_dto(p: &spinewise_domain::recommend::PersonInput) -> PersonDto {
    PersonDto {
        pain_type: p.pain_type.as_str(),
        role: p.role.as_str(),
        pain_now: p.pain_now.map(|s| s.value()),
        conditions: p.conditions.clone(),
        pregnancy_weeks: p.pregnancy_weeks,
    }
}

/// One position of a plan.
pub(crate) fn position_dto(
    knowledge: &Knowledge,
    p: &PositionPlan<'_>,
    cited: &mut Cited,
) -> PositionPlanDto {
    PositionPlanDto {
        id: p.position.id.clone(),
        name: p.position.name.clone(),
        verdict: p.verdict.as_str(),
        with_modifications: p.with_modifications.as_str(),
        reasons: p.reasons().map(str::to_owned).collect(),
        modifications: p.modifications().map(modification_dto).collect(),
        sources: cited.ids(p.sources.iter().copied()),
        description: p.position.description.clone(),
        partners: PartnersDto {
            you: partner_dto(&p.you, p.position),
            partner: partner_dto(&p.partner, p.position),
        },
        basis: p.position.basis.as_str(),
        basis_note: knowledge.about.basis(p.position.basis).to_owned(),
    }
}

/// The couple a plan is for, as understood.
pub(crate) fn couple_dto(request: &PlanRequest, plan: &Plan<'_>) -> CoupleDto {
    CoupleDto {
        you: person_dto(&request.you),
        partner: person_dto(&request.partner),
        switching: plan.switching,
        time: request.time.map(|t| t.as_str()),
        symptoms: request.symptoms.clone(),
    }
}

impl PlanDto {
    pub fn new(knowledge: &Knowledge, request: &PlanRequest, plan: &Plan<'_>) -> PlanDto {
        let mut cited = Cited::default();
        let triage = triage_dto(knowledge, &plan.triage, &plan.noted, &mut cited);
        let positions = plan
            .positions
            .iter()
            .map(|p| position_dto(knowledge, p, &mut cited))
            .collect();
        let mut tips = TipsDto::default();
        for phase in Phase::ALL {
            let list: Vec<TipDto> = plan
                .tips
                .phase(*phase)
                .iter()
                .map(|a| tip_dto(a, &mut cited))
                .collect();
            match phase {
                Phase::Before => tips.before = list,
                Phase::During => tips.during = list,
                Phase::After => tips.after = list,
            }
        }
        let notices = plan
            .notices
            .iter()
            .map(|n| NoticeDto {
                id: n.notice.id.clone(),
                text: n.text(),
                sources: cited.strings(&n.notice.sources),
            })
            .collect();
        PlanDto {
            positions,
            tips,
            triage,
            notices,
            disclaimer: knowledge.about.disclaimer.clone(),
            couple: couple_dto(request, plan),
            references: cited.references(knowledge),
        }
    }
}

/// `spinewise assess --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDto {
    /// `null` when the red flags call for a doctor before anything else.
    pub pain_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// 0–1.
    pub confidence: Option<f64>,
    /// `low`, `moderate` or `high`.
    pub confidence_label: Option<&'static str>,
    /// Strength of the evidence for each pain type, 0–1.
    pub strengths: Option<StrengthsDto>,
    /// The answers behind the result.
    pub why: Vec<String>,
    /// Answers that point elsewhere.
    pub against: Vec<String>,
    /// Why the result is `unclear`, if it is: `weak` or `mixed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unclear: Option<&'static str>,
    pub triage: TriageDto,
    /// Whether the result was saved as the profile.
    pub saved: bool,
    pub disclaimer: String,
    pub references: Vec<SourceDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StrengthsDto {
    pub flexion: f64,
    pub extension: f64,
    pub motion: f64,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl AssessmentDto {
    pub fn new(knowledge: &Knowledge, assessment: &Assessment<'_>, saved: bool) -> AssessmentDto {
        let mut cited = Cited::default();
        let triage = triage_dto(knowledge, &assessment.triage, &[], &mut cited);
        let result = assessment.result.as_ref();
        let info = result.and_then(|r| knowledge.pain_type(r.pain_type));
        if let Some(info) = info {
            cited.strings(&info.sources);
        }
        if result.is_some() {
            cited.strings(&knowledge.questionnaire.sources);
        }
        let strength = |t| {
            result
                .and_then(|r| r.strengths.iter().find(|(p, _)| *p == t))
                .map_or(0.0, |(_, s)| round3(*s))
        };
        AssessmentDto {
            pain_type: result.map(|r| r.pain_type.as_str()),
            name: info.map(|i| i.name.clone()),
            summary: info.map(|i| i.summary.clone()),
            plan: info.map(|i| i.plan.clone()),
            confidence: result.map(|r| round3(r.confidence)),
            confidence_label: result.map(|r| r.confidence_label.as_str()),
            strengths: result.map(|_| StrengthsDto {
                flexion: strength(SCORED[0]),
                extension: strength(SCORED[1]),
                motion: strength(SCORED[2]),
            }),
            why: result
                .map(|r| r.why.iter().map(|s| (*s).to_owned()).collect())
                .unwrap_or_default(),
            against: result
                .map(|r| r.against.iter().map(|s| (*s).to_owned()).collect())
                .unwrap_or_default(),
            unclear: result.and_then(|r| match r.unclear {
                Some(Unclear::Weak) => Some("weak"),
                Some(Unclear::Mixed(..)) => Some("mixed"),
                None => None,
            }),
            triage,
            saved,
            disclaimer: knowledge.about.disclaimer.clone(),
            references: cited.references(knowledge),
        }
    }
}

/// `spinewise positions --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PositionDto {
    pub id: String,
    pub name: String,
    pub also_called: Vec<String>,
    pub description: String,
    pub alternative: bool,
    pub basis: &'static str,
    pub receptive: PostureProfileDto,
    pub insertive: PostureProfileDto,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
/// What a position asks of one partner's lower back and hips: the posture profile.
pub struct PostureProfileDto {
    pub posture: String,
    pub support: &'static str,
    pub flexion: u8,
    pub extension: u8,
    pub motion: u8,
    /// The hip bends past 90 degrees (`hip` holds `hip-past-90`).
    pub deep_hip_flexion: bool,
    /// The knee crosses the midline or the thigh turns inward.
    pub hip_crossing: bool,
    /// What the posture asks of the hips that a hip replacement can rule out:
    /// `hip-past-90`, `hip-across-midline`, `hip-inward-rotation`, `hip-back-turned-out`.
    pub hip: Vec<&'static str>,
    /// Where the motion-capture studies ranked this posture, per pain type.
    pub study_ranks: Vec<StudyRankDto>,
    pub modifications: Vec<ProfileModificationDto>,
}

/// Where a motion-capture study ranked a posture for backs of one pain type (1: kindest).
#[derive(Debug, Serialize, ToSchema)]
pub struct StudyRankDto {
    pub pain_type: &'static str,
    pub rank: u8,
    pub of: u8,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileModificationDto {
    pub id: String,
    pub name: String,
    pub how: String,
    pub flexion: i8,
    pub extension: i8,
    pub motion: i8,
}

fn support_str(s: spinewise_domain::knowledge::Support) -> &'static str {
    use spinewise_domain::knowledge::Support;
    match s {
        Support::Back => "back",
        Support::Front => "front",
        Support::Side => "side",
        Support::HandsAndKnees => "hands-and-knees",
        Support::Kneeling => "kneeling",
        Support::Seated => "seated",
        Support::Standing => "standing",
    }
}

fn profile_dto(knowledge: &Knowledge, p: &RoleProfile) -> PostureProfileDto {
    PostureProfileDto {
        posture: p.posture.clone(),
        support: support_str(p.support),
        flexion: p.demand(Dimension::Flexion).level(),
        extension: p.demand(Dimension::Extension).level(),
        motion: p.demand(Dimension::Motion).level(),
        deep_hip_flexion: p.hip.contains(&Restriction::HipPast90),
        hip_crossing: p.hip.contains(&Restriction::HipAcrossMidline)
            || p.hip.contains(&Restriction::HipInwardRotation),
        hip: p.hip.iter().map(|r| r.as_str()).collect(),
        study_ranks: p
            .study_ranks
            .iter()
            .map(|r| StudyRankDto {
                pain_type: r.pain_type.as_str(),
                rank: r.rank,
                of: r.of,
                source: r.source.clone(),
                variant: r.variant.clone(),
                disagreement: r.disagreement.clone(),
            })
            .collect(),
        modifications: p
            .modifications
            .iter()
            .filter_map(|e| {
                let m = knowledge.modification(&e.id).ok()?;
                Some(ProfileModificationDto {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    how: e.how.clone().unwrap_or_else(|| m.how.clone()),
                    flexion: e.flexion,
                    extension: e.extension,
                    motion: e.motion,
                })
            })
            .collect(),
    }
}

/// `spinewise positions --json`: the positions, with the caveat of the studies behind them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PositionsDto {
    pub positions: Vec<PositionDto>,
    pub notices: Vec<NoticeDto>,
    pub disclaimer: String,
    pub references: Vec<SourceDto>,
}

impl PositionsDto {
    pub fn new<'k>(
        knowledge: &'k Knowledge,
        positions: impl IntoIterator<Item = &'k Position>,
    ) -> PositionsDto {
        let mut cited = Cited::default();
        let positions = positions
            .into_iter()
            .map(|p| PositionDto {
                id: p.id.clone(),
                name: p.name.clone(),
                also_called: p.also_called.clone(),
                description: p.description.clone(),
                alternative: p.alternative,
                basis: p.basis.as_str(),
                receptive: profile_dto(knowledge, &p.receptive),
                insertive: profile_dto(knowledge, &p.insertive),
                sources: cited.strings(&p.sources),
            })
            .collect();
        let notices = [spinewise_domain::recommend::notice::STUDY_CAVEAT]
            .iter()
            .filter_map(|id| knowledge.notice(id).ok())
            .map(|n| NoticeDto {
                id: n.id.clone(),
                text: n.text.clone(),
                sources: cited.strings(&n.sources),
            })
            .collect();
        PositionsDto {
            positions,
            notices,
            disclaimer: knowledge.about.disclaimer.clone(),
            references: cited.references(knowledge),
        }
    }
}

/// `spinewise tips --json`: every tip, with when it applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct TipCatalogueDto {
    pub tips: Vec<TipEntryDto>,
    pub references: Vec<SourceDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TipEntryDto {
    pub id: String,
    pub phase: &'static str,
    pub title: String,
    pub text: String,
    pub by_pain_type: std::collections::BTreeMap<&'static str, String>,
    pub evidence: &'static str,
    pub evidence_note: String,
    /// When it applies, in words.
    pub applies: String,
    pub sources: Vec<String>,
}

impl TipCatalogueDto {
    pub fn new<'k>(knowledge: &'k Knowledge, tips: impl IntoIterator<Item = &'k Tip>) -> Self {
        let mut cited = Cited::default();
        let tips = tips
            .into_iter()
            .map(|t| TipEntryDto {
                id: t.id.clone(),
                phase: t.phase.as_str(),
                title: t.title.clone(),
                text: t.text.clone(),
                by_pain_type: t
                    .by_pain_type
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect(),
                evidence: t.evidence.as_str(),
                evidence_note: t.evidence_note.clone(),
                applies: tip_applies(knowledge, t),
                sources: cited.strings(&t.sources),
            })
            .collect();
        TipCatalogueDto {
            tips,
            references: cited.references(knowledge),
        }
    }
}

/// `spinewise faq --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub results: Vec<FaqResultDto>,
    pub references: Vec<SourceDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FaqResultDto {
    pub id: String,
    pub question: String,
    pub answer: String,
    /// Relevance to the query (absent when listing every question).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub see_also: Vec<String>,
    pub sources: Vec<String>,
}

impl FaqDto {
    pub fn new(
        knowledge: &Knowledge,
        query: Option<&str>,
        results: &[(&FaqEntry, Option<f64>)],
    ) -> FaqDto {
        let mut cited = Cited::default();
        let results = results
            .iter()
            .map(|(e, score)| FaqResultDto {
                id: e.id.clone(),
                question: e.question.clone(),
                answer: e.answer.clone(),
                score: score.map(round3),
                see_also: e.see_also.clone(),
                sources: cited.strings(&e.sources),
            })
            .collect();
        FaqDto {
            query: query.map(str::to_owned),
            results,
            references: cited.references(knowledge),
        }
    }
}

/// `spinewise sources --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourcesDto {
    pub sources: Vec<SourceDto>,
}

/// `spinewise program --json` and `GET /api/v1/program`: this week's program and what it was
/// worked out from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramDto {
    /// The pain type planned for.
    pub pain_type: &'static str,
    /// Where it came from: `given`, `profile`, `assessment` or `unknown` (the general
    /// program).
    pub pain_type_source: &'static str,
    /// Back pain today, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_today: Option<u8>,
    /// The conditions planned for: the saved profile's and the ones given.
    pub conditions: Vec<String>,
    /// The week of a pregnancy, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pregnancy_weeks: Option<u8>,
    /// The most urgent red-flag level among the symptoms reported now and those the journal
    /// still holds (`none` when there are none).
    pub red_flag_level: &'static str,
    /// Those red flags: each symptom, its level and advice, and when the journal noted it.
    pub red_flags: TriageDto,
    /// Whether the program follows the caller's journal (signed in, journal unlocked).
    pub follows_journal: bool,
    /// For each exercise of this week the camera coach follows as it is prescribed (each
    /// item's `coach`), its WebSocket's path; empty while the program is withheld. The socket
    /// takes the same circumstances as this endpoint's query.
    pub coach_sockets: std::collections::BTreeMap<String, String>,
    /// The program (`kind: "ready"`) or why it is withheld (`kind: "withheld"`).
    pub program: ProgramPlanDto,
}

impl ProgramDto {
    /// The program for these circumstances, with the red flags it was worked out with.
    pub fn new(
        knowledge: &Knowledge,
        about: &Circumstances,
        red_flags: &RedFlags<'_>,
        follows_journal: bool,
        program: &Program<'_>,
    ) -> ProgramDto {
        let mut cited = Cited::default();
        ProgramDto {
            pain_type: about.pain_type.as_str(),
            pain_type_source: about.source.as_str(),
            pain_today: about.pain_today.map(|p| p.value()),
            conditions: about.conditions.clone(),
            pregnancy_weeks: about.pregnancy_weeks,
            red_flag_level: red_flags.level().as_str(),
            red_flags: triage_dto(knowledge, &red_flags.triage, &red_flags.noted, &mut cited),
            follows_journal,
            coach_sockets: program
                .ready()
                .map(|week| {
                    week.days
                        .iter()
                        .flat_map(|d| &d.items)
                        .filter(|p| p.coach)
                        .filter_map(|p| {
                            p.exercise.tracker.as_ref().map(|t| {
                                (
                                    p.exercise.id.clone(),
                                    format!("/move/coach/ws?exercise={t}"),
                                )
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            program: program.into(),
        }
    }
}

/// ", pregnancy (week 24), osteoporosis…": a person's conditions in words, with the week of a
/// pregnancy (or that it is not known), for the plan's and the program's headings.
pub fn conditions_words(knowledge: &Knowledge, ids: &[String], weeks: Option<u8>) -> String {
    let mut s = String::new();
    for c in ids {
        if let Ok(c) = knowledge.condition(c) {
            s.push_str(", ");
            s.push_str(&c.name_with_week(weeks).to_lowercase());
        }
    }
    s
}

/// When a tip applies, in words.
pub fn tip_applies(knowledge: &Knowledge, tip: &Tip) -> String {
    if tip.replacement_only {
        let replaced: Vec<&str> = knowledge
            .tips
            .iter()
            .filter(|t| t.instead.as_deref() == Some(tip.id.as_str()))
            .map(|t| t.id.as_str())
            .collect();
        return format!("instead of {} when it is withheld", replaced.join(", "));
    }
    let mut s = if tip.everyone {
        "always".to_owned()
    } else {
        "when either partner has back pain".to_owned()
    };
    let clauses: Vec<String> = tip
        .when
        .iter()
        .map(|c| {
            let mut parts = Vec::new();
            if !c.pain_types.is_empty() {
                let types: Vec<&str> = c.pain_types.iter().map(|p| p.as_str()).collect();
                parts.push(format!("a partner is {}-intolerant", types.join(" or ")));
            }
            if !c.conditions.is_empty() {
                parts.push(format!("a partner has {}", c.conditions.join(" or ")));
            }
            if !c.times.is_empty() {
                let times: Vec<&str> = c.times.iter().map(|t| t.as_str()).collect();
                parts.push(format!("it is {}", times.join(" or ")));
            }
            if c.one_partner_pain_free {
                parts.push("one partner is free of back pain".to_owned());
            }
            if c.both_have_pain {
                parts.push("both have back pain".to_owned());
            }
            parts.join(" and ")
        })
        .collect();
    if !clauses.is_empty() {
        s.push_str(" and ");
        s.push_str(&clauses.join(", or "));
    }
    if !tip.unless_effects.is_empty() {
        let effects: Vec<&str> = tip.unless_effects.iter().map(|e| e.as_str()).collect();
        let conditions: Vec<&str> = knowledge
            .conditions
            .iter()
            .filter(|c| c.effects.iter().any(|e| tip.unless_effects.contains(e)))
            .map(|c| c.id.as_str())
            .collect();
        s.push_str(&format!(
            "; withheld when a partner with back pain has a condition with {} ({})",
            effects.join(" or "),
            conditions.join(", ")
        ));
        if let Some(instead) = &tip.instead {
            s.push_str(&format!(" and {instead} is shown instead"));
        }
    }
    s
}
