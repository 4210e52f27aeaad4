//! The journal's insights as text, for `spinewise journal insights`: the same
//! [`InsightsDto`] that `--json` prints and the API serves, laid out for a terminal and
//! wrapped to its width.
//!
//! The order is the page's: the disclaimer, a flare-up going on, what the journal shows (the
//! claims, or what to log next), then each group with its evidence, past flare-ups, how each
//! kind of insight is worked out, and the full citations.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::insights::insights;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::words::capitalise;

use super::output::{Failure, Output, usage};
use super::text::Text;
use spinewise_app::journal_dto::{FlareDto, InsightDto, InsightsDto, Person};

/// How many "what to log next" lines are shown when nothing is clear yet.
const LOG_NEXT: usize = 4;

/// Prints the insights of `journal` as of `today`, for `person` (built from the saved
/// profile with [`Person::from_saved`]).
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
    person: &Person,
) -> Result<(), Failure> {
    let found = insights(k, journal, &person.input, today)
        .map_err(|e| usage(format!("the saved profile: {e}")))?;
    let dto = InsightsDto::new(k, &found).for_person(person);
    out.print(|w| text(w, &dto), &dto)
}

/// A status in words, as a short tag.
fn status_tag(i: &InsightDto) -> &'static str {
    match (i.status, i.direction) {
        ("claim", Some("less-pain")) => "[claim: less pain]",
        ("claim", _) => "[claim: more pain]",
        ("not-enough-data", _) => "[not enough data yet]",
        _ => "[no clear difference]",
    }
}

fn insight(t: &mut Text, i: &InsightDto) {
    t.blank();
    t.hanging(
        0,
        "* ",
        &format!("{} {}", capitalise(&i.label), status_tag(i)),
    );
    t.para(2, &i.statement);
    if i.status != "not-enough-data" {
        t.hanging(2, "Evidence: ", &i.evidence_summary());
    }
}

fn flare(t: &mut Text, f: &FlareDto, with_advice: bool) {
    t.blank();
    t.para(0, &f.statement);
    if with_advice && !f.advice.is_empty() {
        t.blank();
        t.line("What helps in a flare-up:");
        for a in &f.advice {
            t.hanging(2, "- ", &format!("{}: {}", a.title, a.text));
            t.hanging(4, "Sources: ", &a.sources.join(", "));
        }
    }
}

