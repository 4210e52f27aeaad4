//! The shapes of the knowledge base, one struct per kind of entry in `content/`.
//!
//! They deserialize straight from the TOML files and refuse unknown fields, so that a typo in
//! a reviewed file is an error, not a silently ignored line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::vocab::{
    Demand, Dimension, EvidenceGrade, Level, PainType, Phase, Restriction, TimeOfDay, Verdict,
};

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
    /// How a position's place in a study's ranking is said: `{place}`, `{of}`, `{trigger}`,
    /// `{variant}`.
    pub study_rank: String,
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
    /// One of the motion-capture studies of positions: only measured positions cite it for
    /// their figures.
    #[serde(default)]
    pub motion_capture: bool,
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

    /// A short citation to show where a fact is used: "Sidorkewicz and McGill 2014",
    /// "Chou et al. 2007", or an organisation's name with the year ("NHS 2023").
    pub fn short_citation(&self) -> String {
        let parts: Vec<&str> = self.authors.split(", ").map(str::trim).collect();
        let et_al = parts.iter().any(|p| p.starts_with("et al"));
        let surnames: Vec<&str> = parts.iter().filter_map(|p| person_surname(p)).collect();
        let who = match (surnames.as_slice(), et_al) {
            ([], _) => parts.first().copied().unwrap_or_default().to_owned(),
            ([one], false) => (*one).to_owned(),
            ([one, two], false) => format!("{one} and {two}"),
            ([first, ..], _) => format!("{first} et al."),
        };
        match self.year {
            Some(year) => format!("{who} {year}"),
            None => who,
        }
    }
}

/// The surname of an author cited as "Surname Initials" ("McGill SM", "van der Ploeg K",
/// "Cross JT Jr"), or `None` for an organisation.
fn person_surname(author: &str) -> Option<&str> {
    let words: Vec<&str> = author.split(' ').collect();
    let initials = words
        .iter()
        .position(|w| (1..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))?;
    (initials > 0).then(|| {
        let end = words[..initials].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
        &author[..end]
    })
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
    /// For a back that dislikes any movement away from neutral: why a posture held away from
    /// neutral without the support of lying down counts too (the end of a reason).
    #[serde(default)]
    pub held_because: Option<String>,
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
    /// How the drawing of both partners is set: from which side, on what, who is in front.
    /// Always there in valid content (the loader says which position lacks it).
    #[serde(default)]
    pub scene: Option<Scene>,
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
    /// What the posture asks of the hips that a condition can rule out: bending past 90
    /// degrees, crossing the midline, turning inward, or going back with the leg turned out.
    #[serde(default)]
    pub hip: Vec<Restriction>,
    /// Where the motion-capture studies ranked this posture for a back of some pain type.
    #[serde(default)]
    pub study_ranks: Vec<StudyRank>,
    /// The modifications that change this posture, and by how much.
    #[serde(default)]
    pub modifications: Vec<ModificationEffect>,
    /// The figure's joint angles and place in the drawing of the position. Always there in
    /// valid content (the loader says which position and role lack it).
    #[serde(default)]
    pub pose: Option<Pose>,
}

/// Where a motion-capture study ranked a filmed posture for backs of one pain type: 1 is the
/// one it found kindest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyRank {
    /// The pain type the ranking is for.
    pub pain_type: PainType,
    /// The place in the study's ranking, 1 being the kindest.
    pub rank: u8,
    /// Of how many postures.
    pub of: u8,
    /// The study.
    pub source: String,
    /// The filmed variant this rank is for, when it differs from the position as described.
    #[serde(default)]
    pub variant: Option<String>,
    /// Where the study and the seed article's table disagree, what a person should know.
    #[serde(default)]
    pub disagreement: Option<String>,
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

    /// Where the studies ranked this posture for `pain_type`, if they did.
    pub fn study_rank(&self, pain_type: PainType) -> Option<&StudyRank> {
        self.study_ranks.iter().find(|r| r.pain_type == pain_type)
    }
}

