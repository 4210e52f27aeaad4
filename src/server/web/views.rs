//! What the templates see: the page frame, the plan form with its choices, and the plan as
//! cards with drawings. Built from the engine's results and the JSON shapes of `dto`, so that
//! the pages and the API say the same thing.

use askama::Template;
use axum::response::Html;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::personal::{PersonalPlan, RankChange};
use spinewise_domain::recommend::{PersonInput, Plan, PlanRequest};
use spinewise_domain::safety;
use spinewise_domain::vocab::{PainType, Phase, Role, TimeOfDay, Verdict};
use spinewise_domain::words::{count, lower_first};

use crate::server::auth::Visitor;
use crate::server::error::{AppError, PageError};
use crate::server::web::drawing;
use spinewise_app::dto::{self, PlanDto, PositionPlanDto, TipDto};

/// The frame around every page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's title.
    pub title: String,
    /// Which part of the navigation is current.
    pub section: &'static str,
    /// The signed-in user's login, if any.
    pub user: Option<String>,
    /// The token every form posts back.
    pub csrf: String,
    /// Education, not diagnosis.
    pub disclaimer: String,
    /// The knowledge base, for the citations.
    pub knowledge: &'static Knowledge,
    /// The emergency number, for the tap-to-call link.
    pub emergency_number: String,
    /// Whether a new recovery code waits in the session, not yet saved: every page then says
    /// so, with a link to it.
    pub recovery_code_waiting: bool,
}

impl Page {
    /// A page for this visitor.
    pub fn new(
        k: &'static Knowledge,
        visitor: &Visitor,
        title: impl Into<String>,
        section: &'static str,
    ) -> Page {
        Page {
            title: title.into(),
            section,
            user: visitor.login().map(str::to_owned),
            csrf: visitor.csrf(),
            disclaimer: k.about.disclaimer.clone(),
            knowledge: k,
            emergency_number: visitor.emergency_number().to_owned(),
            recovery_code_waiting: visitor
                .user()
                .is_some_and(|u| u.shown_once.recovery_code().is_some()),
        }
    }

    /// How a source is cited where a fact is used: its authors and year
    /// ("Sidorkewicz and McGill 2014"), linking to the sources page; its id only if the
    /// knowledge base has no such source.
    pub fn cite(&self, id: &str) -> String {
        self.knowledge
            .source(id)
            .map_or_else(|_| id.to_owned(), |s| s.short_citation())
    }
}

/// The plan form, with what is chosen.
#[derive(Debug, Clone)]
pub struct PlanForm {
    pub pain_types: Vec<(&'static str, String)>,
    pub roles: Vec<(&'static str, &'static str)>,
    pub times: Vec<&'static str>,
    pub pain_type: String,
    pub role: String,
    pub pain_now: String,
    pub pregnancy_weeks: String,
    pub partner_pain_type: String,
    pub partner_pain_now: String,
    pub partner_pregnancy_weeks: String,
    pub time: String,
    pub conditions: Vec<(String, String, bool)>,
    pub partner_conditions: Vec<(String, String, bool)>,
    pub symptoms: Vec<(String, String, bool)>,
    /// After the assessment: the red flags it asked about are not asked again; those ticked
    /// there travel with the form.
    pub after_assessment: bool,
    pub carried_symptoms: Vec<String>,
    pub save: bool,
    pub weeks: WeeksField,
}

/// The week-of-pregnancy field's highest value and hint, from the safety policy.
#[derive(Debug, Clone)]
pub struct WeeksField {
    pub max: u8,
    /// What leaving it blank means.
    pub hint: String,
}

impl WeeksField {
    pub fn new(k: &Knowledge) -> WeeksField {
        WeeksField {
            max: safety::MAX_PREGNANCY_WEEKS,
            hint: safety::unknown_week_hint(k).unwrap_or_default(),
        }
    }
}

impl PlanForm {
    /// The form after the assessment: the pain type it found, and only the red-flag
    /// questions it did not ask (its answers travel along as hidden fields).
    pub fn after_assessment(k: &Knowledge, values: &PlanValues, red_flags: &[String]) -> PlanForm {
        let mut form = PlanForm::new(k, values);
        let screened = |id: &str| {
            k.symptoms
                .iter()
                .any(|s| s.id == id && s.screen_in_assessment)
        };
        form.symptoms.retain(|(id, _, _)| !screened(id));
        form.after_assessment = true;
        form.carried_symptoms = red_flags.to_vec();
        form
    }

