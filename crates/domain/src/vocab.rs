//! The domain's closed vocabularies: pain types, roles, verdicts, red-flag levels, times of day,
//! tip phases, evidence grades and posture demand levels.
//!
//! Each word parses from its canonical lower-case id and refuses anything else with an error
//! that names the bad value and every allowed one, so that every front end (CLI, web, API)
//! reports bad input the same way.

use std::fmt;
use std::str::FromStr;

/// The OpenAPI schema of a vocabulary: a string that takes one of `values`.
#[cfg(feature = "openapi")]
fn string_enum<'a>(
    what: &str,
    values: impl Iterator<Item = &'a str>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(format!("A {what}.")))
        .enum_values(Some(values.collect::<Vec<_>>()))
        .into()
}

/// A value that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{value}' (expected one of: {})", allowed.join(", "))]
pub struct UnknownValue {
    /// What kind of value was expected, e.g. "pain type".
    pub what: &'static str,
    /// The value that was given.
    pub value: String,
    /// Every value that would have been accepted.
    pub allowed: Vec<String>,
}

impl UnknownValue {
    /// An error for `value`, which is not among `allowed`.
    pub fn new<I, S>(what: &'static str, value: &str, allowed: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UnknownValue {
            what,
            value: value.to_owned(),
            allowed: allowed.into_iter().map(Into::into).collect(),
        }
    }
}

/// Declares a closed vocabulary: an enum with a canonical id per variant, `ALL`, `as_str`,
/// `Display`, `FromStr` (with [`UnknownValue`]) and serde support through the id.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical id.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($id => Ok($name::$variant),)+
                    _ => Err(UnknownValue::new(
                        $what,
                        s,
                        $name::ALL.iter().map(|v| v.as_str()),
                    )),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                string_enum($what, $name::ALL.iter().map(|v| v.as_str()))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

vocabulary! {
    /// What provokes a person's low back pain (or that they have none).
    PainType, "pain type" {
        /// Bending forward, sitting, rounding the lower back.
        Flexion = "flexion",
        /// Arching backward, standing or walking for long.
        Extension = "extension",
        /// Any movement away from a neutral spine.
        Motion = "motion",
        /// No back pain.
        None = "none",
        /// Back pain without a clear pattern (yet).
        Unclear = "unclear",
    }
}

impl PainType {
    /// Whether this person has back pain at all.
    pub const fn has_pain(self) -> bool {
        !matches!(self, PainType::None)
    }

    /// The posture dimensions that provoke this pain type. `unclear` is sensitive to all three
    /// (the plan falls back to a neutral spine); `none` to none.
    pub const fn sensitive_to(self) -> &'static [Dimension] {
        match self {
            PainType::Flexion => &[Dimension::Flexion],
            PainType::Extension => &[Dimension::Extension],
            PainType::Motion => &[Dimension::Motion],
            PainType::Unclear => &[Dimension::Flexion, Dimension::Extension, Dimension::Motion],
            PainType::None => &[],
        }
    }
}

vocabulary! {
    /// A partner's role in a position. The studies behind the position table filmed
    /// heterosexual couples; the model is role-based so that it serves every couple.
    Role, "role" {
        /// The partner the studies call the woman.
        Receptive = "receptive",
        /// The partner the studies call the man.
        Insertive = "insertive",
    }
}

impl Role {
    /// The other role in a position.
    pub const fn other(self) -> Role {
        match self {
            Role::Receptive => Role::Insertive,
            Role::Insertive => Role::Receptive,
        }
    }

    /// What the partner in this role does, in plain words.
    pub const fn meaning(self) -> &'static str {
        match self {
            Role::Receptive => "the partner who is penetrated",
            Role::Insertive => "the partner who penetrates",
        }
    }
}

vocabulary! {
    /// The role a person takes, as they describe it: one of the two roles, or `switch` for
    /// couples who take turns (or where it varies). A couple that switches has each position
    /// judged both ways round, and the more cautious verdict is kept for each back.
    RoleChoice, "role" {
        /// Always the receptive partner: the partner who is penetrated.
        Receptive = "receptive",
        /// Always the insertive partner: the partner who penetrates.
        Insertive = "insertive",
        /// Both roles, taking turns or as it comes.
        Switch = "switch",
    }
}

