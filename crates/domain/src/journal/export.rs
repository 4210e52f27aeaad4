//! The journal written out: a complete JSON document that imports back without loss, one CSV
//! file per kind of entry for spreadsheets, and an HL7 FHIR R4 `Bundle` for a clinician's
//! system (see [`fhir`]).
//!
//! The JSON document is the entries exactly as the API takes them, inside a small envelope
//! that names the format and its version, so that a future version can still read it.

pub mod fhir;

pub use fhir::fhir_bundle;

use super::{Entry, Journal};
use crate::vocab::{EntryKind, PainScore};

/// The envelope's `format`.
pub const FORMAT: &str = "spinewise-journal";
/// The envelope's `version`; documents of a newer version are refused.
pub const VERSION: u32 = 1;

/// A whole journal as one JSON document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always `spinewise-journal`.
    pub format: String,
    /// The format's version (1).
    pub version: u32,
    /// When it was written, RFC 3339 in UTC.
    pub exported_at: String,
    /// Every entry, oldest first.
    pub entries: Vec<Entry>,
}

/// What is wrong with a document that does not import: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DocumentError {
    /// Where, as a path into the JSON (`entries[3].pain_after`), or `.` for the whole.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Document {
    /// The document for `journal`, written at `now_unix`.
    pub fn new(journal: &Journal, now_unix: i64) -> Document {
        let exported_at = time::OffsetDateTime::from_unix_timestamp(now_unix)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
        Document {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at,
            entries: journal.entries().to_vec(),
        }
    }

    /// Reads a document, naming the place of the first problem: the whole (`.`), the
    /// envelope's `format` or `version`, or a field of an entry as a JSON path
    /// (`entries[3].pain_after`). The version is checked before the entries, so that a
    /// document from a newer spinewise is refused as such rather than for an entry this
    /// version does not know.
    ///
    /// # Errors
    ///
    /// [`DocumentError`] when the bytes are not JSON, not this format, or hold an entry of
    /// the wrong shape.
    pub fn parse(bytes: &[u8]) -> Result<Document, DocumentError> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| DocumentError {
                field: ".".to_owned(),
                message: format!("not a JSON document: {e}"),
            })?;
        Document::from_json(value)
    }

    /// [`Document::parse`] for JSON already read (a request's body, say). Prefer it to the
    /// derived `Deserialize`, whose errors stop at `entries[3]` because each entry's `kind`
    /// tag buffers its fields.
    ///
    /// # Errors
    ///
    /// [`DocumentError`] when the value is not this format or holds an entry of the wrong
    /// shape.
    pub fn from_json(value: serde_json::Value) -> Result<Document, DocumentError> {
        let format = value.get("format").and_then(serde_json::Value::as_str);
        if format != Some(FORMAT) {
            return Err(DocumentError {
                field: "format".to_owned(),
                message: format!(
                    "expected \"{FORMAT}\" (a file written by spinewise's journal export), found {}",
                    format.map_or_else(|| "none".to_owned(), |f| format!("\"{f}\""))
                ),
            });
        }
        let envelope = envelope(value)?;
        let check = Document {
            format: envelope.format,
            version: envelope.version,
            exported_at: envelope.exported_at,
            entries: Vec::new(),
        };
        check.check_version().map_err(|message| DocumentError {
            field: "version".to_owned(),
            message,
        })?;
        let entries = envelope
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| read_entry(i, e))
            .collect::<Result<Vec<Entry>, DocumentError>>()?;
        Ok(Document { entries, ..check })
    }

    /// Refuses a document of another format or a newer version.
    ///
    /// # Errors
    ///
    /// A message saying which.
    pub fn check_version(&self) -> Result<(), String> {
        if self.format != FORMAT {
            Err(format!(
                "expected format \"{FORMAT}\", found \"{}\"",
                self.format
            ))
        } else if self.version == 0 || self.version > VERSION {
            Err(format!(
                "version {} is not one this spinewise reads (1 to {VERSION}); update spinewise",
                self.version
            ))
        } else {
            Ok(())
        }
    }
}

/// [`fill_in_results`](super::entry::fill_in_results) for each entry of a document not yet
/// read, naming the entry of a problem (`entries[3].answers`).
///
/// # Errors
///
/// [`DocumentError`] when an assessment's answers are refused.
pub fn fill_in_results(
    value: &mut serde_json::Value,
    knowledge: &crate::Knowledge,
) -> Result<(), DocumentError> {
    let Some(entries) = value
        .get_mut("entries")
        .and_then(serde_json::Value::as_array_mut)
    else {
        return Ok(());
    };
    for (i, entry) in entries.iter_mut().enumerate() {
        super::entry::fill_in_results(entry, knowledge).map_err(|e| DocumentError {
            field: format!("entries[{i}].{}", e.field),
            message: e.message,
        })?;
    }
    Ok(())
}

/// The document with its entries still unread, so that the version is checked first and
/// each entry's problems are located within it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    format: String,
    #[serde(deserialize_with = "crate::whole_number::read")]
    version: u32,
    exported_at: String,
    entries: Vec<serde_json::Value>,
}