    /// A form with these values chosen.
    pub fn new(k: &Knowledge, values: &PlanValues) -> PlanForm {
        let checked = |ids: &[String], id: &str| ids.iter().any(|c| c == id);
        let conditions = |chosen: &[String]| {
            k.conditions
                .iter()
                .map(|c| (c.id.clone(), c.name.clone(), checked(chosen, &c.id)))
                .collect()
        };
        PlanForm {
            pain_types: PainType::ALL
                .iter()
                .map(|t| {
                    let name = k
                        .pain_type(*t)
                        .map_or_else(|| t.to_string(), |i| i.name.clone());
                    (t.as_str(), name)
                })
                .collect(),
            roles: vec![
                ("receptive", "Receptive: the partner who is penetrated"),
                ("insertive", "Insertive: the partner who penetrates"),
                ("switch", "We switch: we take turns, or it varies"),
            ],
            times: TimeOfDay::ALL.iter().map(|t| t.as_str()).collect(),
            pain_type: values.pain_type.clone(),
            role: values.role.clone(),
            pain_now: values.pain_now.clone(),
            pregnancy_weeks: values.pregnancy_weeks.clone(),
            partner_pregnancy_weeks: values.partner_pregnancy_weeks.clone(),
            partner_pain_type: if values.partner_pain_type.is_empty() {
                "none".to_owned()
            } else {
                values.partner_pain_type.clone()
            },
            partner_pain_now: values.partner_pain_now.clone(),
            time: values.time.clone(),
            conditions: conditions(&values.conditions),
            partner_conditions: conditions(&values.partner_conditions),
            symptoms: symptom_choices(k, &values.symptoms),
            after_assessment: false,
            carried_symptoms: Vec::new(),
            save: values.save,
            weeks: WeeksField::new(k),
        }
    }
}

/// Every symptom the triage knows, as a checkbox: id, question, whether it is ticked.
pub fn symptom_choices(k: &Knowledge, chosen: &[String]) -> Vec<(String, String, bool)> {
    k.symptoms
        .iter()
        .map(|s| (s.id.clone(), s.question.clone(), chosen.contains(&s.id)))
        .collect()
}

/// The plan form's values, as posted (strings, so that a bad one can be shown back).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanValues {
    pub pain_type: String,
    pub role: String,
    pub pain_now: String,
    pub pregnancy_weeks: String,
    pub partner_pain_type: String,
    pub partner_pain_now: String,
    pub partner_pregnancy_weeks: String,
    pub time: String,
    #[serde(rename = "condition")]
    pub conditions: Vec<String>,
    #[serde(rename = "partner_condition")]
    pub partner_conditions: Vec<String>,
    #[serde(rename = "symptom")]
    pub symptoms: Vec<String>,
    #[serde(deserialize_with = "checkbox")]
    pub save: bool,
    pub view: String,
    pub csrf: String,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    Ok(!s.is_empty())
}

impl PlanValues {
    /// The values a saved profile fills in.
    pub fn from_profile(p: &spinewise_store::ProfileRecord) -> PlanValues {
        let word = |s: Option<&'static str>| s.unwrap_or_default().to_owned();
        PlanValues {
            pain_type: word(p.pain_type.map(|t| t.as_str())),
            role: word(p.role.map(|r| r.as_str())),
            conditions: p.conditions.clone(),
            partner_pain_type: word(p.partner_pain_type.map(|t| t.as_str())),
            partner_conditions: p.partner_conditions.clone(),
            ..PlanValues::default()
        }
    }

