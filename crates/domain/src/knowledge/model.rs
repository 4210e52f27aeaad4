//! The shapes of the knowledge base, one struct per kind of entry in `content/`.
//!
//! They deserialize straight from the TOML files and refuse unknown fields, so that a typo in
//! a reviewed file is an error, not a silently ignored line.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::vocab::{Demand, Dimension, EvidenceGrade, Level, PainType, Phase, TimeOfDay};

/// What the product says of itself on every page: what it is and is not.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct About {
    /// The product's name.
    pub name: String,
    /// One line on what it does.
    pub tagline: String,
    /// Education, not diagnosis: shown with every piece of advice.
    pub disclaimer: String,
    /// What a `measured` posture profile rests on.
    pub basis_measured: String,
    /// What a `reasoned` posture profile rests on.
    pub basis_reasoned: String,
}

impl About {
    /// What a posture profile of this basis rests on.
    pub fn basis(&self, basis: ProfileBasis) -> &str {
        match basis {
            ProfileBasis::Measured => &self.basis_measured,
            ProfileBasis::Reasoned => &self.basis_reasoned,
        }
    }
}

/// Where a position's posture profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileBasis {
    /// Filmed in the motion-capture studies.
    Measured,
    /// Reasoned from how lying, sitting and standing load the back, and from similar
    /// measured positions.
    Reasoned,
}

impl ProfileBasis {
    /// The id used in the content files and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProfileBasis::Measured => "measured",
            ProfileBasis::Reasoned => "reasoned",
        }
    }
}

/// A citable source: a study, a guideline or a patient-education article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short id cited by other entries, e.g. `sidorkewicz-2014`.
    pub id: String,
    /// What kind of source this is.
    pub kind: SourceKind,
    /// Authors as cited, e.g. "Sidorkewicz N, McGill SM".
    pub authors: String,
    /// Title.
    pub title: String,
    /// Journal, publisher or website.
    pub published_in: String,
    /// Year of publication, where known.
    #[serde(default)]
    pub year: Option<u16>,
    /// Volume, issue and pages, as cited.
    #[serde(default)]
    pub details: Option<String>,
    /// Digital object identifier.
    #[serde(default)]
    pub doi: Option<String>,
    /// Where to read it.
    #[serde(default)]
    pub url: Option<String>,
    /// What the product takes from it, and its limits.
    pub note: String,
}

impl Source {
    /// The full citation in one line.
    pub fn citation(&self) -> String {
        let year = self
            .year
            .map_or_else(|| "undated".to_owned(), |y| y.to_string());
        let mut c = format!(
            "{}. {}. {}, {year}",
            self.authors.trim_end_matches('.'),
            self.title.trim_end_matches('.'),
            self.published_in,
        );
        if let Some(details) = &self.details {
            c.push_str(if details.starts_with(';') { "" } else { ";" });
            c.push_str(details);
        }
        c.push('.');
        if let Some(doi) = &self.doi {
            c.push_str(" doi:");
            c.push_str(doi);
        }
        c
    }
}

/// The kinds of source, from strongest to weakest as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A clinical guideline.
    Guideline,
    /// A systematic review.
    Review,
    /// A primary study.
    Study,
    /// A scientific statement or expert consensus.
    Consensus,
    /// An article written for patients.
    PatientEducation,
}

impl SourceKind {
    /// The id used in the content files.
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceKind::Guideline => "guideline",
            SourceKind::Review => "review",
            SourceKind::Study => "study",
            SourceKind::Consensus => "consensus",
            SourceKind::PatientEducation => "patient-education",
        }
    }
}

/// A pain type: what it is, what provokes and what eases it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PainTypeInfo {
    /// Which pain type.
    pub id: PainType,
    /// Display name, e.g. "Flexion-intolerant".
    pub name: String,
    /// A short definition.
    pub summary: String,
    /// Everyday things that tend to bring the pain on.
    #[serde(default)]
    pub provoked_by: Vec<String>,
    /// Everyday things that tend to ease it.
    #[serde(default)]
    pub eased_by: Vec<String>,
    /// What the plan does for this type.
    pub plan: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// How the reasons speak of one posture dimension. `{their}` stands for "your" or "their".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionInfo {
    /// Which dimension.
    pub id: Dimension,
    /// What this movement is, e.g. "bending or rounding forward".
    pub trigger: String,
    /// What no demand does, e.g. "keeps {their} lower back from rounding".
    pub spares: String,
    /// What a slight demand does.
    pub slight: String,
    /// What a moderate demand does.
    pub moderate: String,
    /// What a high demand does.
    pub strains: String,
}

