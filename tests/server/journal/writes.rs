//! The journal over HTTP: idempotent, validated writes.

use super::*;

#[tokio::test]
async fn api_writes_are_idempotent_by_id_and_bad_values_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let mut failures =
        writes_are_idempotent_and_validated(&Api::token(&app.base, &token), "by token").await;
    let session = Api::session(&app.base, &ann.browser).await;
    failures.extend(writes_are_idempotent_and_validated(&session, "by session").await);
    app.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the checks through `api`; returns the bad values that were not refused as they should
/// be (the other checks panic at once).
async fn writes_are_idempotent_and_validated(api: &Api, how: &str) -> Vec<String> {
    let tag = if how == "by token" { "tok" } else { "ses" };
    let id = format!("{tag}-first");
    let entry = intimacy(&id, "2024-05-10T21:30");

    // New: 201 with its address.
    let r = api.create(&entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = format!("/api/v1/journal/entries/{id}");
    assert_eq!(r.header("location"), Some(location.as_str()));
    assert_eq!(r.json(), json!({"id": id, "created": true}));
    let got = api.get(&location).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json(), entry, "read back as written");

    // The same entry again, as a retry after a timeout would send it: 200, still one entry.
    let r = api.create(&entry).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": id, "created": false}));
    assert_eq!(r.header("location"), Some(location.as_str()));
    assert_eq!(api.list("").await, std::slice::from_ref(&entry));

    // The same id with other content: a conflict naming the id; the entry is unchanged.
    let r = api.create(&with(&entry, "pain_after", json!(7))).await;
    r.problem(StatusCode::CONFLICT, "id", &[&id]);
    assert_eq!(api.entry(&id).await.json(), entry);

    // Bad values: 422, naming the field and what is allowed; nothing written.
    let other = format!("{tag}-bad");
    let fresh = intimacy(&other, "2024-05-11T21:30");
    let cases: Vec<(&str, Value, &str, Vec<&str>)> = vec![
        (
            "pain 11",
            with(&fresh, "pain_after", json!(11)),
            "pain_after",
            vec!["11", "0 to 10"],
        ),
        (
            "an unknown position",
            with(&fresh, "positions", json!(["spooning", "cartwheel"])),
            "positions[1]",
            vec!["cartwheel", "spooning", "missionary"],
        ),
        (
            "an unknown preparation",
            with(&fresh, "preparation", json!(["massage"])),
            "preparation[0]",
            vec!["massage", "warm-bath", "ice-after"],
        ),
        (
            "a time in the future",
            with(&fresh, "at", json!("2999-01-01T10:00")),
            "at",
            vec!["2999-01-01T10:00", "future"],
        ),
        (
            "a time that is not one",
            with(&fresh, "at", json!("yesterday")),
            "at",
            vec!["yesterday", "YYYY-MM-DDTHH:MM"],
        ),
        (
            "an unknown field",
            with(&fresh, "mood", json!(3)),
            "mood",
            vec!["mood", "pain_after"],
        ),
        (
            "no kind",
            with(&fresh, "kind", Value::Null),
            "kind",
            vec!["intimacy", "daily", "peg", "exercise", "assessment"],
        ),
        (
            "an unknown kind",
            with(&fresh, "kind", json!("nap")),
            "kind",
            vec!["nap", "intimacy", "exercise"],
        ),
        (
            "a bad id",
            with(&fresh, "id", json!("no spaces/please")),
            "id",
            vec!["no spaces/please", "64"],
        ),
    ];
    let mut failures = Vec::new();
    for (what, body, field, mentions) in &cases {
        let r = api.create(body).await;
        let ok = r.status == StatusCode::UNPROCESSABLE_ENTITY
            && r.header("content-type") == Some("application/problem+json")
            && r.json()["errors"].as_array().is_some_and(|errors| {
                errors.iter().any(|e| {
                    e["field"] == *field
                        && mentions
                            .iter()
                            .all(|m| e["detail"].as_str().unwrap_or_default().contains(m))
                })
            });
        if !ok {
            failures.push(format!(
                "{how}, {what}: expected 422 naming '{field}' with {mentions:?}; got {} {}",
                r.status, r.text
            ));
        }
    }
    assert_eq!(
        api.ids("").await,
        std::slice::from_ref(&id),
        "nothing bad was written"
    );

    // PUT replaces (and creates); the path's id and the body's must agree.
    let replaced = with(&entry, "pain_after", json!(6));
    let r = api.put(&location, &replaced).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": id, "created": false}));
    assert_eq!(api.entry(&id).await.json(), replaced);
    let second = format!("{tag}-second");
    let r = api
        .put(
            &format!("/api/v1/journal/entries/{second}"),
            &exercise(&second, "2024-05-12T08:00"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": second, "created": true}));
    let r = api
        .put(
            &location,
            &intimacy(&format!("{tag}-third"), "2024-05-10T21:30"),
        )
        .await;
    r.problem(StatusCode::UNPROCESSABLE_ENTITY, "id", &[&id]);
    let r = api
        .put(
            &location,
            &with(&replaced, "positions", json!(["cartwheel"])),
        )
        .await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "positions[0]",
        &["cartwheel"],
    );
    let r = api
        .put(&location, &with(&replaced, "pain_before", json!(-1)))
        .await;
    if r.status != StatusCode::UNPROCESSABLE_ENTITY {
        failures.push(format!(
            "{how}, PUT with pain -1: expected 422 naming 'pain_before'; got {} {}",
            r.status, r.text
        ));
    }
    assert_eq!(
        api.entry(&id).await.json(),
        replaced,
        "a bad PUT changes nothing"
    );

    // DELETE: 204, then 404 (for the entry and for a second delete).
    let path = format!("/api/v1/journal/entries/{second}");
    assert_eq!(api.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.delete(&path).await.status, StatusCode::NOT_FOUND);
    api.get(&path).await.refused(StatusCode::NOT_FOUND);

    // Filters: by kind, by date (inclusive), oldest first.
    let d = format!("{tag}-daily");
    let p = format!("{tag}-peg");
    let x = format!("{tag}-exercise");
    let a = format!("{tag}-assessment");
    api.create_new(&daily(&d, "2024-05-11")).await;
    api.create_new(&peg(&p, "2024-05-12")).await;
    api.create_new(&exercise(&x, "2024-05-13T07:45")).await;
    api.create_new(&assessment(&a, "2024-05-09T12:00")).await;
    assert_eq!(
        api.ids("").await,
        [&a, &id, &d, &p, &x].map(String::clone),
        "oldest first"
    );
    assert_eq!(api.ids("?kind=daily").await, std::slice::from_ref(&d));
    assert_eq!(api.ids("?kind=intimacy").await, std::slice::from_ref(&id));
    assert_eq!(api.ids("?kind=assessment").await, std::slice::from_ref(&a));
    assert_eq!(
        api.ids("?from=2024-05-11&to=2024-05-12").await,
        [&d, &p].map(String::clone)
    );
    assert_eq!(api.ids("?from=2024-05-13").await, std::slice::from_ref(&x));
    assert_eq!(
        api.ids("?to=2024-05-10").await,
        [&a, &id].map(String::clone)
    );
    assert_eq!(
        api.ids("?kind=peg&from=2024-05-13").await,
        Vec::<String>::new()
    );
    let r = api.get("/api/v1/journal/entries?kind=nap").await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "kind",
        &["nap", "intimacy", "assessment"],
    );
    let r = api.get("/api/v1/journal/entries?from=last-week").await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "from",
        &["last-week", "YYYY-MM-DD"],
    );
    let r = api.get("/api/v1/journal/entries?to=2024-13-01").await;
    r.problem(StatusCode::UNPROCESSABLE_ENTITY, "to", &["2024-13-01"]);

    // The whole journal goes at once.
    assert_eq!(
        api.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert!(api.list("").await.is_empty());
    failures
}

