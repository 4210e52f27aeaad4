//! The one-page clinical summary as text, for `spinewise journal summary`: the same
//! [`ClinicalSummaryDto`] that `--json` prints and the API serves, laid out for a terminal in
//! the order of the page: pain type, PEG score, flare-ups, exercise, red flags, conditions.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::summary::clinical_summary;
use spinewise_domain::journal::{Journal, LocalDate};

use super::output::{Failure, Output, usage};
use super::text::Text;
use spinewise_app::journal_dto::ClinicalSummaryDto;

/// Prints the clinical summary of `journal` as of `today`, with the saved `conditions`.
///
/// # Errors
///
/// [`Failure::Usage`] when the profile names a condition the knowledge base does not know;
/// [`Failure::Other`] when the output cannot be written.
pub fn print(
    k: &Knowledge,
    out: &Output,
    journal: &Journal,
    today: LocalDate,
    conditions: &[String],
) -> Result<(), Failure> {
    let found = clinical_summary(k, journal, conditions, today)
        .map_err(|e| usage(format!("the saved profile: {e}")))?;
    let dto = ClinicalSummaryDto::new(k, &found);
    out.print(|w| text(w, k, &dto), &dto)
}

/// The summary laid out for a terminal `width` columns wide.
pub fn text(width: usize, k: &Knowledge, s: &ClinicalSummaryDto) -> String {
    let mut t = Text::new(width);
    t.title(&format!("Clinical summary, as of {}", s.today));
    t.para(
        0,
        &format!(
            "Self-reported journal records, for education: not a diagnosis. {}",
            s.disclaimer
        ),
    );

    t.heading("Pain type");
    t.para(0, &s.pain_type_line());

    t.heading("PEG score");
    t.para(0, &s.peg.scores_line());
    t.para(0, &s.peg.trend_line());

    t.heading("Flare-ups");
    if s.flares.is_empty() {
        t.para(0, "None found.");
    }
    for f in &s.flares {
        t.hanging(0, "- ", &f.line());
    }

    t.heading("Exercise sessions");
    t.para(
        0,
        &format!(
            "{:.1} per week over the last {} weeks.",
            s.exercise.sessions_per_week,
            s.exercise.weeks.len()
        ),
    );
    t.line("  Week ending   Sessions   Minutes");
    for w in &s.exercise.weeks {
        t.line(&format!(
            "  {}   {:>8}   {:>7}",
            w.end, w.sessions, w.minutes
        ));
    }

    t.heading("Red flags noted");
    if s.red_flags.is_empty() {
        t.para(0, "None noted in the journal.");
    } else if let Some(headline) = s.red_flag_headline(k) {
        t.para(0, &format!("{headline}."));
    }
    for line in s.red_flag_lines() {
        t.hanging(0, "- ", &line);
    }

    t.heading("Conditions");
    if s.conditions.is_empty() {
        t.para(0, "None saved in the profile.");
    }
    for c in &s.conditions {
        t.hanging(0, "- ", &c.name);
    }
    t.finish()
}
