//! The self-assessment: red flags first, then answers about what provokes and eases the pain,
//! scored into a pain type with a confidence, or `unclear` when the answers are weak or point
//! more than one way.
//!
//! Each answer gives evidence (a weight) for flexion, extension and motion intolerance. A pain
//! type's strength is its evidence as a share of the most the questionnaire could give it. The
//! strongest type is named when it is strong enough (`min_strength`) and leads the runner-up
//! clearly enough (`min_margin`); both thresholds are content, in `questionnaire.toml`.
//! Confidence is the strength (counted as full from 60 % of the maximum) times the lead as a
//! share of the strength: strong, one-sided answers give a confident result.

use std::collections::BTreeMap;

use crate::knowledge::{AnswerOption, Knowledge};
use crate::triage::Triage;
use crate::vocab::{PainType, UnknownValue};

/// The pain types the questionnaire tells apart.
pub const SCORED: [PainType; 3] = [PainType::Flexion, PainType::Extension, PainType::Motion];

/// Strength at and above this share of the maximum counts as full strength.
const FULL_STRENGTH: f64 = 0.6;

/// A person's answers: red flags (symptom ids) and an option id for every item.
///
/// As JSON: `{"red_flags": [...], "answers": {"item": "option", ...}}`. Only an object of
/// that shape is accepted: no unknown fields, no question answered twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Answers {
    /// Symptom ids reported in the red-flag screen.
    pub red_flags: Vec<String>,
    /// Item id to option id.
    pub answers: BTreeMap<String, String>,
}

impl<'de> serde::Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};

        /// A map of strings in which a repeated key is an error, not a silent overwrite.
        struct UniqueMap(BTreeMap<String, String>);

        impl<'de> serde::Deserialize<'de> for UniqueMap {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = UniqueMap;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an object of question ids to answer ids")
                    }
                    fn visit_map<A: MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<UniqueMap, A::Error> {
                        let mut out = BTreeMap::new();
                        while let Some((k, v)) = map.next_entry::<String, String>()? {
                            if out.contains_key(&k) {
                                return Err(de::Error::custom(format!(
                                    "question '{k}' is answered twice"
                                )));
                            }
                            out.insert(k, v);
                        }
                        Ok(UniqueMap(out))
                    }
                }
                d.deserialize_map(V)
            }
        }

        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"an object {"red_flags": [...], "answers": {...}}"#)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers, A::Error> {
                let mut red_flags: Option<Vec<String>> = None;
                let mut answers: Option<UniqueMap> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "red_flags" if red_flags.is_none() => red_flags = Some(map.next_value()?),
                        "answers" if answers.is_none() => answers = Some(map.next_value()?),
                        "red_flags" | "answers" => {
                            return Err(de::Error::custom(format!("field '{key}' is given twice")));
                        }
                        other => {
                            return Err(de::Error::unknown_field(other, &["red_flags", "answers"]));
                        }
                    }
                }
                Ok(Answers {
                    red_flags: red_flags.unwrap_or_default(),
                    answers: answers.map(|a| a.0).unwrap_or_default(),
                })
            }
        }

        d.deserialize_map(AnswersVisitor)
    }
}

/// Answers the questionnaire cannot score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// An unknown item or symptom.
    #[error(transparent)]
    Unknown(#[from] UnknownValue),
    /// An answer that is not one of the item's options.
    #[error("unknown answer '{value}' to question '{item}' (expected one of: {})", allowed.join(", "))]
    UnknownOption {
        /// The item.
        item: String,
        /// The answer given.
        value: String,
        /// The item's options.
        allowed: Vec<String>,
    },
    /// Items without an answer.
    #[error("no answer to question(s): {}", .0.join(", "))]
    Missing(Vec<String>),
}

/// How sure the assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfidenceLabel {
    /// Weak or mixed answers.
    Low,
    /// A pattern, with some doubt.
    Moderate,
    /// A clear pattern.
    High,
}

impl ConfidenceLabel {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConfidenceLabel::Low => "low",
            ConfidenceLabel::Moderate => "moderate",
            ConfidenceLabel::High => "high",
        }
    }
}

/// Why a result is `unclear`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclear {
    /// No pattern is strong enough to name.
    Weak,
    /// Two patterns are about as strong as each other.
    Mixed(PainType, PainType),
}

/// The pain type the answers point to.
#[derive(Debug, Clone)]
pub struct PainTypeResult<'k> {
    /// The pain type (`unclear` when the answers do not settle it).
    pub pain_type: PainType,
    /// How sure, 0–1.
    pub confidence: f64,
    /// How sure, in a word.
    pub confidence_label: ConfidenceLabel,
    /// Strength of the evidence for each scored type, 0–1.
    pub strengths: [(PainType, f64); 3],
    /// The answers that support the result (for `unclear`, the two leading patterns).
    pub why: Vec<&'k str>,
    /// Answers that point elsewhere.
    pub against: Vec<&'k str>,
    /// Why the result is unclear, if it is.
    pub unclear: Option<Unclear>,
}

/// The whole assessment.
#[derive(Debug, Clone)]
pub struct Assessment<'k> {
    /// Red flags come first.
    pub triage: Triage<'k>,
    /// The pain type; `None` when the red flags call for a doctor before anything else.
    pub result: Option<PainTypeResult<'k>>,
}