    /// The values as hidden form fields, to post the same plan again (the printable view).
    pub fn hidden_fields(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("pain_type".to_owned(), self.pain_type.clone()),
            ("role".to_owned(), self.role.clone()),
            ("pain_now".to_owned(), self.pain_now.clone()),
            ("pregnancy_weeks".to_owned(), self.pregnancy_weeks.clone()),
            (
                "partner_pregnancy_weeks".to_owned(),
                self.partner_pregnancy_weeks.clone(),
            ),
            (
                "partner_pain_type".to_owned(),
                self.partner_pain_type.clone(),
            ),
            ("partner_pain_now".to_owned(), self.partner_pain_now.clone()),
            ("time".to_owned(), self.time.clone()),
        ];
        for (name, list) in [
            ("condition", &self.conditions),
            ("partner_condition", &self.partner_conditions),
            ("symptom", &self.symptoms),
        ] {
            out.extend(list.iter().map(|v| (name.to_owned(), v.clone())));
        }
        out
    }
}

/// One position as a card.
#[derive(Debug)]
pub struct Card {
    pub p: PositionPlanDto,
    pub svg: String,
    pub verdict_label: &'static str,
    pub with_mods_label: &'static str,
    /// The verdict in plain words: "Recommended", or "Avoid as it is" when the changes help,
    /// followed in `with_changes` by what they make of it.
    pub verdict_words: String,
    /// Why the journal moved this position, where it did.
    pub moved: Option<String>,
    /// What the changes make of it, when they help: "with a pillow under the hips: with
    /// care" (the change named when there is one, "with the changes below" otherwise).
    pub with_changes: Option<String>,
    pub receptive_word: &'static str,
    pub insertive_word: &'static str,
    /// The name of each partner's tone in the drawing.
    pub receptive_tone: &'static str,
    pub insertive_tone: &'static str,
    /// Whether the drawing shows a pillow or towel of a suggested modification.
    pub shows_suggestions: bool,
}

/// The plan as the page shows it.
#[derive(Debug)]
pub struct PlanView {
    pub dto: PlanDto,
    /// Worked out from the saved profile, without a form being sent.
    pub from_profile: bool,
    /// What the journal did to the order: how many positions it moved, or why it could not.
    pub journal_note: Option<String>,
    /// The answer first: the best positions for both backs, those the changes make gentler
    /// enough, those to avoid, and what today's plan was worked out for.
    pub summary: PlanSummary,
    pub cards: Vec<Card>,
    pub tips: Vec<(&'static str, Vec<TipDto>)>,
    pub you: String,
    pub partner: String,
    pub resubmit: Vec<(String, String)>,
}

/// The plan at a glance, above its details.
#[derive(Debug, Default)]
pub struct PlanSummary {
    /// The best few positions for both backs: (id, name, verdict in words).
    pub best: Vec<(String, String, &'static str)>,
    /// Positions the changes make gentler: (id, name, what the changes make of it).
    pub gentler: Vec<(String, String, String)>,
    /// Positions to avoid even with the changes: (id, name).
    pub avoid: Vec<(String, String)>,
    /// What today's plan was worked out for: pain, time of day, conditions.
    pub today: Vec<String>,
}

/// How many positions the summary names as the best.
const BEST: usize = 3;

impl PlanSummary {
    /// The best few for both backs, in the cards' order: the recommended ones, else those
    /// to do with care.
    fn best(cards: &[Card]) -> Vec<(String, String, &'static str)> {
        let top = |verdict: &str| -> Vec<(String, String, &'static str)> {
            cards
                .iter()
                .filter(|c| c.p.verdict == verdict)
                .take(BEST)
                .map(|c| (c.p.id.clone(), c.p.name.clone(), c.verdict_label))
                .collect()
        };
        let best = top("recommended");
        if best.is_empty() {
            top("caution")
        } else {
            best
        }
    }

