//! Logging throughput: journal entries written through the journal service (checked against
//! the knowledge base, serialised, sealed with XChaCha20-Poly1305 under the user's key, and
//! inserted idempotently) against plain inserts of the same entries' JSON into the same table
//! of the same database, in the same run.
//!
//! ```sh
//! cargo bench --bench journal_writes                 # SQLite, in a temporary directory
//! SPINEWISE_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench --bench journal_writes             # and PostgreSQL, in a schema of its own
//! ```
//!
//! Each round writes `ENTRIES` entries one after another (each acknowledged only once its
//! commit is durable, as a person's log is) and then the same number concurrently from
//! `TASKS` tasks. The rounds alternate between the kinds of write so that a noisy neighbour
//! slows all alike; the medians of the rounds are reported. On SQLite, a third kind writes
//! through a handle without the group commit, each write its own transaction: the same
//! durability, the way it was done before.

use std::time::{Duration, Instant};

use spinewise_app::journal;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::demo::demo_journal;
use spinewise_domain::journal::{Entry, LocalDate};
use spinewise_store::{NewUser, NewUserKeys, Store, UserId};
use spinewise_vault::DataKey;

const ENTRIES: usize = 1_000;
const TASKS: usize = 16;
const ROUNDS: usize = 5;

struct Setup {
    store: Store,
    user: UserId,
    key: std::sync::Arc<DataKey>,
}

async fn setup(url: &str) -> Setup {
    let store = Store::open(url).await.expect("the database opens");
    let key = DataKey::generate().expect("a key");
    let user = store
        .create_user_with_keys(
            &NewUser {
                login: &format!("bench-{}", uuid::Uuid::new_v4().simple()),
                login_skeleton: None,
                password_hash: "not a real hash",
                now: 0,
                demo: true,
            },
            &NewUserKeys {
                password_wrapped: b"unused",
                recovery_wrapped: b"unused",
            },
        )
        .await
        .expect("a user");
    Setup {
        store,
        user,
        key: std::sync::Arc::new(key),
    }
}

/// The entries of a round, with ids of their own so that every write is an insert.
fn entries(k: &Knowledge, round: usize, kind: &str) -> Vec<Entry> {
    let today: LocalDate = "2026-11-01".parse().expect("a date");
    let mut all = demo_journal(k, today, 3650, 7);
    all.truncate(ENTRIES);
    for (i, e) in all.iter_mut().enumerate() {
        let id: spinewise_domain::journal::EntryId =
            format!("{kind}-{round}-{i}").parse().expect("an id");
        match e {
            Entry::Intimacy(x) => x.id = id,
            Entry::Daily(x) => x.id = id,
            Entry::Peg(x) => x.id = id,
            Entry::Exercise(x) => x.id = id,
            Entry::Assessment(x) => x.id = id,
        }
    }
    all
}

async fn logged(
    s: &Setup,
    store: &Store,
    k: &'static Knowledge,
    entries: Vec<Entry>,
    concurrent: bool,
) -> (Duration, usize) {
    let now = 1_800_000_000;
    let start = Instant::now();
    // Writes the database refused (SQLite's "database is locked" after its busy timeout):
    // counted, not retried.
    let mut failed = 0;
    if concurrent {
        let mut tasks = Vec::new();
        for chunk in entries.chunks(ENTRIES.div_ceil(TASKS)) {
            let chunk = chunk.to_vec();
            let (store, user, key) = (store.clone(), s.user.clone(), s.key.clone());
            tasks.push(tokio::spawn(async move {
                let mut failed = 0;
                for e in &chunk {
                    if journal::create(&store, k, &user, &key, e, now)
                        .await
                        .is_err()
                    {
                        failed += 1;
                    }
                }
                failed
            }));
        }
        for t in tasks {
            failed += t.await.expect("joined");
        }
    } else {
        for e in &entries {
            if journal::create(store, k, &s.user, &s.key, e, now)
                .await
                .is_err()
            {
                failed += 1;
            }
        }
    }
    (start.elapsed(), failed)
}

