//! The journal over HTTP: its bounds. An account's journal takes no write past its entries or
//! its bytes, whichever way the write comes (a new entry, a replacement that grows, an import,
//! the pages' forms), and says so naming the bound and what the journal holds. An account
//! may try ten imports an hour, counted in the database that every instance shares. The list
//! comes a page at a time, each with a sealed cursor to the next.

use super::*;

/// An import document of these entries.
fn document(entries: &[Value]) -> Value {
    json!({
        "format": "spinewise-journal", "version": 1,
        "exported_at": "2025-01-01T00:00:00Z", "entries": entries
    })
}

/// A PEG of `n`, dated in 2024: small enough to seal to 297 bytes (one 256-byte step).
fn small(n: usize) -> Value {
    peg(&format!("peg-{n}"), &format!("2024-01-{:02}", n % 28 + 1))
}

/// The bytes of [`small`] as stored: 256 padded, a version byte, a 24-byte nonce and a tag.
const SMALL_SEALED: u64 = 256 + 1 + 24 + 16;

#[tokio::test]
async fn a_full_journal_refuses_new_entries_imports_and_growth_with_507_naming_the_bound() {
    let app = TestApp::spawn_with(|s, _| {
        s.journal_quota = spinewise_store::JournalQuota {
            entries: 4,
            bytes: 4 * SMALL_SEALED + 100,
        };
    })
    .await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    for n in 0..3 {
        api.create_new(&small(n)).await;
    }

    // An import of two new entries would make five: refused whole, the journal unchanged.
    let r = api
        .post(
            "/api/v1/journal/import",
            &document(&[with(&small(0), "pain", json!(9)), small(3), small(4)]),
        )
        .await;
    let p = r.refused(StatusCode::INSUFFICIENT_STORAGE);
    let detail = p["detail"].as_str().unwrap_or_default();
    for m in ["full", "3 of 4 entries", "5 entries", "more than the 4"] {
        assert!(detail.contains(m), "'{m}': {p}");
    }
    assert_eq!(p["usage"], json!({"entries": 3, "bytes": 3 * SMALL_SEALED}));
    assert_eq!(
        p["limit"],
        json!({"entries": 4, "bytes": 4 * SMALL_SEALED + 100})
    );
    assert_eq!(api.ids("").await, ["peg-0", "peg-1", "peg-2"]);
    assert_eq!(api.entry("peg-0").await.json(), small(0), "not replaced");

    // With replace=true, only what the import leaves counts.
    let r = api
        .post(
            "/api/v1/journal/import?replace=true",
            &document(&[small(0), small(3), small(4), small(5)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(api.ids("").await.len(), 4);

    // A fifth entry, by POST or by PUT: refused, naming the count.
    let r = api.create(&small(6)).await;
    let p = r.refused(StatusCode::INSUFFICIENT_STORAGE);
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("4 of 4 entries"),
        "{p}"
    );
    let r = api.put("/api/v1/journal/entries/peg-6", &small(6)).await;
    r.refused(StatusCode::INSUFFICIENT_STORAGE);
    // Replacing an entry with one as large is fine; with one that grows past the bytes, not.
    let r = api
        .put(
            "/api/v1/journal/entries/peg-0",
            &with(&small(0), "pain", json!(1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = api
        .put(
            "/api/v1/journal/entries/peg-3",
            &with(
                &daily("peg-3", "2024-02-01"),
                "note",
                json!("x".repeat(400)),
            ),
        )
        .await;
    let p = r.refused(StatusCode::INSUFFICIENT_STORAGE);
    assert!(
        p["detail"].as_str().unwrap_or_default().contains("MiB"),
        "{p}"
    );
    assert_eq!(api.entry("peg-3").await.json(), small(3));

    // The page's form keeps what was typed and says why nothing was saved.
    let b = &ann.browser;
    let form = b.page(&app.url("/journal/log/peg")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let today = today_utc().to_string();
    let r = b
        .submit(
            &app.url("/journal/log/peg"),
            &[
                ("csrf", csrf.as_str()),
                ("entry_id", entry_id.as_str()),
                ("date", today.as_str()),
                ("pain", "5"),
                ("enjoyment", "4"),
                ("activity", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::INSUFFICIENT_STORAGE, "{}", r.text);
    assert!(r.text.contains("Your journal is full"), "{}", r.text);
    assert_eq!(hidden_value(&r.text, "entry_id"), entry_id);
    // The overview says how full the journal is.
    let overview = b.page(&app.url("/journal")).await;
    assert!(
        overview.text.contains("4 of 4 entries"),
        "{}",
        overview.text
    );

    // Deleting makes room again.
    assert_eq!(
        api.delete("/api/v1/journal/entries/peg-5").await.status,
        StatusCode::NO_CONTENT
    );
    api.create_new(&small(6)).await;

    // Every route that can be refused so documents it.
    let doc = Api::nobody(&app.base)
        .get("/api/v1/openapi.json")
        .await
        .json();
    for (path, method) in [
        ("/api/v1/journal/entries", "post"),
        ("/api/v1/journal/entries/{id}", "put"),
        ("/api/v1/journal/import", "post"),
    ] {
        assert!(
            doc["paths"][path][method]["responses"]["507"].is_object(),
            "{method} {path}: 507 is not documented"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_account_may_try_ten_imports_an_hour_on_every_instance_together_then_429_says_how_long()
{
    let app = TestApp::spawn().await;
    let second = TestApp::on(&format!("sqlite://{}", app.db_path().display())).await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let apis = [
        Api::token(&app.base, &token),
        Api::token(&second.base, &token),
    ];
    for n in 0..10 {
        // Refused imports count as well as written ones.
        let body = if n == 3 {
            json!({"format": "something else"})
        } else {
            document(&[small(n)])
        };
        let r = apis[n % 2].post("/api/v1/journal/import", &body).await;
        let expected = if n == 3 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        assert_eq!(r.status, expected, "import {n}: {}", r.text);
    }
    for api in &apis {
        let r = api
            .post("/api/v1/journal/import", &document(&[small(20)]))
            .await;
        let p = r.refused(StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = r
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("a Retry-After in seconds: {:?}", r.header("retry-after")));
        assert!((3_590..=3_601).contains(&wait), "{wait}");
        let detail = p["detail"].as_str().unwrap_or_default();
        for m in ["imports in the last hour", "the most is 10", "minutes"] {
            assert!(detail.contains(m), "'{m}': {p}");
        }
    }
    assert_eq!(
        apis[0].ids("").await.len(),
        9,
        "nothing of the refused imports"
    );
    // The page's import is the same import.
    let b = &ann.browser;
    let csrf = page_csrf(b, &app.base, "/journal").await;
    let file = document(&[small(21)]).to_string();
    let body = format!(
        "--x-boundary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --x-boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"j.json\"\r\n\
         Content-Type: application/json\r\n\r\n{file}\r\n--x-boundary--\r\n"
    );
    let r = b
        .client
        .post(app.url("/journal/import"))
        .header("content-type", "multipart/form-data; boundary=x-boundary")
        .body(body)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let text = r.text().await.expect("a page");
    assert!(text.contains("imports in the last hour"), "{text}");

    // Another account has its own ten.
    let bo = sign_up(&second.base, "bob", PASSWORD).await;
    let token = create_token(&second.base, &bo.browser, "phone").await;
    let r = Api::token(&app.base, &token)
        .post("/api/v1/journal/import", &document(&[small(0)]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    second.stop().await;
    app.stop().await;
}

/// One page: its entries' ids and its `next`.
async fn page(api: &Api, query: &str) -> (Vec<String>, Option<String>) {
    let r = api.get(&format!("/api/v1/journal/entries{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
    let body = r.json();
    let ids = body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_owned())
        .collect();
    (ids, body["next"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn the_list_comes_a_page_at_a_time_with_a_cursor_that_keeps_its_filter() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    // 150 PEGs and 5 check-ins; two PEGs on one day are ordered by id.
    let mut entries: Vec<Value> = (0..150)
        .map(|n| {
            peg(
                &format!("p{n:03}"),
                &format!("2024-{:02}-{:02}", n / 28 + 1, n % 28 + 1),
            )
        })
        .collect();
    entries.extend((0..5).map(|n| daily(&format!("d{n}"), &format!("2024-01-{:02}", 2 * n + 1))));
    let r = api
        .post("/api/v1/journal/import", &document(&entries))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Without a limit, 100; the cursor goes on from the hundredth, oldest first.
    let (first, next) = page(&api, "").await;
    assert_eq!(first.len(), 100);
    let next = next.expect("more to come");
    assert!(
        !next.contains("p0") && !next.contains("2024"),
        "opaque: {next}"
    );
    let (rest, last) = page(&api, &format!("?cursor={next}")).await;
    assert_eq!(rest.len(), 55);
    assert_eq!(last, None, "the last page has no next");
    let all: Vec<String> = first.into_iter().chain(rest).collect();
    assert_eq!(all.len(), 155);
    assert_eq!(
        &all[..3],
        ["d0", "p000", "p001"],
        "oldest first, then by id"
    );
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 155, "no entry twice");

    // A filter holds through the pages.
    let (one, next) = page(&api, "?kind=daily&from=2024-01-02&limit=2").await;
    assert_eq!(one, ["d1", "d2"]);
    let next = next.expect("more");
    let (two, next) = page(
        &api,
        &format!("?kind=daily&from=2024-01-02&limit=2&cursor={next}"),
    )
    .await;
    assert_eq!(two, ["d3", "d4"]);
    assert_eq!(next, None, "d4 is the last check-in from the 2nd on");

    // A cursor of another filter, garbled, or another account's: refused naming it.
    let (_, daily_cursor) = page(&api, "?kind=daily&limit=1").await;
    let daily_cursor = daily_cursor.expect("more");
    let r = api
        .get(&format!(
            "/api/v1/journal/entries?kind=peg&cursor={daily_cursor}"
        ))
        .await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "cursor",
        &["kind=daily", "kind=peg"],
    );
    let mut garbled = daily_cursor.clone();
    garbled.replace_range(10..11, if &garbled[10..11] == "A" { "B" } else { "A" });
    for bad in [garbled.as_str(), "x", "not a cursor!"] {
        let r = api
            .get(&format!(
                "/api/v1/journal/entries?kind=daily&cursor={}",
                bad.replace(' ', "%20")
            ))
            .await;
        r.problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cursor",
            &["not a cursor"],
        );
    }
    let bob = sign_up(&app.base, "bob", PASSWORD).await;
    let bobs = Api::token(
        &app.base,
        &create_token(&app.base, &bob.browser, "phone").await,
    );
    let r = bobs
        .get(&format!(
            "/api/v1/journal/entries?kind=daily&cursor={daily_cursor}"
        ))
        .await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "cursor",
        &["another account"],
    );

    // Limits outside 1 to 500 are refused, naming the value.
    for bad in ["0", "501", "ten", "-1"] {
        let r = api
            .get(&format!("/api/v1/journal/entries?limit={bad}"))
            .await;
        r.problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit",
            &[bad, "1 to 500"],
        );
    }
    let (all_at_once, next) = page(&api, "?limit=500").await;
    assert_eq!((all_at_once.len(), next), (155, None));

    // Documented with its bounds.
    let doc = Api::nobody(&app.base)
        .get("/api/v1/openapi.json")
        .await
        .json();
    let params = doc["paths"]["/api/v1/journal/entries"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .clone();
    let limit = params.iter().find(|p| p["name"] == "limit").expect("limit");
    // The number, or blank (the same as left out).
    assert_eq!(limit["schema"]["anyOf"][0]["minimum"], 1, "{limit}");
    assert_eq!(limit["schema"]["anyOf"][0]["maximum"], 500, "{limit}");
    assert!(params.iter().any(|p| p["name"] == "cursor"));
    app.stop().await;
}