/// A position for intimacy, with a posture profile for each role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Canonical id, e.g. `missionary`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names people use.
    #[serde(default)]
    pub also_called: Vec<String>,
    /// A neutral, clinical description.
    pub description: String,
    /// An alternative to intercourse: listed after the positions with the same verdict,
    /// except on a high-pain day, when it comes first.
    #[serde(default)]
    pub alternative: bool,
    /// Where the posture profiles come from.
    pub basis: ProfileBasis,
    /// Sources for the description and the profiles.
    pub sources: Vec<String>,
    /// The receptive partner's posture.
    pub receptive: RoleProfile,
    /// The insertive partner's posture.
    pub insertive: RoleProfile,
}

impl Position {
    /// The posture profile of `role`.
    pub fn profile(&self, role: crate::vocab::Role) -> &RoleProfile {
        match role {
            crate::vocab::Role::Receptive => &self.receptive,
            crate::vocab::Role::Insertive => &self.insertive,
        }
    }
}

/// What a position asks of one partner's lower back and hips.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleProfile {
    /// The posture in plain words.
    pub posture: String,
    /// What the body rests on.
    pub support: Support,
    /// How much the lower back rounds forward.
    pub flexion: Demand,
    /// How much the lower back arches backward.
    pub extension: Demand,
    /// How much the lower back moves back and forth.
    pub motion: Demand,
    /// Why the demands are what they are, per dimension, in one sentence each.
    #[serde(default)]
    pub notes: BTreeMap<Dimension, String>,
    /// The hip bends past 90 degrees.
    #[serde(default)]
    pub deep_hip_flexion: bool,
    /// A knee crosses the body's midline or the hip turns inward.
    #[serde(default)]
    pub hip_crossing: bool,
    /// The modifications that change this posture, and by how much.
    #[serde(default)]
    pub modifications: Vec<ModificationEffect>,
}

impl RoleProfile {
    /// The demand in one dimension.
    pub fn demand(&self, dimension: Dimension) -> Demand {
        match dimension {
            Dimension::Flexion => self.flexion,
            Dimension::Extension => self.extension,
            Dimension::Motion => self.motion,
        }
    }
}

/// What the body rests on in a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Lying on the back.
    Back,
    /// Lying face down.
    Front,
    /// Lying on the side.
    Side,
    /// On hands (or elbows) and knees.
    HandsAndKnees,
    /// Kneeling upright.
    Kneeling,
    /// Sitting.
    Seated,
    /// Standing.
    Standing,
}

/// How one modification changes one partner's posture in one position.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModificationEffect {
    /// Which modification.
    pub id: String,
    /// Change in flexion demand, in levels.
    #[serde(default)]
    pub flexion: i8,
    /// Change in extension demand, in levels.
    #[serde(default)]
    pub extension: i8,
    /// Change in motion demand, in levels.
    #[serde(default)]
    pub motion: i8,
    /// How it is done in this position, if that differs from the general description.
    #[serde(default)]
    pub how: Option<String>,
}

impl ConditionEffect {
    /// The id used in the content files.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConditionEffect::NsaidRisk => "nsaid-risk",
            ConditionEffect::RecentSurgery => "recent-surgery",
            ConditionEffect::CapAtCaution => "cap-at-caution",
            ConditionEffect::HipPrecautions => "hip-precautions",
            ConditionEffect::LyingFlatFlagged => "lying-flat-flagged",
            ConditionEffect::MorningFlexion => "morning-flexion",
        }
    }
}

impl ModificationEffect {
    /// The change in one dimension.
    pub fn delta(&self, dimension: Dimension) -> i8 {
        match dimension {
            Dimension::Flexion => self.flexion,
            Dimension::Extension => self.extension,
            Dimension::Motion => self.motion,
        }
    }
}

/// A change to a position that makes it easier on the back.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Modification {
    /// Id, e.g. `pillow-lower-back`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// How to do it.
    pub how: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// A health condition that changes the plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Id, e.g. `disc-problem`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the plan does about it, in one sentence.
    pub summary: String,
    /// The mechanisms of the engine this condition switches on.
    #[serde(default)]
    pub effects: Vec<ConditionEffect>,
    /// The reason shown on a position this condition makes less safe.
    #[serde(default)]
    pub position_reason: Option<String>,
    /// Notices shown whenever this condition is present.
    #[serde(default)]
    pub notices: Vec<String>,
    /// Sources.
    pub sources: Vec<String>,
}