/// What the body rests on in a position or an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl Support {
    /// Lying down, so that the surface rather than the muscles holds the trunk's curve.
    pub const fn is_lying(self) -> bool {
        matches!(self, Support::Back | Support::Front | Support::Side)
    }

    /// The restriction that lying this way falls under, if any.
    pub const fn restriction(self) -> Option<Restriction> {
        match self {
            Support::Back => Some(Restriction::LyingOnBack),
            Support::Front => Some(Restriction::LyingFaceDown),
            _ => None,
        }
    }
}

/// The width of a position's drawing, in its own units; x runs left to right.
pub const SCENE_WIDTH: i16 = 200;
/// The height of a position's drawing; y runs top to bottom.
pub const SCENE_HEIGHT: i16 = 120;

/// The setting of a position's drawing, shared by both figures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// From which side the couple is seen.
    pub view: View,
    /// What they are on.
    pub furniture: Furniture,
    /// Whose figure is drawn over the other's where they overlap.
    pub front: crate::vocab::Role,
}

/// From where a position is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// From the side, the floor or the bed at the bottom.
    Side,
    /// From above the bed: how positions lying on the side show their posture.
    Above,
}

/// The furniture of a position's drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Furniture {
    /// A bed (seen from above, with a pillow at the head end, in the view from above).
    Bed,
    /// A bed that ends just past the receptive partner's hips, on the floor.
    BedEdge,
    /// A low bed that ends just past the receptive partner's hips, on the floor.
    LowBedEdge,
    /// A chair with a backrest, under the partner who sits lowest.
    Chair,
    /// A table at hip height, under the receptive partner's hands.
    Table,
}

/// Which way a figure faces when its trunk is upright: its drawing is mirrored for `left`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facing {
    /// Toward the left of the drawing.
    Left,
    /// Toward the right of the drawing.
    Right,
}

/// A cushion, pillow or rolled towel in a drawing, by where it goes on the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prop {
    /// Under the head.
    UnderHead,
    /// Against the back of the lower back: under it lying down, behind it sitting.
    UnderLowerBack,
    /// Under the hips, on whichever side they rest.
    UnderHips,
    /// Under the knees.
    UnderKnees,
    /// Between the knees.
    BetweenKnees,
}

impl Prop {
    /// The id used in the content files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Prop::UnderHead => "under-head",
            Prop::UnderLowerBack => "under-lower-back",
            Prop::UnderHips => "under-hips",
            Prop::UnderKnees => "under-knees",
            Prop::BetweenKnees => "between-knees",
        }
    }
}

/// One figure's pose in a position's drawing: where its hip joint is and its joint angles, in
/// degrees, seen from the side. Angles are measured as if the figure faced right; `facing`
/// mirrors it. Flexion (bending forward) is positive.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pose {
    /// What the drawing shows this partner doing, to follow "the receptive partner …" in the
    /// text alternative, e.g. "lies on the back with the knees bent".
    pub shows: String,
    /// The hip joint's place in the drawing: x from 0 to [`SCENE_WIDTH`], y from 0 to
    /// [`SCENE_HEIGHT`].
    pub at: [i16; 2],
    /// Which way the figure faces when upright.
    pub facing: Facing,
    /// How far the trunk leans forward from upright (negative: backward; 90: face down, -90:
    /// lying on the back).
    pub trunk: i16,
    /// The head bent forward from the line of the trunk.
    pub neck: i16,
    /// The near arm raised forward from hanging along the trunk.
    pub shoulder: i16,
    /// The near elbow bent (0: straight).
    pub elbow: i16,
    /// The near thigh raised forward from the line of the trunk.
    pub hip: i16,
    /// The near knee bent (0: straight).
    pub knee: i16,
    /// The near foot pointed from a right angle with the shin.
    pub ankle: i16,
    /// The far arm, when it differs from the near one.
    #[serde(default)]
    pub far_shoulder: Option<i16>,
    /// The far elbow, when it differs.
    #[serde(default)]
    pub far_elbow: Option<i16>,
    /// The far thigh, when it differs.
    #[serde(default)]
    pub far_hip: Option<i16>,
    /// The far knee, when it differs.
    #[serde(default)]
    pub far_knee: Option<i16>,
    /// The far foot, when it differs.
    #[serde(default)]
    pub far_ankle: Option<i16>,
    /// Pillows or cushions that are part of the position as described.
    #[serde(default)]
    pub props: Vec<Prop>,
}

