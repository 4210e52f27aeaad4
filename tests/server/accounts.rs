//! Accounts: the profile, sign-in errors and throttling, sessions, passwords, API tokens
//! and access control between users.

use super::*;
use crate::common::server::{create_token, csrf_in, element_text, sign_in};

#[tokio::test]
async fn an_account_saves_the_profile_and_is_deleted_with_everything_in_it() {
    let app = TestApp::spawn().await;
    let b = sign_up(&app, "robin", "a long enough password").await;
    let account = b
        .get(app.url("/account"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(account.contains("Signed in as <strong>robin</strong>"));

    // Save a plan to the profile; the plan page comes back prefilled.
    let csrf = page_csrf(&b, &app, "/plan").await;
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "extension"),
            ("role", "insertive"),
            ("condition", "disc-problem"),
            ("partner_pain_type", "motion"),
            ("save", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let form = b
        .get(app.url("/plan"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains(r#"<option value="extension" selected>"#),
        "prefilled"
    );
    assert!(form.contains(r#"value="disc-problem" checked"#));

    // The profile through the API, with the session cookie.
    let profile = json_of(
        b.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(profile["pain_type"], "extension");
    assert_eq!(profile["partner_pain_type"], "motion");

    // Delete the account: a wrong password deletes nothing; then everything goes.
    let csrf = page_csrf(&b, &app, "/account").await;
    let r = b
        .post(app.url("/account/delete"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "not the password"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(app.url("/account/delete"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "a long enough password"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Your account is deleted")
    );
    let r = b
        .get(app.url("/api/v1/profile"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The login is free again: nothing of the account is left.
    let _again = sign_up(&app, "robin", "another long password").await;
    app.stop().await;
}

#[tokio::test]
async fn sign_in_errors_do_not_reveal_whether_an_account_exists_and_are_throttled() {
    let app = TestApp::spawn().await;
    let _ = sign_up(&app, "kim", "kims long password").await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/login").await;
    let attempt = |login: &'static str, password: &'static str| {
        let b = b.clone();
        let csrf = csrf.clone();
        let url = app.url("/login");
        async move {
            let r = b
                .post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", login),
                    ("password", password),
                ])
                .send()
                .await
                .expect("sent");
            (r.status(), r.text().await.expect("html"))
        }
    };
    let (s1, wrong_password) = attempt("kim", "not kims password").await;
    let (s2, no_account) = attempt("nobody", "not kims password").await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    let message = |html: &str| {
        html[html.find("role=\"alert\"").expect("an error")..]
            .split("</p>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        message(&wrong_password),
        message(&no_account),
        "the same message either way"
    );
    // Five failures for the account, then even the right password waits.
    for _ in 0..4 {
        let _ = attempt("kim", "still not it").await;
    }
    let (status, _) = attempt("kim", "kims long password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn sessions_rotate_at_sign_in_and_end_everywhere_on_request() {
    let app = TestApp::spawn().await;
    let first = sign_up(&app, "alex", "alexs long password").await;
    // A second browser signs in.
    let second = Browser::new();
    let csrf = page_csrf(&second, &app, "/login").await;
    let before = second.get(app.url("/login")).send().await.expect("sent");
    let cookie_before: Vec<String> = before
        .cookies()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect();
    let r = second
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "ALEX"),
            ("password", "alexs long password"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "logins are case-insensitive"
    );
    let session = r
        .cookies()
        .find(|c| c.name() == "sw_session")
        .expect("a session cookie");
    assert!(session.http_only() && session.same_site_lax());
    assert!(
        !cookie_before.iter().any(|c| c.starts_with("sw_session=")),
        "no session before sign-in"
    );

    // Sign out everywhere from the first browser: the second is signed out too.
    let csrf = page_csrf(&first, &app, "/account").await;
    let r = first
        .post(app.url("/account/sign-out-everywhere"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The page it leads to says what happened, API tokens included.
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a redirect")
        .to_owned();
    assert!(
        location.starts_with("/login?done=signed-out-everywhere"),
        "{location}"
    );
    let after = first
        .get(app.url(&location))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(
        after.contains("You are signed out on every device: 2 sessions ended."),
        "{after}"
    );
    assert!(after.contains("You had no API tokens."), "{after}");
    for b in [&first, &second] {
        let r = b
            .get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    app.stop().await;
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let here = sign_up(&app, "jody", "jodys first password").await;
    let there = Browser::new();
    let csrf = page_csrf(&there, &app, "/login").await;
    there
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "jody"),
            ("password", "jodys first password"),
        ])
        .send()
        .await
        .expect("sent");
    let csrf = page_csrf(&here, &app, "/account").await;
    let r = here
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "jodys first password"),
            ("new", "jodys second password"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        here.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        there
            .get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

#[tokio::test]
async fn api_tokens_authenticate_and_one_user_never_reaches_anothers_data() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app, "ann", "anns long password").await;
    let bob = sign_up(&app, "bob", "bobs long password").await;

    // Ann creates a token on the account page; the form redirects to the account page,
    // which shows it (a reload shows it again) until she says she has copied it.
    let csrf = page_csrf(&ann, &app, "/account").await;
    let made = ann
        .submit(
            &app.url("/account/tokens"),
            &[("csrf", csrf.as_str()), ("name", "my app")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    assert_eq!(made.header("location"), Some("/account#new-token"));
    let shown = ann.page(&app.url("/account")).await;
    let token = element_text(&shown.text, r#"<p class="token" id="token-value">"#)
        .expect("the token is shown");
    assert!(token.starts_with("sw_"));
    assert!(
        shown.text.contains("Token “my app” created."),
        "{}",
        shown.text
    );
    let reloaded = ann.page(&app.url("/account")).await;
    assert!(
        reloaded.text.contains(&token),
        "a reload shows the same token"
    );
    assert_eq!(
        reloaded.text.matches("my app (created").count(),
        1,
        "a reload makes no second token"
    );
    let saved = ann
        .submit(
            &app.url("/account/tokens/saved"),
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let again = ann.page(&app.url("/account")).await;
    assert!(!again.text.contains(&token), "never shown again");
    assert!(again.text.contains("my app"), "still listed");

    // The token reads and writes Ann's profile, without cookies or CSRF.
    let api = Client::new();
    let mut auth = HeaderMap::new();
    auth.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).expect("a header"),
    );
    let r = api
        .put(app.url("/api/v1/profile"))
        .headers(auth.clone())
        .json(&json!({"pain_type": "motion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let bad = api
        .put(app.url("/api/v1/profile"))
        .headers(auth.clone())
        .json(&json!({"pain_type": "achy", "conditions": ["gout"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Bob sees only his own (empty) profile, through his session and through no token.
    let bobs = json_of(
        bob.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(bobs["pain_type"], Value::Null);
    // A cookie-authenticated write needs the CSRF header.
    let r = bob
        .put(app.url("/api/v1/profile"))
        .json(&json!({"pain_type": "flexion"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bob cannot revoke Ann's token, even knowing an id from his own page's form shape.
    let anns_page = ann
        .get(app.url("/account"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    let id_at = anns_page
        .find("name=\"id\" value=\"")
        .expect("a revoke form")
        + "name=\"id\" value=\"".len();
    let token_id = anns_page[id_at..id_at + anns_page[id_at..].find('"').expect("ends")].to_owned();
    let csrf = page_csrf(&bob, &app, "/account").await;
    let r = bob
        .post(app.url("/account/tokens/revoke"))
        .form(&[("csrf", csrf.as_str()), ("id", token_id.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.get(app.url("/api/v1/profile"))
            .headers(auth.clone())
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );
    // Ann revokes it; it stops working.
    let csrf = page_csrf(&ann, &app, "/account").await;
    ann.post(app.url("/account/tokens/revoke"))
        .form(&[("csrf", csrf.as_str()), ("id", token_id.as_str())])
        .send()
        .await
        .expect("sent");
    let r = api
        .get(app.url("/api/v1/profile"))
        .headers(auth)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn guesses_sent_in_parallel_are_counted_before_any_password_is_checked() {
    let app = TestApp::spawn().await;
    let _ = sign_up(&app, "sam", "sams long password").await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/login").await;
    let guesses = (0..12).map(|i| {
        let (b, csrf, url) = (b.clone(), csrf.clone(), app.url("/login"));
        tokio::spawn(async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", "sam"),
                    ("password", &format!("guess {i}")),
                ])
                .send()
                .await
                .map(|r| r.status())
        })
    });
    let mut checked = 0;
    for g in guesses {
        match g.await.expect("joined").expect("answered") {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        checked <= 5,
        "{checked} passwords were checked; at most 5 may be"
    );
    app.stop().await;
}

#[tokio::test]
async fn sign_ups_and_password_confirmations_are_throttled_too() {
    let app = TestApp::spawn().await;
    // Sign-ups from one address: ten, then a wait.
    let mut statuses = Vec::new();
    for i in 0..11 {
        let b = Browser::new();
        let csrf = page_csrf(&b, &app, "/signup").await;
        let r = b
            .post(app.url("/signup"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", "taken-name"),
                ("password", &format!("password number {i}")),
            ])
            .send()
            .await
            .expect("sent");
        statuses.push(r.status());
    }
    assert_eq!(
        statuses[0],
        StatusCode::SEE_OTHER,
        "to the recovery code page"
    );
    assert_eq!(statuses[1], StatusCode::CONFLICT);
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;

    // Guessing the current password on the account page is limited like signing in.
    let app = TestApp::spawn().await;
    let signed_in = sign_up(&app, "lee", "lees long password").await;
    let csrf = page_csrf(&signed_in, &app, "/account").await;
    let mut last = StatusCode::OK;
    for i in 0..6 {
        last = signed_in
            .post(app.url("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", &format!("guess {i}")),
                ("new", "a brand new password"),
            ])
            .send()
            .await
            .expect("sent")
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn the_recovery_code_can_be_downloaded_and_copied() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/signup").await;
    let r = b
        .submit(
            &app.url("/signup"),
            &[
                ("login", "keeper"),
                ("password", "a long enough password"),
                ("csrf", csrf.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = b.page(&app.url("/account/recovery-code")).await.text;
    let code = element_text(&html, r#"id="recovery-code">"#).expect("the code");
    // A text file with the code and the login, without leaving the page.
    assert!(
        html.contains(
            r#"download="spinewise-recovery-code.txt" href="data:text/plain;charset=utf-8,"#
        ),
        "{html}"
    );
    let href = html
        .split(r#"href="data:text/plain;charset=utf-8,"#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the file");
    assert!(href.contains(&code), "the file holds the code: {href}");
    assert!(href.contains("keeper"), "and the login: {href}");
    // The copy button shows only where a script can copy.
    assert!(
        html.contains(r#"data-copy="recovery-code" hidden"#),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"<script src="{}" defer></script>"#,
        spinewise::server::assets::url("copy.js")
    )));
    app.stop().await;
}

#[tokio::test]
async fn the_recovery_code_is_reached_by_a_redirect_and_waits_until_saved() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/signup").await;
    let form = [
        ("login", "reloader"),
        ("password", "a long enough password"),
        ("csrf", csrf.as_str()),
    ];
    let r = b.submit(&app.url("/signup"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), Some("/account/recovery-code"));
    assert!(
        !r.text.contains("recovery-code\">"),
        "no code in the POST's answer"
    );

    // Reloading shows the same code; it is not in the database in the clear.
    let first = b.page(&app.url("/account/recovery-code")).await;
    assert_eq!(first.status, StatusCode::OK);
    let code = element_text(&first.text, r#"id="recovery-code">"#).expect("the code");
    let again = b.page(&app.url("/account/recovery-code")).await;
    assert_eq!(
        element_text(&again.text, r#"id="recovery-code">"#).as_deref(),
        Some(code.as_str()),
        "a reload shows the same code"
    );
    assert_eq!(
        again.header("cache-control"),
        Some("no-store"),
        "a page with a secret is never cached"
    );

    // Until it is saved, every page says so, with a link to it.
    let plan = b.page(&app.url("/plan")).await;
    assert!(
        plan.text.contains("Your recovery code is not saved yet.")
            && plan.text.contains(r#"href="/account/recovery-code""#),
        "{}",
        plan.text
    );

    // A CSRF-less "saved" is refused and keeps the code.
    let forged = b.submit(&app.url("/account/recovery-code"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        b.page(&app.url("/account/recovery-code"))
            .await
            .text
            .contains(&code)
    );

    // Saved: it is gone for good, and the reminder with it.
    let saved = b
        .submit(
            &app.url("/account/recovery-code"),
            &[("csrf", csrf_in(&first.text).as_str())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.header("location"), Some("/journal"));
    let gone = b.page(&app.url("/account/recovery-code")).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(gone.header("location"), Some("/account"));
    let plan = b.page(&app.url("/plan")).await;
    assert!(!plan.text.contains("Your recovery code is not saved yet."));

    // The code still works: it was the account's real one.
    let stranger = Browser::new();
    let recover_csrf = page_csrf(&stranger, &app, "/recover").await;
    let r = stranger
        .submit(
            &app.url("/recover"),
            &[
                ("login", "reloader"),
                ("code", code.as_str()),
                ("new", "a brand new password"),
                ("csrf", recover_csrf.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    app.stop().await;
}

/// Ends sessions with `path` ("/account/sign-out-everywhere" or "/account/password"), keeping
/// the API tokens or not; returns the page the redirect leads to.
async fn end_sessions(app: &TestApp, b: &Browser, path: &str, keep: bool) -> String {
    let csrf = page_csrf(b, app, "/account").await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("current", "a long enough password"),
        ("new", "another long enough password"),
    ];
    if keep {
        form.push(("keep_tokens", "yes"));
    }
    let r = b.submit(&app.url(path), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let location = r.header("location").expect("a redirect").to_owned();
    b.page(&app.url(&location)).await.text
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    Client::new()
        .get(app.url("/api/v1/profile"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .status()
        == StatusCode::OK
}

#[tokio::test]
async fn signing_out_everywhere_revokes_the_api_tokens_unless_kept_and_says_which() {
    let app = TestApp::spawn().await;
    let kim = sign_up(&app, "kim", "a long enough password").await;
    let phone = create_token(&app.base, &kim, "phone <app>").await;
    let laptop = create_token(&app.base, &kim, "laptop").await;
    let page = kim.page(&app.url("/account")).await.text;
    assert!(page.contains("Keep my 2 API tokens working"), "{page}");

    // Kept on purpose: both still work, and the page says so.
    let after = end_sessions(&app, &kim, "/account/sign-out-everywhere", true).await;
    assert!(
        after.contains("Your 2 API tokens still work, as you asked."),
        "{after}"
    );
    assert!(token_works(&app, &phone).await && token_works(&app, &laptop).await);

    // By default: both revoked, and named (escaped).
    let kim = sign_in(&app.base, "kim", "a long enough password")
        .await
        .expect("signed in");
    let after = end_sessions(&app, &kim, "/account/sign-out-everywhere", false).await;
    assert!(
        after.contains("Your API tokens were revoked too")
            && after.contains("“phone &#60;app&#62;”")
            && after.contains("“laptop”"),
        "{after}"
    );
    assert!(!token_works(&app, &phone).await && !token_works(&app, &laptop).await);
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_revokes_the_api_tokens_unless_kept_and_says_which() {
    let app = TestApp::spawn().await;
    let ana = sign_up(&app, "ana", "a long enough password").await;
    let token = create_token(&app.base, &ana, "watch").await;
    let after = end_sessions(&app, &ana, "/account/password", false).await;
    assert!(
        after.contains("Your password is changed, and you are signed out on every other device.")
            && after.contains("Your API tokens were revoked too")
            && after.contains("“watch”"),
        "{after}"
    );
    assert!(!token_works(&app, &token).await);
    assert!(
        after.contains("Signed in as <strong>ana</strong>"),
        "still signed in here"
    );
    app.stop().await;

    let app = TestApp::spawn().await;
    let ben = sign_up(&app, "ben", "a long enough password").await;
    let token = create_token(&app.base, &ben, "watch").await;
    let after = end_sessions(&app, &ben, "/account/password", true).await;
    assert!(
        after.contains("Your 1 API token still works, as you asked."),
        "{after}"
    );
    assert!(token_works(&app, &token).await);
    app.stop().await;
}

#[tokio::test]
async fn one_login_is_one_account_however_it_is_typed() {
    let app = TestApp::spawn().await;
    let signup = |login: &'static str| {
        let app_url = app.url("/signup");
        let base = app.base.clone();
        async move {
            let b = Browser::new();
            let csrf = page_csrf(&b, &base, "/signup").await;
            b.submit(
                &app_url,
                &[
                    ("login", login),
                    ("password", "a long enough password"),
                    ("csrf", csrf.as_str()),
                ],
            )
            .await
        }
    };
    assert_eq!(
        signup("admin@example.com").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        signup("caf\u{e9}@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    // The same login in other clothes: taken.
    for same in [
        "ADMIN@example.com",
        "ａｄｍｉｎ@example.com",
        "admin@ex\u{430}mple.com",
        "cafe\u{301}@example.org",
    ] {
        let r = signup(same).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{same:?}: {}", r.text);
        assert!(
            r.text.contains("cannot be used; choose another"),
            "{same:?}"
        );
    }
    // Invisible and control characters: refused, named.
    for (bad, named) in [
        ("ad\u{200b}min@example.com", "U+200B"),
        ("ad\u{7}min@example.com", "U+0007"),
    ] {
        let r = signup(bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(r.text.contains(named), "{bad:?}: {}", r.text);
    }
    // Signing in with another spelling of the login reaches the account.
    assert!(
        sign_in(
            &app.base,
            "ａｄｍｉｎ@EXAMPLE.com",
            "a long enough password"
        )
        .await
        .is_ok()
    );
    assert!(
        sign_in(
            &app.base,
            "cafe\u{301}@example.org",
            "a long enough password"
        )
        .await
        .is_ok()
    );
    app.stop().await;
}

#[tokio::test]
async fn failing_on_purpose_elsewhere_never_locks_the_owner_out() {
    let app = TestApp::spawn_with(|s, _| s.behind_proxy = true).await;
    // Behind a proxy the cookies are Secure, which this plain-HTTP client does not send back:
    // the sign-up makes the account, and each attempt below starts afresh anyway.
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/signup").await;
    let made = b
        .submit(
            &app.url("/signup"),
            &[
                ("csrf", csrf.as_str()),
                ("login", "kim"),
                ("password", "kims long password"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let attempt = |address: String, password: &'static str| {
        let url = app.url("/login");
        let base = app.base.clone();
        async move {
            let b = Browser::new();
            let csrf = page_csrf(&b, &base, "/login").await;
            let r = b
                .post(url)
                .header("x-forwarded-for", address)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", "kim"),
                    ("password", password),
                ])
                .send()
                .await
                .expect("sent");
            (r.status(), r.text().await.expect("html"))
        }
    };
    // Someone elsewhere fails until that address is refused for this account…
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = attempt("203.0.113.1".to_owned(), "a wrong guess").await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // …and the owner, at home, signs in at once.
    let (status, _) = attempt("198.51.100.7".to_owned(), "kims long password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Many addresses together: past ten failures each attempt on the account waits its turn,
    // seconds at a time, never the whole window.
    let mut waits = Vec::new();
    for i in 0..4 {
        for _ in 0..5 {
            let (status, html) = attempt(format!("203.0.113.{}", 10 + i), "a wrong guess").await;
            if status == StatusCode::TOO_MANY_REQUESTS
                && let Some(at) = html.find("Too many attempts. Wait ")
            {
                waits.push(html[at..].split('<').next().unwrap_or_default().to_owned());
            }
        }
    }
    assert!(!waits.is_empty(), "the account's attempts were spaced");
    assert!(
        waits.iter().any(|w| w.contains("second")),
        "spaced by seconds: {waits:?}"
    );
    app.stop().await;
}