/// The engine's mechanisms that a condition can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConditionEffect {
    /// Over-the-counter anti-inflammatories are risky: tips withheld `unless_effects`
    /// `nsaid-risk` are replaced.
    NsaidRisk,
    /// Recovering from an operation: tips withheld `unless_effects` `recent-surgery` (soaking
    /// a wound, stretching) are replaced by asking the surgeon.
    RecentSurgery,
    /// Nothing is `recommended` for this person until their surgeon has said what is safe.
    CapAtCaution,
    /// Positions with deep hip flexion or hip crossing are flagged for this person.
    HipPrecautions,
    /// Lying flat on the back or front is flagged for this person.
    LyingFlatFlagged,
    /// In the morning, forward bending strains this back more.
    MorningFlexion,
}

/// A tip for before, during or after intimacy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tip {
    /// Id, e.g. `warm-bath`.
    pub id: String,
    /// When it applies.
    pub phase: Phase,
    /// A short title.
    pub title: String,
    /// The tip.
    pub text: String,
    /// Extra advice for couples where someone has this pain type.
    #[serde(default)]
    pub by_pain_type: BTreeMap<PainType, String>,
    /// How strong the evidence is.
    pub evidence: EvidenceGrade,
    /// What the evidence grade rests on.
    pub evidence_note: String,
    /// The tip applies when any clause holds (and someone has back pain, unless `everyone`).
    #[serde(default)]
    pub when: Vec<TipClause>,
    /// Shown even when neither partner has back pain.
    #[serde(default)]
    pub everyone: bool,
    /// Withheld when a partner with back pain has a condition with one of these effects.
    #[serde(default)]
    pub unless_effects: Vec<ConditionEffect>,
    /// The tip shown instead when this one is withheld.
    #[serde(default)]
    pub instead: Option<String>,
    /// Shown only in place of a withheld tip.
    #[serde(default)]
    pub replacement_only: bool,
    /// Sources.
    pub sources: Vec<String>,
}

/// One way a tip can apply: every field given must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipClause {
    /// A partner has one of these pain types.
    #[serde(default)]
    pub pain_types: Vec<PainType>,
    /// A partner has one of these conditions.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// It is one of these times of day.
    #[serde(default)]
    pub times: Vec<TimeOfDay>,
    /// One partner has back pain and the other has none.
    #[serde(default)]
    pub one_partner_pain_free: bool,
    /// Both partners have back pain.
    #[serde(default)]
    pub both_have_pain: bool,
}

/// A symptom the triage screens for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Symptom {
    /// Id, e.g. `saddle-numbness`.
    pub id: String,
    /// Short name.
    pub name: String,
    /// The question as a person is asked it.
    pub question: String,
    /// How soon it needs a clinician.
    pub level: Level,
    /// The clinical group, e.g. `cauda-equina`.
    pub group: String,
    /// What to do, in plain words.
    pub advice: String,
    /// Asked among the red-flag questions before the self-assessment.
    #[serde(default)]
    pub screen_in_assessment: bool,
    /// Sources.
    pub sources: Vec<String>,
}

/// What a red-flag level means for the person, in plain words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelInfo {
    /// One line, e.g. "Get emergency care now".
    pub headline: String,
    /// What to do.
    pub action: String,
}

/// Symptoms, or symptoms and conditions, that together mean more than each alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combination {
    /// Id.
    pub id: String,
    /// Applies when all of these symptoms are present…
    pub all: Vec<String>,
    /// …and either partner has all of these conditions.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// The level the combination raises its symptoms to.
    pub level: Level,
    /// What to do.
    pub advice: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// A cause of back pain after sex.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What happens.
    pub explanation: String,
    /// How soon it needs a clinician on its own.
    pub level: Level,
    /// What to do.
    pub what_to_do: String,
    /// Symptoms that point to it.
    #[serde(default)]
    pub symptoms: Vec<String>,
    /// Sources.
    pub sources: Vec<String>,
}

