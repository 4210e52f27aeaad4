//! The insights page, `/journal/insights`: what the signed-in user's journal says about their
//! back, built from the same [`InsightsDto`] and [`PersonalPlanDto`] as the API, so that the
//! page and the JSON say the same thing.
//!
//! The order puts what matters now first: a flare-up going on (with what to do), then what
//! the journal shows clearly (or what to log next), the charts with their tables, each group
//! of insights with its evidence and how it is worked out, past flare-ups, and the positions
//! re-ranked by the journal.

use super::form::capitalise;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::insights::{Insights, insights};
use spinewise_domain::journal::personal::personalise;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::recommend;
use spinewise_domain::words::count;
use spinewise_store::ProfileRecord;
use spinewise_vault::DataKey;

use super::charts;
use super::views::render;
use super::views::{Page, verdict_label};
use crate::server::auth::{SignedIn, Visitor};
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::journal_memo::Inputs;
use crate::server::state::AppState;
use spinewise_app::dto::TriageDto;
use spinewise_app::journal_dto::{
    AboutDto, FlareDto, InsightDto, InsightsDto, Person, PersonalPlanDto, plan_request,
};
use spinewise_app::requests::request_error;
use spinewise_app::{journal, profile};

/// The rows of the positions chart's table: position, logs, chance, expected.
type PositionRows = Vec<(String, String, String, String)>;

/// How many days the pain chart covers.
const CHART_DAYS: i64 = 90;
/// How many "what to log next" items are shown when nothing is clear yet.
const LOG_NEXT: usize = 4;

/// The insights page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/journal/insights", get(page))
}

/// The signed-in user and their unlocked data key, or the reason there is none.
fn unlocked(visitor: &Visitor) -> Result<(&SignedIn, &DataKey), AppError> {
    let user = visitor.require()?;
    Ok((user, user.data_key()?))
}

/// A source id with its link.
#[derive(Clone)]
struct SourceLink {
    id: String,
}

fn links(ids: &[String]) -> Vec<SourceLink> {
    ids.iter().map(|id| SourceLink { id: id.clone() }).collect()
}

/// The explanation behind a group of insights.
#[derive(Clone)]
struct About {
    title: String,
    text: String,
    sources: Vec<SourceLink>,
}

impl From<&AboutDto> for About {
    fn from(a: &AboutDto) -> Self {
        About {
            title: a.title.clone(),
            text: a.text.clone(),
            sources: links(&a.sources),
        }
    }
}

/// One insight as a card.
#[derive(Clone)]
struct Card {
    title: String,
    /// A clear finding in plain words, first; the statement and evidence fold under it.
    headline: Option<String>,
    claim: bool,
    status: &'static str,
    statement: String,
    evidence: Option<String>,
}

fn status_words(i: &InsightDto) -> &'static str {
    match (i.status, i.direction) {
        ("claim", Some("less-pain")) => "Clear: less pain",
        ("claim", _) => "Clear: more pain",
        ("not-enough-data", _) => "Not enough data yet",
        _ => "No clear difference",
    }
}

impl From<&InsightDto> for Card {
    fn from(i: &InsightDto) -> Self {
        Card {
            title: capitalise(&i.label),
            headline: i.headline().map(|h| capitalise(&h)),
            claim: i.is_claim(),
            status: status_words(i),
            statement: i.statement.clone(),
            evidence: (!i.needs_more()).then(|| i.evidence_summary()),
        }
    }
}

/// A group of insights under its heading.
#[derive(Clone)]
struct Group {
    id: &'static str,
    heading: &'static str,
    cards: Vec<Card>,
    abouts: Vec<About>,
}

/// A flare-up: what it was, what came before, and what to do.
#[derive(Clone)]
struct FlareView {
    /// What it was (for an ongoing one, without what came before: that is listed).
    statement: String,
    before: Vec<String>,
    advice: Vec<(String, String, Vec<SourceLink>)>,
}

impl FlareView {
    /// A flare-up going on: its numbers in a sentence, what came before as a list, and the
    /// advice.
    fn ongoing(f: &FlareDto) -> FlareView {
        FlareView {
            statement: format!(
                "Since {} ({} days so far), your pain has been up to {:.1}/10 (on {}), against \
                 your usual {:.1}/10.",
                f.start, f.days, f.peak, f.peak_date, f.baseline
            ),
            before: f.before.lines(),
            advice: f
                .advice
                .iter()
                .map(|a| (a.title.clone(), a.text.clone(), links(&a.sources)))
                .collect(),
        }
    }