async fn plain(s: &Setup, entries: Vec<Entry>, concurrent: bool) -> Duration {
    let rows: Vec<(String, Vec<u8>)> = entries
        .iter()
        .map(|e| (e.id().to_string(), serde_json::to_vec(e).expect("JSON")))
        .collect();
    let start = Instant::now();
    if concurrent {
        let mut tasks = Vec::new();
        for chunk in rows.chunks(ENTRIES.div_ceil(TASKS)) {
            let chunk = chunk.to_vec();
            let (store, user) = (s.store.clone(), s.user.clone());
            tasks.push(tokio::spawn(async move {
                for (id, json) in &chunk {
                    store
                        .insert_entry(&user, id, json, 0)
                        .await
                        .expect("inserted");
                }
            }));
        }
        for t in tasks {
            t.await.expect("joined");
        }
    } else {
        for (id, json) in &rows {
            s.store
                .insert_entry(&s.user, id, json, 0)
                .await
                .expect("inserted");
        }
    }
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn run(name: &str, url: &str) {
    let k = Knowledge::bundled().expect("the knowledge base");
    let s = setup(url).await;
    // On SQLite, the same database written through a second handle without the group
    // commit: each write its own transaction on its own connection, as before it.
    let direct = s.store.clone().with_group_commit(false);
    let rate = |d: Duration| ENTRIES as f64 / d.as_secs_f64();
    let mut logged_rates = Vec::new();
    for concurrent in [false, true] {
        let (mut logged_times, mut plain_times, mut direct_times) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut logged_failed, mut direct_failed) = (0, 0);
        for round in 0..ROUNDS {
            let tag = if concurrent { "c" } else { "s" };
            plain_times
                .push(plain(&s, entries(k, round, &format!("plain{tag}")), concurrent).await);
            let (time, failed) = logged(
                &s,
                &s.store,
                k,
                entries(k, round, &format!("log{tag}")),
                concurrent,
            )
            .await;
            logged_times.push(time);
            logged_failed += failed;
            if s.store.backend() == "sqlite" {
                let (time, failed) = logged(
                    &s,
                    &direct,
                    k,
                    entries(k, round, &format!("dir{tag}")),
                    concurrent,
                )
                .await;
                direct_times.push(time);
                direct_failed += failed;
            }
        }
        let (l, p) = (median(logged_times), median(plain_times));
        logged_rates.push(rate(l));
        let without = if direct_times.is_empty() {
            String::new()
        } else {
            let d = median(direct_times);
            format!(
                "   without group commit {:>8.0}/s   with/without {:.2}",
                rate(d),
                rate(l) / rate(d)
            )
        };
        let failures = if logged_failed + direct_failed > 0 {
            format!(
                "   refused: {logged_failed} logged, {direct_failed} without group commit \
                 (of {})",
                ENTRIES * ROUNDS
            )
        } else {
            String::new()
        };
        println!(
            "{name:<10} {:<22} plain {:>8.0}/s   logged {:>8.0}/s   logged/plain {:.2}{without}{failures}",
            if concurrent {
                format!("{TASKS} tasks at once")
            } else {
                "one after another".to_owned()
            },
            rate(p),
            rate(l),
            rate(l) / rate(p)
        );
    }
    println!(
        "{name:<10} logged, {TASKS} tasks at once / one after another: {:.2}",
        logged_rates[1] / logged_rates[0]
    );

    // Reading: ten years of entries opened from the database, then the insights on them, as
    // the insights page does on every visit.
    let reader = setup(url).await;
    let today: LocalDate = "2026-11-01".parse().expect("a date");
    let ten_years = demo_journal(k, today, 3650, 7);
    journal::import(
        &reader.store,
        k,
        &reader.user,
        &reader.key,
        &ten_years,
        true,
        1_800_000_000,
    )
    .await
    .expect("imported");
    let (mut loads, mut with_insights) = (Vec::new(), Vec::new());
    let person = spinewise_domain::journal::demo::demo_profile();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let j = journal::load(&reader.store, &reader.user, &reader.key)
            .await
            .expect("loaded");
        loads.push(start.elapsed());
        let found =
            spinewise_domain::journal::insights::insights(k, &j, &person, today).expect("insights");
        std::hint::black_box(found.claims().count());
        with_insights.push(start.elapsed());
    }
    println!(
        "{name:<10} ten years ({} entries): open {:.1} ms, open + insights {:.1} ms",
        ten_years.len(),
        median(loads).as_secs_f64() * 1e3,
        median(with_insights).as_secs_f64() * 1e3
    );
    reader.store.close().await;
    s.store.close().await;
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        println!("{ENTRIES} entries per round, {ROUNDS} rounds, medians");
        run("sqlite", &url).await;
        if let Ok(base) = std::env::var("SPINEWISE_BENCH_POSTGRES_URL") {
            let schema = format!("sw_bench_{}", uuid::Uuid::new_v4().simple());
            admin(&base, &format!("CREATE SCHEMA {schema}")).await;
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
            run("postgres", &url).await;
            admin(&base, &format!("DROP SCHEMA {schema} CASCADE")).await;
        }
    });
}

async fn admin(url: &str, sql: &str) {
    use sqlx::{AssertSqlSafe, Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(url).await.expect("PostgreSQL");
    conn.execute(AssertSqlSafe(sql.to_owned()))
        .await
        .expect("admin SQL");
    conn.close().await.expect("closed");
}
