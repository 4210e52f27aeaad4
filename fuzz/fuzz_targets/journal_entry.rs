//! A journal entry's JSON body (`POST /api/v1/journal/entries`, the pages' and the command
//! line's entries): any JSON read with `Entry::from_json`, then validated. A refusal names a
//! field; an entry that reads is written and read back the same, by `from_json` and by the
//! derived reader that opens stored entries; a valid one has a summary, its API shape and a
//! journal of its own that exports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use spinewise_app::entry_dto::EntryDto;
use spinewise_domain::journal::export::{self, Document};
use spinewise_domain::journal::{Entry, Journal};
use spinewise_fuzz::{NOW, knowledge};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let entry = match Entry::from_json(value) {
        Ok(e) => e,
        Err(e) => {
            assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
            return;
        }
    };
    let written = serde_json::to_value(&entry).expect("an entry serialises");
    assert_eq!(
        Entry::from_json(written.clone()).as_ref(),
        Ok(&entry),
        "written as {written}"
    );
    // Stored entries are opened with the derived reader, from bytes.
    let bytes = serde_json::to_vec(&entry).expect("an entry serialises");
    let opened: Entry = serde_json::from_slice(&bytes).expect("a stored entry opens");
    assert_eq!(opened, entry, "stored as {written}");

    let k = knowledge();
    if let Err(e) = entry.validate(k, NOW) {
        assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
        return;
    }
    assert!(!spinewise_app::journal::summary(k, &entry).is_empty());
    serde_json::to_string(&EntryDto::from(&entry)).expect("the API shape serialises");
    let journal = Journal::new(vec![entry.clone()]);
    let document = Document::new(&journal, NOW);
    let json = serde_json::to_vec(&document).expect("the export serialises");
    let read = Document::parse(&json).expect("an export reads back");
    assert_eq!(read.entries, vec![entry]);
    for kind in spinewise_domain::vocab::EntryKind::ALL {
        export::csv(&journal, *kind);
    }
});