/// Checks the answers against the questionnaire and returns the chosen option per item, in
/// questionnaire order.
fn chosen<'k>(
    knowledge: &'k Knowledge,
    answers: &Answers,
) -> Result<Vec<&'k AnswerOption>, AnswerError> {
    for item_id in answers.answers.keys() {
        knowledge.item(item_id)?;
    }
    let mut missing = Vec::new();
    let mut options = Vec::with_capacity(knowledge.questionnaire.items.len());
    for item in &knowledge.questionnaire.items {
        let Some(answer) = answers.answers.get(&item.id) else {
            missing.push(item.id.clone());
            continue;
        };
        let option = item
            .options
            .iter()
            .find(|o| &o.id == answer)
            .ok_or_else(|| AnswerError::UnknownOption {
                item: item.id.clone(),
                value: answer.clone(),
                allowed: item.options.iter().map(|o| o.id.clone()).collect(),
            })?;
        options.push(option);
    }
    if missing.is_empty() {
        Ok(options)
    } else {
        Err(AnswerError::Missing(missing))
    }
}

/// The most evidence the questionnaire can give each scored pain type.
fn maxima(knowledge: &Knowledge) -> [f64; 3] {
    SCORED.map(|t| {
        knowledge
            .questionnaire
            .items
            .iter()
            .map(|i| i.options.iter().map(|o| o.weight(t)).fold(0.0, f64::max))
            .sum()
    })
}

/// Checks the red flags, then scores the answers. At `urgent` or `emergency` no pain type is
/// given and the answers may be incomplete (the questions stop at the red flags); otherwise
/// every item needs an answer.
pub fn assess<'k>(
    knowledge: &'k Knowledge,
    answers: &Answers,
) -> Result<Assessment<'k>, AnswerError> {
    let triage = crate::safety::red_flags(knowledge, &answers.red_flags, &[], &[])?.triage;
    let result = match chosen(knowledge, answers) {
        _ if triage.level.withholds_advice() => {
            // Unknown ids are still bad input, even when the answers stop early.
            check_ids(knowledge, answers)?;
            None
        }
        Ok(options) => Some(score(knowledge, &options)),
        Err(e) => return Err(e),
    };
    Ok(Assessment { triage, result })
}

/// Every answered item and answer exists, whether or not all items are answered.
fn check_ids(knowledge: &Knowledge, answers: &Answers) -> Result<(), AnswerError> {
    for (item_id, answer) in &answers.answers {
        let item = knowledge.item(item_id)?;
        if !item.options.iter().any(|o| &o.id == answer) {
            return Err(AnswerError::UnknownOption {
                item: item.id.clone(),
                value: answer.clone(),
                allowed: item.options.iter().map(|o| o.id.clone()).collect(),
            });
        }
    }
    Ok(())
}

fn score<'k>(knowledge: &'k Knowledge, options: &[&'k AnswerOption]) -> PainTypeResult<'k> {
    let scoring = knowledge.questionnaire.scoring;
    let max = maxima(knowledge);
    let strengths: [(PainType, f64); 3] = std::array::from_fn(|i| {
        let t = SCORED[i];
        let got: f64 = options.iter().map(|o| o.weight(t)).sum();
        (t, if max[i] > 0.0 { got / max[i] } else { 0.0 })
    });
    let mut ranked = strengths;
    // Stable: among equal strengths, the canonical order decides.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let [(top, s_top), (second, s_second), _] = ranked;
    let margin = s_top - s_second;
    let confidence = if s_top > 0.0 {
        ((s_top / FULL_STRENGTH).min(1.0) * (margin / s_top)).clamp(0.0, 1.0)
    } else {
        0.0
    };

    let supporting = options.iter().filter(|o| o.weight(top) > 0.0).count();
    let unclear = if s_top < scoring.min_strength || supporting < scoring.min_supporting_answers {
        Some(Unclear::Weak)
    } else if margin < scoring.min_margin {
        Some(Unclear::Mixed(top, second))
    } else {
        None
    };
    let pain_type = if unclear.is_some() {
        PainType::Unclear
    } else {
        top
    };
    let confidence_label = if unclear.is_some() || confidence < scoring.moderate_confidence {
        ConfidenceLabel::Low
    } else if confidence < scoring.high_confidence
        || supporting < scoring.high_confidence_supporting_answers
    {
        ConfidenceLabel::Moderate
    } else {
        ConfidenceLabel::High
    };

    let supports = |o: &&AnswerOption, types: &[PainType]| types.iter().any(|&t| o.weight(t) > 0.0);
    let leading: Vec<PainType> = match unclear {
        None => vec![top],
        Some(Unclear::Mixed(a, b)) => vec![a, b],
        Some(Unclear::Weak) => SCORED.to_vec(),
    };
    let why = options
        .iter()
        .filter(|o| supports(o, &leading))
        .filter_map(|o| o.finding.as_deref())
        .collect();
    let against = match unclear {
        None => options
            .iter()
            .filter(|o| !supports(o, &leading) && supports(o, &SCORED))
            .filter_map(|o| o.finding.as_deref())
            .collect(),
        Some(_) => Vec::new(),
    };

    PainTypeResult {
        pain_type,
        confidence,
        confidence_label,
        strengths,
        why,
        against,
        unclear,
    }
}