    /// A past flare-up: its statement says it all.
    fn past(f: &FlareDto) -> FlareView {
        FlareView {
            statement: f.statement.clone(),
            before: Vec::new(),
            advice: Vec::new(),
        }
    }
}

/// One position of the personal plan.
#[derive(Clone)]
struct PlanRow {
    name: String,
    verdict: &'static str,
    verdict_label: &'static str,
    change: Option<String>,
    note: Option<String>,
}

/// The personal plan, or why there is none.
#[derive(Clone)]
enum PlanPart {
    /// No profile with a pain type and a role is saved.
    NoProfile(String),
    /// Red flags withhold the positions.
    Withheld(TriageDto),
    /// The positions, best first for this person.
    Ranked(Vec<PlanRow>),
}

/// The insights page, as kept in the server's memo ([`crate::server::journal_memo`]).
#[derive(Template, Clone)]
#[template(path = "journal_insights.html")]
pub struct InsightsTpl {
    page: Page,
    demo: bool,
    disclaimer: String,
    profile_note: Option<String>,
    ongoing: Option<FlareView>,
    claims: Vec<Card>,
    log_next: Vec<(String, String)>,
    level_note: Option<String>,
    chart: charts::Chart,
    chart_rows: Vec<(String, String, String)>,
    positions_chart: Option<charts::Chart>,
    position_rows: PositionRows,
    groups: Vec<Group>,
    past_flares: Vec<FlareView>,
    flares_about: About,
    plan: PlanPart,
}

// Written by hand so that no health data reaches a log through `{:?}`.
impl std::fmt::Debug for InsightsTpl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsightsTpl").finish_non_exhaustive()
    }
}

/// The personal plan for a saved profile.
fn plan_part(
    k: &Knowledge,
    profile: Option<&ProfileRecord>,
    noted: Vec<spinewise_domain::safety::Noted>,
    found: &Insights<'_>,
) -> Result<PlanPart, AppError> {
    let mut request = match plan_request(profile) {
        Ok(r) => r.validate(k)?,
        Err(AppError::Conflict { errors, .. }) => {
            let missing: Vec<String> = errors.iter().map(|e| e.field.replace('_', " ")).collect();
            return Ok(PlanPart::NoProfile(missing.join(" and ")));
        }
        Err(e) => return Err(e),
    };
    // The red flags the journal still holds come first, as everywhere else.
    request.noted = noted;
    let plan = recommend::recommend(k, &request).map_err(request_error)?;
    let personal = personalise(&plan, found);
    let dto = PersonalPlanDto::new(k, &personal);
    if dto.withholds_advice {
        return Ok(PlanPart::Withheld(dto.triage));
    }
    Ok(PlanPart::Ranked(
        dto.positions
            .into_iter()
            .map(|p| PlanRow {
                verdict_label: verdict_label(p.verdict),
                change: match p.change {
                    "promoted" => Some(format!(
                        "Moved up by your logs (position {} in the posture model's order)",
                        p.model_rank
                    )),
                    "demoted" => Some(format!(
                        "Moved down by your logs (position {} in the posture model's order)",
                        p.model_rank
                    )),
                    _ => None,
                },
                name: p.name,
                verdict: p.verdict,
                note: p.note,
            })
            .collect(),
    ))
}

/// The chart of each logged position's chance of a pain rise, with its table.
fn positions_chart(k: &Knowledge, found: &Insights<'_>) -> (Option<charts::Chart>, PositionRows) {
    let bars: Vec<charts::PositionBar> = found
        .positions
        .iter()
        .filter_map(|i| {
            let t = i.tolerance()?;
            Some(charts::PositionBar {
                label: k
                    .position(&i.subject)
                    .map_or_else(|_| i.label.clone(), |p| p.name.clone()),
                logs: u32::try_from(t.logs).unwrap_or(u32::MAX),
                flares: u32::try_from(t.flares).unwrap_or(u32::MAX),
                estimate: t.posterior_mean(),
                low: t.interval.lower,
                high: t.interval.upper,
                prior: t.prior_mean(),
            })
        })
        .collect();
    if bars.is_empty() {
        return (None, Vec::new());
    }
    let rows = charts::table_rows_positions(&bars);
    (Some(charts::position_outcomes("positions", &bars)), rows)
}