/// A notice shown with a plan when a rule of the engine fires.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Id.
    pub id: String,
    /// Lower comes first.
    pub priority: u8,
    /// The notice.
    pub text: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// The self-assessment: red-flag screen first, then the items on what provokes and eases pain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Shown before the first question.
    pub intro: String,
    /// The red-flag screen's question.
    pub red_flag_prompt: String,
    /// How answers turn into a pain type.
    pub scoring: Scoring,
    /// Sources for the items and the scoring.
    pub sources: Vec<String>,
    /// The items, in the order they are asked.
    pub items: Vec<Item>,
}

/// Thresholds that decide between a pain type and `unclear`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Below this share of its maximum score, the leading type is too weak to name.
    pub min_strength: f64,
    /// Below this lead over the runner-up, the answers point two ways.
    pub min_margin: f64,
    /// A type is named only when at least this many answers support it.
    pub min_supporting_answers: usize,
    /// "High" confidence needs at least this many supporting answers.
    pub high_confidence_supporting_answers: usize,
    /// From this confidence up, the result is called "high"…
    pub high_confidence: f64,
    /// …and from this one up, "moderate".
    pub moderate_confidence: f64,
}

/// One question of the self-assessment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Id, used in answers files.
    pub id: String,
    /// The question.
    pub question: String,
    /// The answers to choose from.
    pub options: Vec<AnswerOption>,
}

impl Item {
    /// The answer that gives no evidence either way ("not sure", "no difference"): the last
    /// such option, as the items list them after the informative ones.
    pub fn neutral_option(&self) -> Option<&AnswerOption> {
        self.options.iter().rev().find(|o| o.is_neutral())
    }
}

/// One answer to an item and the evidence it gives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Id, used in answers files.
    pub id: String,
    /// The answer as shown.
    pub label: String,
    /// Evidence for flexion intolerance.
    #[serde(default)]
    pub flexion: f64,
    /// Evidence for extension intolerance.
    #[serde(default)]
    pub extension: f64,
    /// Evidence for motion intolerance.
    #[serde(default)]
    pub motion: f64,
    /// What this answer says about the pain, as a clause for the "why".
    #[serde(default)]
    pub finding: Option<String>,
}

impl AnswerOption {
    /// Whether this answer gives no evidence for any pain type.
    pub fn is_neutral(&self) -> bool {
        self.flexion == 0.0 && self.extension == 0.0 && self.motion == 0.0
    }

    /// The evidence this answer gives for `pain_type` (0 for `none` and `unclear`).
    pub fn weight(&self, pain_type: PainType) -> f64 {
        match pain_type {
            PainType::Flexion => self.flexion,
            PainType::Extension => self.extension,
            PainType::Motion => self.motion,
            PainType::None | PainType::Unclear => 0.0,
        }
    }
}

/// A question people ask, answered with sources.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The same question in other words, for search.
    #[serde(default)]
    pub also_asked: Vec<String>,
    /// Words that should find it.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The answer.
    pub answer: String,
    /// Related entries.
    #[serde(default)]
    pub see_also: Vec<String>,
    /// Sources.
    pub sources: Vec<String>,
}

/// What the journal's insights say of themselves, and what to do in a flare-up
/// (`journal.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalContent {
    /// Shown with every page of insights: the person's own data, not medical advice.
    pub disclaimer: String,
    /// The explanation behind each kind of insight.
    #[serde(rename = "insight")]
    pub insights: Vec<InsightText>,
    /// What to do in a flare-up, in the order shown.
    #[serde(rename = "flare_advice")]
    pub flare_advice: Vec<FlareAdvice>,
}

/// The explanation behind one kind of insight: how it is worked out and what the research
/// says about it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightText {
    /// Id, e.g. `position-tolerance`.
    pub id: String,
    /// A short title.
    pub title: String,
    /// The explanation.
    pub text: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// One thing to do while pain is higher than usual.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlareAdvice {
    /// Id, e.g. `stay-active`.
    pub id: String,
    /// A short title.
    pub title: String,
    /// The advice.
    pub text: String,
    /// Withheld when the person has a condition with one of these effects.
    #[serde(default)]
    pub unless_effects: Vec<ConditionEffect>,
    /// The advice shown instead when this one is withheld.
    #[serde(default)]
    pub instead: Option<String>,
    /// Shown only in place of a withheld item.
    #[serde(default)]
    pub replacement_only: bool,
    /// Sources.
    pub sources: Vec<String>,
}