impl RoleChoice {
    /// The role, when it is always the same one.
    pub const fn fixed(self) -> Option<Role> {
        match self {
            RoleChoice::Receptive => Some(Role::Receptive),
            RoleChoice::Insertive => Some(Role::Insertive),
            RoleChoice::Switch => None,
        }
    }

    /// The partner's role when they say nothing: the other fixed role, or `switch`.
    pub const fn other(self) -> RoleChoice {
        match self {
            RoleChoice::Receptive => RoleChoice::Insertive,
            RoleChoice::Insertive => RoleChoice::Receptive,
            RoleChoice::Switch => RoleChoice::Switch,
        }
    }

    /// What a person in this role does, in plain words.
    pub const fn meaning(self) -> &'static str {
        match self {
            RoleChoice::Receptive => Role::Receptive.meaning(),
            RoleChoice::Insertive => Role::Insertive.meaning(),
            RoleChoice::Switch => "partners who take turns, or where it varies",
        }
    }
}

impl From<Role> for RoleChoice {
    fn from(role: Role) -> RoleChoice {
        match role {
            Role::Receptive => RoleChoice::Receptive,
            Role::Insertive => RoleChoice::Insertive,
        }
    }
}

vocabulary! {
    /// A posture or movement that a condition can rule out or flag. The same words describe
    /// what a position asks of each partner and what an exercise asks of the body, so that
    /// one rule covers both (`crate::safety`).
    Restriction, "restriction" {
        /// Lying flat on the back (pregnancy from about 20 weeks).
        LyingOnBack = "lying-on-back",
        /// Lying face down (pregnancy).
        LyingFaceDown = "lying-face-down",
        /// Bending the hip past 90 degrees (hip replacement).
        HipPast90 = "hip-past-90",
        /// Bringing the knee across the body's midline (hip replacement).
        HipAcrossMidline = "hip-across-midline",
        /// Turning the thigh inward (hip replacement).
        HipInwardRotation = "hip-inward-rotation",
        /// Taking the hip back with the leg turned out (hip replacement by the front approach).
        HipBackTurnedOut = "hip-back-turned-out",
        /// Rounding the spine forward under load (osteoporosis).
        LoadedFlexion = "loaded-flexion",
    }
}

impl Restriction {
    /// Whether it is about the hip, as a posture profile or an exercise lists it.
    pub const fn is_hip(self) -> bool {
        matches!(
            self,
            Restriction::HipPast90
                | Restriction::HipAcrossMidline
                | Restriction::HipInwardRotation
                | Restriction::HipBackTurnedOut
        )
    }
}

vocabulary! {
    /// How safe a position is for a back. Ordered from safest to least safe, so that the
    /// couple's verdict is the `max` of the partners'.
    Verdict, "verdict" {
        /// Suits this back.
        Recommended = "recommended",
        /// Possible with care and the listed modifications.
        Caution = "caution",
        /// Likely to provoke this back's pain.
        Avoid = "avoid",
    }
}

vocabulary! {
    /// How soon a symptom needs a clinician. Ordered from least to most urgent.
    Level, "red-flag level" {
        /// Nothing that needs a doctor now.
        None = "none",
        /// Book an appointment; mention it at the next visit.
        Soon = "soon",
        /// See a doctor today or tomorrow.
        Urgent = "urgent",
        /// Get emergency care now.
        Emergency = "emergency",
    }
}

impl Level {
    /// Whether this level withholds all other advice: the referral comes alone.
    pub const fn withholds_advice(self) -> bool {
        matches!(self, Level::Urgent | Level::Emergency)
    }
}

vocabulary! {
    /// The time of day intimacy is planned for.
    TimeOfDay, "time of day" {
        /// The first hours after getting up.
        Morning = "morning",
        /// Afternoon.
        Afternoon = "afternoon",
        /// Evening.
        Evening = "evening",
        /// Night.
        Night = "night",
    }
}

