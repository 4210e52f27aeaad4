//! The journal over HTTP: a crash in the middle of writes, and in the middle of a change of
//! key.

use super::*;

/// The real binary, serving on a port of its own; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(database_url: &str, dir: &Path, name: &str) -> Server {
        Server::start_with(database_url, dir, name, &[]).await
    }

    /// As [`Server::start`], with these variables in the server's environment.
    async fn start_with(
        database_url: &str,
        dir: &Path,
        name: &str,
        env: &[(&str, &str)],
    ) -> Server {
        // A free port: bound, read and released for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("a log file");
        let err = out.try_clone().expect("the log file again");
        let child = Command::new(env!("CARGO_BIN_EXE_spinewise"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .env("SPINEWISE_DATA_DIR", dir)
            .env("RUST_LOG", "info,sqlx=warn")
            .envs(env.iter().copied())
            .env_remove("SPINEWISE_BEHIND_PROXY")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("the binary starts");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_ready().await;
        server
    }

    async fn wait_until_ready(&mut self) {
        let client = Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("a client");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client
                .get(format!("{}/api/v1/health", self.base))
                .send()
                .await
                && r.status() == StatusCode::OK
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}): {}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer in time: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no graceful anything.
    fn kill(&mut self) {
        self.child.kill().expect("killed");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many writes are sent, how many at once, and after how many acknowledgements the
/// server is killed.
const WRITES: usize = 300;
const CONCURRENCY: usize = 16;
const KILL_AFTER: usize = 150;

/// The `i`th entry of the burst: every kind, distinct content.
fn burst_entry(i: usize) -> Value {
    let id = format!("crash-{i:03}-{}", uuid::Uuid::new_v4().simple());
    let day = time::Date::from_calendar_date(2023, time::Month::January, 1).expect("a date")
        + time::Duration::days(i64::try_from(i).expect("small"));
    let at = format!("{day}T{:02}:{:02}", i % 24, i % 60);
    let pain = i % 11;
    match i % 4 {
        0 => with(
            &with(&intimacy(&id, &at), "pain_after", json!(pain)),
            "note",
            json!(format!("note {i}")),
        ),
        1 => with(&daily(&id, &day.to_string()), "pain_morning", json!(pain)),
        2 => with(&peg(&id, &day.to_string()), "activity", json!(pain)),
        _ => with(&exercise(&id, &at), "minutes", json!(i + 1)),
    }
}

async fn acknowledged_writes_survive_a_kill(database_url: &str, dir: &Path) {
    let mut server = Server::start(database_url, dir, "first").await;
    let account = sign_up(&server.base, "crash", PASSWORD).await;
    let token = create_token(&server.base, &account.browser, "burst").await;

    let sent: Vec<Value> = (0..WRITES).map(burst_entry).collect();
    let acknowledged: Arc<Mutex<HashMap<String, Value>>> = Arc::default();
    let failed = Arc::new(AtomicUsize::new(0));
    let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let (kill_tx, kill_rx) = oneshot::channel::<()>();
    let kill_tx = Arc::new(Mutex::new(Some(kill_tx)));
    let client = Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a client");
    let url = format!("{}/api/v1/journal/entries", server.base);
    let mut tasks = tokio::task::JoinSet::new();
    for entry in sent.clone() {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        let (acknowledged, failed, permits, kill_tx) = (
            acknowledged.clone(),
            failed.clone(),
            permits.clone(),
            kill_tx.clone(),
        );
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let answer = client
                .post(&url)
                .bearer_auth(&token)
                .json(&entry)
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => {
                    let id = entry["id"].as_str().expect("an id").to_owned();
                    let n = {
                        let mut acked = acknowledged.lock().expect("not poisoned");
                        acked.insert(id, entry);
                        acked.len()
                    };
                    if n >= KILL_AFTER
                        && let Some(tx) = kill_tx.lock().expect("not poisoned").take()
                    {
                        let _ = tx.send(());
                    }
                }
                Ok(r) => panic!("a write was refused before the crash: {}", r.status()),
                Err(_) => {
                    failed.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
    }
    tokio::time::timeout(Duration::from_secs(60), kill_rx)
        .await
        .expect("enough writes were acknowledged in time")
        .expect("the signal to kill");
    server.kill();
    let at_kill = acknowledged.lock().expect("not poisoned").len();
    while let Some(done) = tasks.join_next().await {
        done.expect("a write task finished without panicking");
    }
    let acknowledged = acknowledged.lock().expect("not poisoned").clone();
    let failed = failed.load(Ordering::SeqCst);
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        acknowledged.len() < WRITES && failed > 0,
        "the kill came while writes were in flight ({} acknowledged, {at_kill} at the kill, {failed} failed)",
        acknowledged.len()
    );

    // Restarted on the same database: every acknowledged entry is there with exactly its
    // content, every stored entry opens, none twice.
    let server = Server::start(database_url, dir, "second").await;
    let api = Api::token(&server.base, &token);
    let listed = api.list("").await;
    let mut seen = HashSet::new();
    let by_id: HashMap<&str, &Value> = sent
        .iter()
        .map(|e| (e["id"].as_str().expect("an id"), e))
        .collect();
    for e in &listed {
        let id = e["id"].as_str().expect("an id");
        assert!(seen.insert(id.to_owned()), "{id} is listed twice");
        assert_eq!(
            Some(&e),
            by_id.get(id),
            "a stored entry is one that was sent, whole"
        );
    }
    for (id, entry) in &acknowledged {
        let stored = listed.iter().find(|e| e["id"] == id.as_str());
        assert_eq!(stored, Some(entry), "acknowledged {id} survived the crash");
    }
    assert!(listed.len() >= acknowledged.len());
    eprintln!(
        "killed after {at_kill} acknowledged writes; {} acknowledged in all, {failed} failed, \
         {} stored",
        acknowledged.len(),
        listed.len()
    );

    // A fresh session opens the same journal; every write, retried, lands exactly once.
    let again = sign_in(&server.base, "crash", PASSWORD)
        .await
        .expect("signed in after the crash");
    let session = Api::session(&server.base, &again).await;
    assert_eq!(session.list("").await, listed);
    for entry in &sent {
        let r = api.create(entry).await;
        let id = entry["id"].as_str().expect("an id");
        let expected = if seen.contains(id) {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        assert_eq!(r.status, expected, "{id} retried: {}", r.text);
    }
    assert_eq!(api.list("").await.len(), WRITES);
    drop(server);
}

#[tokio::test]
async fn every_write_acknowledged_before_a_kill_9_is_there_after_a_restart_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join(DB_FILE).display());
    acknowledged_writes_survive_a_kill(&url, dir.path()).await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn every_write_acknowledged_before_a_kill_9_is_there_after_a_restart_on_postgresql() {
    let schema = Schema::create("sw_journal_crash").await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    acknowledged_writes_survive_a_kill(schema.url(), dir.path()).await;
    schema.drop().await;
}

// --- a crash in the middle of a change of key ------------------------------------------------

/// How many entries the journal holds whose key is changed.
const ROTATED_ENTRIES: usize = 3_000;

/// The test hook: the change of key pauses this many milliseconds after each row, inside its
/// transaction, so that it lasts seconds and the kill lands in the middle of it.
const PAUSE_ENV: (&str, &str) = ("SPINEWISE_TEST_REKEY_PAUSE_MS", "1");

/// What the server logs just before the transaction begins.
const RESEALING: &str = "re-sealing an account's journal and profile under a new key";

/// The journal whose key is changed: a PEG a day, each with its own numbers.
fn large_journal() -> Vec<Value> {
    let first = time::Date::from_calendar_date(2012, time::Month::January, 1).expect("a date");
    (0..ROTATED_ENTRIES)
        .map(|i| {
            let day = first + time::Duration::days(i64::try_from(i).expect("small"));
            let e = peg(&format!("big-{i:05}"), &day.to_string());
            with(
                &with(&e, "pain", json!(i % 11)),
                "activity",
                json!((i / 11) % 11),
            )
        })
        .collect()
}

/// The account's journal rows (id and sealed bytes) and its wrapped keys, read from the file.
async fn stored_state(db: &Path, login: &str) -> (Vec<(String, Vec<u8>)>, Vec<Vec<u8>>) {
    let id = user_id(db, login).await;
    let mut c = sqlite(db).await;
    let rows = journal_rows(&mut c, &id).await;
    let (password_wrapped, recovery_wrapped): (Vec<u8>, Vec<u8>) = sqlx::query_as(
        "SELECT password_wrapped, recovery_wrapped FROM user_keys WHERE user_id = ?",
    )
    .bind(&id)
    .fetch_one(&mut c)
    .await
    .expect("keys");
    let profile: Vec<u8> =
        sqlx::query_scalar("SELECT sealed FROM sealed_profiles WHERE user_id = ?")
            .bind(&id)
            .fetch_one(&mut c)
            .await
            .expect("a profile");
    (rows, vec![password_wrapped, recovery_wrapped, profile])
}

/// Asks for a new key in a browser signed in with `PASSWORD`; the answer's status, or `None`
/// when the connection broke.
async fn ask_for_a_new_key(base: &str) -> tokio::task::JoinHandle<Option<StatusCode>> {
    let b = sign_in(base, "rotor", PASSWORD).await.expect("signed in");
    let csrf = page_csrf(&b, base, "/account").await;
    let url = format!("{base}/account/encryption-key");
    tokio::spawn(async move {
        b.client
            .post(&url)
            .form(&[("csrf", csrf.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .ok()
            .map(|r| r.status())
    })
}

/// Waits until the server's log says the transaction is about to begin.
async fn wait_for_resealing(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !server.log_text().contains(RESEALING) {
        assert!(
            Instant::now() < deadline,
            "the change of key did not begin: {}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_kill_9_in_the_middle_of_a_change_of_key_leaves_the_old_key_opening_everything_on_sqlite()
{
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join(DB_FILE);
    let url = format!("sqlite://{}", db.display());
    let server = Server::start(&url, dir.path(), "setup").await;
    let account = sign_up(&server.base, "rotor", PASSWORD).await;
    let api = Api::session(&server.base, &account.browser).await;
    let document = json!({
        "format": "spinewise-journal", "version": 1, "exported_at": "2024-01-01T00:00:00Z",
        "entries": large_journal()
    });
    let r = api.post("/api/v1/journal/import", &document).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let profile = json!({
        "pain_type": "motion", "role": "switch", "conditions": ["disc-problem"],
        "partner_pain_type": "flexion", "partner_conditions": ["pregnancy"]
    });
    assert_eq!(
        api.put("/api/v1/profile", &profile).await.status,
        StatusCode::OK
    );
    let journal = api.list("").await;
    assert_eq!(journal.len(), ROTATED_ENTRIES);
    drop(server);
    let before = stored_state(&db, "rotor").await;

    // Killed before the transaction began, early in it and late in it: each time the file
    // holds exactly what it held, and the old password opens all of it.
    for (attempt, after_ms) in [0_u64, 300, 1_500].into_iter().enumerate() {
        let mut server =
            Server::start_with(&url, dir.path(), &format!("killed-{attempt}"), &[PAUSE_ENV]).await;
        let asked = ask_for_a_new_key(&server.base).await;
        wait_for_resealing(&server).await;
        tokio::time::sleep(Duration::from_millis(after_ms)).await;
        server.kill();
        assert_eq!(
            asked.await.expect("the request task"),
            None,
            "killed {after_ms} ms in, the change had not finished"
        );
        let after = stored_state(&db, "rotor").await;
        assert!(
            after == before,
            "killed {after_ms} ms in: the rows, keys or profile changed"
        );

        let server = Server::start(&url, dir.path(), &format!("after-{attempt}")).await;
        let b = sign_in(&server.base, "rotor", PASSWORD)
            .await
            .expect("the old password still signs in");
        let api = Api::session(&server.base, &b).await;
        assert_eq!(api.list("").await, journal, "killed {after_ms} ms in");
        assert_eq!(api.get("/api/v1/profile").await.json(), profile);
        drop(server);
    }

    // Left to finish, the change re-seals every row and the profile under the new key, which
    // the same password opens.
    let server = Server::start(&url, dir.path(), "finished").await;
    let asked = ask_for_a_new_key(&server.base).await;
    assert_eq!(
        asked.await.expect("the request task"),
        Some(StatusCode::SEE_OTHER)
    );
    let (rows, keys) = stored_state(&db, "rotor").await;
    assert_eq!(rows.len(), ROTATED_ENTRIES);
    for (id, _) in &rows {
        assert!(
            before.0.binary_search_by(|(old, _)| old.cmp(id)).is_err(),
            "{id} is still under its old pseudonym"
        );
    }
    for (old, new) in before.1.iter().zip(&keys) {
        assert_ne!(old, new, "the keys and the profile were replaced");
    }
    let b = sign_in(&server.base, "rotor", PASSWORD)
        .await
        .expect("the password signs in");
    let api = Api::session(&server.base, &b).await;
    assert_eq!(api.list("").await, journal);
    assert_eq!(api.get("/api/v1/profile").await.json(), profile);
    drop(server);
}