/// The joint angles a pose may take, in degrees: each field's lowest and highest value and
/// what its numbers mean. The far limbs take their near limb's range.
pub const POSE_ANGLES: &[(&str, i16, i16, &str)] = &[
    (
        "trunk",
        -110,
        110,
        "0 upright, 90 leaning forward level, -90 lying back",
    ),
    (
        "neck",
        -45,
        60,
        "0 in line with the trunk, positive bent forward",
    ),
    (
        "shoulder",
        -60,
        180,
        "0 hanging along the trunk, 90 forward, 180 overhead",
    ),
    ("elbow", 0, 150, "0 straight"),
    (
        "hip",
        -30,
        140,
        "0 in line with the trunk, 90 at a right angle forward",
    ),
    ("knee", 0, 160, "0 straight"),
    (
        "ankle",
        -30,
        90,
        "0 at a right angle with the shin, 90 pointed along it",
    ),
];

impl Pose {
    /// Every angle of the pose by the field's name, the far limbs' only where given.
    pub fn angles(&self) -> Vec<(&'static str, i16)> {
        let mut angles = vec![
            ("trunk", self.trunk),
            ("neck", self.neck),
            ("shoulder", self.shoulder),
            ("elbow", self.elbow),
            ("hip", self.hip),
            ("knee", self.knee),
            ("ankle", self.ankle),
        ];
        for (name, value) in [
            ("far_shoulder", self.far_shoulder),
            ("far_elbow", self.far_elbow),
            ("far_hip", self.far_hip),
            ("far_knee", self.far_knee),
            ("far_ankle", self.far_ankle),
        ] {
            if let Some(v) = value {
                angles.push((name, v));
            }
        }
        angles
    }
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
            ConditionEffect::MorningFlexion => "morning-flexion",
            ConditionEffect::WithholdProgram => "withhold-program",
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
    /// The pillow or towel it adds to the drawing of a position, if any.
    #[serde(default)]
    pub prop: Option<Prop>,
    /// Sources.
    pub sources: Vec<String>,
}

/// A health condition that changes the plan and the exercise program.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Id, e.g. `disc-problem`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the plan does about it, in one sentence.
    pub summary: String,
    /// What it means for the exercise program, in one or two sentences.
    pub program_note: String,
    /// Whether it is counted in weeks (pregnancy): restrictions can start from a week.
    #[serde(default)]
    pub weeks: bool,
    /// For a condition counted in weeks: what not giving the week means, in a few words.
    #[serde(default)]
    pub unknown_week: Option<String>,
    /// The mechanisms of the engine this condition switches on.
    #[serde(default)]
    pub effects: Vec<ConditionEffect>,
    /// The postures and movements it rules out or flags, in positions and exercises.
    #[serde(default)]
    pub restrictions: Vec<ConditionRestriction>,
    /// The reason shown on a position this condition makes less safe through one of its
    /// `effects` (not its restrictions, which give their own).
    #[serde(default)]
    pub position_reason: Option<String>,
    /// Notices shown whenever this condition is present.
    #[serde(default)]
    pub notices: Vec<String>,
    /// Sources.
    pub sources: Vec<String>,
}