vocabulary! {
    /// When a tip applies.
    Phase, "tip phase" {
        /// Before intimacy.
        Before = "before",
        /// During intimacy.
        During = "during",
        /// Afterwards.
        After = "after",
    }
}

vocabulary! {
    /// How strong the evidence behind a tip is (GRADE-style, plus consensus for advice that
    /// rests on clinical experience and common sense rather than trials).
    EvidenceGrade, "evidence grade" {
        /// Several good trials agree.
        High = "high",
        /// Trials support it, with some doubt.
        Moderate = "moderate",
        /// Little or weak evidence.
        Low = "low",
        /// Too little evidence to say.
        VeryLow = "very-low",
        /// Clinical consensus and common sense; not tested in trials.
        Consensus = "consensus",
    }
}

vocabulary! {
    /// A direction of lumbar strain in the posture model.
    Dimension, "posture dimension" {
        /// Rounding the lower back forward.
        Flexion = "flexion",
        /// Arching the lower back backward.
        Extension = "extension",
        /// Moving the lower back repeatedly away from neutral.
        Motion = "motion",
    }
}

vocabulary! {
    /// A preparation step before intimacy, from the routine the seed articles describe: warmth
    /// and stretching before, a pain reliever in good time, pillows for support, ice after.
    Preparation, "preparation" {
        /// A warm bath or shower beforehand.
        WarmBath = "warm-bath",
        /// Gentle stretching beforehand.
        Stretching = "stretching",
        /// A pain reliever taken beforehand.
        PainReliever = "pain-reliever",
        /// Pillows or cushions for support.
        Pillows = "pillows",
        /// Ice on the back afterwards.
        IceAfter = "ice-after",
    }
}

impl Preparation {
    /// The step in words.
    pub const fn label(self) -> &'static str {
        match self {
            Preparation::WarmBath => "a warm bath or shower",
            Preparation::Stretching => "stretching",
            Preparation::PainReliever => "a pain reliever",
            Preparation::Pillows => "pillows for support",
            Preparation::IceAfter => "ice afterwards",
        }
    }
}

vocabulary! {
    /// How an exercise session left the back.
    Felt, "feeling" {
        /// Better than before.
        Better = "better",
        /// About the same.
        Same = "same",
        /// Worse than before.
        Worse = "worse",
    }
}

vocabulary! {
    /// The kinds of journal entry.
    EntryKind, "entry kind" {
        /// Intimacy: positions, preparation, pain before, during and after.
        Intimacy = "intimacy",
        /// A daily check-in: pain morning and evening, sleep, mood, stress.
        Daily = "daily",
        /// The weekly PEG scale: pain, enjoyment of life, general activity.
        Peg = "peg",
        /// An exercise session.
        Exercise = "exercise",
        /// A completed self-assessment.
        Assessment = "assessment",
    }
}

impl EntryKind {
    /// The kind in words.
    pub const fn label(self) -> &'static str {
        match self {
            EntryKind::Intimacy => "Intimacy",
            EntryKind::Daily => "Daily check-in",
            EntryKind::Peg => "Weekly PEG",
            EntryKind::Exercise => "Exercise",
            EntryKind::Assessment => "Assessment",
        }
    }
}

/// How much a position asks of the lower back in one [`Dimension`], on an ordinal scale
/// from 0 (stays neutral) to 4 (end of range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Demand(u8);

impl Demand {
    /// The lowest demand: the lower back stays neutral.
    pub const NEUTRAL: Demand = Demand(0);
    /// The highest demand: the lower back goes to the end of its range.
    pub const MAX: Demand = Demand(4);

    /// A demand from its level, if it is on the scale (0–4).
    pub const fn new(level: u8) -> Option<Demand> {
        if level <= Self::MAX.0 {
            Some(Demand(level))
        } else {
            None
        }
    }

    /// The level, 0–4.
    pub const fn level(self) -> u8 {
        self.0
    }