/// The insights as text at `width` columns.
pub fn text(width: usize, dto: &InsightsDto) -> String {
    let mut t = Text::new(width);
    t.title(&format!("Your journal's insights, as of {}", dto.today));
    t.para(0, &dto.disclaimer);
    if let Some(note) = &dto.profile_note {
        t.blank();
        t.hanging(
            0,
            "Note: ",
            &format!("{note} (spinewise profile set --pain-type TYPE --role ROLE)"),
        );
    }

    if let Some(f) = dto.ongoing_flare() {
        t.heading("A flare-up is going on");
        flare(&mut t, f, true);
    }

    t.heading("What your journal shows");
    if dto.claims.is_empty() {
        t.para(
            0,
            "Nothing clear yet: no comparison shows a clear difference so far. What would help \
             most:",
        );
        for i in dto.to_log_next(LOG_NEXT) {
            t.hanging(
                2,
                "- ",
                &format!(
                    "{}: {}",
                    capitalise(&i.label),
                    i.statement.trim_start_matches("Not enough data yet: ")
                ),
            );
        }
    } else {
        for i in &dto.claims {
            t.blank();
            t.hanging(0, "* ", &format!("{}:", capitalise(&i.label)));
            t.para(2, &i.statement);
        }
    }
    if dto.compares_anything() {
        t.blank();
        t.para(
            0,
            &format!(
                "{} {} a 5% chance of any false claim, so each is judged at the {} level.",
                dto.comparisons,
                if dto.comparisons == 1 {
                    "comparison has"
                } else {
                    "comparisons share"
                },
                dto.level_words()
            ),
        );
    }

    for (_, heading, list) in dto.groups() {
        if list.is_empty() {
            continue;
        }
        t.heading(heading);
        for i in list {
            insight(&mut t, i);
        }
    }

    let past: Vec<&FlareDto> = dto.flares.iter().filter(|f| !f.ongoing).collect();
    t.heading("Flare-ups");
    if dto.flares.is_empty() {
        t.para(0, "None found in your check-ins.");
    } else if past.is_empty() {
        t.para(0, "Only the one going on, above.");
    }
    for f in past {
        flare(&mut t, f, false);
    }

    t.heading("How this is worked out");
    let mut seen: Vec<&str> = Vec::new();
    let abouts = dto
        .all()
        .map(|i| &i.about)
        .chain(std::iter::once(&dto.flares_about));
    for about in abouts {
        if seen.contains(&about.id.as_str()) {
            continue;
        }
        seen.push(&about.id);
        t.blank();
        t.line(&format!("{}.", about.title));
        t.para(2, &about.text);
        t.hanging(2, "Sources: ", &about.sources.join(", "));
    }

    // Only the sources of what is shown (past flare-ups' advice is not).
    let mut shown: Vec<&str> = dto
        .all()
        .chain(&dto.claims)
        .flat_map(|i| &i.about.sources)
        .chain(&dto.flares_about.sources)
        .chain(
            dto.ongoing_flare()
                .into_iter()
                .flat_map(|f| f.advice.iter().flat_map(|a| &a.sources)),
        )
        .map(String::as_str)
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let references: Vec<_> = dto
        .references
        .iter()
        .filter(|s| shown.binary_search(&s.id.as_str()).is_ok())
        .collect();
    if !references.is_empty() {
        t.heading("Sources");
        for s in references {
            t.hanging_by(0, &format!("[{}] ", s.id), 4, &s.citation);
        }
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use spinewise_domain::journal::demo::demo_journal;
    use spinewise_domain::vocab::{PainType, Role};
    use time::macros::date;

    use super::*;

    fn dto(journal: &Journal, person: &Person) -> InsightsDto {
        let k = Knowledge::bundled().expect("knowledge");
        let today = LocalDate(date!(2026 - 06 - 15));
        let found = insights(k, journal, &person.input, today).expect("insights");
        InsightsDto::new(k, &found).for_person(person)
    }

    #[test]
    fn the_demo_journal_reads_in_order_and_fits_the_width() {
        let k = Knowledge::bundled().expect("knowledge");
        let journal = Journal::new(demo_journal(k, LocalDate(date!(2026 - 06 - 15)), 365, 7));
        let person = Person::from_saved(
            Some(PainType::Flexion),
            Some(Role::Receptive.into()),
            vec![],
        );
        let d = dto(&journal, &person);
        let s = text(60, &d);
        for line in s.lines() {
            assert!(line.chars().count() <= 60, "too wide: {line}");
        }
        let at = |needle: &str| {
            s.find(needle)
                .unwrap_or_else(|| panic!("no {needle} in\n{s}"))
        };
        assert!(s.starts_with("Your journal's insights, as of 2026-06-15\n"));
        assert!(at("What your journal shows") < at("\nPositions\n"));
        assert!(at("\nPositions\n") < at("\nWeekly PEG score\n"));
        assert!(at("\nWeekly PEG score\n") < at("How this is worked out"));
        assert!(at("How this is worked out") < at("\nSources\n"));
        assert!(s.contains("[claim: "), "the claims are tagged");
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(
            " comparisons share a 5% chance of any false claim, so each is judged at the 99.8% \
             level."
        ));
        assert!(s.contains("Evidence: A rise of 2 points or more after"));
        assert!(!s.contains("Note: "), "nothing was assumed");
        assert!(!s.contains("NaN"));
    }

    #[test]
    fn an_empty_journal_says_what_to_log_next_and_what_was_assumed() {
        let person = Person::from_saved(None, None, vec![]);
        let s = text(80, &dto(&Journal::default(), &person));
        assert!(s.contains("Nothing clear yet"), "{s}");
        assert!(
            s.contains("Note: No saved profile gives your pain type or your role"),
            "{s}"
        );
        assert!(s.contains("None found in your check-ins."));
        assert!(!s.contains("false claim"), "nothing is compared yet");
        assert!(
            !s.contains("\nPositions\n"),
            "no positions logged, no heading"
        );
        assert_eq!(
            s.matches("\n  - ").count(),
            LOG_NEXT,
            "what to log next: {s}"
        );
    }
}
