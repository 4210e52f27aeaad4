//! The journal over HTTP: the pages.

use super::*;

/// The fields of the intimacy form, as a browser without JavaScript sends them.
fn intimacy_form<'a>(csrf: &'a str, entry_id: &'a str, at: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("entry_id", entry_id),
        ("at", at),
        ("position", "spooning"),
        ("position", "missionary-knees-up"),
        ("preparation", "warm-bath"),
        ("preparation", "pillows"),
        ("pain_before", "3"),
        ("pain_after", "4"),
    ]
}

#[tokio::test]
async fn intimacy_logged_on_the_form_is_listed_and_sending_the_form_twice_makes_one_entry() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.page(&app.url("/journal/log/intimacy")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let fields = intimacy_form(&csrf, &entry_id, "2024-07-01T22:30");
    for _ in 0..2 {
        let r = b.submit(&app.url("/journal/log/intimacy"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.header("location"), Some("/journal?saved=intimacy"));
    }
    let page = b.page(&app.url("/journal?saved=intimacy")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Intimacy saved."), "{}", page.text);
    assert!(page.text.contains("1 entry in all"), "{}", page.text);
    assert!(page.text.contains("2024-07-01 22:30"), "{}", page.text);
    assert!(page.text.contains("Spooning (side-lying)"), "{}", page.text);
    assert!(page.text.contains("pain 3 → 4"), "{}", page.text);
    let api = Api::session(&app.base, b).await;
    let entries = api.list("").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], entry_id.as_str());
    assert_eq!(
        entries[0]["positions"],
        json!(["spooning", "missionary-knees-up"])
    );
    assert_eq!(entries[0]["preparation"], json!(["warm-bath", "pillows"]));
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);

    // The same form with other values and the same id (a stale tab) saves nothing.
    let mut changed = fields.clone();
    changed.retain(|(k, _)| *k != "pain_after");
    changed.push(("pain_after", "8"));
    let r = b.submit(&app.url("/journal/log/intimacy"), &changed).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("Nothing was saved"), "{}", r.text);
    // The form comes back with a fresh id, so that sending it again makes a new entry.
    assert!(
        !r.text.contains(&format!("value=\"{entry_id}\"")),
        "{}",
        r.text
    );
    assert_eq!(api.entry(&entry_id).await.json()["pain_after"], 4);
    // Without the CSRF token, nothing either.
    let mut forged = fields.clone();
    forged.retain(|(k, _)| *k != "csrf");
    forged.push(("entry_id", "another-id"));
    let r = b.submit(&app.url("/journal/log/intimacy"), &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_form_with_a_bad_value_comes_back_422_naming_it_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.page(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let good = intimacy_form(&csrf, &entry_id, "2024-07-01T22:30");
    let replace = |key: &'static str, value: &'static str| {
        let mut f: Vec<(&str, &str)> = good.iter().filter(|(k, _)| *k != key).copied().collect();
        f.push((key, value));
        f
    };
    let cases = [
        (
            replace("pain_after", "11"),
            vec!["Back pain right after", "0 to 10"],
        ),
        (
            replace("pain_before", ""),
            vec!["Back pain just before", "please answer"],
        ),
        (
            replace("at", "2999-01-01T10:00"),
            vec!["When", "in the future"],
        ),
        (
            replace("at", "tonight"),
            vec!["When", "tonight", "YYYY-MM-DDTHH:MM"],
        ),
        (
            replace("preparation", "massage"),
            vec!["Preparation", "massage", "warm-bath"],
        ),
        (
            {
                let mut f = good.clone();
                f.push(("position", "cartwheel"));
                f
            },
            vec!["Positions", "cartwheel"],
        ),
    ];
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    for (fields, mentions) in &cases {
        let r = b.submit(&app.url("/journal/log/intimacy"), fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            r.text
        );
        let text = r.text.replace("&#x27;", "'").replace("&#39;", "'");
        assert!(text.contains("Nothing was saved"), "{text}");
        for m in mentions {
            assert!(text.contains(m), "'{m}' for {fields:?}: {text}");
        }
        // What was typed comes back, with the same entry id.
        assert_eq!(hidden_value(&text, "entry_id"), entry_id);
        assert!(text.contains(r#"value="spooning" checked"#), "{text}");
        assert_eq!(rows_of(&db, "journal_entries", &id).await, 0, "{fields:?}");
    }
    // Corrected, it saves once.
    let r = b.submit(&app.url("/journal/log/intimacy"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_intimacy_log_with_bleeding_after_sex_is_saved_and_answered_with_the_triage() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.page(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let mut fields = intimacy_form(&csrf, &entry_id, "2024-07-02T23:00");
    fields.push(("symptom", "bleeding-after-sex"));
    let r = b.submit(&app.url("/journal/log/intimacy"), &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("class=\"triage level-soon\""), "{}", r.text);
    assert!(
        r.text.contains("Bleeding from the vagina after sex"),
        "{}",
        r.text
    );
    assert!(r.text.contains("gynaecologist"), "{}", r.text);
    let api = Api::session(&app.base, b).await;
    let saved = api.entry(&entry_id).await.json();
    assert_eq!(saved["symptoms"], json!(["bleeding-after-sex"]));
    app.stop().await;
}

#[tokio::test]
async fn a_logs_symptoms_are_judged_with_the_red_flags_the_journal_already_holds() {
    // Bleeding after sex logged yesterday, pelvic pain logged today: alone each is to be seen
    // soon, together they are urgent, and the answer says where the earlier one was noted.
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let yesterday = today_utc() - time::Duration::days(1);
    for (when, symptom) in [
        (format!("{yesterday}T22:00"), "bleeding-after-sex"),
        (format!("{}T08:00", today_utc()), "pelvic-pain"),
    ] {
        let form = b.page(&app.url("/journal/log/intimacy")).await;
        let csrf = csrf_in(&form.text);
        let entry_id = hidden_value(&form.text, "entry_id");
        let mut fields = intimacy_form(&csrf, &entry_id, &when);
        fields.push(("symptom", symptom));
        let r = b.submit(&app.url("/journal/log/intimacy"), &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        if symptom == "bleeding-after-sex" {
            assert!(r.text.contains("class=\"triage level-soon\""), "{}", r.text);
        } else {
            assert!(
                r.text.contains("class=\"triage level-urgent\""),
                "{}",
                r.text
            );
            assert!(
                r.text
                    .contains(&format!("noted in your journal on {yesterday}")),
                "{}",
                r.text
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn signed_in_the_plan_page_counts_the_red_flags_the_journal_holds() {
    // Chest pain logged today is an emergency: the plan page, asked for the couple's plan,
    // gives the referral alone, says where the symptom was noted, and holds no positions.
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let plan_fields = |csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("pain_type".to_owned(), "flexion".to_owned()),
            ("role".to_owned(), "receptive".to_owned()),
        ]
    };
    let csrf = page_csrf(b, &app.base, "/plan").await;
    let fields = plan_fields(&csrf);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = b.submit(&app.url("/plan"), &fields).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    assert!(
        before.text.contains("Positions, best first"),
        "{}",
        before.text
    );

    let api = Api::session(&app.base, b).await;
    let today = today_utc();
    api.create_new(&with(
        &intimacy("chest", &format!("{today}T08:00")),
        "symptoms",
        json!(["chest-pain"]),
    ))
    .await;
    let after = b.submit(&app.url("/plan"), &fields).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert!(
        after.text.contains("class=\"triage level-emergency\""),
        "{}",
        after.text
    );
    assert!(
        after
            .text
            .contains(&format!("noted in your journal on {today}")),
        "{}",
        after.text
    );
    assert!(
        !after.text.contains("Positions, best first"),
        "{}",
        after.text
    );
    app.stop().await;
}

#[tokio::test]
async fn the_next_day_question_appears_for_yesterdays_log_and_its_answer_is_saved() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let yesterday = format!("{}T22:00", today_utc() - time::Duration::days(1));
    let form = b.page(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let r = b
        .submit(
            &app.url("/journal/log/intimacy"),
            &intimacy_form(&csrf, &entry_id, &yesterday),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let page = b.page(&app.url("/journal")).await;
    assert!(
        page.text.contains("How is your back this morning?"),
        "{}",
        page.text
    );
    let at = page
        .text
        .find("action=\"/journal/next-day\"")
        .expect("the question's form");
    assert_eq!(hidden_value(&page.text[at..], "id"), entry_id);
    let r = b
        .submit(
            &app.url("/journal/next-day"),
            &[
                ("csrf", &csrf_in(&page.text)),
                ("id", &entry_id),
                ("pain", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let api = Api::session(&app.base, b).await;
    let saved = api.entry(&entry_id).await.json();
    assert_eq!(saved["next_day_pain"], 2);
    assert_eq!(saved["pain_after"], 4, "the rest is as it was");
    let page = b.page(&app.url("/journal")).await;
    assert!(
        !page.text.contains("How is your back this morning?"),
        "asked once"
    );
    assert!(page.text.contains("next day 2"), "{}", page.text);
    // A bad answer names it and saves nothing; an unknown entry is not found.
    let csrf = csrf_in(&page.text);
    let r = b
        .submit(
            &app.url("/journal/next-day"),
            &[("csrf", &csrf), ("id", &entry_id), ("pain", "12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .submit(
            &app.url("/journal/next-day"),
            &[("csrf", &csrf), ("id", "no-such-entry"), ("pain", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(api.entry(&entry_id).await.json()["next_day_pain"], 2);
    app.stop().await;
}

#[tokio::test]
async fn deleting_an_entry_the_journal_or_the_account_removes_the_rows_from_the_database() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let api = Api::session(&app.base, b).await;
    let token = create_token(&app.base, b, "watch").await;
    for e in every_kind() {
        api.create_new(&e).await;
    }
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    let n = i64::try_from(every_kind().len()).expect("a few");
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n);
    // Someone else's journal, which none of this touches.
    let other = sign_up(&app.base, "other", PASSWORD).await;
    let others = Api::session(&app.base, &other.browser).await;
    others.create_new(&peg("p1", "2024-04-05")).await;
    let other_id = user_id(&db, "other").await;

    // One entry, from the overview's delete button: it asks first, showing the entry.
    let page = b.page(&app.url("/journal")).await;
    assert!(
        page.text.contains("href=\"/journal/entries/i1/delete\""),
        "{}",
        page.text
    );
    let page = b.page(&app.url("/journal/entries/i1/delete")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Delete this entry?"), "{}", page.text);
    assert!(
        page.text.contains("action=\"/journal/entries/i1/delete\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("Keep it"), "{}", page.text);
    assert_eq!(
        rows_of(&db, "journal_entries", &id).await,
        n,
        "nothing deleted yet"
    );
    assert_eq!(
        b.page(&app.url("/journal/entries/nope/delete"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = b
        .submit(
            &app.url("/journal/entries/i1/delete"),
            &[("csrf", &csrf_in(&page.text))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/journal?deleted=1"));
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n - 1);
    let mut c = sqlite(&db).await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM journal_entries WHERE id = 'i1'")
        .fetch_one(&mut c)
        .await
        .expect("counted");
    assert_eq!(left, 0, "the row is gone, not flagged");
    drop(c);
    // Deleting it again, or an entry of someone else's, finds nothing.
    let csrf = page_csrf(b, &app.base, "/journal").await;
    let r = b
        .submit(&app.url("/journal/entries/i1/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);

    // The whole journal: only with the box ticked.
    let r = b
        .submit(&app.url("/journal/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n - 1);
    let r = b
        .submit(
            &app.url("/journal/delete"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/journal?deleted=all"));
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 0);
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);
    let page = b.page(&app.url("/journal?deleted=all")).await;
    assert!(page.text.contains("Your whole journal was deleted."));
    assert!(page.text.contains("Nothing logged yet"));

    // The account, with everything in it.
    api.create_new(&peg("p9", "2024-04-09")).await;
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    let csrf = page_csrf(b, &app.base, "/account").await;
    let r = b
        .submit(
            &app.url("/account/delete"),
            &[("csrf", &csrf), ("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for table in [
        "journal_entries",
        "user_keys",
        "sessions",
        "api_tokens",
        "users",
    ] {
        assert_eq!(rows_of(&db, table, &id).await, 0, "{table}");
    }
    assert_eq!(
        Api::token(&app.base, &token)
            .get("/api/v1/journal/entries")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);
    assert_eq!(rows_of(&db, "user_keys", &other_id).await, 1);
    assert_eq!(others.ids("").await, ["p1"]);
    app.stop().await;
}

#[tokio::test]
async fn signed_in_the_plan_is_there_and_the_journal_reorders_it_saying_why() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "planner", PASSWORD).await;
    // Without a saved profile, the form asks.
    let page = holder.browser.page(&app.url("/plan")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("At a glance"), "{}", page.text);
    let r = holder
        .browser
        .submit(
            &app.url("/plan"),
            &[
                ("csrf", &csrf_in(&page.text)),
                ("pain_type", "flexion"),
                ("role", "receptive"),
                ("partner_pain_type", "none"),
                ("save", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Saved, the plan is there at once, from the profile.
    let page = holder.browser.page(&app.url("/plan")).await;
    assert!(
        page.text.contains("From your saved profile"),
        "{}",
        page.text
    );
    assert!(page.text.contains("At a glance"), "{}", page.text);
    assert!(
        !page.text.contains("moved by your journal"),
        "{}",
        page.text
    );
    let before: Vec<String> = position_ids(&page.text);

    // A year of the demo's journal: its evidence reorders the positions and says why, and
    // never changes a verdict.
    let k = spinewise_domain::Knowledge::bundled().expect("the knowledge base");
    let today = spinewise_domain::journal::LocalDate(today_utc());
    let entries = spinewise_domain::journal::demo::demo_journal(k, today, 365, 2026);
    let api = Api::session(&app.base, &holder.browser).await;
    let document = json!({
        "format": "spinewise-journal",
        "version": 1,
        "exported_at": "2026-01-01T00:00:00Z",
        "entries": entries
    });
    let r = api.post("/api/v1/journal/import", &document).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let page = holder.browser.page(&app.url("/plan")).await;
    assert!(
        page.text.contains("Re-ranked by your journal"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("Moved up by your journal")
            || page.text.contains("Moved down by your journal"),
        "{}",
        page.text
    );
    let after = position_ids(&page.text);
    assert_ne!(before, after, "the order changed");
    let mut sorted = (before.clone(), after.clone());
    sorted.0.sort();
    sorted.1.sort();
    assert_eq!(sorted.0, sorted.1, "the same positions");
    app.stop().await;
}

/// The positions of a plan page, in the order shown.
fn position_ids(html: &str) -> Vec<String> {
    html.match_indices(r#"<li class="position verdict-"#)
        .filter_map(|(at, _)| {
            let rest = &html[at..];
            let id = rest.split(r#"id="pos-"#).nth(1)?;
            Some(id.split('"').next()?.to_owned())
        })
        .collect()
}

/// The rows of the insights page's pain chart table.
fn chart_rows(page: &str) -> usize {
    let Some(start) = page.find("chart-table") else {
        return 0;
    };
    let table = &page[start..];
    let end = table.find("</table>").unwrap_or(table.len());
    table[..end].matches("<tr><td>").count()
}

/// Opens the insights page on `one` twice, writes a check-in through `two` (the same instance
/// or another on the same database), and opens the page on `one` again: the memo serves the
/// second visit as the first, and never the page from before the write.
async fn insights_follow_a_write_through(one: &TestApp, two: &TestApp) {
    let account = sign_up(&one.base, "memo", PASSWORD).await;
    let token = create_token(&one.base, &account.browser, "phone").await;
    let writer = Api::token(&two.base, &token);
    writer
        .create_new(&json!({"kind": "daily", "id": "yesterday",
            "date": (today_utc() - time::Duration::days(1)).to_string(), "pain_morning": 4}))
        .await;
    let first = account.browser.page(&one.url("/journal/insights")).await;
    assert_eq!(first.status, StatusCode::OK);
    let again = account.browser.page(&one.url("/journal/insights")).await;
    assert_eq!(again.text, first.text, "nothing new: the same page");
    writer
        .create_new(&json!({"kind": "daily", "id": "today",
            "date": today_utc().to_string(), "pain_morning": 6}))
        .await;
    let after = account.browser.page(&one.url("/journal/insights")).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(
        chart_rows(&after.text),
        chart_rows(&first.text) + 1,
        "the new check-in is on the chart"
    );
    // A deletion is a change too.
    assert_eq!(
        writer.delete("/api/v1/journal/entries/today").await.status,
        StatusCode::NO_CONTENT
    );
    let deleted = account.browser.page(&one.url("/journal/insights")).await;
    assert_eq!(chart_rows(&deleted.text), chart_rows(&first.text));
}

#[tokio::test]
async fn the_insights_page_is_computed_again_after_a_write() {
    let app = TestApp::spawn().await;
    insights_follow_a_write_through(&app, &app).await;
    app.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn the_insights_page_follows_a_write_through_another_instance() {
    let schema = Schema::create("sw_insights").await;
    let one = TestApp::on(schema.url()).await;
    let two = TestApp::on(schema.url()).await;
    insights_follow_a_write_through(&one, &two).await;
    one.stop().await;
    two.stop().await;
    schema.drop().await;
}