/// What the OpenAPI document promises a client about entries: an assessment's results may be
/// left to the server, `PUT` need not repeat the id, a whole number may be written `7.0`, and
/// a struct is an object, never a list.
#[tokio::test]
async fn entries_take_what_the_openapi_document_says_and_no_more() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let api = Api::token(&app.base, &token);

    // The results are worked out from the answers; given wrong, they are refused.
    let bare = with(
        &with(
            &assessment("a-1", "2025-03-01T09:00"),
            "pain_type",
            Value::Null,
        ),
        "red_flag_level",
        Value::Null,
    );
    let r = api.post("/api/v1/journal/entries", &bare).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let saved = api.entry("a-1").await;
    let saved: Value = serde_json::from_str(&saved.text).expect("JSON");
    assert_eq!(saved["pain_type"], "flexion");
    assert_eq!(saved["red_flag_level"], "none");
    let wrong = with(
        &assessment("a-2", "2025-03-01T09:00"),
        "pain_type",
        json!("extension"),
    );
    let r = api.post("/api/v1/journal/entries", &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

    // PUT takes the id from the path; a different one in the body is refused.
    let no_id = with(&daily("x", "2025-03-02"), "id", Value::Null);
    let r = api.put("/api/v1/journal/entries/day-2", &no_id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(api.entry("day-2").await.status, StatusCode::OK);
    let other = daily("day-3", "2025-03-03");
    let r = api.put("/api/v1/journal/entries/day-4", &other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

    // 5.0 is 5; 5.5 is refused naming the field.
    let whole = with(
        &exercise("move-1", "2025-03-02T18:00"),
        "minutes",
        json!(25.0),
    );
    let r = api.post("/api/v1/journal/entries", &whole).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let half = with(
        &exercise("move-2", "2025-03-02T18:00"),
        "minutes",
        json!(25.5),
    );
    let r = api.post("/api/v1/journal/entries", &half).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("minutes"), "{}", r.text);

    // A set written as a list, or a body that is a list, is refused.
    let listed = with(
        &exercise("move-3", "2025-03-02T18:00"),
        "sets",
        json!([["bird-dog", 8, null, 0, false, 1]]),
    );
    let r = api.post("/api/v1/journal/entries", &listed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("sets[0]"), "{}", r.text);
    let r = api
        .post(
            "/api/v1/journal/entries",
            &json!([daily("day-5", "2025-03-05")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("JSON object"), "{}", r.text);
    app.stop().await;
}
