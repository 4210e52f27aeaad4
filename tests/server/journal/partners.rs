//! Linked partners over the API, on SQLite and on PostgreSQL: the invitation, what a partner
//! reads (only what is shared), "our list" without a no showing, the morning-after question,
//! a third account that never reads anything, ending the link, and nothing shared readable in
//! the database.

use super::*;

/// A condition id and a pain type that stand out in the database (neither is written in the
/// clear anywhere else in these accounts).
const CONDITION: &str = "disc-problem";

/// Today, as the server counts it (the API's default day).
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn yesterday() -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string()
}

struct Couple {
    a: Api,
    b: Api,
    c: Api,
    secrets: Vec<String>,
}

/// Three accounts with tokens: A invites, B accepts, C is a stranger.
async fn three_accounts(app: &TestApp) -> Couple {
    let mut secrets = Vec::new();
    let mut apis = Vec::new();
    for login in ["partner-a", "partner-b", "stranger-c"] {
        let account = sign_up(&app.base, login, PASSWORD).await;
        let token = create_token(&app.base, &account.browser, "phone").await;
        secrets.push(token.clone());
        apis.push(Api::token(&app.base, &token));
    }
    let c = apis.pop().expect("c");
    let b = apis.pop().expect("b");
    let a = apis.pop().expect("a");
    Couple { a, b, c, secrets }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|p| p["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn not_known(plan: &Value) -> Vec<String> {
    ids(&plan["does_not_know"])
}

async fn ok(r: Reply, status: StatusCode) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    if r.text.is_empty() {
        Value::Null
    } else {
        r.json()
    }
}

/// Shares exactly `items` from `who`; the answer.
async fn share(who: &Api, items: &[&str]) -> Value {
    ok(
        who.put("/api/v1/partner/sharing", &json!({ "items": items }))
            .await,
        StatusCode::OK,
    )
    .await
}

