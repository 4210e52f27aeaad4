//! The journal over HTTP: export and import.

use super::*;

/// The export without its time of writing: what must come back byte for byte.
fn without_exported_at(export: &str) -> String {
    export
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"exported_at\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_export_imports_back_to_the_same_entries_and_a_bad_import_writes_nothing() {
    // More imports than an account may try in an hour on a server as it comes.
    let app = TestApp::spawn_with(|s, _| s.imports_per_hour = 100).await;
    let eve = sign_up(&app.base, "eve", PASSWORD).await;
    let api = Api::token(
        &app.base,
        &create_token(&app.base, &eve.browser, "laptop").await,
    );
    for e in every_kind() {
        api.create_new(&e).await;
    }

    let export = api.get("/api/v1/journal/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.header("content-type"), Some("application/json"));
    assert!(
        export
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")),
        "a download"
    );
    let document = export.json();
    assert_eq!(document["format"], "spinewise-journal");
    assert_eq!(document["version"], 1);
    let entries = document["entries"].as_array().expect("entries").clone();
    assert_eq!(entries.len(), every_kind().len());
    for e in every_kind() {
        assert!(entries.contains(&e), "exported as written: {e}");
    }

    // Deleted, then imported: the same journal, byte for byte.
    assert_eq!(
        api.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert!(api.list("").await.is_empty());
    let r = api.post("/api/v1/journal/import", &document).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"imported": entries.len(), "replaced": false})
    );
    let again = api.get("/api/v1/journal/export").await;
    assert_eq!(
        without_exported_at(&again.text),
        without_exported_at(&export.text)
    );
    assert_eq!(again.json()["entries"], document["entries"]);

    // Without `replace`, an import adds and replaces by id; with it, the journal is the file.
    let extra = peg("extra", "2024-04-20");
    api.create_new(&extra).await;
    let changed = with(&peg("p1", "2024-04-05"), "pain", json!(9));
    let partial = json!({"format": "spinewise-journal", "version": 1,
        "exported_at": "2024-04-21T00:00:00Z", "entries": [changed]});
    let r = api.post("/api/v1/journal/import", &partial).await;
    assert_eq!(r.json(), json!({"imported": 1, "replaced": false}));
    assert_eq!(api.entry("p1").await.json(), changed);
    assert_eq!(api.list("").await.len(), entries.len() + 1);
    let r = api
        .post("/api/v1/journal/import?replace=true", &document)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"imported": entries.len(), "replaced": true})
    );
    assert_eq!(api.entry("extra").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        without_exported_at(&api.get("/api/v1/journal/export").await.text),
        without_exported_at(&export.text)
    );

    // One bad entry, wherever it is, and nothing is imported (even with replace).
    let count = entries.len();
    let mut bad_cases: Vec<(Value, String, Vec<&str>)> = Vec::new();
    let mut doc = document.clone();
    // Oldest first: a1, i1, d1, i2, d2, p1, x1, x2.
    doc["entries"][1]["positions"] = json!(["spooning", "cartwheel"]);
    doc["entries"]
        .as_array_mut()
        .expect("entries")
        .push(peg("new-one", "2024-04-22"));
    bad_cases.push((doc, "entries[1].positions[1]".into(), vec!["cartwheel"]));
    let mut doc = document.clone();
    doc["entries"][3]["pain_after"] = json!(11);
    bad_cases.push((doc, "entries[3].pain_after".into(), vec!["11", "0 to 10"]));
    let mut doc = document.clone();
    let dup = doc["entries"][0].clone();
    doc["entries"].as_array_mut().expect("entries").push(dup);
    bad_cases.push((
        doc,
        format!("entries[{count}].id"),
        vec!["a1", "more than once"],
    ));
    let mut doc = document.clone();
    doc["entries"][5]["date"] = json!("2999-12-31");
    bad_cases.push((doc, "entries[5].date".into(), vec!["future"]));
    let mut failures = Vec::new();
    for (doc, field, mentions) in &bad_cases {
        for path in [
            "/api/v1/journal/import",
            "/api/v1/journal/import?replace=true",
        ] {
            let r = api.post(path, doc).await;
            let named = r.status == StatusCode::UNPROCESSABLE_ENTITY
                && r.json()["errors"].as_array().is_some_and(|errors| {
                    errors.iter().any(|e| {
                        e["field"] == field.as_str()
                            && mentions
                                .iter()
                                .all(|m| e["detail"].as_str().unwrap_or_default().contains(m))
                    })
                });
            if !named {
                failures.push(format!(
                    "{path}: expected 422 naming {field} with {mentions:?}, got {} {}",
                    r.status, r.text
                ));
            }
            assert_eq!(
                api.list("").await.len(),
                count,
                "{path} {field}: nothing imported"
            );
        }
    }

    // Another format, or a version this server does not read, is refused whole.
    let mut other = document.clone();
    other["format"] = json!("somebody-elses-journal");
    let r = api
        .post("/api/v1/journal/import?replace=true", &other)
        .await;
    if r.status != StatusCode::UNPROCESSABLE_ENTITY
        || !r.json()["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["field"] == "format"))
    {
        failures.push(format!(
            "another format: expected 422 naming format, got {}",
            r.text
        ));
    }
    for version in [json!(2), json!(0)] {
        let mut newer = document.clone();
        newer["version"] = version.clone();
        let r = api
            .post("/api/v1/journal/import?replace=true", &newer)
            .await;
        r.problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "version",
            &[&version.to_string()],
        );
    }
    let r = api
        .post(
            "/api/v1/journal/import",
            &json!({"format": "spinewise-journal"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        without_exported_at(&api.get("/api/v1/journal/export").await.text),
        without_exported_at(&export.text),
        "nothing changed"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    app.stop().await;
}

#[tokio::test]
async fn csv_exports_have_a_header_and_a_row_per_entry_and_fhir_is_a_bundle_of_pain_observations() {
    let app = TestApp::spawn().await;
    let eve = sign_up(&app.base, "eve", PASSWORD).await;
    let api = Api::session(&app.base, &eve.browser).await;
    let written = every_kind();
    for e in &written {
        api.create_new(e).await;
    }

    for (kind, header) in [
        ("intimacy", "id,at,positions,preparation,pain_before"),
        ("daily", "id,date,pain_morning,pain_evening"),
        ("peg", "id,date,pain,enjoyment,activity,score"),
        ("exercise", "id,at,what,minutes,felt"),
        ("assessment", "id,at,pain_type,red_flag_level"),
    ] {
        let r = api.get(&format!("/api/v1/journal/export/csv/{kind}")).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.contains(&format!("spinewise-{kind}.csv"))),
            "{kind}"
        );
        let ids: Vec<&str> = written
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| e["id"].as_str().unwrap_or_default())
            .collect();
        assert!(r.text.starts_with(header), "{kind}: {}", r.text);
        // Records, not lines: a quoted note may hold a line break.
        let records = csv_records(&r.text);
        assert_eq!(records.len(), 1 + ids.len(), "{kind}: {}", r.text);
        let columns = records[0].len();
        for (record, id) in records[1..].iter().zip(&ids) {
            assert_eq!(record[0], *id, "{kind}");
            assert_eq!(record.len(), columns, "{kind}: {record:?}");
        }
    }
    let daily = csv_records(&api.get("/api/v1/journal/export/csv/daily").await.text);
    assert!(
        daily[2].contains(&"commas, \"quotes\"\nand a line".to_owned()),
        "{daily:?}"
    );
    api.get("/api/v1/journal/export/csv/nap").await.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "kind",
        &["nap", "intimacy"],
    );

    let r = api
        .get("/api/v1/journal/export/fhir?utc_offset=%2B02:00")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/fhir+json"));
    let bundle = r.json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let pain: Vec<&&Value> = resources
        .iter()
        .filter(|r| {
            r["resourceType"] == "Observation"
                && r["code"]["coding"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c["code"] == "72514-3"))
        })
        .collect();
    // Intimacy: before, during, after (and the next day for i2); daily: morning, evening;
    // exercise: before and after.
    assert_eq!(pain.len(), 3 + 4 + 2 * 2 + 2 * 2, "{bundle}");
    let times: HashSet<&str> = pain
        .iter()
        .filter_map(|o| o["effectiveDateTime"].as_str())
        .collect();
    assert!(times.contains("2024-04-01T22:15:00+02:00"), "{times:?}");
    assert!(times.contains("2024-04-04"), "the day after i2: {times:?}");
    for o in &pain {
        let v = &o["valueQuantity"]["value"];
        assert!(v.as_f64().is_some_and(|v| (0.0..=10.0).contains(&v)), "{o}");
    }
    assert!(
        resources
            .iter()
            .any(|r| r["resourceType"] == "QuestionnaireResponse"),
        "the PEG and the assessment"
    );
    for bad in ["5", "%2B25:00", "%2B01:75"] {
        api.get(&format!("/api/v1/journal/export/fhir?utc_offset={bad}"))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "utc_offset", &["HH:MM"]);
    }
    // Without an offset, only dates.
    let plain = api.get("/api/v1/journal/export/fhir").await.json();
    for e in plain["entry"].as_array().expect("entries") {
        let when = e["resource"]["effectiveDateTime"]
            .as_str()
            .or_else(|| e["resource"]["authored"].as_str())
            .unwrap_or_default();
        assert_eq!(when.len(), "2024-04-01".len(), "a date: {e}");
    }
    app.stop().await;
}

