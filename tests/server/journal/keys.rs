//! The journal over HTTP: the key follows the account.

use super::*;

#[tokio::test]
async fn the_recovery_code_sets_a_new_password_and_the_journal_written_before_still_opens() {
    let app = TestApp::spawn().await;
    let kim = sign_up(&app.base, "kim", PASSWORD).await;
    let before = Api::session(&app.base, &kim.browser).await;
    let written = vec![
        intimacy("r1", "2024-02-01T21:00"),
        daily("r2", "2024-02-02"),
    ];
    for e in &written {
        before.create_new(e).await;
    }

    // A code with a typo is caught as one; another account's code does not match.
    let b = Browser::new();
    let csrf = page_csrf(&b, &app.base, "/recover").await;
    let mut typo = kim.recovery_code.clone();
    let last = if typo.ends_with('0') { "1" } else { "0" };
    typo.replace_range(typo.len() - 1.., last);
    let r = b
        .submit(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &typo),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let lee = sign_up(&app.base, "lee", PASSWORD).await;
    let r = b
        .submit(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &lee.recovery_code),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(
        sign_in(&app.base, "kim", PASSWORD).await.is_ok(),
        "nothing changed"
    );

    // The right code, typed carelessly (lower case, spaces): a new password, a new session.
    let careless = kim.recovery_code.to_lowercase().replace('-', " ");
    let r = b
        .submit(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &careless),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), Some("/journal"));
    let after = Api::session(&app.base, &b).await;
    assert_eq!(
        after.list("").await,
        written,
        "the journal opens in the new session"
    );
    // Every earlier session ended; the old password no longer signs in, the new one does and
    // opens the same journal.
    assert_eq!(
        before.get("/api/v1/journal/entries").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app.base, "kim", PASSWORD).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    let again = sign_in(&app.base, "kim", "a new long password")
        .await
        .expect("the new password signs in");
    let again = Api::session(&app.base, &again).await;
    assert_eq!(again.list("").await, written);
    // The journal page opens too.
    let page = b.page(&app.url("/journal")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("2 entries in all"), "{}", page.text);
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_keeps_the_journal_and_a_token_made_before_it_keeps_opening_it_with_its_own_wrapped_key_until_revoked()
 {
    let app = TestApp::spawn().await;
    let jo = sign_up(&app.base, "joan", PASSWORD).await;
    let token = create_token(&app.base, &jo.browser, "old phone").await;
    let by_token = Api::token(&app.base, &token);
    let written = vec![peg("p1", "2024-03-01"), exercise("x1", "2024-03-02T18:00")];
    for e in &written {
        by_token.create_new(e).await;
    }
    let elsewhere = sign_in(&app.base, "joan", PASSWORD)
        .await
        .expect("signed in elsewhere");

    let csrf = page_csrf(&jo.browser, &app.base, "/account").await;
    let r = jo
        .browser
        .submit(
            &app.url("/account/password"),
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "the second long password"),
                ("keep_tokens", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // This browser's fresh session opens the journal; the other session is over.
    let here = Api::session(&app.base, &jo.browser).await;
    assert_eq!(here.list("").await, written);
    assert_eq!(
        Api::session_without_csrf(&app.base, &elsewhere)
            .get("/api/v1/journal/entries")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The new password opens it; the old one does not sign in.
    let fresh = sign_in(&app.base, "joan", "the second long password")
        .await
        .expect("the new password signs in");
    assert_eq!(
        Api::session(&app.base, &fresh).await.list("").await,
        written
    );
    assert_eq!(
        sign_in(&app.base, "joan", PASSWORD).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );

    // Kept on purpose, the token made before the change carries its own wrapped copy of the
    // journal's key: it still reads and writes the journal, until it is revoked.
    assert_eq!(by_token.list("").await, written);
    by_token.create_new(&peg("p2", "2024-03-08")).await;
    assert_eq!(here.ids("").await, ["p1", "x1", "p2"]);
    revoke_token(&app.base, &jo.browser, "old phone").await;
    for r in [
        by_token.get("/api/v1/journal/entries").await,
        by_token.get("/api/v1/journal/export").await,
        by_token.create(&peg("p3", "2024-03-09")).await,
    ] {
        r.refused(StatusCode::UNAUTHORIZED);
    }
    // A token made now opens it too.
    let new_token = create_token(&app.base, &jo.browser, "new phone").await;
    assert_eq!(
        Api::token(&app.base, &new_token).ids("").await,
        ["p1", "x1", "p2"]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_recovery_code_replaces_the_old_one_which_stops_working() {
    let app = TestApp::spawn().await;
    let kim = sign_up(&app.base, "kim", PASSWORD).await;
    let written = vec![intimacy("n1", "2024-05-01T21:00")];
    let api = Api::session(&app.base, &kim.browser).await;
    for e in &written {
        api.create_new(e).await;
    }
    let csrf = page_csrf(&kim.browser, &app.base, "/account").await;
    let url = app.url("/account/recovery-code/new");
    let ask = |password: &'static str| {
        let (url, csrf, b) = (url.clone(), csrf.clone(), kim.browser.clone());
        async move {
            b.submit(&url, &[("csrf", csrf.as_str()), ("password", password)])
                .await
        }
    };
    // The password first.
    let wrong = ask("not the password").await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    assert!(
        wrong.text.contains("The password is not right"),
        "{}",
        wrong.text
    );

    let made = ask(PASSWORD).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    assert_eq!(made.header("location"), Some("/account/recovery-code"));
    let shown = kim.browser.page(&app.url("/account/recovery-code")).await;
    assert!(
        shown.text.contains("The old one no longer works"),
        "{}",
        shown.text
    );
    let new_code =
        element_text(&shown.text, r#"<p class="token" id="recovery-code">"#).expect("the new code");
    assert_ne!(new_code, kim.recovery_code);

    let recover = |code: String, new_password: &'static str| {
        let url = app.url("/recover");
        let base = app.base.clone();
        async move {
            let b = Browser::new();
            let csrf = page_csrf(&b, &base, "/recover").await;
            let r = b
                .submit(
                    &url,
                    &[
                        ("csrf", csrf.as_str()),
                        ("login", "kim"),
                        ("code", code.as_str()),
                        ("new", new_password),
                    ],
                )
                .await;
            (r.status, b)
        }
    };
    let (old, _) = recover(kim.recovery_code.clone(), "a password from the old code").await;
    assert_eq!(
        old,
        StatusCode::UNAUTHORIZED,
        "the old code no longer works"
    );
    let (new, b) = recover(new_code, "a password from the new code").await;
    assert_eq!(new, StatusCode::SEE_OTHER, "the new one does");
    assert_eq!(
        Api::session(&app.base, &b).await.list("").await,
        written,
        "and opens the journal written before"
    );
    app.stop().await;
}

/// Every journal row of `login` in the SQLite file, as (id, sealed bytes), and the account's
/// wrapped keys.
async fn raw_rows(db: &Path, login: &str) -> (Vec<(String, Vec<u8>)>, Vec<u8>) {
    let id = user_id(db, login).await;
    let mut c = sqlite(db).await;
    let rows = journal_rows(&mut c, &id).await;
    let keys: Vec<u8> =
        sqlx::query_scalar("SELECT password_wrapped FROM user_keys WHERE user_id = ?")
            .bind(&id)
            .fetch_one(&mut c)
            .await
            .expect("keys");
    (rows, keys)
}

/// Sets a new password with a recovery code; the browser it signed in, if it did.
async fn recover_with(
    base: &str,
    login: &str,
    code: &str,
    new: &str,
) -> Result<Browser, StatusCode> {
    let b = Browser::new();
    let csrf = page_csrf(&b, base, "/recover").await;
    let r = b
        .submit(
            &format!("{base}/recover"),
            &[
                ("csrf", &csrf),
                ("login", login),
                ("code", code),
                ("new", new),
            ],
        )
        .await;
    if r.status == StatusCode::SEE_OTHER {
        Ok(b)
    } else {
        Err(r.status)
    }
}

#[tokio::test]
async fn a_new_encryption_key_re_seals_the_journal_and_profile_ends_every_other_holder_of_the_old_one_and_comes_with_a_new_recovery_code()
 {
    let app = TestApp::spawn().await;
    let kim = sign_up(&app.base, "kim", PASSWORD).await;
    let here = Api::session(&app.base, &kim.browser).await;
    let written = vec![
        intimacy("k1", "2024-02-01T21:00"),
        daily("k2", "2024-02-02"),
        peg("k3", "2024-02-03"),
    ];
    for e in &written {
        here.create_new(e).await;
    }
    let profile = json!({
        "pain_type": "extension", "role": "insertive", "conditions": ["osteoporosis"],
        "partner_pain_type": "none", "partner_conditions": []
    });
    assert_eq!(
        here.put("/api/v1/profile", &profile).await.status,
        StatusCode::OK
    );
    let token = create_token(&app.base, &kim.browser, "phone").await;
    let by_token = Api::token(&app.base, &token);
    let elsewhere = sign_in(&app.base, "kim", PASSWORD)
        .await
        .expect("signed in elsewhere");
    let db = app.db_path();
    let (rows_before, keys_before) = raw_rows(&db, "kim").await;
    assert_eq!(rows_before.len(), 3);

    // The password first; a wrong one changes nothing.
    let csrf = page_csrf(&kim.browser, &app.base, "/account").await;
    let account = kim.browser.page(&app.url("/account")).await;
    assert!(
        account.text.contains("Change my encryption key"),
        "{}",
        account.text
    );
    let url = app.url("/account/encryption-key");
    let wrong = kim
        .browser
        .submit(&url, &[("csrf", &csrf), ("password", "not the password")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    assert!(
        wrong.text.contains("The password is not right"),
        "{}",
        wrong.text
    );
    assert_eq!(
        raw_rows(&db, "kim").await,
        (rows_before.clone(), keys_before.clone())
    );

    let changed = kim
        .browser
        .submit(&url, &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
    assert_eq!(changed.header("location"), Some("/account/recovery-code"));
    let shown = kim.browser.page(&app.url("/account/recovery-code")).await;
    assert!(
        shown.text.contains("now encrypted under a new key"),
        "{}",
        shown.text
    );
    let new_code =
        element_text(&shown.text, r#"<p class="token" id="recovery-code">"#).expect("the new code");
    assert_ne!(new_code, kim.recovery_code);

    // Every row re-sealed under a new pseudonym, and the keys replaced.
    let (rows_after, keys_after) = raw_rows(&db, "kim").await;
    assert_eq!(rows_after.len(), 3);
    for (id, sealed) in &rows_after {
        assert!(
            rows_before
                .iter()
                .all(|(old_id, old)| old_id != id && old != sealed),
            "{id} kept its old id or bytes"
        );
    }
    assert_ne!(keys_after, keys_before);

    // This browser's new session opens the same journal and profile.
    let now_here = Api::session(&app.base, &kim.browser).await;
    assert_eq!(now_here.list("").await, written);
    assert_eq!(now_here.get("/api/v1/profile").await.json(), profile);
    // The other session and the token held the old key: both are over.
    assert_eq!(
        Api::session_without_csrf(&app.base, &elsewhere)
            .get("/api/v1/journal/entries")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    by_token
        .get("/api/v1/journal/entries")
        .await
        .refused(StatusCode::UNAUTHORIZED);
    // The password is the same and opens the new key.
    let again = sign_in(&app.base, "kim", PASSWORD)
        .await
        .expect("the password still signs in");
    let again = Api::session(&app.base, &again).await;
    assert_eq!(again.list("").await, written);
    assert_eq!(again.get("/api/v1/profile").await.json(), profile);

    // Only the new recovery code opens it.
    assert_eq!(
        recover_with(&app.base, "kim", &kim.recovery_code, "from the old code")
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    let recovered = recover_with(&app.base, "kim", &new_code, "from the new code")
        .await
        .expect("the new code recovers");
    let recovered = Api::session(&app.base, &recovered).await;
    assert_eq!(recovered.list("").await, written);
    assert_eq!(recovered.get("/api/v1/profile").await.json(), profile);
    app.stop().await;
}
