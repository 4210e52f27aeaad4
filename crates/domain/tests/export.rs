//! The journal written out: the JSON document imports back without loss (a demo year and
//! entries with every optional field), a document that does not import is refused with the
//! place of the problem (the whole file, the envelope, or a field deep inside one entry), and
//! the CSV of each kind has its header, one row per entry, RFC 4180 quoting, defused formulas
//! and empty cells for missing values.

use spinewise_domain::Knowledge;
use spinewise_domain::assessment::Answers;
use spinewise_domain::journal::demo::demo_journal;
use spinewise_domain::journal::export::{self, Document, DocumentError};
use spinewise_domain::journal::{
    AssessmentRecord, DailyCheckIn, Entry, EntryId, Exercise, ExerciseSet, Intimacy, Journal,
    LocalDate, LocalDateTime, Peg, Rating,
};
use spinewise_domain::vocab::{EntryKind, Felt, Level, PainScore, PainType, Preparation};

use serde_json::{Value, json};

// --- Helpers ---------------------------------------------------------------------------------

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

const TODAY: &str = "2026-11-22";

fn today() -> LocalDate {
    TODAY.parse().expect("a date")
}

/// Noon UTC the day after [`TODAY`]: every entry here is in the past.
fn now() -> i64 {
    let tomorrow = today().next().expect("a next day").0;
    tomorrow.midnight().assume_utc().unix_timestamp() + 12 * 60 * 60
}

fn id(s: &str) -> EntryId {
    s.parse().expect("a valid entry id")
}

fn at(s: &str) -> LocalDateTime {
    s.parse().expect("a date and time")
}

fn date(s: &str) -> LocalDate {
    s.parse().expect("a date")
}

fn pain(n: u8) -> PainScore {
    PainScore::new(n).expect("a pain score")
}

fn rating(n: u8) -> Rating {
    Rating::new(n).expect("a rating")
}

fn answers(value: Value) -> Answers {
    serde_json::from_value(value).expect("answers of the right shape")
}

/// The answers of a back that dislikes bending forward (tests/fixtures/answers/flexion.json).
fn flexion_answers() -> Value {
    json!({
        "red_flags": [],
        "answers": {
            "sitting": "worse",
            "bending": "worse",
            "standing": "better",
            "walking": "better",
            "arching": "no-change",
            "lying-face-down": "better",
            "time-of-day": "morning",
            "any-direction": "one-direction",
            "twisting": "no-change",
            "relief": "stand-or-walk"
        }
    })
}

/// A note with everything a CSV writer must quote: a comma, quotes and a line break.
const AWKWARD_NOTE: &str = "slow, \"gentle\" start\nthen fine";