fn group_view(id: &'static str, heading: &'static str, list: &[&InsightDto]) -> Group {
    let mut abouts: Vec<&AboutDto> = Vec::new();
    for i in list {
        if !abouts.iter().any(|a| a.id == i.about.id) {
            abouts.push(&i.about);
        }
    }
    Group {
        id,
        heading,
        cards: list.iter().map(|i| Card::from(*i)).collect(),
        abouts: abouts.into_iter().map(About::from).collect(),
    }
}

fn view(
    k: &Knowledge,
    page: Page,
    demo: bool,
    journal: &Journal,
    today: LocalDate,
    profile: Option<&ProfileRecord>,
) -> Result<InsightsTpl, AppError> {
    let person = Person::from_profile(profile);
    let found = insights(k, journal, &person.input, today).map_err(request_error)?;
    let dto = InsightsDto::new(k, &found).for_person(&person);

    let bands: Vec<charts::Band> = dto
        .flares
        .iter()
        .map(|f| charts::Band {
            from: f.start.0,
            to: f.end.unwrap_or(f.last_day).0,
            label: "Flare-up".to_owned(),
        })
        .collect();
    let (chart, chart_rows) = super::journal::pain_chart(journal, today, CHART_DAYS, &bands);
    let (positions_chart, position_rows) = positions_chart(k, &found);
    let noted = spinewise_domain::safety::journal_red_flags(k, journal, today);
    let plan = plan_part(k, profile, noted, &found)?;

    let log_next = if dto.claims.is_empty() {
        dto.to_log_next(LOG_NEXT)
            .into_iter()
            .map(|i| {
                (
                    capitalise(&i.label),
                    i.statement
                        .trim_start_matches("Not enough data yet: ")
                        .to_owned(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let level_note = dto.compares_anything().then(|| {
        format!(
            "The journal makes {} here. So that all of them together have no more than a 5% \
             chance of showing a difference that is not there, each one is judged at the {} \
             level: a claim needs clear data.",
            count(dto.comparisons, "comparison", "comparisons"),
            dto.level_words()
        )
    });
    let groups = dto
        .groups()
        .into_iter()
        .filter(|(_, _, list)| !list.is_empty())
        .map(|(id, heading, list)| group_view(id, heading, &list))
        .collect();
    Ok(InsightsTpl {
        page,
        demo,
        disclaimer: dto.disclaimer.clone(),
        profile_note: dto.profile_note.clone(),
        ongoing: dto.ongoing_flare().map(FlareView::ongoing),
        claims: dto.claims.iter().map(Card::from).collect(),
        log_next,
        level_note,
        chart,
        chart_rows,
        positions_chart,
        position_rows,
        groups,
        past_flares: dto
            .flares
            .iter()
            .filter(|f| !f.ongoing)
            .map(FlareView::past)
            .collect(),
        flares_about: About::from(&dto.flares_about),
        plan,
    })
}

async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let k = state.knowledge;
    let (user, key) = match unlocked(&visitor) {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    // The version is read before the journal, so that what is kept under it is never older
    // than it: a write in between only makes the next visit compute again.
    let version = journal::version(&state.store, &user.id).await?;
    let profile = profile::load(&state.store, &user.id, key).await?;
    let page = Page::new(k, &visitor, "Insights from your journal", "journal");
    let inputs = Inputs {
        version,
        today: spinewise_app::clock::server_today(),
        profile,
    };
    let tpl = match state.insights.get::<InsightsTpl>(&user.id, &inputs) {
        Some(kept) => InsightsTpl {
            page,
            demo: user.demo,
            ..kept
        },
        None => {
            let journal = journal::load(&state.store, &user.id, key).await?;
            let tpl = view(
                k,
                page,
                user.demo,
                &journal,
                inputs.today,
                inputs.profile.as_ref(),
            )?;
            state.insights.insert(&user.id, inputs, tpl.clone());
            tpl
        }
    };
    Ok(render(&tpl)?.into_response())
}

#[cfg(test)]
mod tests {
    use spinewise_domain::journal::demo::demo_journal;
    use spinewise_domain::journal::{DailyCheckIn, Entry, EntryId};
    use spinewise_domain::vocab::{PainScore, PainType, Role};
    use time::macros::date;

    use super::*;

    const TODAY: LocalDate = LocalDate(date!(2026 - 06 - 15));

    fn page(k: &'static Knowledge) -> Page {
        Page {
            title: "Insights from your journal".to_owned(),
            section: "journal",
            user: Some("demo".to_owned()),
            csrf: "token".to_owned(),
            disclaimer: k.about.disclaimer.clone(),
            knowledge: k,
            emergency_number: "112".to_owned(),
            recovery_code_waiting: false,
        }
    }

    fn profile() -> ProfileRecord {
        ProfileRecord {
            pain_type: Some(PainType::Flexion),
            role: Some(Role::Receptive.into()),
            conditions: Vec::new(),
            partner_pain_type: Some(PainType::None),
            partner_conditions: Vec::new(),
            updated_at: 0,
        }
    }

    /// The demo year, with its last three days far above the usual level: a flare-up today.
    fn flaring(k: &Knowledge) -> Journal {
        let last = [
            TODAY.0 - time::Duration::days(2),
            TODAY.0 - time::Duration::days(1),
            TODAY.0,
        ];
        let mut entries: Vec<Entry> = demo_journal(k, TODAY, 365, 7)
            .into_iter()
            .filter(|e| !(matches!(e, Entry::Daily(_)) && last.contains(&e.date().0)))
            .collect();
        for d in last {
            entries.push(Entry::Daily(DailyCheckIn {
                id: EntryId::daily(LocalDate(d)),
                date: LocalDate(d),
                pain_morning: PainScore::new(9),
                pain_evening: PainScore::new(9),
                sleep_hours: None,
                sleep_quality: None,
                mood: None,
                stress: None,
                note: None,
            }));
        }
        Journal::new(entries)
    }

    #[test]
    fn a_flare_going_on_comes_first_with_its_advice_and_is_shaded() {
        let k = Knowledge::bundled().expect("knowledge");
        let tpl = view(k, page(k), true, &flaring(k), TODAY, Some(&profile())).expect("view");
        let html = tpl.render().expect("renders");
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}"));
        // What matters first: a flare going on, what the journal shows in plain words, the
        // flare-ups and the re-ranked positions; then the charts and each insight's numbers.
        assert!(at("A flare-up is going on") < at("What your journal shows"));
        assert!(at("What your journal shows") < at("id=\"flares-head\""));
        assert!(at("id=\"flares-head\"") < at("Your positions, re-ranked by your journal"));
        assert!(at("Your positions, re-ranked by your journal") < at("Pain over the last 90 days"));
        assert!(at("Pain over the last 90 days") < at("Each position, by your logs"));
        assert!(at("Each position, by your logs") < at("id=\"group-positions\""));
        assert!(at("id=\"group-positions\"") < at("id=\"group-peg\""));
        assert!(
            html.contains("<summary>The numbers</summary>"),
            "the numbers fold away"
        );
        assert!(html.contains("What helps in a flare-up"));
        assert!(html.contains("href=\"/sources#"));
        assert!(
            html.contains(">Flare-up<"),
            "the band is labelled on the chart"
        );
        assert!(html.contains("Demo account."));
        assert!(html.contains("class=\"insight claim\""));
        assert!(html.contains("<ol class=\"positions ranked\">"));
        assert!(!html.contains("style="));
        // Scripts only from the app's own files, never inline.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=\"/static/").count()
        );
        // Headings never skip a level.
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            if let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) {
                assert!(level <= last + 1, "h{level} after h{last}");
                last = level;
            }
        }
    }

    #[test]
    fn an_empty_journal_without_a_profile_says_what_to_do_next() {
        let k = Knowledge::bundled().expect("knowledge");
        let tpl = view(k, page(k), false, &Journal::default(), TODAY, None).expect("view");
        let html = tpl.render().expect("renders");
        assert!(html.contains("Nothing clear yet"));
        assert!(html.contains("class=\"log-next\""));
        assert!(html.contains("No saved profile gives your pain type or your role"));
        assert!(html.contains("Your profile does not give your pain type and role yet."));
        assert!(!html.contains("A flare-up is going on"));
        assert!(
            !html.contains("Each position, by your logs"),
            "no positions, no chart"
        );
        assert!(!html.contains("Demo account."));
        assert!(html.contains("None found in your check-ins."));
        assert!(!html.contains("judged at the"), "nothing is compared yet");
    }
}