/// The records of an RFC 4180 CSV text.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[tokio::test]
async fn a_large_journal_is_exported_as_a_stream_with_the_same_bytes_as_written_at_once() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    let entries: Vec<Value> = (0..700)
        .map(|n| {
            let date = format!("2023-{:02}-{:02}", n % 12 + 1, n % 28 + 1);
            match n % 4 {
                0 => daily(&format!("d{n}"), &date),
                1 => peg(&format!("p{n}"), &date),
                2 => intimacy(&format!("i{n}"), &format!("{date}T21:{:02}", n % 60)),
                _ => exercise(&format!("x{n}"), &format!("{date}T08:{:02}", n % 60)),
            }
        })
        .collect();
    let document = json!({"format": "spinewise-journal", "version": 1,
        "exported_at": "2025-01-01T00:00:00Z", "entries": entries});
    let r = api.post("/api/v1/journal/import", &document).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    for path in [
        "/api/v1/journal/export",
        "/api/v1/journal/export/csv/daily",
        "/api/v1/journal/export/fhir?utc_offset=%2B01:00",
    ] {
        let r = api.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        // Streamed: sent in chunks, its length not known in advance.
        assert_eq!(r.header("transfer-encoding"), Some("chunked"), "{path}");
        assert_eq!(r.header("content-length"), None, "{path}");
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.starts_with("attachment"))
        );
        // The same bytes as the whole written at once.
        let whole = if path.ends_with("/export") {
            let doc = spinewise_domain::journal::export::Document::parse(r.text.as_bytes())
                .expect("a journal document");
            serde_json::to_string_pretty(&spinewise_app::entry_dto::ExportDto::from(&doc))
                .expect("json")
        } else if path.contains("/csv/") {
            let exported = api.get("/api/v1/journal/export").await.text;
            let doc = spinewise_domain::journal::export::Document::parse(exported.as_bytes())
                .expect("a journal document");
            let journal = spinewise_domain::journal::Journal::new(doc.entries);
            spinewise_domain::journal::export::csv(
                &journal,
                spinewise_domain::vocab::EntryKind::Daily,
            )
        } else {
            let bundle: Value = serde_json::from_str(&r.text).expect("a bundle");
            assert!(bundle["entry"].as_array().is_some_and(|e| e.len() > 700));
            serde_json::to_string_pretty(&bundle).expect("json")
        };
        assert!(r.text == whole, "{path}: the streamed body differs");
    }
    app.stop().await;
}