/// One entry of every kind with every optional field filled in, and one of each kind with
/// none of them.
fn full_entries() -> Vec<Entry> {
    let k = knowledge();
    let assessment = AssessmentRecord::new(
        k,
        id("assess-full"),
        at("2026-11-01T09:15"),
        answers(flexion_answers()),
    )
    .expect("the flexion answers are complete");
    assert_eq!(assessment.pain_type, Some(PainType::Flexion));
    let mut urgent = flexion_answers();
    urgent["red_flags"] = json!(["saddle-numbness"]);
    let urgent = AssessmentRecord::new(
        k,
        id("assess-urgent"),
        at("2026-11-02T08:00"),
        answers(urgent),
    )
    .expect("red flags are answers too");
    assert_eq!(urgent.pain_type, None);
    assert!(urgent.red_flag_level >= Level::Urgent);
    vec![
        Entry::Intimacy(Intimacy {
            id: id("intimacy-full"),
            at: at("2026-11-20T21:30"),
            positions: vec!["spooning".to_owned(), "side-lying-face-to-face".to_owned()],
            preparation: vec![
                Preparation::WarmBath,
                Preparation::Pillows,
                Preparation::IceAfter,
            ],
            pain_before: pain(3),
            pain_during: Some(pain(4)),
            pain_after: pain(5),
            stopped_early: true,
            symptoms: vec!["pain-during-sex".to_owned()],
            next_day_pain: Some(pain(4)),
            note: Some(AWKWARD_NOTE.to_owned()),
        }),
        Entry::Intimacy(Intimacy {
            id: id("intimacy-bare"),
            at: at("2026-11-21T07:05"),
            positions: Vec::new(),
            preparation: Vec::new(),
            pain_before: pain(0),
            pain_during: None,
            pain_after: pain(10),
            stopped_early: false,
            symptoms: Vec::new(),
            next_day_pain: None,
            note: None,
        }),
        Entry::Daily(DailyCheckIn {
            id: EntryId::daily(date("2026-11-20")),
            date: date("2026-11-20"),
            pain_morning: Some(pain(2)),
            pain_evening: Some(pain(6)),
            sleep_hours: Some(6.5),
            sleep_quality: Some(rating(2)),
            mood: Some(rating(4)),
            stress: Some(rating(5)),
            note: Some("=cmd|' /C calc'!A0".to_owned()),
        }),
        Entry::Daily(DailyCheckIn {
            id: EntryId::daily(date("2026-11-21")),
            date: date("2026-11-21"),
            pain_morning: Some(pain(3)),
            pain_evening: None,
            sleep_hours: None,
            sleep_quality: None,
            mood: None,
            stress: None,
            note: None,
        }),
        Entry::Peg(Peg {
            id: id("peg-1"),
            date: date("2026-11-15"),
            pain: pain(4),
            enjoyment: pain(3),
            activity: pain(6),
        }),
        Entry::Exercise(Exercise {
            id: id("exercise-full"),
            at: at("2026-11-19T18:00"),
            what: "bird dog, side plank".to_owned(),
            minutes: 25,
            felt: Felt::Better,
            pain_before: Some(pain(4)),
            pain_after: Some(pain(3)),
            note: Some("@home +stretching".to_owned()),
            sets: vec![
                ExerciseSet {
                    exercise: "bird-dog".to_owned(),
                    reps: Some(8),
                    hold_s: None,
                    warnings: 1,
                    coached: true,
                    level: Some(2),
                },
                ExerciseSet {
                    exercise: "bird-dog".to_owned(),
                    reps: Some(8),
                    hold_s: None,
                    warnings: 2,
                    coached: true,
                    level: Some(2),
                },
                ExerciseSet {
                    exercise: "side-plank".to_owned(),
                    reps: None,
                    hold_s: Some(30),
                    warnings: 0,
                    coached: false,
                    level: None,
                },
            ],
        }),
        Entry::Exercise(Exercise {
            id: id("exercise-bare"),
            at: at("2026-11-18T07:30"),
            what: "walk".to_owned(),
            minutes: 600,
            felt: Felt::Same,
            pain_before: None,
            pain_after: None,
            note: None,
            sets: Vec::new(),
        }),
        Entry::Assessment(assessment),
        Entry::Assessment(urgent),
    ]
}

fn full_journal() -> Journal {
    let k = knowledge();
    let entries = full_entries();
    for e in &entries {
        e.validate(k, now())
            .unwrap_or_else(|err| panic!("{} is a valid entry: {err}", e.id()));
    }
    Journal::new(entries)
}

fn demo() -> Journal {
    Journal::new(demo_journal(knowledge(), today(), 365, 7))
}

fn document_json(journal: &Journal) -> Value {
    serde_json::to_value(Document::new(journal, now())).expect("a document serialises")
}

fn parse_value(value: &Value) -> Result<Document, DocumentError> {
    Document::parse(&serde_json::to_vec(value).expect("JSON serialises"))
}

