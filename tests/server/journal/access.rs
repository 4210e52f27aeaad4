//! The journal over HTTP: access control.

use super::*;

#[tokio::test]
async fn one_users_entries_are_invisible_to_another_even_under_the_same_id() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let bob = sign_up(&app.base, "bob", PASSWORD).await;
    let anns = Api::token(
        &app.base,
        &create_token(&app.base, &ann.browser, "ann's").await,
    );
    let bobs_token = Api::token(
        &app.base,
        &create_token(&app.base, &bob.browser, "bob's").await,
    );
    let bobs_session = Api::session(&app.base, &bob.browser).await;

    let id = "shared-id";
    let anns_entry = intimacy(id, "2024-06-01T22:00");
    anns.create_new(&anns_entry).await;
    for api in [&bobs_token, &bobs_session] {
        api.entry(id).await.refused(StatusCode::NOT_FOUND);
        assert!(api.list("").await.is_empty());
        assert_eq!(
            api.delete(&format!("/api/v1/journal/entries/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let export = api.get("/api/v1/journal/export").await;
        assert_eq!(export.json()["entries"], json!([]));
        assert!(!export.text.contains(id));
    }
    // Bob deleting his whole journal leaves Ann's alone.
    assert_eq!(
        bobs_session.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(anns.entry(id).await.json(), anns_entry);

    // Bob may use the same id: it is his own entry, and each reads their own.
    let bobs_entry = peg(id, "2024-06-02");
    let r = bobs_token.create(&bobs_entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "not a conflict: {}", r.text);
    assert_eq!(anns.entry(id).await.json(), anns_entry);
    assert_eq!(bobs_session.entry(id).await.json(), bobs_entry);
    // Bob's PUT on the id replaces his entry, never Ann's.
    let bobs_new = peg(id, "2024-06-03");
    assert_eq!(
        bobs_token
            .put(&format!("/api/v1/journal/entries/{id}"), &bobs_new)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(anns.list("").await, std::slice::from_ref(&anns_entry));
    assert_eq!(bobs_token.list("").await, std::slice::from_ref(&bobs_new));
    // An import of Bob's, even replacing everything, touches only his journal.
    let r = bobs_token
        .post(
            "/api/v1/journal/import?replace=true",
            &json!({"format": "spinewise-journal", "version": 1,
                    "exported_at": "2024-06-04T00:00:00Z", "entries": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(bobs_token.list("").await.is_empty());
    assert_eq!(anns.list("").await, std::slice::from_ref(&anns_entry));

    // Without credentials, or with a token that is not one, every journal endpoint is 401.
    let entry_path = format!("/api/v1/journal/entries/{id}");
    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/journal/entries".into(), None),
        (
            Method::POST,
            "/api/v1/journal/entries".into(),
            Some(peg("x", "2024-06-05")),
        ),
        (Method::GET, entry_path.clone(), None),
        (Method::PUT, entry_path.clone(), Some(anns_entry.clone())),
        (Method::DELETE, entry_path.clone(), None),
        (Method::DELETE, "/api/v1/journal".into(), None),
        (Method::GET, "/api/v1/journal/export".into(), None),
        (
            Method::GET,
            "/api/v1/journal/export/csv/intimacy".into(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/journal/export/fhir?utc_offset=%2B01:00".into(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/journal/import".into(),
            Some(json!({"format": "spinewise-journal", "version": 1,
                        "exported_at": "2024-06-04T00:00:00Z", "entries": []})),
        ),
    ];
    let nobody = Api::nobody(&app.base);
    let forged = Api::token(&app.base, "sw_not-a-token-anyone-was-given");
    for (method, path, body) in &endpoints {
        for api in [&nobody, &forged] {
            let r = api.send(method.clone(), path, body.as_ref()).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(
                r.header("content-type"),
                Some("application/problem+json"),
                "{method} {path}"
            );
            assert!(r.header("www-authenticate").is_some(), "{method} {path}");
        }
    }

    // A session without the CSRF header may read but not write.
    let no_csrf = Api::session_without_csrf(&app.base, &ann.browser);
    assert_eq!(
        no_csrf.get("/api/v1/journal/entries").await.status,
        StatusCode::OK
    );
    for (method, path, body) in endpoints.iter().filter(|(m, _, _)| *m != Method::GET) {
        let r = no_csrf.send(method.clone(), path, body.as_ref()).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {}",
            r.text
        );
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
    // Nor with the CSRF token of another session.
    let wrong = Api {
        http: ann.browser.client.clone(),
        base: app.base.clone(),
        auth: Auth::Session(page_csrf(&bob.browser, &app.base, "/account").await),
    };
    let r = wrong.delete("/api/v1/journal").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        anns.list("").await,
        [anns_entry],
        "nothing was written or deleted"
    );
    app.stop().await;
}