    fn new(k: &Knowledge, request: &PlanRequest, cards: &[Card]) -> PlanSummary {
        let best = PlanSummary::best(cards);
        let gentler = cards
            .iter()
            .filter_map(|c| {
                let changes = c.with_changes.as_ref()?;
                let words = format!("{}; {changes}", lower_first(&c.verdict_words));
                Some((c.p.id.clone(), c.p.name.clone(), words))
            })
            .collect();
        let avoid = cards
            .iter()
            .filter(|c| c.p.verdict == "avoid" && c.with_changes.is_none())
            .map(|c| (c.p.id.clone(), c.p.name.clone()))
            .collect();
        let mut today = Vec::new();
        for (whose, person) in [("Your", &request.you), ("Your partner's", &request.partner)] {
            if let Some(pain) = person.pain_now {
                today.push(format!("{whose} back pain today: {}/10", pain.value()));
            }
        }
        if let Some(time) = request.time {
            today.push(format!("Time of day: {time}"));
        }
        let mut conditions: Vec<String> = Vec::new();
        for person in [&request.you, &request.partner] {
            for id in &person.conditions {
                if let Ok(c) = k.condition(id) {
                    let name = c.name_with_week(person.pregnancy_weeks);
                    if !conditions.contains(&name) {
                        conditions.push(name);
                    }
                }
            }
        }
        if !conditions.is_empty() {
            today.push(format!("Taken into account: {}", conditions.join(", ")));
        }
        PlanSummary {
            best,
            gentler,
            avoid,
            today,
        }
    }
}

/// A verdict and what the changes make of it, in plain words: ("Avoid as it is", "with a
/// pillow under the hips: with care"), or ("Recommended", none) when the changes do not help.
fn verdict_words(p: &PositionPlanDto) -> (String, Option<String>) {
    let label = verdict_label(p.verdict);
    if p.with_modifications == p.verdict {
        return (label.to_owned(), None);
    }
    let how = match p.modifications.as_slice() {
        [one] => format!("with {}", lower_first(&one.name)),
        _ => "with the changes below".to_owned(),
    };
    (
        format!("{label} as it is"),
        Some(format!(
            "{how}: {}",
            lower_first(verdict_label(p.with_modifications))
        )),
    )
}

/// A verdict in the page's words.
pub fn verdict_label(v: &str) -> &'static str {
    match v {
        "recommended" => "Recommended",
        "caution" => "With care",
        _ => "Avoid",
    }
}

fn describe(k: &Knowledge, p: &PersonInput) -> String {
    let name = k
        .pain_type(p.pain_type)
        .map_or_else(|| p.pain_type.to_string(), |i| i.name.to_lowercase());
    format!(
        "{name}, {} ({}){}",
        p.role,
        p.role.meaning(),
        dto::conditions_words(k, &p.conditions, p.pregnancy_weeks)
    )
}

impl PlanView {
    /// The view of a plan.
    pub fn new(
        k: &Knowledge,
        request: &PlanRequest,
        plan: &Plan<'_>,
        values: &PlanValues,
    ) -> PlanView {
        let mut dto = PlanDto::new(k, request, plan);
        let positions = std::mem::take(&mut dto.positions);
        let cards: Vec<Card> = positions
            .into_iter()
            .zip(&plan.positions)
            .map(|(p, judged)| {
                // Each figure's lower back is coloured by the verdict of the back in that role;
                // a couple that takes turns sees the more cautious of their two backs on both.
                let (receptive, insertive) = if plan.switching {
                    (judged.verdict, judged.verdict)
                } else if judged.you.role == Role::Receptive {
                    (judged.you.verdict, judged.partner.verdict)
                } else {
                    (judged.partner.verdict, judged.you.verdict)
                };
                // The pillows drawn are those of the modifications suggested for each back, on
                // the figure of the role it was judged in, or of the other role when only that
                // one lists the modification (a couple that switches).
                let lists = |role: Role, id: &str| {
                    judged
                        .position
                        .profile(role)
                        .modifications
                        .iter()
                        .any(|e| e.id == id)
                };
                let suggested = |role: Role| {
                    [&judged.you, &judged.partner]
                        .into_iter()
                        .flat_map(|who| who.modifications.iter().map(move |m| (who.role, m)))
                        .filter(|(judged_in, m)| {
                            let on = if lists(*judged_in, &m.modification.id) {
                                *judged_in
                            } else {
                                judged_in.other()
                            };
                            on == role && m.modification.prop.is_some()
                        })
                        .map(|(_, m)| m.modification)
                        .collect::<Vec<_>>()
                };
                let partner = |role: Role, verdict: Verdict| drawing::Partner {
                    profile: judged.position.profile(role),
                    verdict,
                    suggested: suggested(role),
                };
                let drawn = drawing::position_drawing(
                    judged.position,
                    &partner(Role::Receptive, receptive),
                    &partner(Role::Insertive, insertive),
                );
                let word = |v: Verdict| verdict_label(v.as_str());
                let (verdict_words, with_changes) = verdict_words(&p);
                Card {
                    moved: None,
                    verdict_words,
                    with_changes,
                    verdict_label: verdict_label(p.verdict),
                    with_mods_label: verdict_label(p.with_modifications),
                    receptive_word: word(receptive),
                    insertive_word: word(insertive),
                    receptive_tone: drawing::tone(Role::Receptive).name,
                    insertive_tone: drawing::tone(Role::Insertive).name,
                    shows_suggestions: drawn.shows_suggestions,
                    p,
                    svg: drawn.svg,
                }
            })
            .collect();
        let tips = [
            (Phase::Before, "Before"),
            (Phase::During, "During"),
            (Phase::After, "After"),
        ]
        .into_iter()
        .map(|(phase, label)| {
            let list = match phase {
                Phase::Before => std::mem::take(&mut dto.tips.before),
                Phase::During => std::mem::take(&mut dto.tips.during),
                Phase::After => std::mem::take(&mut dto.tips.after),
            };
            (label, list)
        })
        .collect();
        PlanView {
            from_profile: false,
            journal_note: None,
            summary: PlanSummary::new(k, request, &cards),
            you: describe(k, &request.you),
            partner: describe(k, &request.partner),
            resubmit: values.hidden_fields(),
            dto,
            cards,
            tips,
        }
    }
}

impl PlanView {
    /// Puts the positions in the personal order the journal's evidence gives (verdicts never
    /// change), says on each moved position why, and works the summary out again.
    pub fn reorder(&mut self, personal: &PersonalPlan<'_, '_>) {
        let mut moved = 0;
        let mut ordered = Vec::with_capacity(self.cards.len());
        for (rank, p) in personal.positions.iter().enumerate() {
            let Some(at) = self.cards.iter().position(|c| c.p.id == p.plan.position.id) else {
                continue;
            };
            let mut card = self.cards.remove(at);
            let why = p.note.as_deref().unwrap_or("how your logs with it went");
            let up = match p.change {
                RankChange::Promoted => Some(true),
                RankChange::Demoted => Some(false),
                RankChange::Unchanged if rank < p.model_rank => Some(true),
                RankChange::Unchanged if rank > p.model_rank => Some(false),
                RankChange::Unchanged => None,
            };
            card.moved = up.map(|up| {
                let way = if up { "up" } else { "down" };
                format!(
                    "Moved {way} by your journal (from place {} to {}): {}",
                    p.model_rank + 1,
                    rank + 1,
                    lower_first(why)
                )
            });
            moved += usize::from(card.moved.is_some());
            ordered.push(card);
        }
        ordered.append(&mut self.cards);
        self.cards = ordered;
        self.summary.best = PlanSummary::best(&self.cards);
        self.journal_note = Some(if moved == 0 {
            "Your journal does not move any position yet: the order is the posture model's."
                .to_owned()
        } else {
            format!(
                "Re-ranked by your journal: {} moved, each saying why. Verdicts never change.",
                count(moved, "position", "positions")
            )
        });
    }
}

/// The `dto` module's assessment, for the result page.
pub type AssessmentView = dto::AssessmentDto;

/// Renders a template.
pub fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render()
        .map(Html)
        .map_err(|e| PageError(AppError::Internal(e.into())))
}
