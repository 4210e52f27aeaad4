//! A visitor's circumstances, read the same way for every page that asks the safety policy —
//! the exercise program, today's session, the motion coach, the plan, the symptom check: what
//! the page was asked (pain type, today's pain, conditions, the week of a pregnancy, the
//! device's date), the saved profile and, signed in with the journal's key open, the journal.
//! What follows from them is the domain's ([`spinewise_domain::safety::Circumstances`]).

use serde::Deserialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::Journal;
use spinewise_domain::program::{Program, program_for};
use spinewise_domain::safety::{self, Circumstances, RedFlags, Saved};

use crate::server::auth::Visitor;
use crate::server::error::AppError;
use crate::server::state::AppState;
use spinewise_app::clock;
use spinewise_app::exercise_program;
use spinewise_app::profile;

/// What a page was asked for: `pain_type`, `pain` (0–10), conditions (`condition`, repeated,
/// added to the saved ones), `pregnancy_weeks`, the device's `today`; and, for the pages that
/// take them, the coach's `exercise` and `aspect` and the program's `saved` message.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VisitorQuery {
    pub pain_type: Option<String>,
    pub pain: Option<String>,
    #[serde(rename = "condition")]
    pub conditions: Vec<String>,
    pub pregnancy_weeks: Option<String>,
    pub today: Option<String>,
    pub saved: Option<String>,
    pub exercise: Option<String>,
    /// For the coach's socket: the camera image's width over its height.
    pub aspect: Option<String>,
}

impl VisitorQuery {
    /// What it asks of the circumstances.
    pub fn asked(&self) -> Asked<'_> {
        Asked {
            pain_type: self.pain_type.as_deref(),
            pain: self.pain.as_deref(),
            conditions: &self.conditions,
            pregnancy_weeks: self.pregnancy_weeks.as_deref(),
            today: self.today.as_deref(),
        }
    }
}

/// What a page or form asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub pain_type: Option<&'a str>,
    pub pain: Option<&'a str>,
    pub conditions: &'a [String],
    pub pregnancy_weeks: Option<&'a str>,
    pub today: Option<&'a str>,
}

/// The visitor's circumstances, and whether the journal could be read.
pub struct Inputs {
    pub about: Circumstances,
    pub signed_in: bool,
    pub locked: bool,
}

/// Reads them: every value asked checked and named when bad, the saved profile and the
/// journal of a signed-in visitor added.
pub async fn inputs(
    state: &AppState,
    visitor: &Visitor,
    asked: &Asked<'_>,
) -> Result<Inputs, AppError> {
    let k = state.knowledge;
    let given = exercise_program::given(
        k,
        asked.pain_type,
        asked.pain,
        asked.conditions,
        asked.pregnancy_weeks,
    )?;
    let today = clock::client_today(asked.today, clock::server_today())
        .map_err(|e| AppError::field("today", e))?;
    let (saved, journal, signed_in, locked) = match visitor.user() {
        Some(user) => {
            let key = user.data_key().ok();
            let (saved, journal) = profile::saved_and_journal(&state.store, &user.id, key).await?;
            (saved, journal, true, key.is_none())
        }
        None => (Saved::default(), Journal::default(), false, false),
    };
    Ok(Inputs {
        about: Circumstances::gather(k, given, saved, journal, today)
            .map_err(|e| AppError::field("condition", e))?,
        signed_in,
        locked,
    })
}

impl Inputs {
    /// This week's program, as the safety policy allows it, with the red flags it was worked
    /// out with.
    pub fn program<'k>(&self, k: &'k Knowledge) -> (Program<'k>, RedFlags<'k>) {
        program_for(k, &self.about)
    }

    /// The fields that ask for the same circumstances again, as a page's query or a form's
    /// hidden inputs: the pain type and date, today's pain when it was given, the conditions
    /// (the saved ones too: asking for them again changes nothing) and the week of a pregnancy.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("pain_type", self.about.pain_type.to_string()),
            ("today", self.about.today.to_string()),
        ];
        if self.about.pain_given
            && let Some(p) = self.about.pain_today
        {
            fields.push(("pain", p.value().to_string()));
        }
        for c in &self.about.conditions {
            fields.push(("condition", c.clone()));
        }
        if let Some(w) = self.about.pregnancy_weeks {
            fields.push(("pregnancy_weeks", w.to_string()));
        }
        fields
    }

    /// [`Inputs::fields`] as a query (every value is an id, a number or a date: nothing to
    /// escape).
    pub fn query(&self) -> String {
        self.fields()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The warning signs that stop exercise, by level: the triage's own list.
pub fn warning_signs(k: &Knowledge) -> Vec<(String, String)> {
    safety::warning_signs(k, safety::EXERCISE_STOP_LEVELS)
        .iter()
        .map(|w| (w.headline.to_owned(), w.names().join("; ")))
        .collect()
}

/// Why red flags hold the program: the symptoms behind them (with when and where the journal
/// noted them) and how long the journal's count.
pub fn hold_words(red_flags: &RedFlags<'_>) -> String {
    format!(
        "Your exercise program is on hold because of: {}. See a doctor first. A symptom noted in a log stops counting after {} days, one answered in a self-assessment after {} days.",
        red_flags.named(red_flags.level()).join("; "),
        safety::LOGGED_FLAGS_DAYS,
        safety::ASSESSMENT_FLAGS_DAYS
    )
}