/// Parses `value`, expecting a refusal whose field is exactly `field` and whose message
/// contains every one of `needles`.
fn refused(value: &Value, field: &str, needles: &[&str]) -> DocumentError {
    let err = parse_value(value).expect_err("the document is refused");
    assert_eq!(
        err.field, field,
        "the error should be located at {field}: {err}"
    );
    for needle in needles {
        assert!(
            err.message.contains(needle),
            "the message for {field} should contain {needle:?}: {err}"
        );
    }
    err
}

/// The index of the first entry of `kind` in a document.
fn first_of(document: &Value, kind: &str) -> usize {
    document["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .position(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("the document has a {kind} entry"))
}

// --- The JSON document -----------------------------------------------------------------------

mod document {
    use super::*;

    fn round_trip(journal: &Journal) {
        let document = Document::new(journal, now());
        assert_eq!(document.format, export::FORMAT);
        assert_eq!(document.version, export::VERSION);
        assert_eq!(document.entries.as_slice(), journal.entries());
        let bytes = serde_json::to_vec_pretty(&document).expect("a document serialises");
        let parsed = Document::parse(&bytes).expect("an exported document imports");
        assert_eq!(parsed, document);
        assert_eq!(Journal::new(parsed.entries), *journal);
    }

    #[test]
    fn a_demo_year_imports_back_unchanged() {
        let journal = demo();
        assert!(journal.len() > 300, "a demo year has many entries");
        round_trip(&journal);
    }

    #[test]
    fn entries_with_every_optional_field_and_with_none_import_back_unchanged() {
        round_trip(&full_journal());
    }

    #[test]
    fn an_empty_journal_imports_back_empty() {
        round_trip(&Journal::default());
    }

    #[test]
    fn the_envelope_names_the_format_the_version_and_the_time_in_utc() {
        let value = document_json(&full_journal());
        assert_eq!(value["format"], "spinewise-journal");
        assert_eq!(value["version"], 1);
        assert_eq!(value["exported_at"], "2026-11-23T12:00:00Z");
        let kinds: Vec<&str> = value["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["kind"].as_str().expect("every entry names its kind"))
            .collect();
        for kind in ["intimacy", "daily", "peg", "exercise", "assessment"] {
            assert!(kinds.contains(&kind), "{kind} is written: {kinds:?}");
        }
        // Oldest first.
        let parsed = parse_value(&value).expect("it imports");
        let whens: Vec<_> = parsed.entries.iter().map(Entry::when).collect();
        assert!(whens.windows(2).all(|w| w[0] <= w[1]), "{whens:?}");
    }

    #[test]
    fn every_optional_field_is_written() {
        let value = document_json(&full_journal());
        let entry = |id: &str| -> Value {
            value["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .find(|e| e["id"] == id)
                .cloned()
                .unwrap_or_else(|| panic!("entry {id} is written"))
        };
        let intimacy = entry("intimacy-full");
        for field in [
            "pain_during",
            "next_day_pain",
            "note",
            "symptoms",
            "preparation",
        ] {
            assert!(
                intimacy.get(field).is_some(),
                "intimacy has {field}: {intimacy}"
            );
        }
        assert_eq!(intimacy["note"], AWKWARD_NOTE);
        let daily = entry("daily-2026-11-20");
        assert_eq!(daily["sleep_hours"], 6.5);
        assert_eq!(daily["stress"], 5);
        let bare = entry("daily-2026-11-21");
        assert!(
            bare.get("pain_evening").is_none(),
            "missing values are left out: {bare}"
        );
    }

    #[test]
    fn bytes_that_are_not_json_are_refused_as_a_whole() {
        let err = Document::parse(b"format,version\nspinewise-journal,1\n")
            .expect_err("CSV is not a document");
        assert_eq!(err.field, ".");
        assert!(err.message.contains("not a JSON document"), "{err}");
        let err = Document::parse(b"").expect_err("nothing is not a document");
        assert_eq!(err.field, ".");
    }

    #[test]
    fn another_format_is_refused_at_format() {
        let mut value = document_json(&full_journal());
        value["format"] = json!("fhir");
        let err = refused(&value, "format", &["spinewise-journal", "\"fhir\""]);
        assert!(err.to_string().starts_with("format: "), "{err}");
        value.as_object_mut().expect("an object").remove("format");
        refused(&value, "format", &["spinewise-journal", "none"]);
        refused(&json!([1, 2, 3]), "format", &["spinewise-journal"]);
    }

    #[test]
    fn a_newer_or_zero_version_is_refused_at_version() {
        let mut value = document_json(&full_journal());
        value["version"] = json!(2);
        refused(&value, "version", &["version 2", "update spinewise"]);
        value["version"] = json!(0);
        refused(&value, "version", &["version 0"]);
    }

    #[test]
    fn a_newer_version_is_named_even_when_its_entries_are_new_to_this_version() {
        // A later version may add kinds of entry; the reader should say "update", not
        // complain about the entry it does not know.
        let mut value = document_json(&full_journal());
        value["version"] = json!(2);
        value["entries"][0] = json!({ "kind": "medication", "id": "m1", "at": "2026-11-20T08:00" });
        refused(&value, "version", &["update spinewise"]);
    }

    #[test]
    fn a_bad_value_deep_inside_names_the_entry_and_the_field() {
        let value = document_json(&demo());
        let i = value["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .enumerate()
            .filter(|(_, e)| e["kind"] == "intimacy")
            .map(|(i, _)| i)
            .nth(3)
            .expect("a demo year has intimacy logs");
        assert!(i > 3, "the entry is deep inside the document");
        let mut bad = value.clone();
        bad["entries"][i]["pain_after"] = json!(11);
        let err = refused(
            &bad,
            &format!("entries[{i}].pain_after"),
            &["11", "0 to 10"],
        );
        assert!(
            err.to_string()
                .starts_with(&format!("entries[{i}].pain_after: ")),
            "{err}"
        );
    }

    #[test]
    fn bad_values_of_every_kind_are_located() {
        let value = document_json(&full_journal());
        let intimacy = first_of(&value, "intimacy");
        let daily = first_of(&value, "daily");
        let peg = first_of(&value, "peg");
        let exercise = first_of(&value, "exercise");
        let assessment = first_of(&value, "assessment");
        let cases: Vec<(usize, &str, Value, &str, &[&str])> = vec![
            (
                intimacy,
                "at",
                json!("yesterday"),
                "at",
                &["yesterday", "YYYY-MM-DDTHH:MM"],
            ),
            (
                intimacy,
                "positions",
                json!(["spooning", 7]),
                "positions[1]",
                &["7"],
            ),
            (
                intimacy,
                "preparation",
                json!(["nap"]),
                "preparation[0]",
                &["nap", "warm-bath"],
            ),
            (
                intimacy,
                "stopped_early",
                json!("yes"),
                "stopped_early",
                &["yes"],
            ),
            (
                daily,
                "sleep_quality",
                json!(6),
                "sleep_quality",
                &["6", "1 to 5"],
            ),
            (
                daily,
                "date",
                json!("2026-13-01"),
                "date",
                &["2026-13-01", "YYYY-MM-DD"],
            ),
            (peg, "activity", json!(-1), "activity", &["-1", "0 to 10"]),
            (
                exercise,
                "felt",
                json!("great"),
                "felt",
                &["great", "better"],
            ),
            (exercise, "minutes", json!("long"), "minutes", &["long"]),
            (
                assessment,
                "red_flag_level",
                json!("red"),
                "red_flag_level",
                &["red", "emergency"],
            ),
            (assessment, "id", json!("has spaces"), "id", &["has spaces"]),
        ];
        for (i, key, bad, field, needles) in cases {
            let mut doc = value.clone();
            doc["entries"][i][key] = bad;
            refused(&doc, &format!("entries[{i}].{field}"), needles);
        }
    }

    #[test]
    fn an_unknown_or_missing_kind_is_located() {
        let value = document_json(&full_journal());
        let mut doc = value.clone();
        doc["entries"][2]["kind"] = json!("nap");
        refused(&doc, "entries[2].kind", &["nap", "intimacy", "assessment"]);
        let mut doc = value.clone();
        doc["entries"][1]
            .as_object_mut()
            .expect("an entry is an object")
            .remove("kind");
        let err = parse_value(&doc).expect_err("an entry needs a kind");
        assert!(err.field.starts_with("entries[1]"), "{err}");
        assert!(err.to_string().contains("kind"), "{err}");
        let mut doc = value;
        doc["entries"][0] = json!("intimacy");
        let err = parse_value(&doc).expect_err("an entry is an object");
        assert!(err.field.starts_with("entries[0]"), "{err}");
    }

    #[test]
    fn a_missing_or_unknown_field_is_located_at_its_entry() {
        let value = document_json(&full_journal());
        let i = first_of(&value, "intimacy");
        let mut doc = value.clone();
        doc["entries"][i]
            .as_object_mut()
            .expect("an entry is an object")
            .remove("pain_after");
        let err = parse_value(&doc).expect_err("pain_after is required");
        assert!(err.field.starts_with(&format!("entries[{i}]")), "{err}");
        assert!(err.to_string().contains("pain_after"), "{err}");

        let mut doc = value.clone();
        doc["entries"][i]["mood"] = json!(3);
        refused(
            &doc,
            &format!("entries[{i}].mood"),
            &["unknown field", "pain_after"],
        );

        let mut doc = value;
        doc["comment"] = json!("hello");
        refused(&doc, "comment", &["unknown field", "entries"]);
    }

    #[test]
    fn an_unknown_field_without_a_name_is_located_at_the_whole_or_its_entry() {
        // Found by fuzzing: a field named "" was located at "", which names nothing.
        let mut doc = document_json(&full_journal());
        doc[""] = json!(1);
        refused(&doc, ".", &["unknown field ``"]);

        let mut doc = document_json(&full_journal());
        let i = first_of(&doc, "peg");
        doc["entries"][i][""] = json!(1);
        refused(&doc, &format!("entries[{i}]"), &["unknown field ``"]);
    }

    #[test]
    fn json_already_read_is_located_the_same_way() {
        let mut value = document_json(&full_journal());
        let i = first_of(&value, "peg");
        value["entries"][i]["activity"] = json!(12);
        let err = Document::from_json(value).expect_err("12 is off the scale");
        assert_eq!(err.field, format!("entries[{i}].activity"), "{err}");
        let ok = Document::from_json(document_json(&full_journal())).expect("a valid document");
        assert_eq!(Journal::new(ok.entries), full_journal());
    }

    #[test]
    fn every_entry_reads_back_through_the_document_as_through_serde() {
        let value = document_json(&full_journal());
        let parsed = parse_value(&value).expect("it imports");
        for (entry, json) in parsed
            .entries
            .iter()
            .zip(value["entries"].as_array().expect("entries"))
        {
            let plain: Entry = serde_json::from_value(json.clone()).expect("serde reads it");
            assert_eq!(entry, &plain);
        }
    }
}

// --- CSV -------------------------------------------------------------------------------------

mod csv {
    use super::*;

    /// Splits RFC 4180 CSV into records of fields: `\r\n` ends a record, quoted fields may hold
    /// commas, doubled quotes and line breaks.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' => {
                    assert!(field.is_empty(), "a quote inside an unquoted field: {text}");
                    quoted = true;
                }
                ',' => record.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "records end with CRLF: {text:?}");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                '\n' => panic!("a bare line break outside quotes: {text:?}"),
                _ => field.push(c),
            }
        }
        assert!(!quoted, "an unterminated quoted field: {text:?}");
        assert!(
            field.is_empty() && record.is_empty(),
            "the last record ends with CRLF: {text:?}"
        );
        records
    }

    /// The CSV of `kind`, checked for a header and one equally long row per entry of that kind,
    /// each row starting with the entry's id, in the journal's order.
    fn table(journal: &Journal, kind: EntryKind, header: &[&str]) -> Vec<Vec<String>> {
        let text = export::csv(journal, kind);
        let records = parse(&text);
        assert_eq!(records[0], header, "the {kind} header");
        let ids: Vec<String> = journal
            .entries()
            .iter()
            .filter(|e| e.kind() == kind)
            .map(|e| e.id().to_string())
            .collect();
        let rows = &records[1..];
        assert_eq!(rows.len(), ids.len(), "one {kind} row per entry");
        for (row, id) in rows.iter().zip(&ids) {
            assert_eq!(
                row.len(),
                header.len(),
                "every {kind} row fills the header: {row:?}"
            );
            assert_eq!(&row[0], id);
        }
        rows.to_vec()
    }

    fn row<'r>(rows: &'r [Vec<String>], id: &str) -> &'r [String] {
        rows.iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("a row for {id}"))
    }

    const INTIMACY: &[&str] = &[
        "id",
        "at",
        "positions",
        "preparation",
        "pain_before",
        "pain_during",
        "pain_after",
        "next_day_pain",
        "stopped_early",
        "symptoms",
        "note",
    ];
    const DAILY: &[&str] = &[
        "id",
        "date",
        "pain_morning",
        "pain_evening",
        "sleep_hours",
        "sleep_quality",
        "mood",
        "stress",
        "note",
    ];
    const PEG: &[&str] = &["id", "date", "pain", "enjoyment", "activity", "score"];
    const EXERCISE: &[&str] = &[
        "id",
        "at",
        "what",
        "minutes",
        "felt",
        "pain_before",
        "pain_after",
        "sets",
        "note",
    ];
    const ASSESSMENT: &[&str] = &[
        "id",
        "at",
        "pain_type",
        "red_flag_level",
        "red_flags",
        "answers",
    ];

    #[test]
    fn intimacy_rows_join_lists_and_leave_missing_values_empty() {
        let rows = table(&full_journal(), EntryKind::Intimacy, INTIMACY);
        assert_eq!(
            row(&rows, "intimacy-full"),
            [
                "intimacy-full",
                "2026-11-20T21:30",
                "spooning;side-lying-face-to-face",
                "warm-bath;pillows;ice-after",
                "3",
                "4",
                "5",
                "4",
                "true",
                "pain-during-sex",
                AWKWARD_NOTE,
            ]
        );
        assert_eq!(
            row(&rows, "intimacy-bare"),
            [
                "intimacy-bare",
                "2026-11-21T07:05",
                "",
                "",
                "0",
                "",
                "10",
                "",
                "false",
                "",
                ""
            ]
        );
    }

    #[test]
    fn a_note_with_commas_quotes_and_line_breaks_is_quoted() {
        let text = export::csv(&full_journal(), EntryKind::Intimacy);
        assert!(
            text.contains("\"slow, \"\"gentle\"\" start\nthen fine\"\r\n"),
            "the note is quoted with doubled quotes: {text:?}"
        );
    }

    #[test]
    fn daily_rows_defuse_formulas_and_leave_missing_values_empty() {
        let journal = full_journal();
        let rows = table(&journal, EntryKind::Daily, DAILY);
        assert_eq!(
            row(&rows, "daily-2026-11-20"),
            [
                "daily-2026-11-20",
                "2026-11-20",
                "2",
                "6",
                "6.5",
                "2",
                "4",
                "5",
                "'=cmd|' /C calc'!A0",
            ]
        );
        assert_eq!(
            row(&rows, "daily-2026-11-21"),
            [
                "daily-2026-11-21",
                "2026-11-21",
                "3",
                "",
                "",
                "",
                "",
                "",
                ""
            ]
        );
        // Nothing in the file starts a cell with a formula character.
        let text = export::csv(&journal, EntryKind::Daily);
        assert!(!text.contains(",=") && !text.contains("\"="), "{text:?}");
    }

    #[test]
    fn peg_rows_carry_the_mean_to_two_places() {
        let rows = table(&full_journal(), EntryKind::Peg, PEG);
        assert_eq!(
            row(&rows, "peg-1"),
            ["peg-1", "2026-11-15", "4", "3", "6", "4.33"]
        );
    }

    #[test]
    fn exercise_rows_defuse_every_formula_character() {
        let rows = table(&full_journal(), EntryKind::Exercise, EXERCISE);
        assert_eq!(
            row(&rows, "exercise-full"),
            [
                "exercise-full",
                "2026-11-19T18:00",
                "bird dog, side plank",
                "25",
                "better",
                "4",
                "3",
                "bird-dog 2x8, level 2, 3 warnings (coached); side-plank hold 30 s",
                "'@home +stretching",
            ]
        );
        assert_eq!(
            row(&rows, "exercise-bare"),
            [
                "exercise-bare",
                "2026-11-18T07:30",
                "walk",
                "600",
                "same",
                "",
                "",
                "",
                ""
            ]
        );
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let mut journal = full_journal().entries().to_vec();
            journal.push(Entry::Exercise(Exercise {
                id: id("exercise-formula"),
                at: at("2026-11-17T10:00"),
                what: format!("{start}SUM(A1:A9)"),
                minutes: 10,
                felt: Felt::Worse,
                pain_before: None,
                pain_after: None,
                note: Some(format!("{start}HYPERLINK(\"http://example.invalid\")")),
                sets: Vec::new(),
            }));
            let rows = table(&Journal::new(journal), EntryKind::Exercise, EXERCISE);
            let r = row(&rows, "exercise-formula");
            assert_eq!(r[2], format!("'{start}SUM(A1:A9)"));
            assert_eq!(
                r[8],
                format!("'{start}HYPERLINK(\"http://example.invalid\")")
            );
        }
    }

    #[test]
    fn assessment_rows_list_the_red_flags_and_every_answer() {
        let rows = table(&full_journal(), EntryKind::Assessment, ASSESSMENT);
        let full = row(&rows, "assess-full");
        assert_eq!(full[1], "2026-11-01T09:15");
        assert_eq!(full[2], "flexion");
        assert_eq!(full[3], "none");
        assert_eq!(full[4], "");
        let answers: Vec<&str> = full[5].split(';').collect();
        assert_eq!(answers.len(), 10, "{answers:?}");
        assert!(answers.contains(&"bending=worse"), "{answers:?}");
        let urgent = row(&rows, "assess-urgent");
        assert_eq!(urgent[2], "", "no pain type behind a red flag");
        assert_ne!(urgent[3], "none");
        assert_eq!(urgent[4], "saddle-numbness");
    }

    #[test]
    fn a_kind_without_entries_is_the_header_alone() {
        for (kind, header) in [
            (EntryKind::Intimacy, INTIMACY),
            (EntryKind::Daily, DAILY),
            (EntryKind::Peg, PEG),
            (EntryKind::Exercise, EXERCISE),
            (EntryKind::Assessment, ASSESSMENT),
        ] {
            let text = export::csv(&Journal::default(), kind);
            assert_eq!(text, format!("{}\r\n", header.join(",")));
        }
    }

    #[test]
    fn a_demo_year_has_one_row_per_entry_of_each_kind() {
        let journal = demo();
        for (kind, header) in [
            (EntryKind::Intimacy, INTIMACY),
            (EntryKind::Daily, DAILY),
            (EntryKind::Peg, PEG),
            (EntryKind::Exercise, EXERCISE),
            (EntryKind::Assessment, ASSESSMENT),
        ] {
            table(&journal, kind, header);
        }
    }
}
