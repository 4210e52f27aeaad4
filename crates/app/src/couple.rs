//! The couple's view of a link: the plan from one partner's full profile and what the other
//! shares, "our list" of positions both marked, choosing what to share, and answering the
//! partner's morning-after question in one's own journal.
//!
//! Nothing here judges a back: the plan is `recommend::recommend`'s, with the safety policy's
//! red flags, for a request made of what this person knows and what the partner chose to
//! share. What the partner did not share is not used, and the plan says what it does not know.

use std::collections::BTreeSet;

use spinewise_domain::Knowledge;
use spinewise_domain::journal::{DailyCheckIn, Entry, Journal, LocalDate};
use spinewise_domain::recommend::{self, Plan, PlanRequest};
use spinewise_domain::safety::{self, Circumstances};
use spinewise_domain::vocab::{PainScore, Verdict};
use spinewise_store::{ProfileRecord, Store, UserId};
use spinewise_vault::DataKey;

use crate::error::{AppError, FieldError};
use crate::journal;
use crate::partner::{self, Item, Shared, View};
use crate::profile;
use crate::requests::{PersonRequest, RecommendRequest, request_error};

/// What the couple plan does not know, each said once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotKnown {
    /// The partner's pain type and role: their back is judged as having no pain, in the role
    /// other than this person's.
    PartnerPainTypeRole,
    /// The partner's back pain today.
    PartnerPainToday,
    /// The partner's conditions.
    PartnerConditions,
}

impl NotKnown {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            NotKnown::PartnerPainTypeRole => "partner_pain_type_role",
            NotKnown::PartnerPainToday => "partner_pain_today",
            NotKnown::PartnerConditions => "partner_conditions",
        }
    }

    /// What it means for the plan, in words.
    pub const fn words(self) -> &'static str {
        match self {
            NotKnown::PartnerPainTypeRole => {
                "your partner's pain type and role: their back is judged as if it had no pain, in the other role"
            }
            NotKnown::PartnerPainToday => {
                "your partner's back pain today: the plan does not tighten for a bad day of theirs"
            }
            NotKnown::PartnerConditions => {
                "your partner's conditions: nothing is ruled out or changed for them"
            }
        }
    }
}

/// The couple's plan for today.
#[derive(Debug)]
pub struct CouplePlan<'k> {
    /// The request it was made from (for the views that word it).
    pub request: PlanRequest,
    /// The plan.
    pub plan: Plan<'k>,
    /// What it does not know.
    pub not_known: Vec<NotKnown>,
}

/// The request for the couple's plan: this person from their profile and circumstances (pain
/// type, role, today's pain, conditions, the red flags their journal still holds), the partner
/// from what they share and from what this person's own profile says of them (the partner's
/// pain type and conditions they saved themselves): a shared pain type wins, and conditions
/// from both count, so that nothing this person knows of their partner's back is dropped by
/// linking. What neither gives is listed as not known.
///
/// # Errors
///
/// [`AppError::Conflict`] if this person has not saved their role; [`AppError::Invalid`] if
/// the two roles cannot go together (both always receptive, say), naming them.
pub fn couple_request(
    knowledge: &Knowledge,
    profile: Option<&ProfileRecord>,
    about: &Circumstances,
    theirs: &Shared,
) -> Result<(PlanRequest, Vec<NotKnown>), AppError> {
    let Some(role) = profile.and_then(|p| p.role) else {
        return Err(AppError::Conflict {
            detail: "save your role first (the plan page, with \"save\" ticked): the couple plan starts from your profile".to_owned(),
            errors: vec![FieldError::new("role", "is not saved in your profile")],
        });
    };
    let mut not_known = Vec::new();
    let shares_pain_type = theirs.has(Item::PainTypeRole) && theirs.pain_type.is_some();
    let saved_pain_type = profile.and_then(|p| p.partner_pain_type);
    if !shares_pain_type && saved_pain_type.is_none() {
        not_known.push(NotKnown::PartnerPainTypeRole);
    }
    let saved_conditions: &[String] = profile.map_or(&[], |p| &p.partner_conditions);
    let their_pain = theirs.pain_on(about.today);
    if their_pain.is_none() {
        not_known.push(NotKnown::PartnerPainToday);
    }
    if !theirs.has(Item::Conditions) && saved_conditions.is_empty() {
        not_known.push(NotKnown::PartnerConditions);
    }
    let request = RecommendRequest {
        you: PersonRequest {
            pain_type: Some(about.pain_type.as_str().to_owned()),
            role: Some(role.as_str().to_owned()),
            pain_now: about.pain_today.map(|p| i64::from(p.value())),
            conditions: about.conditions.clone(),
            pregnancy_weeks: about.pregnancy_weeks.map(i64::from),
        },
        partner: Some(PersonRequest {
            pain_type: theirs
                .pain_type
                .filter(|_| shares_pain_type)
                .or(saved_pain_type)
                .map(|t| t.as_str().to_owned()),
            role: theirs
                .role
                .filter(|_| shares_pain_type)
                .map(|r| r.as_str().to_owned()),
            pain_now: their_pain.map(|p| i64::from(p.value())),
            conditions: safety::with_saved(
                saved_conditions,
                if theirs.has(Item::Conditions) {
                    &theirs.conditions
                } else {
                    &[]
                },
            ),
            pregnancy_weeks: None,
        }),
        time: None,
        symptoms: Vec::new(),
    };
    let mut request = request.validate(knowledge).map_err(|e| match e {
        AppError::Invalid { errors, .. } => {
            let words: Vec<String> = errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.detail))
                .collect();
            AppError::Conflict {
                detail: format!(
                    "your profile and what your partner shares do not make a plan together: {}",
                    words.join("; ")
                ),
                errors,
            }
        }
        other => other,
    })?;
    request.noted = about.noted.clone();
    Ok((request, not_known))
}