/// Reads the envelope, naming the field of a problem (`version`, `entries`, an unknown one),
/// or the whole (`.`) for an unknown field whose name is empty.
fn envelope(value: serde_json::Value) -> Result<Envelope, DocumentError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        DocumentError {
            field: if path.is_empty() {
                ".".to_owned()
            } else {
                path
            },
            message: e.into_inner().to_string(),
        }
    })
}

/// Reads entry `i` of a document, naming the field at fault under `entries[i]`.
fn read_entry(i: usize, value: serde_json::Value) -> Result<Entry, DocumentError> {
    Entry::from_json(value).map_err(|e| DocumentError {
        field: if e.field == "." {
            format!("entries[{i}]")
        } else {
            format!("entries[{i}].{}", e.field)
        },
        message: e.message,
    })
}

/// Quotes a CSV field when it needs it (RFC 4180), and defuses text that a spreadsheet
/// would run as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn pain(p: Option<PainScore>) -> String {
    p.map(|p| p.value().to_string()).unwrap_or_default()
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// One kind of entry as CSV: a header row, then one row per entry, oldest first. Lists
/// (positions, preparation, symptoms) are joined with `;`; missing values are empty. An
/// exercise session's sets are written in words, runs of the same set grouped and sets
/// joined with `; ` (`bird-dog 2x8 (coached); side-plank hold 30 s`).
pub fn csv(journal: &Journal, kind: EntryKind) -> String {
    let mut out = csv_header(kind);
    for entry in journal.entries().iter().filter(|e| e.kind() == kind) {
        out.push_str(&csv_row(entry));
    }
    out
}

/// The header row of [`csv`] for `kind`, with its line end.
pub fn csv_header(kind: EntryKind) -> String {
    let header: &[&str] = match kind {
        EntryKind::Intimacy => &[
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
        ],
        EntryKind::Daily => &[
            "id",
            "date",
            "pain_morning",
            "pain_evening",
            "sleep_hours",
            "sleep_quality",
            "mood",
            "stress",
            "note",
        ],
        EntryKind::Peg => &["id", "date", "pain", "enjoyment", "activity", "score"],
        EntryKind::Exercise => &[
            "id",
            "at",
            "what",
            "minutes",
            "felt",
            "pain_before",
            "pain_after",
            "sets",
            "note",
        ],
        EntryKind::Assessment => &[
            "id",
            "at",
            "pain_type",
            "red_flag_level",
            "red_flags",
            "answers",
        ],
    };
    let mut out = header.join(",");
    out.push_str("\r\n");
    out
}

/// One entry's row of [`csv`] (under the header of its kind), with its line end.
pub fn csv_row(entry: &Entry) -> String {
    let row: Vec<String> = match entry {
        Entry::Intimacy(e) => vec![
            e.id.to_string(),
            e.at.to_string(),
            list(&e.positions),
            list(&e.preparation),
            e.pain_before.value().to_string(),
            pain(e.pain_during),
            e.pain_after.value().to_string(),
            pain(e.next_day_pain),
            e.stopped_early.to_string(),
            list(&e.symptoms),
            e.note.clone().unwrap_or_default(),
        ],
        Entry::Daily(e) => vec![
            e.id.to_string(),
            e.date.to_string(),
            pain(e.pain_morning),
            pain(e.pain_evening),
            e.sleep_hours.map(|h| h.to_string()).unwrap_or_default(),
            e.sleep_quality
                .map(|r| r.value().to_string())
                .unwrap_or_default(),
            e.mood.map(|r| r.value().to_string()).unwrap_or_default(),
            e.stress.map(|r| r.value().to_string()).unwrap_or_default(),
            e.note.clone().unwrap_or_default(),
        ],
        Entry::Peg(e) => vec![
            e.id.to_string(),
            e.date.to_string(),
            e.pain.value().to_string(),
            e.enjoyment.value().to_string(),
            e.activity.value().to_string(),
            format!("{:.2}", e.score()),
        ],
        Entry::Exercise(e) => vec![
            e.id.to_string(),
            e.at.to_string(),
            e.what.clone(),
            e.minutes.to_string(),
            e.felt.to_string(),
            pain(e.pain_before),
            pain(e.pain_after),
            super::entry::describe_sets(&e.sets),
            e.note.clone().unwrap_or_default(),
        ],
        Entry::Assessment(e) => vec![
            e.id.to_string(),
            e.at.to_string(),
            e.pain_type.map(|t| t.to_string()).unwrap_or_default(),
            e.red_flag_level.to_string(),
            list(&e.answers.red_flags),
            e.answers
                .answers
                .iter()
                .map(|(q, a)| format!("{q}={a}"))
                .collect::<Vec<_>>()
                .join(";"),
        ],
    };
    format!(
        "{}\r\n",
        row.iter().map(|f| field(f)).collect::<Vec<_>>().join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
    }
}