/// `inviter` makes an invitation and `invitee` accepts it; the acceptance.
async fn link(inviter: &Api, invitee: &Api) -> Value {
    let invitation = ok(
        inviter.post("/api/v1/partner/invitation", &json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    ok(
        invitee
            .post(
                "/api/v1/partner/accept",
                &json!({"code": invitation["code"]}),
            )
            .await,
        StatusCode::OK,
    )
    .await
}

/// The whole flow on one app; returns the accounts and what was shared, for the database
/// checks.
async fn couple_flow(app: &TestApp) -> Couple {
    let couple = three_accounts(app).await;
    let Couple { a, b, c, .. } = &couple;

    // Profiles: A's pain type, role and a condition; B's role.
    ok(
        a.put(
            "/api/v1/profile",
            &json!({"pain_type": "extension", "role": "receptive", "conditions": [CONDITION]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(
        b.put(
            "/api/v1/profile",
            &json!({"pain_type": "none", "role": "insertive"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    // Alone; then an invitation, shown once.
    let alone = ok(a.get("/api/v1/partner").await, StatusCode::OK).await;
    assert_eq!(alone["status"], "alone");
    let invitation = ok(
        a.post("/api/v1/partner/invitation", &json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    let code = invitation["code"].as_str().expect("a code").to_owned();
    assert_eq!(code.len(), 19, "{code}");
    assert_eq!(
        ok(a.get("/api/v1/partner").await, StatusCode::OK).await["status"],
        "invited"
    );

    // A code that is not one is refused naming it; one's own is refused; a wrong one is 404.
    b.post("/api/v1/partner/accept", &json!({"code": "not a code"}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "code", &["16 letters"]);
    let own = a
        .post("/api/v1/partner/accept", &json!({"code": code}))
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.text);
    let wrong = b
        .post(
            "/api/v1/partner/accept",
            &json!({"code": "0000-0000-0000-0000"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND, "{}", wrong.text);

    // B accepts, typing it loosely; the code is used up, so C cannot.
    let linked = ok(
        b.post(
            "/api/v1/partner/accept",
            &json!({"code": code.to_lowercase().replace('-', " ")}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(linked["status"], "linked");
    assert_eq!(linked["partner"], "partner-a");
    assert_eq!(linked["you_share"], json!([]));
    let again = c
        .post("/api/v1/partner/accept", &json!({"code": code}))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text);

    // Nothing is shared yet: B's plan knows nothing of A.
    let plan = ok(b.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(
        not_known(&plan),
        [
            "partner_pain_type_role",
            "partner_pain_today",
            "partner_conditions"
        ]
    );
    assert!(!plan.to_string().contains(CONDITION), "{plan}");

    // A shares pain type, role and conditions; B's plan now uses them.
    let shared = share(a, &["pain_type_role", "conditions"]).await;
    assert_eq!(shared["you_share"], json!(["pain_type_role", "conditions"]));
    a.put("/api/v1/partner/sharing", &json!({"items": ["diary"]}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "items[0]", &["'diary'"]);
    let b_status = ok(b.get("/api/v1/partner").await, StatusCode::OK).await;
    assert_eq!(
        b_status["partner_shares"],
        json!(["pain_type_role", "conditions"])
    );
    let plan = ok(b.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(not_known(&plan), ["partner_pain_today"]);
    assert!(
        plan.to_string().contains(CONDITION),
        "A's condition is used"
    );

    // Today's pain: shared, then logged; B's plan knows it.
    share(a, &["pain_type_role", "conditions", "todays_pain"]).await;
    a.create_new(&json!({"kind": "daily", "id": "a-today", "date": today(), "pain_evening": 8}))
        .await;
    let plan = ok(b.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(not_known(&plan), Vec::<String>::new());
    // A deletes the whole journal: today's pain goes from what B sees too.
    ok(a.delete("/api/v1/journal").await, StatusCode::NO_CONTENT).await;
    let plan = ok(b.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(not_known(&plan), ["partner_pain_today"]);

    // Withdrawn: gone at once.
    share(a, &["todays_pain"]).await;
    let plan = ok(b.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(
        not_known(&plan),
        [
            "partner_pain_type_role",
            "partner_pain_today",
            "partner_conditions"
        ]
    );
    assert!(!plan.to_string().contains(CONDITION), "{plan}");

    // Marks: private, and only what both marked shows.
    ok(
        a.put(
            "/api/v1/partner/marks",
            &json!({"marks": {"spooning": "yes", "quadruped": "no", "missionary": "maybe"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(
        b.put(
            "/api/v1/partner/marks",
            &json!({"marks": {"spooning": "yes", "quadruped": "yes", "missionary": "yes"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    b.put(
        "/api/v1/partner/marks",
        &json!({"marks": {"spooning": "perhaps"}}),
    )
    .await
    .problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "marks.spooning",
        &["'perhaps'"],
    );
    b.put(
        "/api/v1/partner/marks",
        &json!({"marks": {"trapeze": "yes"}}),
    )
    .await
    .problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "marks.trapeze",
        &["trapeze"],
    );
    let b_marks = ok(b.get("/api/v1/partner/marks").await, StatusCode::OK).await;
    assert_eq!(b_marks["marks"]["quadruped"], "yes", "B sees B's own marks");
    let a_marks = ok(a.get("/api/v1/partner/marks").await, StatusCode::OK).await;
    assert_eq!(a_marks["marks"]["quadruped"], "no", "A sees A's own marks");
    for who in [a, b] {
        let list = ok(who.get("/api/v1/partner/list").await, StatusCode::OK).await;
        let both = ids(&list["both_yes"]);
        let open = ids(&list["yes_or_maybe"]);
        assert!(
            !list.to_string().contains("quadruped"),
            "A's no never shows: {list}"
        );
        assert!(both.iter().all(|id| id == "spooning"), "{list}");
        assert!(
            open.iter().all(|id| id == "spooning" || id == "missionary"),
            "{list}"
        );
    }

    // The morning after: A asks about yesterday's entry; B answers in B's own journal.
    a.create_new(&json!({
        "kind": "intimacy", "id": "a-occasion", "at": format!("{}T22:00", yesterday()),
        "positions": ["spooning"], "preparation": [], "pain_before": 2, "pain_after": 3,
        "stopped_early": false, "symptoms": []
    }))
    .await;
    let not_an_entry = a
        .post("/api/v1/partner/occasions", &json!({"entry_id": "a-today"}))
        .await;
    assert_eq!(
        not_an_entry.status,
        StatusCode::NOT_FOUND,
        "a check-in is not an occasion"
    );
    let asked = ok(
        a.post(
            "/api/v1/partner/occasions",
            &json!({"entry_id": "a-occasion"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let occasion = asked["id"].as_str().expect("an id").to_owned();
    let twice = a
        .post(
            "/api/v1/partner/occasions",
            &json!({"entry_id": "a-occasion"}),
        )
        .await
        .refused(StatusCode::CONFLICT);
    assert!(
        twice["detail"]
            .as_str()
            .is_some_and(|d| d.contains("already asked")),
        "{twice}"
    );
    let seen = ok(b.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(seen[0]["asked_by_you"], false);
    assert_eq!(seen[0]["answered"], false);
    assert_eq!(seen[0]["date"], yesterday());
    let answer = format!("/api/v1/partner/occasions/{occasion}/answer");
    a.post(&answer, &json!({"pain": 2}))
        .await
        .refused(StatusCode::NOT_FOUND);
    b.post(&answer, &json!({"pain": 11})).await.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "pain",
        &["11"],
    );
    let answered = ok(b.post(&answer, &json!({"pain": 2})).await, StatusCode::OK).await;
    assert_eq!(answered["check_in"], today());
    // The answer is in B's own journal, as the morning's pain of today's check-in.
    let b_entries = b.list("").await;
    assert!(
        b_entries
            .iter()
            .any(|e| e["kind"] == "daily" && e["date"] == today() && e["pain_morning"] == 2),
        "{b_entries:?}"
    );
    // A next-day pain on A's entry.
    let mut entry = a.get("/api/v1/journal/entries/a-occasion").await.json();
    entry["next_day_pain"] = json!(4);
    ok(
        a.put("/api/v1/journal/entries/a-occasion", &entry).await,
        StatusCode::OK,
    )
    .await;
    // Neither shares morning answers yet: each sees only their own.
    let a_view = ok(a.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(a_view[0]["answered"], true);
    assert_eq!(a_view[0]["your_answer"], 4);
    assert_eq!(a_view[0]["partner_answer"], Value::Null);
    // B shares, A does not: still hidden from both.
    share(b, &["morning_answer"]).await;
    let a_view = ok(a.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(a_view[0]["partner_answer"], Value::Null);
    // Both share: each sees the other's.
    share(a, &["todays_pain", "morning_answer"]).await;
    let a_view = ok(a.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(a_view[0]["partner_answer"], 2, "{a_view}");
    let b_view = ok(b.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(b_view[0]["your_answer"], 2, "{b_view}");
    assert_eq!(b_view[0]["partner_answer"], 4, "{b_view}");

    // A stranger reaches nothing.
    assert_eq!(
        ok(c.get("/api/v1/partner").await, StatusCode::OK).await["status"],
        "alone"
    );
    for path in [
        "/api/v1/partner/plan",
        "/api/v1/partner/marks",
        "/api/v1/partner/list",
        "/api/v1/partner/occasions",
    ] {
        c.get(path).await.refused(StatusCode::NOT_FOUND);
    }
    c.post(&answer, &json!({"pain": 1}))
        .await
        .refused(StatusCode::NOT_FOUND);
    c.put("/api/v1/partner/sharing", &json!({"items": []}))
        .await
        .refused(StatusCode::NOT_FOUND);
    c.delete("/api/v1/partner")
        .await
        .refused(StatusCode::NOT_FOUND);
    // Signed out, nothing at all.
    Api::nobody(&app.base)
        .get("/api/v1/partner/plan")
        .await
        .refused(StatusCode::UNAUTHORIZED);
    couple
}

/// Ends the link from B's side and checks that neither reads anything after.
async fn unlink(couple: &Couple) {
    let Couple { a, b, .. } = couple;
    ok(b.delete("/api/v1/partner").await, StatusCode::NO_CONTENT).await;
    for who in [a, b] {
        assert_eq!(
            ok(who.get("/api/v1/partner").await, StatusCode::OK).await["status"],
            "alone"
        );
        for path in [
            "/api/v1/partner/plan",
            "/api/v1/partner/marks",
            "/api/v1/partner/list",
            "/api/v1/partner/occasions",
        ] {
            who.get(path).await.refused(StatusCode::NOT_FOUND);
        }
    }
}

/// What must not be found in the database while the two are linked: what they shared, their
/// marks, the invitation's code never stored in the clear, and the secrets.
fn needles(couple: &Couple) -> Vec<String> {
    let mut needles: Vec<String> = [
        CONDITION,
        "extension",
        "receptive",
        "spooning",
        "quadruped",
        "\"maybe\"",
        "pain_type_role",
        "morning_answer",
        "todays_pain",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    needles.extend(couple.secrets.iter().cloned());
    needles
}

#[tokio::test]
async fn partners_read_only_what_is_shared_and_nothing_shared_is_readable_in_the_sqlite_files() {
    let app = TestApp::spawn().await;
    let couple = couple_flow(&app).await;
    let db = app.db_path();
    let needles = needles(&couple);
    let mut found = Vec::new();
    for (file, bytes) in sqlite_files(&db) {
        for n in &needles {
            if contains(&bytes, n.as_bytes()) {
                found.push(format!("'{n}' in {file}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    let mut conn = sqlite(&db).await;
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partner_members")
        .fetch_one(&mut conn)
        .await
        .expect("counted");
    assert_eq!(links, 2);
    unlink(&couple).await;
    for table in [
        "partner_links",
        "partner_members",
        "partner_occasions",
        "partner_invitations",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut conn)
                .await
                .expect("counted");
        assert_eq!(n, 0, "{table} is empty once the link ends");
    }
    app.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn partners_read_only_what_is_shared_and_nothing_shared_is_readable_in_postgresql() {
    let app = TestApp::on_postgres("sw_partners").await;
    let couple = couple_flow(&app).await;
    let schema = app.schema().expect("an app on PostgreSQL");
    let rows = pg_rows(schema.base_url(), schema.name()).await;
    assert_eq!(rows["partner_members"].len(), 2);
    assert_eq!(rows["partner_occasions"].len(), 1);
    let mut found = Vec::new();
    for (table, texts) in &rows {
        for row in texts {
            for n in needles(&couple) {
                if row.contains(n.as_str()) || row.contains(&hex(n.as_bytes())) {
                    found.push(format!("'{n}' in {table}: {row}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    unlink(&couple).await;
    let rows = pg_rows(schema.base_url(), schema.name()).await;
    for table in [
        "partner_links",
        "partner_members",
        "partner_occasions",
        "partner_invitations",
    ] {
        assert!(
            rows[table].is_empty(),
            "{table} is empty once the link ends"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_new_encryption_key_keeps_the_link_and_an_ended_account_ends_it() {
    let app = TestApp::spawn().await;
    let couple = three_accounts(&app).await;
    let invitation = couple
        .a
        .post("/api/v1/partner/invitation", &json!({}))
        .await
        .json();
    let code = invitation["code"].as_str().expect("a code");
    ok(
        couple
            .b
            .post("/api/v1/partner/accept", &json!({"code": code}))
            .await,
        StatusCode::OK,
    )
    .await;
    ok(
        couple
            .b
            .put(
                "/api/v1/partner/marks",
                &json!({"marks": {"spooning": "yes"}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // B changes the encryption key on the account page: B's copy of the link key follows.
    let browser = sign_in(&app.base, "partner-b", PASSWORD)
        .await
        .expect("signed in");
    let csrf = page_csrf(&browser, &app.base, "/account").await;
    let r = browser
        .submit(
            &app.url("/account/encryption-key"),
            &[("csrf", &csrf), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let b = Api::session(&app.base, &browser).await;
    let marks = ok(b.get("/api/v1/partner/marks").await, StatusCode::OK).await;
    assert_eq!(marks["marks"]["spooning"], "yes", "{marks}");
    // A deletes the account: the link ends for B too.
    let a_browser = sign_in(&app.base, "partner-a", PASSWORD)
        .await
        .expect("signed in");
    let csrf = page_csrf(&a_browser, &app.base, "/account").await;
    let r = a_browser
        .submit(
            &app.url("/account/delete"),
            &[("csrf", &csrf), ("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert!(
        r.status.is_redirection() || r.status == StatusCode::OK,
        "{}",
        r.text
    );
    assert_eq!(
        ok(b.get("/api/v1/partner").await, StatusCode::OK).await["status"],
        "alone"
    );
    let mut conn = sqlite(&app.db_path()).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partner_links")
        .fetch_one(&mut conn)
        .await
        .expect("counted");
    assert_eq!(n, 0);
    app.stop().await;
}

#[tokio::test]
async fn the_partner_page_links_shares_and_unlinks_without_javascript() {
    let app = TestApp::spawn().await;
    let a = sign_up(&app.base, "page-a", PASSWORD).await;
    let b = sign_up(&app.base, "page-b", PASSWORD).await;
    let signed_out = Browser::new().page(&app.url("/partner")).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.header("location"), Some("/login"));

    let csrf = page_csrf(&a.browser, &app.base, "/partner").await;
    let made = a
        .browser
        .submit(&app.url("/partner/invite"), &[("csrf", &csrf)])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let code = element_text(&made.text, r#"<p class="token" id="invitation-code">"#)
        .expect("the code is shown once");
    let again = a.browser.page(&app.url("/partner")).await;
    assert!(!again.text.contains(&code), "shown once");
    assert!(
        again.text.contains("Your invitation is open"),
        "{}",
        again.text
    );

    // The link in the invitation fills the code in.
    let join = b
        .browser
        .page(&app.url(&format!("/partner/join?code={code}")))
        .await;
    assert!(
        join.text.contains(&format!(r#"value="{code}""#)),
        "{}",
        join.text
    );
    let csrf = csrf_in(&join.text);
    let wrong = b
        .browser
        .submit(
            &app.url("/partner/accept"),
            &[("csrf", &csrf), ("code", "ABCD")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.text.contains("16 letters and digits"),
        "{}",
        wrong.text
    );
    let accepted = b
        .browser
        .submit(
            &app.url("/partner/accept"),
            &[("csrf", &csrf), ("code", &code)],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text);
    let linked = b.browser.page(&app.url("/partner")).await;
    assert!(
        linked.text.contains("Linked with <strong>page-a</strong>"),
        "{}",
        linked.text
    );
    assert!(
        linked.text.contains("save your role first"),
        "no profile yet: {}",
        linked.text
    );

    let csrf = csrf_in(&linked.text);
    let shared = b
        .browser
        .submit(
            &app.url("/partner/share"),
            &[
                ("csrf", &csrf),
                ("item", "conditions"),
                ("item", "todays_pain"),
            ],
        )
        .await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.text);
    let a_page = a.browser.page(&app.url("/partner")).await;
    assert_eq!(
        a_page.text.matches("(your partner shares theirs)").count(),
        2,
        "{}",
        a_page.text
    );

    // A asks about last night from the page; B sees the question.
    Api::session(&app.base, &a.browser)
        .await
        .create_new(&json!({
            "kind": "intimacy", "id": "last-night", "at": format!("{}T22:00", yesterday()),
            "positions": ["spooning"], "preparation": [], "pain_before": 2, "pain_after": 3,
            "stopped_early": false, "symptoms": []
        }))
        .await;
    let a_page = a.browser.page(&app.url("/partner")).await;
    assert!(
        a_page.text.contains(r#"<option value="last-night">"#),
        "{}",
        a_page.text
    );
    let asked = a
        .browser
        .submit(
            &app.url("/partner/ask"),
            &[("csrf", &csrf_in(&a_page.text)), ("entry", "last-night")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.text);
    let b_page = b.browser.page(&app.url("/partner")).await;
    assert!(
        b_page.text.contains(&format!(
            "how is your back this morning, after {}",
            yesterday()
        )),
        "{}",
        b_page.text
    );
    let a_page = a.browser.page(&app.url("/partner")).await;
    assert!(
        !a_page.text.contains(r#"<option value="last-night">"#),
        "asked once"
    );

    // Both account pages show the link.
    for (who, other) in [(&a, "page-b"), (&b, "page-a")] {
        let account = who.browser.page(&app.url("/account")).await;
        assert!(
            account
                .text
                .contains(&format!("Linked with {other} since {}", today())),
            "{}",
            account.text
        );
    }

    // B logs an occasion and asks from the log form itself; A is asked.
    let form = b.browser.page(&app.url("/journal/log/intimacy")).await;
    assert!(
        form.text
            .contains("Ask my partner how their back is the next morning"),
        "{}",
        form.text
    );
    let entry_id = hidden_value(&form.text, "entry_id");
    let at = format!("{}T23:00", yesterday());
    let logged = b
        .browser
        .submit(
            &app.url("/journal/log/intimacy"),
            &[
                ("csrf", csrf_in(&form.text).as_str()),
                ("entry_id", &entry_id),
                ("at", &at),
                ("position", "spooning"),
                ("pain_before", "2"),
                ("pain_after", "2"),
                ("ask_partner", "yes"),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.text);
    assert_eq!(
        logged.header("location"),
        Some("/journal?saved=intimacy-asked")
    );
    // The same form sent again (a double tap) saves one entry and says the partner is asked.
    let again = b
        .browser
        .submit(
            &app.url("/journal/log/intimacy"),
            &[
                ("csrf", csrf_in(&form.text).as_str()),
                ("entry_id", &entry_id),
                ("at", &at),
                ("position", "spooning"),
                ("pain_before", "2"),
                ("pain_after", "2"),
                ("ask_partner", "yes"),
            ],
        )
        .await;
    assert_eq!(
        again.header("location"),
        Some("/journal?saved=intimacy-asked")
    );
    let said = b
        .browser
        .page(&app.url("/journal?saved=intimacy-asked"))
        .await;
    assert!(
        said.text.contains("Your partner will be asked"),
        "{}",
        said.text
    );
    let a_page = a.browser.page(&app.url("/partner")).await;
    assert_eq!(
        a_page
            .text
            .matches(r#"<input type="hidden" name="occasion""#)
            .count(),
        1,
        "A has B's question to answer: {}",
        a_page.text
    );
    let b_page = b.browser.page(&app.url("/partner")).await;
    assert!(
        !b_page
            .text
            .contains(&format!(r#"<option value="{entry_id}">"#)),
        "asked from the form, so not offered again: {}",
        b_page.text
    );

    let kept = b
        .browser
        .submit(&app.url("/partner/end"), &[("csrf", &csrf)])
        .await;
    assert_eq!(kept.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kept.text.contains("nothing was changed"), "{}", kept.text);
    let ended = b
        .browser
        .submit(
            &app.url("/partner/end"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.text);
    let alone = a.browser.page(&app.url("/partner")).await;
    assert!(
        alone.text.contains("Make an invitation code"),
        "{}",
        alone.text
    );
    let account = a.browser.page(&app.url("/account")).await;
    assert!(
        account.text.contains("Not linked with a partner."),
        "{}",
        account.text
    );
    let form = b.browser.page(&app.url("/journal/log/intimacy")).await;
    assert!(
        !form.text.contains("Ask my partner"),
        "no partner to ask once the link has ended"
    );
    app.stop().await;
}

/// Signs `login` up on `app` and gives the account an API token there.
async fn account_on(app: &TestApp, login: &str) -> (crate::common::server::Account, Api) {
    let account = sign_up(&app.base, login, PASSWORD).await;
    let token = create_token(&app.base, &account.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    (account, api)
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn two_instances_on_one_postgresql_database_serve_one_couple() {
    let schema = Schema::create("sw_couple").await;
    let one = TestApp::on(schema.url()).await;
    let two = TestApp::on(schema.url()).await;
    // One partner on each instance, each instance with its own process memory.
    let (a_account, a) = account_on(&one, "instance-a").await;
    let (_, b) = account_on(&two, "instance-b").await;
    for (who, body) in [
        (&a, json!({"pain_type": "flexion", "role": "receptive"})),
        (&b, json!({"pain_type": "extension", "role": "insertive"})),
    ] {
        ok(who.put("/api/v1/profile", &body).await, StatusCode::OK).await;
    }

    // Invited on one, accepted on two.
    let linked = link(&a, &b).await;
    assert_eq!(linked["partner"], "instance-a");
    let a_status = ok(a.get("/api/v1/partner").await, StatusCode::OK).await;
    assert_eq!(a_status["status"], "linked");
    assert_eq!(a_status["partner"], "instance-b");
    let page = a_account.browser.page(&one.url("/partner")).await;
    assert!(
        page.text
            .contains("Linked with <strong>instance-b</strong>"),
        "{}",
        page.text
    );

    // What one instance writes, the other reads at once: shares, then their withdrawal.
    let plan = ok(a.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(
        not_known(&plan),
        [
            "partner_pain_type_role",
            "partner_pain_today",
            "partner_conditions"
        ]
    );
    share(&b, &["pain_type_role", "todays_pain", "morning_answer"]).await;
    b.create_new(&json!({"kind": "daily", "id": "b-today", "date": today(), "pain_morning": 6}))
        .await;
    let plan = ok(a.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(not_known(&plan), ["partner_conditions"]);
    share(&b, &["morning_answer"]).await;
    let plan = ok(a.get("/api/v1/partner/plan").await, StatusCode::OK).await;
    assert_eq!(
        not_known(&plan),
        [
            "partner_pain_type_role",
            "partner_pain_today",
            "partner_conditions"
        ]
    );

    // Marks made on each instance meet on both.
    ok(
        a.put(
            "/api/v1/partner/marks",
            &json!({"marks": {"spooning": "yes", "side-lying-face-to-face": "maybe", "seated-chair": "no"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(
        b.put(
            "/api/v1/partner/marks",
            &json!({"marks": {"spooning": "yes", "side-lying-face-to-face": "yes", "seated-chair": "yes"}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let lists = [
        ok(a.get("/api/v1/partner/list").await, StatusCode::OK).await,
        ok(b.get("/api/v1/partner/list").await, StatusCode::OK).await,
    ];
    for list in &lists {
        assert_eq!(ids(&list["both_yes"]), ["spooning"], "{list}");
        assert_eq!(
            ids(&list["yes_or_maybe"]),
            ["spooning", "side-lying-face-to-face"],
            "{list}"
        );
        assert!(
            !list.to_string().contains("seated-chair"),
            "A's no never shows: {list}"
        );
    }

    // Asked on one, answered on two, read back on one.
    a.create_new(&json!({
        "kind": "intimacy", "id": "a-night", "at": format!("{}T22:00", yesterday()),
        "positions": ["spooning"], "preparation": [], "pain_before": 2, "pain_after": 2,
        "stopped_early": false, "symptoms": []
    }))
    .await;
    share(&a, &["morning_answer"]).await;
    let asked = ok(
        a.post("/api/v1/partner/occasions", &json!({"entry_id": "a-night"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let occasion = asked["id"].as_str().expect("an id");
    ok(
        b.post(
            &format!("/api/v1/partner/occasions/{occasion}/answer"),
            &json!({"pain": 3}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let seen = ok(a.get("/api/v1/partner/occasions").await, StatusCode::OK).await;
    assert_eq!(seen[0]["partner_answer"], 3, "{seen}");

    // Ended on two: on one, at once, nothing.
    ok(b.delete("/api/v1/partner").await, StatusCode::NO_CONTENT).await;
    assert_eq!(
        ok(a.get("/api/v1/partner").await, StatusCode::OK).await["status"],
        "alone"
    );
    for path in [
        "/api/v1/partner/plan",
        "/api/v1/partner/list",
        "/api/v1/partner/occasions",
    ] {
        a.get(path).await.refused(StatusCode::NOT_FOUND);
    }
    one.stop().await;
    two.stop().await;
    schema.drop().await;
}

#[tokio::test]
async fn an_item_withdrawn_while_journal_writes_refresh_the_share_stays_withdrawn() {
    let app = TestApp::on_either("sw_partner_race", |_, _| {}).await;
    let (_, a) = account_on(&app, "race-a").await;
    let (_, b) = account_on(&app, "race-b").await;
    ok(
        a.put(
            "/api/v1/profile",
            &json!({"pain_type": "flexion", "role": "receptive"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    link(&a, &b).await;
    let everything = json!({"items": ["todays_pain", "morning_answer"]});
    let nothing = json!({"items": []});
    for round in 0..4 {
        ok(
            b.put("/api/v1/partner/sharing", &everything).await,
            StatusCode::OK,
        )
        .await;
        // Journal writes, each refreshing B's share, around a withdrawal of everything.
        let entries: Vec<Value> = (0..6)
            .map(|i| {
                let date = time::OffsetDateTime::now_utc().date() - time::Duration::days(i);
                json!({
                    "kind": "daily", "id": format!("r{round}-{i}"), "date": date.to_string(),
                    "pain_evening": 5
                })
            })
            .collect();
        let (_, withdrawn) = tokio::join!(
            futures_util::future::join_all(entries.iter().map(|e| b.create_new(e))),
            b.put("/api/v1/partner/sharing", &nothing)
        );
        assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text);
        let seen = ok(a.get("/api/v1/partner").await, StatusCode::OK).await;
        assert_eq!(
            seen["partner_shares"],
            json!([]),
            "round {round}: nothing is shared once withdrawn"
        );
        let plan = ok(a.get("/api/v1/partner/plan").await, StatusCode::OK).await;
        assert!(
            not_known(&plan).contains(&"partner_pain_today".to_owned()),
            "round {round}: {plan}"
        );
        ok(b.delete("/api/v1/journal").await, StatusCode::NO_CONTENT).await;
    }
    app.stop().await;
}