/// The couple's plan for today ([`couple_request`], then the recommender).
///
/// # Errors
///
/// As [`couple_request`]; [`AppError::Invalid`] if the recommender refuses the request.
pub fn couple_plan<'k>(
    knowledge: &'k Knowledge,
    profile: Option<&ProfileRecord>,
    about: &Circumstances,
    theirs: &Shared,
) -> Result<CouplePlan<'k>, AppError> {
    let (request, not_known) = couple_request(knowledge, profile, about, theirs)?;
    let plan = recommend::recommend(knowledge, &request).map_err(request_error)?;
    Ok(CouplePlan {
        request,
        plan,
        not_known,
    })
}

/// One position on "our list", with today's verdict for each back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The position's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Today's verdict for this person's back.
    pub you: Verdict,
    /// Today's verdict for the partner's back.
    pub partner: Verdict,
}

/// "Our list": the positions both marked yes, then those both marked yes or maybe, each
/// among the positions today's plan does not advise against for either back, in the plan's
/// order. What one partner marked `no` is never in it, and looks like a position not marked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OurList {
    /// Both said yes.
    pub yes: Vec<Listed>,
    /// Both said yes or maybe (the first list among them).
    pub yes_or_maybe: Vec<Listed>,
}

/// "Our list" for today's plan.
pub fn our_list(view: &View, plan: &Plan<'_>) -> OurList {
    let suitable: Vec<_> = plan
        .positions
        .iter()
        .filter(|p| p.you.verdict != Verdict::Avoid && p.partner.verdict != Verdict::Avoid)
        .collect();
    let (yes, open) = view.marked_by_both(suitable.iter().map(|p| p.position.id.as_str()));
    let listed = |ids: Vec<String>| {
        ids.iter()
            .filter_map(|id| suitable.iter().find(|p| &p.position.id == id))
            .map(|p| Listed {
                id: p.position.id.clone(),
                name: p.position.name.clone(),
                you: p.you.verdict,
                partner: p.partner.verdict,
            })
            .collect()
    };
    OurList {
        yes: listed(yes),
        yes_or_maybe: listed(open),
    }
}

/// Sets what this person shares to exactly `items`, with the values of their profile and
/// journal now.
///
/// # Errors
///
/// As [`partner::choose`].
pub async fn share(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    items: BTreeSet<Item>,
    now: i64,
) -> Result<Shared, AppError> {
    let saved = profile::load(store, user, key).await?;
    let journal = journal::load(store, user, key).await?;
    partner::choose(store, user, key, items, saved.as_ref(), &journal, now).await
}

/// An answer to the partner's morning-after question.
#[derive(Debug, Clone, Copy)]
pub struct MorningAnswer<'a> {
    /// The occasion's id.
    pub occasion: &'a str,
    /// The back pain on getting up.
    pub pain: PainScore,
    /// The person's date.
    pub today: LocalDate,
}