impl Condition {
    /// Its name with the week, for a condition counted in weeks: "Pregnancy (week 24)", or
    /// what not giving the week means ("Pregnancy (week not given: …)").
    pub fn name_with_week(&self, weeks: Option<u8>) -> String {
        match (self.weeks, weeks, &self.unknown_week) {
            (true, Some(w), _) => format!("{} (week {w})", self.name),
            (true, None, Some(unknown)) => format!("{} ({unknown})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// A restriction a condition brings, possibly only from a week on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ConditionRestriction {
    /// Always.
    Always(Restriction),
    /// From a week on (pregnancy); when the week is not known, it applies.
    FromWeek {
        /// The restriction.
        id: Restriction,
        /// The first week it applies in.
        from_week: u8,
    },
}

impl ConditionRestriction {
    /// The restriction.
    pub const fn id(self) -> Restriction {
        match self {
            ConditionRestriction::Always(r) | ConditionRestriction::FromWeek { id: r, .. } => r,
        }
    }

    /// Whether it applies in week `weeks` (unknown: it does).
    pub fn applies(self, weeks: Option<u8>) -> bool {
        match self {
            ConditionRestriction::Always(_) => true,
            ConditionRestriction::FromWeek { from_week, .. } => {
                weeks.is_none_or(|w| w >= from_week)
            }
        }
    }
}

/// What a restriction means, for positions and for exercises (`conditions.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictionInfo {
    /// Which restriction.
    pub id: Restriction,
    /// What it rules out, in a few words, e.g. "lying flat on the back".
    pub name: String,
    /// The verdict a position gets when it asks this of a person who must avoid it.
    pub position_verdict: Verdict,
    /// The reason shown on such a position; `{their}` is "your" or "their".
    pub position_reason: String,
    /// The reason shown on an exercise changed or left out because of it.
    pub exercise_reason: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// The engine's mechanisms that a condition can switch on (beyond its restrictions).
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
    /// In the morning, forward bending strains this back more.
    MorningFlexion,
    /// No exercise program until the surgeon or physiotherapist says when to start.
    WithholdProgram,
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
    /// The red-flag levels whose back symptoms (those screened before the self-assessment)
    /// follow the text, level by level, in the triage's own words: one list of red flags for
    /// the whole product.
    #[serde(default)]
    pub red_flag_levels: Vec<Level>,
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

/// What an exercise mainly trains, which decides the days it is offered on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExerciseCategory {
    /// Gentle movement through a comfortable range: offered daily.
    Mobility,
    /// Holding the spine still against a load: offered on strength days.
    Stability,
    /// Building the strength of the hips and legs: offered on strength days.
    Strength,
    /// Practising a movement pattern: offered on strength days.
    Skill,
    /// Endurance, such as walking: offered on walking days.
    Aerobic,
}

impl ExerciseCategory {
    /// The id used in the content files and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExerciseCategory::Mobility => "mobility",
            ExerciseCategory::Stability => "stability",
            ExerciseCategory::Strength => "strength",
            ExerciseCategory::Skill => "skill",
            ExerciseCategory::Aerobic => "aerobic",
        }
    }
}

/// How an exercise suits a pain type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "fit", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fit {
    /// Suits this back as described.
    Suggested,
    /// Suits this back when done as `how` says.
    Modified {
        /// What to change, in one or two sentences.
        how: String,
    },
    /// Left out of the program for this back, for the reason given.
    HeldBack {
        /// Why it is left out.
        why: String,
    },
}

impl Fit {
    /// The id of the kind of fit: `suggested`, `modified` or `held-back`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Fit::Suggested => "suggested",
            Fit::Modified { .. } => "modified",
            Fit::HeldBack { .. } => "held-back",
        }
    }

    /// Whether the program may prescribe it (suggested or modified).
    pub const fn is_prescribed(&self) -> bool {
        !matches!(self, Fit::HeldBack { .. })
    }
}

/// The dose of an exercise at one level of the program.
///
/// `sets` counts sets; in each, `reps` repetitions (or, with `pyramid`, the repetitions of
/// each set in turn), each held for `hold_s` seconds when given. A hold without repetitions
/// is one hold per set. Walking gives `minutes` per bout, `sets` being the bouts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// The level, from 1.
    pub level: u8,
    /// The form of the exercise at this level, when it changes (e.g. "Knee side plank").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Sets (or holds, or bouts).
    pub sets: u32,
    /// Repetitions in each set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Repetitions of each set in turn, falling set by set (a descending pyramid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pyramid: Vec<u32>,
    /// Seconds each repetition (or each set) is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_s: Option<u32>,
    /// Minutes per bout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Rest between sets, seconds.
    #[serde(default)]
    pub rest_s: u32,
    /// Done on each side.
    #[serde(default)]
    pub per_side: bool,
}

impl Dose {
    /// The dose as a person would say it, e.g. "3 rounds: hold 8 s, 5 times; rest 20 s between
    /// rounds".
    pub fn describe(&self) -> String {
        describe_dose(
            self.sets,
            self.reps,
            &self.pyramid,
            self.hold_s,
            self.minutes,
            self.rest_s,
            self.per_side,
        )
    }
}

