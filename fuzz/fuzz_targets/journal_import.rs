//! A journal import (`POST /api/v1/journal/import`, the import page, `spinewise journal
//! import`): any bytes read as an export document, then checked as an import is before
//! anything is written (`check_import`). A refusal names where (`.`, `format`, `version`,
//! `entries[i]…`); a document that reads writes back the same; an accepted import, exported
//! again, gives the same entries.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use spinewise_app::journal::{JournalError, check_import};
use spinewise_domain::journal::Journal;
use spinewise_domain::journal::export::Document;
use spinewise_fuzz::{NOW, knowledge};

fuzz_target!(|data: &[u8]| {
    let document = match Document::parse(data) {
        Ok(d) => d,
        Err(e) => {
            assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
            return;
        }
    };
    let written = serde_json::to_vec(&document).expect("a document serialises");
    let read = Document::parse(&written).expect("a written document reads back");
    assert_eq!(read, document);

    let k = knowledge();
    match check_import(k, &document.entries, NOW) {
        Ok(()) => {
            let mut ids = HashSet::new();
            for entry in &document.entries {
                assert!(ids.insert(entry.id()), "{} twice", entry.id());
                assert!(entry.validate(k, NOW).is_ok());
            }
            let journal = Journal::new(document.entries.clone());
            let again = Document::new(&journal, NOW);
            let mut expected = document.entries.clone();
            expected.sort_by(|a, b| a.id().cmp(b.id()));
            let mut got = again.entries.clone();
            got.sort_by(|a, b| a.id().cmp(b.id()));
            assert_eq!(got, expected);
        }
        Err(JournalError::Invalid(e)) => {
            assert!(e.field.starts_with("entries"), "{e:?}");
            assert!(!e.message.is_empty());
        }
        Err(JournalError::Duplicate { index, id }) => {
            assert_eq!(document.entries[index].id(), &id);
            assert!(document.entries[..index].iter().any(|e| e.id() == &id));
        }
        Err(other) => panic!("an import's checks failed otherwise: {other:?}"),
    }
});