/// Answers the partner's morning-after question `occasion` in this person's own journal: the
/// pain on getting up, on their check-in of the morning after (other answers of that day stay
/// as they were). The two are one occasion from then on.
///
/// # Errors
///
/// [`AppError::NotFound`] if the partner asked no such question; [`AppError::Invalid`] if
/// that morning is after `today`; the journal's and the store's errors.
pub async fn answer_next_morning(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    answer: &MorningAnswer<'_>,
    now: i64,
) -> Result<LocalDate, AppError> {
    let MorningAnswer {
        occasion,
        pain,
        today,
    } = *answer;
    let view = partner::view(store, user, key)
        .await?
        .ok_or_else(|| AppError::NotFound("you are not linked with a partner".to_owned()))?;
    let Some(asked) = view
        .occasions
        .iter()
        .find(|o| o.id == occasion && o.asked_by != view.me)
    else {
        return Err(AppError::NotFound(
            "your partner asked no such question".to_owned(),
        ));
    };
    let morning = asked.morning();
    if morning > today {
        return Err(AppError::field(
            "occasion",
            format!("this can be answered on the morning of {morning}, not before"),
        ));
    }
    let mut day = journal::day_check_in(store, user, key, morning)
        .await?
        .unwrap_or_else(|| DailyCheckIn {
            id: journal::daily_id(key, morning),
            date: morning,
            pain_morning: None,
            pain_evening: None,
            sleep_hours: None,
            sleep_quality: None,
            mood: None,
            stress: None,
            note: None,
        });
    day.pain_morning = Some(pain);
    journal::put(store, knowledge, user, key, &Entry::Daily(day), now).await?;
    // Marked answered once the answer is in the journal, then shared if chosen.
    partner::mark_answered(store, user, key, occasion, morning).await?;
    let journal = journal::load(store, user, key).await?;
    partner::refresh(store, user, key, partner::Source::Journal(&journal), now).await?;
    Ok(morning)
}

/// The questions the partner asked that this person can answer now (their morning has come)
/// and has not answered, oldest first: the id and the day of each occasion.
pub fn unanswered(view: &View, today: LocalDate) -> Vec<(String, LocalDate)> {
    let mut open: Vec<(String, LocalDate)> = view
        .occasions
        .iter()
        .filter(|o| o.asked_by != view.me && o.answered_on.is_none() && o.morning() <= today)
        .map(|o| (o.id.clone(), o.date))
        .collect();
    open.reverse();
    open
}

/// This person's own morning-after answer for an occasion, from their journal: the next-day
/// pain on the entry they asked about, or their check-in's the morning after one they
/// answered.
pub fn my_morning(view: &View, journal: &Journal, occasion: &str) -> Option<PainScore> {
    let o = view.occasions.iter().find(|o| o.id == occasion)?;
    if o.asked_by == view.me {
        journal.entries().iter().find_map(|e| match e {
            Entry::Intimacy(i) if i.id.as_str() == o.entry => i.next_day_pain,
            _ => None,
        })
    } else {
        o.answered_on?;
        journal
            .days()
            .get(&o.morning())
            .and_then(|d| d.pain_morning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spinewise_domain::safety::{Given, Saved};
    use spinewise_domain::vocab::{PainType, RoleChoice};

    fn about(k: &Knowledge) -> Circumstances {
        let today = "2026-03-04".parse().expect("a date");
        Circumstances::gather(
            k,
            Given::default(),
            Saved::default(),
            Journal::default(),
            today,
        )
        .expect("circumstances")
    }

    fn profile(partner_pain_type: Option<PainType>, partner_conditions: &[&str]) -> ProfileRecord {
        ProfileRecord {
            pain_type: Some(PainType::Flexion),
            role: Some(RoleChoice::Receptive),
            conditions: Vec::new(),
            partner_pain_type,
            partner_conditions: partner_conditions.iter().map(|c| (*c).to_owned()).collect(),
            updated_at: 0,
        }
    }

    #[test]
    fn what_the_person_saved_of_their_partner_still_counts_when_the_partner_shares_nothing() {
        let k = Knowledge::bundled().expect("the knowledge base");
        let nothing = Shared::default();
        let (request, not_known) =
            couple_request(k, Some(&profile(None, &[])), &about(k), &nothing).expect("a request");
        assert_eq!(
            not_known,
            [
                NotKnown::PartnerPainTypeRole,
                NotKnown::PartnerPainToday,
                NotKnown::PartnerConditions
            ]
        );
        assert!(request.partner.conditions.is_empty());

        let saved = profile(Some(PainType::Extension), &["recent-spine-surgery"]);
        let (request, not_known) =
            couple_request(k, Some(&saved), &about(k), &nothing).expect("a request");
        assert_eq!(not_known, [NotKnown::PartnerPainToday]);
        assert_eq!(request.partner.pain_type, PainType::Extension);
        assert_eq!(request.partner.conditions, ["recent-spine-surgery"]);

        // What the partner shares wins for the pain type, and adds to the conditions.
        let mut shared = Shared::default();
        shared.items.extend([Item::PainTypeRole, Item::Conditions]);
        shared.pain_type = Some(PainType::Motion);
        shared.conditions = vec!["osteoporosis".to_owned()];
        let (request, not_known) =
            couple_request(k, Some(&saved), &about(k), &shared).expect("a request");
        assert_eq!(not_known, [NotKnown::PartnerPainToday]);
        assert_eq!(request.partner.pain_type, PainType::Motion);
        assert_eq!(
            request.partner.conditions,
            ["recent-spine-surgery", "osteoporosis"]
        );
    }
}