    /// This demand shifted by `delta` levels, kept on the scale.
    pub fn shifted(self, delta: i8) -> Demand {
        let level = (i16::from(self.0) + i16::from(delta)).clamp(0, i16::from(Self::MAX.0));
        Demand(u8::try_from(level).unwrap_or(Self::MAX.0))
    }

    /// A plain word for the level.
    pub const fn word(self) -> &'static str {
        match self.0 {
            0 => "neutral",
            1 => "slight",
            2 => "moderate",
            3 => "marked",
            _ => "end of range",
        }
    }
}

impl fmt::Display for Demand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl<'de> serde::Deserialize<'de> for Demand {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let level = <u8 as serde::Deserialize>::deserialize(d)?;
        Demand::new(level).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "demand {level} is off the scale (expected 0 to {})",
                Demand::MAX.0
            ))
        })
    }
}

impl serde::Serialize for Demand {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

/// A pain score on the 0–10 numeric rating scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct PainScore(u8);

/// A pain score that is not a whole number from 0 to 10.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pain '{0}' is not a whole number from 0 to 10")]
pub struct BadPainScore(pub String);

impl PainScore {
    /// The highest score.
    pub const MAX: u8 = 10;
    /// From this score up, a day counts as a high-pain day and the plan tightens.
    pub const HIGH: PainScore = PainScore(7);
    /// From this score up, pain is severe: only closeness without intercourse stays safe.
    pub const SEVERE: PainScore = PainScore(9);

    /// A score, if it is on the scale.
    pub const fn new(score: u8) -> Option<PainScore> {
        if score <= Self::MAX {
            Some(PainScore(score))
        } else {
            None
        }
    }

    /// The score, 0–10.
    pub const fn value(self) -> u8 {
        self.0
    }
}

impl FromStr for PainScore {
    type Err = BadPainScore;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<u8>()
            .ok()
            .and_then(PainScore::new)
            .ok_or_else(|| BadPainScore(s.to_owned()))
    }
}

impl<'de> serde::Deserialize<'de> for PainScore {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n: i64 = crate::whole_number::read(d)?;
        u8::try_from(n)
            .ok()
            .and_then(PainScore::new)
            .ok_or_else(|| serde::de::Error::custom(BadPainScore(n.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_name_the_value_and_the_allowed_ones() {
        let err = "sideways".parse::<PainType>().expect_err("not a pain type");
        assert_eq!(
            err.to_string(),
            "unknown pain type 'sideways' (expected one of: flexion, extension, motion, none, unclear)"
        );
    }

    #[test]
    fn every_vocabulary_round_trips_through_its_id() {
        for p in PainType::ALL {
            assert_eq!(p.as_str().parse::<PainType>(), Ok(*p));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
            assert_eq!(r.other().other(), *r);
        }
        for l in Level::ALL {
            assert_eq!(l.as_str().parse::<Level>(), Ok(*l));
        }
    }

    #[test]
    fn orders_put_the_worse_value_last() {
        assert!(Verdict::Avoid > Verdict::Caution && Verdict::Caution > Verdict::Recommended);
        assert!(Level::Emergency > Level::Urgent && Level::Urgent > Level::Soon);
        assert!(Level::Soon > Level::None);
    }

    #[test]
    fn demand_shifts_stay_on_the_scale() {
        assert_eq!(Demand::NEUTRAL.shifted(-1), Demand::NEUTRAL);
        assert_eq!(Demand::MAX.shifted(2), Demand::MAX);
        assert_eq!(Demand::new(2).map(|d| d.shifted(-1)), Demand::new(1));
        assert_eq!(Demand::new(5), None);
    }

    #[test]
    fn pain_scores_are_whole_numbers_from_0_to_10() {
        assert_eq!("7".parse::<PainScore>().map(PainScore::value), Ok(7));
        for bad in ["11", "-1", "3.5", "", "ten"] {
            assert!(bad.parse::<PainScore>().is_err(), "{bad} should be refused");
        }
    }
}