/// The words of a dose, as a person would say it (shared by [`Dose::describe`] and the
/// program's prescriptions):
///
/// - "5 times", "2 rounds of 8 on each side; rest 45 s between rounds";
/// - "3 rounds: hold 8 s, 5 times; rest 20 s between rounds";
/// - "3 rounds: hold 10 s, 5 times, then 3, then 1; rest 20 s between rounds" (falling sets);
/// - "hold 10 s, 3 times on each side; rest 20 s between holds";
/// - "5 minutes, twice".
pub(crate) fn describe_dose(
    sets: u32,
    reps: Option<u32>,
    pyramid: &[u32],
    hold_s: Option<u32>,
    minutes: Option<u32>,
    rest_s: u32,
    per_side: bool,
) -> String {
    let side = if per_side { " on each side" } else { "" };
    let hold = hold_s.map(|h| format!("hold {h} s, ")).unwrap_or_default();
    let (mut out, between) = if let Some(m) = minutes {
        let each = crate::words::count(m, "minute", "minutes");
        let out = if sets == 1 {
            each
        } else {
            format!("{each}, {}", times(sets))
        };
        (out, "bouts")
    } else if let Some((first, rest)) = pyramid.split_first() {
        let mut falling = times(*first);
        for r in rest {
            let _ = write!(falling, ", then {r}");
        }
        (format!("{}{side}: {hold}{falling}", rounds(sets)), "rounds")
    } else if let Some(r) = reps {
        let out = match (sets, hold_s) {
            (1, _) => format!("{hold}{}{side}", times(r)),
            (_, Some(_)) => format!("{}{side}: {hold}{}", rounds(sets), times(r)),
            (_, None) => format!("{} of {r}{side}", rounds(sets)),
        };
        (out, "rounds")
    } else {
        (format!("{hold}{}{side}", times(sets)), "holds")
    };
    if rest_s > 0 && sets > 1 {
        let _ = write!(out, "; rest {rest_s} s between {between}");
    }
    out
}

/// "once", "twice", "3 times".
fn times(n: u32) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// "1 round", "3 rounds".
fn rounds(n: u32) -> String {
    crate::words::count(n, "round", "rounds")
}

/// An exercise of the at-home program (`exercises.toml`).
///
/// It reads from the file's shape ([`ExerciseEntry`], where `drawing` names a file) and is
/// completed when the knowledge base loads: `drawing` then holds the SVG itself.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "ExerciseEntry")]
pub struct ExerciseInfo {
    /// Id, e.g. `bird-dog`: what journal sets and the program refer to.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is and what it is for, in one or two sentences.
    pub summary: String,
    /// What it mainly trains.
    pub category: ExerciseCategory,
    /// How to do it, one instruction each.
    pub steps: Vec<String>,
    /// The dose at each level, from level 1 up.
    pub levels: Vec<Dose>,
    /// How the levels build, and what comes after the last.
    pub progression: String,
    /// When to drop back a level.
    pub back_off: String,
    /// Who should not do it without a clinician's go-ahead.
    pub not_for: Vec<String>,
    /// How it suits each pain type.
    pub fit: BTreeMap<PainType, Fit>,
    /// The drawing: a schematic SVG with a `<title>`, no scripts, fonts or external
    /// references.
    pub drawing: String,
    /// The drawing's file under `content/exercises/`.
    #[serde(skip)]
    pub drawing_file: String,
    /// The camera coach's preset (`motion::PRESET_IDS`), when it can follow this exercise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracker: Option<String>,
    /// Where to put the camera for the coach (given with `tracker`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera: Option<String>,
    /// What it asks of the body that a condition can rule out.
    pub body: ExerciseBody,
    /// How to adapt it for a restriction, where it can be adapted.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub adapt: BTreeMap<Restriction, Adaptation>,
    /// Exercises offered in its place when a restriction rules it out (ids, first suitable
    /// one wins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Offered only in place of another exercise, never on its own.
    pub alternative_only: bool,
    /// Sources.
    pub sources: Vec<String>,
}

/// What an exercise asks of the body, in the words the restrictions use.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExerciseBody {
    /// What the body rests on.
    pub support: Support,
    /// Whether the spine rounds forward under load.
    #[serde(default)]
    pub spinal_flexion: SpinalFlexion,
    /// What it asks of the hips (only the hip restrictions).
    #[serde(default)]
    pub hip: Vec<Restriction>,
}

impl ExerciseBody {
    /// Every restriction this exercise falls under.
    pub fn restrictions(&self) -> Vec<Restriction> {
        let mut out: Vec<Restriction> = self.support.restriction().into_iter().collect();
        if self.spinal_flexion != SpinalFlexion::None {
            out.push(Restriction::LoadedFlexion);
        }
        out.extend(self.hip.iter().copied());
        out
    }
}

/// How much an exercise rounds the spine forward under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SpinalFlexion {
    /// Not at all: the spine stays neutral.
    #[default]
    None,
    /// One part of the movement rounds the spine (the "cat" of the cat-camel).
    Part,
    /// The movement is a rounding of the spine against a load (a curl-up).
    Loaded,
}

/// How an exercise is adapted for a restriction.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adaptation {
    /// What to change.
    pub how: String,
    /// Pain types for which the adapted form is not suitable either (the program then swaps or
    /// leaves the exercise out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_for: Vec<PainType>,
    /// Whether the camera coach can follow the adapted form (its preset counts the whole
    /// movement).
    #[serde(default = "yes")]
    pub coach: bool,
}

fn yes() -> bool {
    true
}

/// An exercise as `exercises.toml` writes it: [`ExerciseInfo`] with the drawing's file name
/// and each level as `[[exercise.level]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseEntry {
    id: String,
    name: String,
    summary: String,
    category: ExerciseCategory,
    steps: Vec<String>,
    #[serde(rename = "level")]
    levels: Vec<Dose>,
    progression: String,
    back_off: String,
    not_for: Vec<String>,
    fit: BTreeMap<PainType, Fit>,
    drawing: String,
    #[serde(default)]
    tracker: Option<String>,
    #[serde(default)]
    camera: Option<String>,
    body: ExerciseBody,
    #[serde(default)]
    adapt: BTreeMap<Restriction, Adaptation>,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    alternative_only: bool,
    sources: Vec<String>,
}

impl From<ExerciseEntry> for ExerciseInfo {
    fn from(e: ExerciseEntry) -> ExerciseInfo {
        ExerciseInfo {
            id: e.id,
            name: e.name,
            summary: e.summary,
            category: e.category,
            steps: e.steps,
            levels: e.levels,
            progression: e.progression,
            back_off: e.back_off,
            not_for: e.not_for,
            fit: e.fit,
            drawing: String::new(),
            drawing_file: e.drawing,
            tracker: e.tracker,
            camera: e.camera,
            body: e.body,
            adapt: e.adapt,
            alternatives: e.alternatives,
            alternative_only: e.alternative_only,
            sources: e.sources,
        }
    }
}

/// How an exercise suits a pain type the content leaves out (validated content leaves none
/// out).
static SUGGESTED: Fit = Fit::Suggested;

/// The dose of an exercise without levels (validated content has none).
static ONE_SET: Dose = Dose {
    level: 1,
    variant: None,
    sets: 1,
    reps: None,
    pyramid: Vec::new(),
    hold_s: None,
    minutes: None,
    rest_s: 0,
    per_side: false,
};

impl ExerciseInfo {
    /// The highest level.
    pub fn max_level(&self) -> u8 {
        self.levels.iter().map(|d| d.level).max().unwrap_or(1)
    }

    /// The dose at `level`, or at the nearest level there is (the highest above it, 1 below).
    pub fn dose(&self, level: u8) -> &Dose {
        let level = level.clamp(1, self.max_level());
        self.levels
            .iter()
            .find(|d| d.level == level)
            .or_else(|| self.levels.first())
            .unwrap_or(&ONE_SET)
    }

    /// How it suits `pain_type`.
    pub fn fit(&self, pain_type: PainType) -> &Fit {
        self.fit.get(&pain_type).unwrap_or(&SUGGESTED)
    }
}
