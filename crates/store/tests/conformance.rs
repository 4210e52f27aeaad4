//! The storage conformance suite: one behaviour, two backends.
//!
//! Every test is written once, as an `async fn(Store, Db)`, and `conformance!` runs it on
//! SQLite (a fresh file in a temporary directory) and on PostgreSQL (a fresh schema in the
//! database named by `SPINEWISE_TEST_POSTGRES_URL`, made and dropped by the same
//! `tests/common/postgres.rs` as the server's tests; without that variable the build script
//! leaves `cfg(postgres_tests)` unset and the PostgreSQL variants are listed as ignored, so a
//! machine without PostgreSQL still runs the suite and says what it left out).
//! `Db` looks under the store with plain SQL, so that "deleted" is checked by counting rows,
//! not only by asking the store that did the deleting.

use std::future::Future;

use spinewise_domain::vocab::{PainType, Role};
use spinewise_store::{
    Acceptance, ApiToken, ClinicianShare, JournalQuota, JournalRow, JournalUsage, MAX_OCCASIONS,
    MemberColumn, NewApiToken, NewClinicianShare, NewInvitation, NewSession, NewUser, NewUserKeys,
    Occasion, PinThrottle, ProfileRecord, Resealed, Rotation, SealedProfile, Store, StoreError,
    UserId,
};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// One PostgreSQL schema per test, shared with the root crate's tests.
#[path = "../../../tests/common/postgres.rs"]
mod pg;

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/// The database under a test's store.
#[derive(Debug, Clone)]
struct Db {
    /// The URL the test's store was opened with.
    url: String,
    /// PostgreSQL only: the test's schema, and the URL without the `search_path` option.
    postgres: Option<PostgresSchema>,
}

#[derive(Debug, Clone)]
struct PostgresSchema {
    base_url: String,
    schema: String,
}

impl Db {
    /// A second store on the same database, as a second server instance would open it.
    async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("open a second store")
    }

    /// Runs a `SELECT COUNT(*) …` with string arguments over a connection of its own.
    async fn count(&self, sql: &'static str, args: &[&str]) -> i64 {
        // Written out per backend: a query's database type is fixed by its connection.
        match self.postgres {
            None => {
                let mut conn = SqliteConnection::connect(&self.url)
                    .await
                    .expect("connect to the SQLite file");
                let mut query = sqlx::query_scalar::<_, i64>(sql);
                for arg in args {
                    query = query.bind(*arg);
                }
                let n = query.fetch_one(&mut conn).await.expect("count rows");
                conn.close().await.expect("close");
                n
            }
            Some(_) => {
                let mut conn = PgConnection::connect(&self.url)
                    .await
                    .expect("connect to PostgreSQL");
                let mut query = sqlx::query_scalar::<_, i64>(sql);
                for arg in args {
                    query = query.bind(*arg);
                }
                let n = query.fetch_one(&mut conn).await.expect("count rows");
                conn.close().await.expect("close");
                n
            }
        }
    }

    /// How many rows of `table` belong to `user_id` (the column is `id` for `users`).
    async fn rows_of(&self, table: &str, user_id: &UserId) -> i64 {
        let sql = match table {
            "users" => "SELECT COUNT(*) FROM users WHERE id = $1",
            "sessions" => "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
            "api_tokens" => "SELECT COUNT(*) FROM api_tokens WHERE user_id = $1",
            "profiles" => "SELECT COUNT(*) FROM profiles WHERE user_id = $1",
            "sealed_profiles" => "SELECT COUNT(*) FROM sealed_profiles WHERE user_id = $1",
            "user_keys" => "SELECT COUNT(*) FROM user_keys WHERE user_id = $1",
            "journal_entries" => "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1",
            "journal_stats" => "SELECT COUNT(*) FROM journal_stats WHERE user_id = $1",
            "clinician_shares" => "SELECT COUNT(*) FROM clinician_shares WHERE user_id = $1",
            "clinician_share_openings" => {
                "SELECT COUNT(*) FROM clinician_share_openings o \
                 JOIN clinician_shares s ON s.id = o.share_id WHERE s.user_id = $1"
            }
            other => panic!("no such table in the schema: {other}"),
        };
        self.count(sql, &[user_id.as_str()]).await
    }

    /// Runs a statement with string arguments behind the store's back (to plant bad data).
    async fn execute(&self, sql: &'static str, args: &[&str]) {
        match self.postgres {
            None => {
                let mut conn = SqliteConnection::connect(&self.url)
                    .await
                    .expect("connect to the SQLite file");
                let mut query = sqlx::query(sql);
                for arg in args {
                    query = query.bind(*arg);
                }
                query.execute(&mut conn).await.expect("execute");
                conn.close().await.expect("close");
            }
            Some(_) => {
                let mut conn = PgConnection::connect(&self.url)
                    .await
                    .expect("connect to PostgreSQL");
                let mut query = sqlx::query(sql);
                for arg in args {
                    query = query.bind(*arg);
                }
                query.execute(&mut conn).await.expect("execute");
                conn.close().await.expect("close");
            }
        }
    }
}

/// Runs `test` on a store over a fresh SQLite file.
async fn run_on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Store, Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("spinewise.db").display());
    let store = Store::open(&url).await.expect("open the SQLite store");
    assert_eq!(store.backend(), "sqlite");
    let db = Db {
        url,
        postgres: None,
    };
    let outcome = tokio::spawn(test(store.clone(), db)).await;
    store.close().await;
    drop(dir);
    rethrow(outcome);
}

/// Runs `test` on a store over a fresh schema of the PostgreSQL database named by
/// `SPINEWISE_TEST_POSTGRES_URL`, then drops the schema, even if the test failed.
async fn run_on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store, Db) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Each test gets its own schema on the shared database, so tests run in parallel without
    // seeing each other's rows, and the store's migrations are proven to follow search_path.
    let schema = pg::Schema::create("sw").await;
    let url = schema.url().to_owned();
    let db = Db {
        url: url.clone(),
        postgres: Some(PostgresSchema {
            base_url: schema.base_url().to_owned(),
            schema: schema.name().to_owned(),
        }),
    };

    let outcome = tokio::spawn(async move {
        let store = Store::open(&url).await.expect("open the PostgreSQL store");
        assert_eq!(store.backend(), "postgres");
        let result = tokio::spawn(test(store.clone(), db)).await;
        store.close().await;
        rethrow(result);
    })
    .await;

    schema.drop().await;
    rethrow(outcome);
}

/// Lets a test's panic (caught by `tokio::spawn` so that clean-up runs) fail the test.
fn rethrow(outcome: Result<(), tokio::task::JoinError>) {
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the test task did not finish: {error}"),
        }
    }
}

/// Generates a `#[tokio::test]` per backend for each listed `async fn(Store, Db)`.
macro_rules! conformance {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    crate::run_on_sqlite(crate::$test).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                #[cfg_attr(
                    not(postgres_tests),
                    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
                )]
                async fn $test() {
                    crate::run_on_postgres(crate::$test).await;
                }
            )+
        }
    };
}

conformance! {
    migrations_create_every_table_where_the_store_points,
    backend_answers_pings_until_closed,
    users_are_found_without_regard_to_case,
    a_login_in_another_case_is_taken,
    a_login_with_the_skeleton_of_another_is_taken,
    concurrent_sign_ups_for_one_login_create_one_account,
    password_change_replaces_the_hash_and_its_date,
    deleting_a_user_deletes_everything_of_theirs_and_nothing_else,
    sessions_end_at_their_idle_expiry,
    sessions_end_at_their_absolute_expiry_however_often_touched,
    signing_out_ends_one_session_and_everywhere_ends_only_that_users,
    expired_sessions_are_swept_and_live_ones_kept,
    a_session_needs_an_existing_user_and_the_error_shows_no_values,
    sealed_profiles_round_trip_upsert_and_replace_the_clear_one,
    a_clear_profile_is_sealed_once_and_a_newer_sealed_one_is_kept,
    a_new_data_key_rewrites_rows_profile_keys_and_sessions_in_one_transaction,
    a_new_data_key_changes_nothing_when_anything_changed_under_it,
    unreadable_profile_values_are_reported_as_corrupt_by_column,
    api_tokens_are_found_by_hash_listed_newest_first_and_touched,
    only_the_owner_can_revoke_an_api_token,
    login_failures_are_counted_in_a_window_and_cleared_per_key,
    old_login_failures_are_swept,
    records_of_one_kind_outlast_a_sweep_of_the_others_and_are_found_by_their_rank,
    two_stores_on_one_database_see_each_others_writes,
    the_first_server_secret_written_is_the_one_every_instance_gets,
    data_survives_closing_and_reopening,
    a_database_from_a_newer_version_is_refused,
    keys_are_created_with_the_user_in_one_transaction,
    keys_can_be_added_to_an_older_account_and_replaced,
    a_password_change_replaces_the_hash_and_the_wrapped_key_together,
    a_failed_key_update_leaves_the_password_hash_as_it_was,
    sessions_and_api_tokens_carry_their_wrapped_keys,
    a_secret_shown_once_waits_in_its_session_until_cleared,
    the_demo_flag_round_trips,
    journal_entries_are_inserted_once_replaced_listed_and_deleted,
    journals_of_two_users_are_kept_apart,
    journal_entry_ids_have_1_to_64_characters,
    imports_are_all_or_nothing_and_replace_all_replaces,
    a_journal_takes_no_write_past_its_entries_or_bytes,
    an_import_past_the_quota_writes_nothing_and_a_replacing_one_counts_what_remains,
    concurrent_writes_cannot_take_a_journal_past_its_quota_together,
    the_journals_count_follows_every_kind_of_write,
    an_invitation_links_two_accounts_once_and_not_after_it_expires,
    two_acceptances_of_one_invitation_link_one_partner,
    a_share_is_swapped_only_from_what_was_read,
    ending_a_link_or_deleting_an_account_deletes_everything_sealed_under_it,
    a_new_data_key_rewraps_the_link_key_and_cancels_an_open_invitation,
    clinician_shares_are_found_by_hash_listed_with_openings_and_revoked_only_by_their_owner,
    wrong_pins_lock_a_share_and_enough_of_them_end_it,
    concurrent_pin_attempts_from_two_stores_cannot_pass_the_lock_together,
    expired_shares_lose_their_content_and_deleting_the_user_deletes_them,
}

// ---------------------------------------------------------------------------------------------
// Helpers for the tests
// ---------------------------------------------------------------------------------------------

async fn user(store: &Store, login: &str) -> UserId {
    store
        .create_user(&NewUser {
            login,
            login_skeleton: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            now: 1_000,
            demo: false,
        })
        .await
        .expect("create a user")
}

async fn session(store: &Store, id_hash: &str, user_id: &UserId, idle: i64, absolute: i64) {
    store
        .create_session(&NewSession {
            id_hash,
            user_id,
            csrf_token: "csrf-token-value",
            created_at: 1_000,
            idle_expires_at: idle,
            absolute_expires_at: absolute,
            wrapped_key: None,
            shown_once: None,
        })
        .await
        .expect("create a session");
}

async fn token(store: &Store, id: &str, user_id: &UserId, token_hash: &str, created_at: i64) {
    store
        .create_api_token(&NewApiToken {
            id,
            user_id,
            name: &format!("token {id}"),
            token_hash,
            created_at,
            wrapped_key: None,
        })
        .await
        .expect("create an API token");
}

/// Writes a clear profile for `user_id`, as profiles were saved before they were sealed: the
/// values of [`full_profile`], saved at 1 500.
async fn plant_clear_profile(db: &Db, user_id: &UserId) {
    db.execute(
        "INSERT INTO profiles (user_id, pain_type, role, conditions, partner_pain_type, \
         partner_conditions, updated_at) VALUES ($1, 'flexion', 'receptive', \
         '[\"disc-problem\",\"pregnancy\",\"hip-replacement\"]', 'extension', \
         '[\"recent-surgery\"]', 1500)",
        &[user_id.as_str()],
    )
    .await;
}

fn full_profile() -> ProfileRecord {
    ProfileRecord {
        pain_type: Some(PainType::Flexion),
        role: Some(Role::Receptive.into()),
        conditions: vec![
            "disc-problem".to_owned(),
            "pregnancy".to_owned(),
            "hip-replacement".to_owned(),
        ],
        partner_pain_type: Some(PainType::Extension),
        partner_conditions: vec!["recent-surgery".to_owned()],
        updated_at: 0,
    }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

async fn migrations_create_every_table_where_the_store_points(store: Store, db: Db) {
    const TABLES: [&str; 12] = [
        "users",
        "clinician_shares",
        "clinician_share_openings",
        "sessions",
        "profiles",
        "sealed_profiles",
        "api_tokens",
        "login_failures",
        "user_keys",
        "journal_entries",
        "journal_stats",
        "_sqlx_migrations",
    ];
    let alice = user(&store, "alice").await;
    match &db.postgres {
        None => {
            for table in TABLES {
                let sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1";
                assert_eq!(db.count(sql, &[table]).await, 1, "table {table}");
            }
            // The journal mode is a property of the file, so a fresh connection sees it.
            let mut conn = SqliteConnection::connect(&db.url)
                .await
                .expect("connect to the SQLite file");
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut conn)
                .await
                .expect("read the journal mode");
            assert_eq!(mode, "wal");
            conn.close().await.expect("close");
        }
        Some(pg) => {
            // Looked up by schema name over a connection without the search_path option: the
            // tables, the migration bookkeeping and the rows are all in the test's schema.
            let mut conn = PgConnection::connect(&pg.base_url)
                .await
                .expect("connect to PostgreSQL");
            for table in TABLES {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = $1 AND table_name = $2",
                )
                .bind(&pg.schema)
                .bind(table)
                .fetch_one(&mut conn)
                .await
                .expect("look up a table");
                assert_eq!(n, 1, "table {table} in schema {}", pg.schema);
            }
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {}.users WHERE id = $1",
                pg.schema
            )))
            .bind(alice.as_str())
            .fetch_one(&mut conn)
            .await
            .expect("count the schema's users");
            assert_eq!(n, 1);
            conn.close().await.expect("close");
        }
    }
}

async fn backend_answers_pings_until_closed(store: Store, db: Db) {
    let expected = if db.postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(store.backend(), expected);
    assert_eq!(
        format!("{store:?}"),
        format!("Store {{ backend: {expected:?}, .. }}")
    );
    store.ping().await.expect("ping");

    let other = db.open().await;
    other.ping().await.expect("ping the second store");
    other.close().await;
    let error = other.ping().await.expect_err("a closed store fails");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "database error: the store has been closed"
    );
    // Closing one store closes its clones, not other stores on the same database.
    store.ping().await.expect("the first store is still open");
}

async fn users_are_found_without_regard_to_case(store: Store, _db: Db) {
    let id = store
        .create_user(&NewUser {
            login: "Alice@Example.org",
            login_skeleton: None,
            password_hash: "hash-1",
            now: 1_234,
            demo: false,
        })
        .await
        .expect("create a user");

    for login in [
        "Alice@Example.org",
        "alice@example.org",
        "ALICE@EXAMPLE.ORG",
    ] {
        let found = store
            .user_by_login(login)
            .await
            .expect("look up by login")
            .unwrap_or_else(|| panic!("{login} finds the account"));
        assert_eq!(found.id, id);
        // The login is kept as it was typed.
        assert_eq!(found.login, "Alice@Example.org");
        assert_eq!(found.password_hash, "hash-1");
        assert_eq!(found.created_at, 1_234);
        assert_eq!(found.password_changed_at, 1_234);
    }
    let by_id = store
        .user_by_id(&id)
        .await
        .expect("look up by id")
        .expect("found");
    assert_eq!(by_id.login, "Alice@Example.org");
    assert!(
        !format!("{by_id:?}").contains("hash-1"),
        "Debug hides the hash"
    );

    assert_eq!(store.user_by_login("alice").await.expect("look up"), None);
    assert_eq!(
        store
            .user_by_login("bob@example.org")
            .await
            .expect("look up"),
        None
    );
    assert_eq!(
        store.user_by_id(&UserId::new()).await.expect("look up"),
        None
    );
}

async fn a_login_in_another_case_is_taken(store: Store, db: Db) {
    user(&store, "Bob").await;
    for login in ["Bob", "bob", "BOB"] {
        let error = store
            .create_user(&NewUser {
                login,
                login_skeleton: None,
                password_hash: "other",
                now: 2_000,
                demo: false,
            })
            .await
            .expect_err("the login is taken");
        assert!(matches!(error, StoreError::LoginTaken), "{error:?}");
        assert_eq!(error.to_string(), "this login is already taken");
    }
    // Case-insensitive beyond ASCII, identically on both backends.
    user(&store, "Élodie").await;
    let error = store
        .create_user(&NewUser {
            login: "éLODIE",
            login_skeleton: None,
            password_hash: "other",
            now: 2_000,
            demo: false,
        })
        .await
        .expect_err("the login is taken");
    assert!(matches!(error, StoreError::LoginTaken), "{error:?}");
    assert!(
        store
            .user_by_login("ÉLODIE")
            .await
            .expect("look up")
            .is_some()
    );

    assert_eq!(db.count("SELECT COUNT(*) FROM users", &[]).await, 2);
    // A different login is still free.
    user(&store, "Bobby").await;
}

async fn concurrent_sign_ups_for_one_login_create_one_account(store: Store, db: Db) {
    const LOGINS: [&str; 12] = [
        "Carol", "carol", "CAROL", "cArol", "caRol", "carOl", "caroL", "CArol", "caROL", "CaRoL",
        "cArOl", "carol",
    ];
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(LOGINS.len()));
    let mut tasks = Vec::new();
    for login in LOGINS {
        let store = store.clone();
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            store
                .create_user(&NewUser {
                    login,
                    login_skeleton: None,
                    password_hash: "hash",
                    now: 3_000,
                    demo: false,
                })
                .await
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        match task.await.expect("the sign-up task finishes") {
            Ok(id) => created.push(id),
            Err(StoreError::LoginTaken) => {}
            Err(other) => panic!("a racing sign-up failed with {other:?}, not LoginTaken"),
        }
    }
    assert_eq!(created.len(), 1, "exactly one sign-up wins");
    assert_eq!(db.count("SELECT COUNT(*) FROM users", &[]).await, 1);
    let found = store
        .user_by_login("CAROL")
        .await
        .expect("look up")
        .expect("the winner's account exists");
    assert_eq!(Some(&found.id), created.first());
}

async fn password_change_replaces_the_hash_and_its_date(store: Store, _db: Db) {
    let id = user(&store, "dave").await;
    let other = user(&store, "erin").await;
    assert!(
        store
            .set_password_hash(&id, "new-hash", 5_000)
            .await
            .expect("set the hash")
    );
    let dave = store
        .user_by_id(&id)
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(dave.password_hash, "new-hash");
    assert_eq!(dave.password_changed_at, 5_000);
    assert_eq!(dave.created_at, 1_000);
    let erin = store
        .user_by_id(&other)
        .await
        .expect("look up")
        .expect("found");
    assert_ne!(
        erin.password_hash, "new-hash",
        "only that user's hash changes"
    );
    assert_eq!(erin.password_changed_at, 1_000);

    assert!(
        !store
            .set_password_hash(&UserId::new(), "x", 5_000)
            .await
            .expect("set the hash of nobody")
    );
}

/// Every table with rows that belong to a user.
const USER_TABLES: [&str; 8] = [
    "users",
    "sessions",
    "api_tokens",
    "profiles",
    "sealed_profiles",
    "user_keys",
    "journal_entries",
    "journal_stats",
];

async fn deleting_a_user_deletes_everything_of_theirs_and_nothing_else(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    for (who, tag) in [(&alice, "a"), (&bob, "b")] {
        session(&store, &format!("{tag}-session-1"), who, 2_000, 9_000).await;
        session(&store, &format!("{tag}-session-2"), who, 2_000, 9_000).await;
        token(
            &store,
            &format!("{tag}-token-1"),
            who,
            &format!("{tag}-hash-1"),
            10,
        )
        .await;
        token(
            &store,
            &format!("{tag}-token-2"),
            who,
            &format!("{tag}-hash-2"),
            20,
        )
        .await;
        store
            .put_sealed_profile(who, b"sealed profile", 1_500)
            .await
            .expect("save a profile");
        plant_clear_profile(&db, who).await;
        store
            .record_login_failure(&format!("account:{tag}"), 1_000)
            .await
            .expect("record a failure");
        store
            .put_user_keys(who, b"pw-wrapped", b"rc-wrapped", 1_000)
            .await
            .expect("store keys");
        for entry in ["e1", "e2"] {
            store
                .put_entry(who, entry, b"sealed", 1_000)
                .await
                .expect("write an entry");
        }
    }
    for table in USER_TABLES {
        assert!(
            db.rows_of(table, &alice).await > 0,
            "alice has {table} rows"
        );
    }

    assert!(store.delete_user(&alice).await.expect("delete alice"));

    for table in USER_TABLES {
        assert_eq!(
            db.rows_of(table, &alice).await,
            0,
            "alice's {table} rows are gone"
        );
    }
    assert_eq!(db.rows_of("users", &bob).await, 1);
    assert_eq!(db.rows_of("sessions", &bob).await, 2);
    assert_eq!(db.rows_of("api_tokens", &bob).await, 2);
    assert_eq!(db.rows_of("profiles", &bob).await, 1);
    assert_eq!(db.rows_of("sealed_profiles", &bob).await, 1);
    assert_eq!(db.rows_of("user_keys", &bob).await, 1);
    assert_eq!(db.rows_of("journal_entries", &bob).await, 2);

    assert_eq!(store.user_by_id(&alice).await.expect("look up"), None);
    assert_eq!(store.user_keys(&alice).await.expect("look up"), None);
    assert_eq!(store.entries(&alice).await.expect("list"), []);
    assert_eq!(store.user_by_login("alice").await.expect("look up"), None);
    assert_eq!(
        store.session("a-session-1", 1_500).await.expect("look up"),
        None
    );
    assert_eq!(
        store.api_token_by_hash("a-hash-1").await.expect("look up"),
        None
    );
    assert_eq!(store.sealed_profile(&alice).await.expect("look up"), None);
    assert_eq!(store.clear_profile(&alice).await.expect("look up"), None);
    assert!(
        store
            .session("b-session-1", 1_500)
            .await
            .expect("look up")
            .is_some()
    );
    assert!(
        store
            .api_token_by_hash("b-hash-1")
            .await
            .expect("look up")
            .is_some()
    );
    assert!(store.sealed_profile(&bob).await.expect("look up").is_some());
    assert!(store.clear_profile(&bob).await.expect("look up").is_some());

    assert!(!store.delete_user(&alice).await.expect("delete again"));
    // The login is free again.
    let again = user(&store, "Alice").await;
    assert_ne!(again, alice);
}

async fn sessions_end_at_their_idle_expiry(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    session(&store, "idle", &alice, 1_030, 1_100).await;

    let live = store
        .session("idle", 1_029)
        .await
        .expect("look up")
        .expect("live before the idle expiry");
    assert_eq!(live.id_hash, "idle");
    assert_eq!(live.user_id, alice);
    assert_eq!(live.csrf_token, "csrf-token-value");
    assert_eq!(live.created_at, 1_000);
    assert_eq!(live.idle_expires_at, 1_030);
    assert_eq!(live.absolute_expires_at, 1_100);
    assert!(
        !format!("{live:?}").contains("csrf-token-value"),
        "Debug hides the CSRF token"
    );

    assert_eq!(store.session("idle", 1_030).await.expect("look up"), None);
    assert_eq!(store.session("idle", 1_050).await.expect("look up"), None);
    // Touching an idle-expired session does not bring it back.
    assert!(
        !store
            .touch_session("idle", 1_030, 1_090)
            .await
            .expect("touch")
    );
    assert_eq!(store.session("idle", 1_031).await.expect("look up"), None);
    // The row stays until swept; being expired is what hides it.
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions", &[]).await, 1);

    // Use before the idle expiry keeps it alive.
    session(&store, "used", &alice, 1_030, 1_100).await;
    assert!(
        store
            .touch_session("used", 1_020, 1_050)
            .await
            .expect("touch")
    );
    let touched = store
        .session("used", 1_040)
        .await
        .expect("look up")
        .expect("alive after the touch");
    assert_eq!(touched.idle_expires_at, 1_050);
    assert_eq!(store.session("used", 1_050).await.expect("look up"), None);

    assert!(
        !store
            .touch_session("unknown", 1_020, 1_050)
            .await
            .expect("touch")
    );
    assert_eq!(
        store.session("unknown", 1_020).await.expect("look up"),
        None
    );
}

async fn sessions_end_at_their_absolute_expiry_however_often_touched(store: Store, _db: Db) {
    let alice = user(&store, "alice").await;
    session(&store, "s", &alice, 1_030, 1_100).await;
    let mut now = 1_000;
    while now < 1_100 {
        assert!(
            store
                .touch_session("s", now, now + 30)
                .await
                .expect("touch"),
            "at {now}"
        );
        let live = store
            .session("s", now)
            .await
            .expect("look up")
            .expect("live");
        assert!(live.idle_expires_at <= live.absolute_expires_at, "at {now}");
        assert_eq!(
            live.absolute_expires_at, 1_100,
            "nothing moves the absolute expiry"
        );
        now += 20;
    }
    let last = store
        .session("s", 1_099)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(last.idle_expires_at, 1_100, "capped at the absolute expiry");
    assert_eq!(store.session("s", 1_100).await.expect("look up"), None);
    assert!(!store.touch_session("s", 1_100, 1_130).await.expect("touch"));
    assert_eq!(store.session("s", 1_100).await.expect("look up"), None);

    // An idle expiry past the absolute one is capped at creation too.
    session(&store, "long-idle", &alice, 5_000, 1_200).await;
    let capped = store
        .session("long-idle", 1_100)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(capped.idle_expires_at, 1_200);
    assert_eq!(
        store.session("long-idle", 1_200).await.expect("look up"),
        None
    );
}

async fn signing_out_ends_one_session_and_everywhere_ends_only_that_users(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    session(&store, "alice-phone", &alice, 2_000, 9_000).await;
    session(&store, "alice-laptop", &alice, 2_000, 9_000).await;
    session(&store, "alice-tablet", &alice, 2_000, 9_000).await;
    session(&store, "bob-phone", &bob, 2_000, 9_000).await;

    assert!(store.delete_session("alice-phone").await.expect("sign out"));
    assert!(
        !store
            .delete_session("alice-phone")
            .await
            .expect("sign out again")
    );
    assert_eq!(
        store.session("alice-phone", 1_500).await.expect("look up"),
        None
    );
    assert!(
        store
            .session("alice-laptop", 1_500)
            .await
            .expect("look up")
            .is_some()
    );

    assert_eq!(
        store
            .delete_sessions_of(&alice)
            .await
            .expect("sign out everywhere"),
        2
    );
    assert_eq!(db.rows_of("sessions", &alice).await, 0);
    assert_eq!(
        store.session("alice-laptop", 1_500).await.expect("look up"),
        None
    );
    assert_eq!(
        store.session("alice-tablet", 1_500).await.expect("look up"),
        None
    );
    assert!(
        store
            .session("bob-phone", 1_500)
            .await
            .expect("look up")
            .is_some()
    );
    assert_eq!(db.rows_of("sessions", &bob).await, 1);
    assert_eq!(store.delete_sessions_of(&alice).await.expect("again"), 0);
    // Signing out everywhere keeps the account.
    assert!(store.user_by_id(&alice).await.expect("look up").is_some());
}

async fn expired_sessions_are_swept_and_live_ones_kept(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    session(&store, "idle-expired", &alice, 1_100, 5_000).await;
    session(&store, "absolute-expired", &alice, 1_200, 1_200).await;
    session(&store, "live", &alice, 3_000, 5_000).await;
    session(&store, "expires-later", &alice, 2_500, 5_000).await;

    assert_eq!(
        store.delete_expired_sessions(2_000).await.expect("sweep"),
        2
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions", &[]).await, 2);
    assert!(
        store
            .session("live", 2_000)
            .await
            .expect("look up")
            .is_some()
    );
    assert!(
        store
            .session("expires-later", 2_000)
            .await
            .expect("look up")
            .is_some()
    );
    assert_eq!(
        store
            .delete_expired_sessions(2_000)
            .await
            .expect("sweep again"),
        0
    );
    // Expiry is exclusive of the stored second: at 2_500 that session is expired.
    assert_eq!(
        store.delete_expired_sessions(2_500).await.expect("sweep"),
        1
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM sessions WHERE id_hash = $1",
            &["live"]
        )
        .await,
        1
    );
}

async fn a_session_needs_an_existing_user_and_the_error_shows_no_values(store: Store, db: Db) {
    let nobody = UserId::new();
    let error = store
        .create_session(&NewSession {
            id_hash: "hash-of-a-secret-token",
            user_id: &nobody,
            csrf_token: "secret-csrf",
            created_at: 1_000,
            idle_expires_at: 2_000,
            absolute_expires_at: 3_000,
            wrapped_key: None,
            shown_once: None,
        })
        .await
        .expect_err("no such user");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    let text = error.to_string();
    for secret in ["hash-of-a-secret-token", "secret-csrf", nobody.as_str()] {
        assert!(!text.contains(secret), "{text:?} shows {secret}");
    }
    assert!(
        text.starts_with("database error: the database refused the statement (code "),
        "{text}"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions", &[]).await, 0);

    // A second session with the same hash is refused, too.
    let alice = user(&store, "alice").await;
    session(&store, "same", &alice, 2_000, 3_000).await;
    let duplicate = store
        .create_session(&NewSession {
            id_hash: "same",
            user_id: &alice,
            csrf_token: "other",
            created_at: 1_000,
            idle_expires_at: 2_000,
            absolute_expires_at: 3_000,
            wrapped_key: None,
            shown_once: None,
        })
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Database(_))),
        "{duplicate:?}"
    );
    let kept = store
        .session("same", 1_500)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(kept.csrf_token, "csrf-token-value");
}

async fn sealed_profiles_round_trip_upsert_and_replace_the_clear_one(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    assert_eq!(store.sealed_profile(&alice).await.expect("look up"), None);

    store
        .put_sealed_profile(&alice, b"first", 2_000)
        .await
        .expect("save");
    store
        .put_sealed_profile(&bob, b"bob's", 2_050)
        .await
        .expect("save");
    store
        .put_sealed_profile(&alice, b"second", 2_100)
        .await
        .expect("save again");
    assert_eq!(
        store.sealed_profile(&alice).await.expect("look up"),
        Some(SealedProfile {
            sealed: b"second".to_vec(),
            updated_at: 2_100,
        })
    );
    assert_eq!(db.rows_of("sealed_profiles", &alice).await, 1);
    assert_eq!(
        store
            .sealed_profile(&bob)
            .await
            .expect("look up")
            .map(|p| p.sealed),
        Some(b"bob's".to_vec()),
        "Alice's saves left Bob's profile alone"
    );

    // A save deletes the clear profile saved before profiles were sealed.
    plant_clear_profile(&db, &alice).await;
    assert_eq!(
        store.clear_profile(&alice).await.expect("look up"),
        Some(ProfileRecord {
            updated_at: 1_500,
            ..full_profile()
        })
    );
    store
        .put_sealed_profile(&alice, b"third", 2_200)
        .await
        .expect("save");
    assert_eq!(db.rows_of("profiles", &alice).await, 0);

    let nobody = UserId::new();
    let error = store
        .put_sealed_profile(&nobody, b"x", 3_000)
        .await
        .expect_err("no such user");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(store.sealed_profile(&nobody).await.expect("look up"), None);
}

async fn a_clear_profile_is_sealed_once_and_a_newer_sealed_one_is_kept(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    plant_clear_profile(&db, &alice).await;
    plant_clear_profile(&db, &bob).await;

    // Sealed: stored with the clear profile's date, and the clear row gone.
    assert!(
        store
            .seal_clear_profile(&alice, b"sealed clear", 1_500)
            .await
            .expect("sealed")
    );
    assert_eq!(
        store.sealed_profile(&alice).await.expect("look up"),
        Some(SealedProfile {
            sealed: b"sealed clear".to_vec(),
            updated_at: 1_500,
        })
    );
    assert_eq!(store.clear_profile(&alice).await.expect("look up"), None);
    assert_eq!(db.rows_of("profiles", &alice).await, 0);
    assert_eq!(db.rows_of("profiles", &bob).await, 1, "Bob's is his own");

    // A clear row beside a newer sealed profile only goes.
    plant_clear_profile(&db, &alice).await;
    assert!(
        !store
            .seal_clear_profile(&alice, b"stale", 1_500)
            .await
            .expect("sealed")
    );
    assert_eq!(
        store
            .sealed_profile(&alice)
            .await
            .expect("look up")
            .map(|p| p.sealed),
        Some(b"sealed clear".to_vec())
    );
    assert_eq!(db.rows_of("profiles", &alice).await, 0);
}

async fn unreadable_profile_values_are_reported_as_corrupt_by_column(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let id = alice.as_str();
    let cases: [(&'static str, &'static str); 5] = [
        (
            "UPDATE profiles SET pain_type = 'sideways' WHERE user_id = $1",
            "profiles.pain_type",
        ),
        (
            "UPDATE profiles SET role = 'sideways' WHERE user_id = $1",
            "profiles.role",
        ),
        (
            "UPDATE profiles SET conditions = 'sideways' WHERE user_id = $1",
            "profiles.conditions",
        ),
        (
            "UPDATE profiles SET partner_pain_type = 'sideways' WHERE user_id = $1",
            "profiles.partner_pain_type",
        ),
        (
            "UPDATE profiles SET partner_conditions = '{\"sideways\": 1}' WHERE user_id = $1",
            "profiles.partner_conditions",
        ),
    ];
    for (plant, column) in cases {
        db.execute("DELETE FROM profiles WHERE user_id = $1", &[id])
            .await;
        plant_clear_profile(&db, &alice).await;
        db.execute(plant, &[id]).await;
        let error = store.clear_profile(&alice).await.expect_err("corrupt");
        assert!(
            matches!(error, StoreError::Corrupt { what } if what == column),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(text.contains(column), "{text}");
        assert!(!text.contains("sideways"), "{text} shows the stored value");
    }
    // Saving a sealed profile deletes it.
    store
        .put_sealed_profile(&alice, b"sealed", 2_000)
        .await
        .expect("save");
    assert_eq!(store.clear_profile(&alice).await.expect("gone"), None);
}

async fn api_tokens_are_found_by_hash_listed_newest_first_and_touched(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    token(&store, "t-old", &alice, "hash-old", 100).await;
    token(&store, "t-new", &alice, "hash-new", 300).await;
    token(&store, "t-mid", &alice, "hash-mid", 200).await;
    token(&store, "t-bob", &bob, "hash-bob", 400).await;

    let listed = store.api_tokens(&alice).await.expect("list");
    let ids: Vec<&str> = listed.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t-new", "t-mid", "t-old"]);
    assert_eq!(
        listed.first(),
        Some(&ApiToken {
            id: "t-new".to_owned(),
            user_id: alice.clone(),
            name: "token t-new".to_owned(),
            created_at: 300,
            last_used_at: None,
        })
    );
    assert!(listed.iter().all(|t| t.user_id == alice));
    assert!(
        !format!("{listed:?}").contains("hash-"),
        "listings carry no hash"
    );
    assert_eq!(store.api_tokens(&UserId::new()).await.expect("list"), []);

    let found = store
        .api_token_by_hash("hash-mid")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.id, "t-mid");
    assert_eq!(found.user_id, alice);
    let bobs = store
        .api_token_by_hash("hash-bob")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(bobs.user_id, bob);
    assert_eq!(
        store.api_token_by_hash("t-mid").await.expect("look up"),
        None
    );
    assert_eq!(
        store
            .api_token_by_hash("hash-unknown")
            .await
            .expect("look up"),
        None
    );

    assert!(store.touch_api_token("t-mid", 555).await.expect("touch"));
    let used = store
        .api_token_by_hash("hash-mid")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(used.last_used_at, Some(555));
    let untouched = store
        .api_token_by_hash("hash-old")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(untouched.last_used_at, None);
    assert!(
        !store
            .touch_api_token("t-unknown", 555)
            .await
            .expect("touch")
    );

    // A hash is used by one token only.
    let duplicate = store
        .create_api_token(&NewApiToken {
            id: "t-dup",
            user_id: &bob,
            name: "dup",
            token_hash: "hash-old",
            created_at: 500,
            wrapped_key: None,
        })
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Database(_))),
        "{duplicate:?}"
    );
    assert_eq!(db.rows_of("api_tokens", &bob).await, 1);
}

async fn only_the_owner_can_revoke_an_api_token(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let mallory = user(&store, "mallory").await;
    token(&store, "t-alice", &alice, "hash-alice", 100).await;
    token(&store, "t-mallory", &mallory, "hash-mallory", 100).await;

    assert!(
        !store
            .revoke_api_token(&mallory, "t-alice")
            .await
            .expect("revoke another's token")
    );
    assert_eq!(db.rows_of("api_tokens", &alice).await, 1);
    assert!(
        store
            .api_token_by_hash("hash-alice")
            .await
            .expect("look up")
            .is_some()
    );

    assert!(
        store
            .revoke_api_token(&alice, "t-alice")
            .await
            .expect("revoke")
    );
    assert_eq!(db.rows_of("api_tokens", &alice).await, 0);
    assert_eq!(
        store
            .api_token_by_hash("hash-alice")
            .await
            .expect("look up"),
        None
    );
    assert_eq!(store.api_tokens(&alice).await.expect("list"), []);
    assert!(
        !store
            .revoke_api_token(&alice, "t-alice")
            .await
            .expect("again")
    );

    assert_eq!(db.rows_of("api_tokens", &mallory).await, 1);
    assert!(
        !store
            .revoke_api_token(&alice, "t-unknown")
            .await
            .expect("unknown")
    );
}

async fn login_failures_are_counted_in_a_window_and_cleared_per_key(store: Store, _db: Db) {
    let account = "account:alice";
    let address = "address:192.0.2.7";
    for at in [100, 110, 120] {
        store
            .record_login_failure(account, at)
            .await
            .expect("record");
    }
    // Two failures in one second are two failures.
    store
        .record_login_failure(address, 115)
        .await
        .expect("record");
    store
        .record_login_failure(address, 115)
        .await
        .expect("record");

    let since = |key: &'static str, since: i64| {
        let store = store.clone();
        async move { store.login_failures_since(key, since).await.expect("count") }
    };
    assert_eq!(since(account, 0).await, 3);
    assert_eq!(
        since(account, 100).await,
        3,
        "the window includes its start"
    );
    assert_eq!(since(account, 101).await, 2);
    assert_eq!(since(account, 120).await, 1);
    assert_eq!(since(account, 121).await, 0);
    assert_eq!(since(address, 0).await, 2);
    assert_eq!(since("account:bob", 0).await, 0);
    // Keys are compared exactly: the caller decides what to normalise.
    assert_eq!(since("account:ALICE", 0).await, 0);

    assert_eq!(store.clear_login_failures(account).await.expect("clear"), 3);
    assert_eq!(since(account, 0).await, 0);
    assert_eq!(
        since(address, 0).await,
        2,
        "clearing one key leaves the others"
    );
    assert_eq!(store.clear_login_failures(account).await.expect("clear"), 0);
}

async fn old_login_failures_are_swept(store: Store, db: Db) {
    for (key, at) in [("a", 100), ("a", 200), ("b", 150), ("b", 300), ("c", 199)] {
        store.record_login_failure(key, at).await.expect("record");
    }
    assert_eq!(
        store
            .delete_login_failures_before(200)
            .await
            .expect("sweep"),
        3
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM login_failures", &[]).await,
        2
    );
    assert_eq!(store.login_failures_since("a", 0).await.expect("count"), 1);
    assert_eq!(store.login_failures_since("b", 0).await.expect("count"), 1);
    assert_eq!(store.login_failures_since("c", 0).await.expect("count"), 0);
    assert_eq!(
        store
            .delete_login_failures_before(200)
            .await
            .expect("sweep"),
        0
    );
}

async fn records_of_one_kind_outlast_a_sweep_of_the_others_and_are_found_by_their_rank(
    store: Store,
    db: Db,
) {
    for (key, at) in [
        ("import:u1", 100),
        ("import:u1", 300),
        ("import:u1", 200),
        ("account:x", 100),
        ("importer:y", 100),
        ("address:z", 300),
    ] {
        store.record_login_failure(key, at).await.expect("record");
    }
    // Ranked oldest first within the window.
    let nth = |n| store.nth_login_failure_since("import:u1", 150, n);
    assert_eq!(nth(0).await.expect("rank"), Some(200));
    assert_eq!(nth(1).await.expect("rank"), Some(300));
    assert_eq!(nth(2).await.expect("rank"), None);
    // The short sweep leaves every import record; the kind is the whole prefix.
    assert_eq!(
        store
            .delete_login_failures_before_except("import", 250)
            .await
            .expect("sweep"),
        2
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM login_failures", &[]).await,
        4
    );
    assert_eq!(
        store
            .login_failures_since("import:u1", 0)
            .await
            .expect("count"),
        3
    );
    assert_eq!(
        store
            .login_failures_since("address:z", 0)
            .await
            .expect("count"),
        1
    );
}

async fn the_first_server_secret_written_is_the_one_every_instance_gets(first: Store, db: Db) {
    let second = db.open().await;
    let kept = first
        .server_secret("throttle", b"first candidate", 1)
        .await
        .expect("kept");
    assert_eq!(&*kept, b"first candidate");
    let seen = second
        .server_secret("throttle", b"second candidate", 2)
        .await
        .expect("read");
    assert_eq!(
        &*seen, b"first candidate",
        "the second instance gets the first's"
    );
    let again = first
        .server_secret("throttle", b"third candidate", 3)
        .await
        .expect("again");
    assert_eq!(&*again, b"first candidate");
    let other = second
        .server_secret("another", b"its own", 4)
        .await
        .expect("another name");
    assert_eq!(&*other, b"its own");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM server_secrets", &[]).await,
        2
    );
}

async fn two_stores_on_one_database_see_each_others_writes(first: Store, db: Db) {
    let second = db.open().await;

    let alice = user(&first, "Alice").await;
    let seen = second
        .user_by_login("alice")
        .await
        .expect("look up")
        .expect("the second instance sees the account");
    assert_eq!(seen.id, alice);
    let taken = second
        .create_user(&NewUser {
            login: "ALICE",
            login_skeleton: None,
            password_hash: "h",
            now: 1,
            demo: false,
        })
        .await;
    assert!(matches!(taken, Err(StoreError::LoginTaken)), "{taken:?}");

    // Sign in on one instance, use the session on the other.
    session(&first, "shared", &alice, 1_100, 9_000).await;
    assert!(
        second
            .touch_session("shared", 1_050, 1_500)
            .await
            .expect("touch")
    );
    let on_first = first
        .session("shared", 1_400)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(on_first.idle_expires_at, 1_500);
    assert!(second.delete_session("shared").await.expect("sign out"));
    assert_eq!(first.session("shared", 1_400).await.expect("look up"), None);

    second
        .put_sealed_profile(&alice, b"sealed profile", 2_000)
        .await
        .expect("save");
    assert!(
        first
            .sealed_profile(&alice)
            .await
            .expect("look up")
            .is_some()
    );

    // Throttling counts attempts on every instance together.
    first
        .record_login_failure("account:alice", 10)
        .await
        .expect("record");
    second
        .record_login_failure("account:alice", 11)
        .await
        .expect("record");
    assert_eq!(
        first
            .login_failures_since("account:alice", 0)
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        second
            .login_failures_since("account:alice", 0)
            .await
            .expect("count"),
        2
    );

    token(&second, "t", &alice, "hash-t", 5).await;
    assert!(first.revoke_api_token(&alice, "t").await.expect("revoke"));
    assert_eq!(
        second.api_token_by_hash("hash-t").await.expect("look up"),
        None
    );

    second.close().await;
}

async fn data_survives_closing_and_reopening(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    session(&store, "kept", &alice, 5_000, 9_000).await;
    store
        .put_sealed_profile(&alice, b"sealed profile", 2_000)
        .await
        .expect("save");
    token(&store, "t", &alice, "hash-t", 5).await;
    store
        .put_user_keys(&alice, b"pw", b"rc", 3_000)
        .await
        .expect("store keys");
    store
        .put_entry(&alice, "e1", SEALED_A, 3_000)
        .await
        .expect("write an entry");
    store.close().await;
    drop(store);

    // Reopening applies the migrations again, which must change nothing.
    let reopened = db.open().await;
    let found = reopened
        .user_by_login("ALICE")
        .await
        .expect("look up")
        .expect("the account is still there");
    assert_eq!(found.id, alice);
    assert!(
        reopened
            .session("kept", 1_500)
            .await
            .expect("look up")
            .is_some()
    );
    assert_eq!(
        reopened.sealed_profile(&alice).await.expect("look up"),
        Some(SealedProfile {
            sealed: b"sealed profile".to_vec(),
            updated_at: 2_000,
        })
    );
    assert!(
        reopened
            .api_token_by_hash("hash-t")
            .await
            .expect("look up")
            .is_some()
    );
    assert!(reopened.user_keys(&alice).await.expect("look up").is_some());
    assert_eq!(
        reopened.entries(&alice).await.expect("list"),
        [row("e1", SEALED_A, 3_000)]
    );
    reopened.close().await;
}

async fn a_database_from_a_newer_version_is_refused(store: Store, db: Db) {
    store.close().await;
    // As if a later spinewise had migrated this database: an older one must not run on it.
    let plant = if db.postgres.is_some() {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999999, 'from the future', TRUE, decode('00', 'hex'), 0)"
    } else {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999999, 'from the future', TRUE, X'00', 0)"
    };
    db.execute(plant, &[]).await;
    let error = Store::open(&db.url).await.expect_err("a newer schema");
    assert!(matches!(error, StoreError::Migrate(_)), "{error:?}");
    assert!(error.to_string().contains("migration 999999"), "{error}");
    assert!(error.to_string().contains("newer"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Keys, wrapped keys and the journal
// ---------------------------------------------------------------------------------------------

/// Bytes no text column would keep as they are: a NUL, invalid UTF-8, every high bit.
const SEALED_A: &[u8] = &[1, 0, 0xff, 0xfe, 0x80, 0x00, b'a'];
const SEALED_B: &[u8] = &[1, 0xc3, 0x28, 0, 0, 0, b'b'];

fn row(id: &str, sealed: &[u8], updated_at: i64) -> JournalRow {
    JournalRow {
        id: id.to_owned(),
        sealed: sealed.to_vec(),
        updated_at,
    }
}

fn new_user(login: &str) -> NewUser<'_> {
    NewUser {
        login,
        login_skeleton: None,
        password_hash: "hash",
        now: 1_000,
        demo: false,
    }
}

async fn keys_are_created_with_the_user_in_one_transaction(store: Store, db: Db) {
    let keys = NewUserKeys {
        password_wrapped: b"password-wrapped\x00\xff",
        recovery_wrapped: b"recovery-wrapped\x00\xff",
    };
    assert!(!format!("{keys:?}").contains("wrapped\\0"), "{keys:?}");
    let alice = store
        .create_user_with_keys(&new_user("Alice"), &keys)
        .await
        .expect("create a user with keys");
    let stored = store
        .user_keys(&alice)
        .await
        .expect("look up")
        .expect("the keys exist");
    assert_eq!(stored.password_wrapped, b"password-wrapped\x00\xff");
    assert_eq!(stored.recovery_wrapped, b"recovery-wrapped\x00\xff");
    assert_eq!(stored.created_at, 1_000);
    assert_eq!(stored.updated_at, 1_000);
    let shown = format!("{stored:?}");
    assert!(
        !shown.contains("112") && !shown.contains("wrapped\\0"),
        "Debug hides the wrapped keys: {shown}"
    );
    assert!(store.user_by_id(&alice).await.expect("look up").is_some());

    // A taken login writes neither the account nor any keys.
    let error = store
        .create_user_with_keys(
            &new_user("ALICE"),
            &NewUserKeys {
                password_wrapped: b"other",
                recovery_wrapped: b"other",
            },
        )
        .await
        .expect_err("the login is taken");
    assert!(matches!(error, StoreError::LoginTaken), "{error:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM users", &[]).await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM user_keys", &[]).await, 1);
    assert_eq!(db.rows_of("user_keys", &alice).await, 1);

    // An account made without keys has none.
    let bob = user(&store, "bob").await;
    assert_eq!(store.user_keys(&bob).await.expect("look up"), None);
    assert_eq!(
        store.user_keys(&UserId::new()).await.expect("look up"),
        None
    );
}

async fn keys_can_be_added_to_an_older_account_and_replaced(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    store
        .put_user_keys(&alice, b"pw-1", b"rc-1", 2_000)
        .await
        .expect("add keys");
    let first = store
        .user_keys(&alice)
        .await
        .expect("look up")
        .expect("keys");
    assert_eq!(
        (
            first.password_wrapped.as_slice(),
            first.recovery_wrapped.as_slice()
        ),
        (&b"pw-1"[..], &b"rc-1"[..])
    );
    assert_eq!((first.created_at, first.updated_at), (2_000, 2_000));

    store
        .put_user_keys(&alice, b"pw-2", b"rc-2", 3_000)
        .await
        .expect("replace keys");
    let second = store
        .user_keys(&alice)
        .await
        .expect("look up")
        .expect("keys");
    assert_eq!(
        (
            second.password_wrapped.as_slice(),
            second.recovery_wrapped.as_slice()
        ),
        (&b"pw-2"[..], &b"rc-2"[..])
    );
    assert_eq!(
        (second.created_at, second.updated_at),
        (2_000, 3_000),
        "replacing keeps the creation time"
    );
    assert_eq!(db.rows_of("user_keys", &alice).await, 1);

    let error = store
        .put_user_keys(&UserId::new(), b"pw", b"rc", 3_000)
        .await
        .expect_err("no such user");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM user_keys", &[]).await, 1);
}

async fn a_password_change_replaces_the_hash_and_the_wrapped_key_together(store: Store, db: Db) {
    let keys = |tag: &'static str| NewUserKeys {
        password_wrapped: if tag == "a" { b"pw-a" } else { b"pw-b" },
        recovery_wrapped: if tag == "a" { b"rc-a" } else { b"rc-b" },
    };
    let alice = store
        .create_user_with_keys(&new_user("alice"), &keys("a"))
        .await
        .expect("create");
    let bob = store
        .create_user_with_keys(&new_user("bob"), &keys("b"))
        .await
        .expect("create");

    assert!(
        store
            .change_password(&alice, "new-hash", b"pw-a-2", 5_000)
            .await
            .expect("change the password")
    );
    let changed = store
        .user_by_id(&alice)
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(changed.password_hash, "new-hash");
    assert_eq!(changed.password_changed_at, 5_000);
    let alice_keys = store
        .user_keys(&alice)
        .await
        .expect("look up")
        .expect("keys");
    assert_eq!(alice_keys.password_wrapped, b"pw-a-2");
    assert_eq!(
        alice_keys.recovery_wrapped, b"rc-a",
        "the recovery key stays"
    );
    assert_eq!(
        (alice_keys.created_at, alice_keys.updated_at),
        (1_000, 5_000)
    );

    // Bob's account and keys are untouched.
    let bob_user = store
        .user_by_id(&bob)
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(bob_user.password_hash, "hash");
    assert_eq!(bob_user.password_changed_at, 1_000);
    let bob_keys = store.user_keys(&bob).await.expect("look up").expect("keys");
    assert_eq!(bob_keys.password_wrapped, b"pw-b");
    assert_eq!(bob_keys.updated_at, 1_000);

    // Nobody: nothing found, nothing written.
    assert!(
        !store
            .change_password(&UserId::new(), "x", b"x", 5_000)
            .await
            .expect("change nobody's password")
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM user_keys", &[]).await, 2);

    // An account without keys gets its new hash and still has no keys.
    let carol = user(&store, "carol").await;
    assert!(
        store
            .change_password(&carol, "carol-hash", b"pw-c", 6_000)
            .await
            .expect("change the password")
    );
    let carol_user = store
        .user_by_id(&carol)
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(carol_user.password_hash, "carol-hash");
    assert_eq!(store.user_keys(&carol).await.expect("look up"), None);
}

async fn a_failed_key_update_leaves_the_password_hash_as_it_was(store: Store, db: Db) {
    let alice = store
        .create_user_with_keys(
            &new_user("alice"),
            &NewUserKeys {
                password_wrapped: b"pw",
                recovery_wrapped: b"rc",
            },
        )
        .await
        .expect("create");
    // Make the second statement of the transaction fail, as a full disk or a lost connection
    // might.
    if db.postgres.is_some() {
        db.execute(
            "CREATE FUNCTION refuse_key_updates() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            &[],
        )
        .await;
        db.execute(
            "CREATE TRIGGER refuse_key_updates BEFORE UPDATE ON user_keys \
             FOR EACH ROW EXECUTE FUNCTION refuse_key_updates()",
            &[],
        )
        .await;
    } else {
        db.execute(
            "CREATE TRIGGER refuse_key_updates BEFORE UPDATE ON user_keys \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
            &[],
        )
        .await;
    }
    let error = store
        .change_password(&alice, "new-hash", b"pw-2", 5_000)
        .await
        .expect_err("the key update fails");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    let unchanged = store
        .user_by_id(&alice)
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(
        unchanged.password_hash, "hash",
        "the hash change was rolled back"
    );
    assert_eq!(unchanged.password_changed_at, 1_000);
    let keys = store
        .user_keys(&alice)
        .await
        .expect("look up")
        .expect("keys");
    assert_eq!(keys.password_wrapped, b"pw");
}

async fn a_secret_shown_once_waits_in_its_session_until_cleared(store: Store, _db: Db) {
    let alice = user(&store, "alice").await;
    store
        .create_session(&NewSession {
            id_hash: "signed-up",
            user_id: &alice,
            csrf_token: "csrf",
            created_at: 1_000,
            idle_expires_at: 2_000,
            absolute_expires_at: 3_000,
            wrapped_key: Some(SEALED_A),
            shown_once: Some(SEALED_B),
        })
        .await
        .expect("create a session with a secret to show");
    session(&store, "other", &alice, 2_000, 3_000).await;
    let live = |hash: &'static str| {
        let store = store.clone();
        async move {
            store
                .session(hash, 1_500)
                .await
                .expect("look up")
                .expect("live")
        }
    };
    let signed_up = live("signed-up").await;
    assert_eq!(signed_up.shown_once.as_deref(), Some(SEALED_B));
    assert!(format!("{signed_up:?}").contains("shown_once: Some(\"<redacted>\")"));
    assert_eq!(live("other").await.shown_once, None);

    // Set on one session, it stays out of the other; cleared, it is gone.
    assert!(
        store
            .set_shown_once("other", 1_500, Some(SEALED_A))
            .await
            .expect("set")
    );
    assert_eq!(live("other").await.shown_once.as_deref(), Some(SEALED_A));
    assert_eq!(
        live("signed-up").await.shown_once.as_deref(),
        Some(SEALED_B)
    );
    assert!(
        store
            .set_shown_once("signed-up", 1_500, None)
            .await
            .expect("clear")
    );
    assert_eq!(live("signed-up").await.shown_once, None);
    assert_eq!(
        live("signed-up").await.wrapped_key.as_deref(),
        Some(SEALED_A)
    );

    // An expired or unknown session takes nothing.
    assert!(
        !store
            .set_shown_once("other", 2_500, Some(SEALED_B))
            .await
            .expect("expired")
    );
    assert!(
        !store
            .set_shown_once("nobody", 1_500, Some(SEALED_B))
            .await
            .expect("unknown")
    );
}

async fn a_login_with_the_skeleton_of_another_is_taken(store: Store, db: Db) {
    let with = |login: &'static str, skeleton: Option<&'static str>| NewUser {
        login_skeleton: skeleton,
        ..new_user(login)
    };
    store
        .create_user(&with("first", Some("shape")))
        .await
        .expect("the first");
    let taken = store.create_user(&with("second", Some("shape"))).await;
    assert!(matches!(taken, Err(StoreError::LoginTaken)), "{taken:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM users", &[]).await, 1);

    // Accounts without a skeleton never collide, and are listed to be given one.
    let old_a = store.create_user(&with("old-a", None)).await.expect("a");
    let old_b = store.create_user(&with("old-b", None)).await.expect("b");
    let waiting = store.users_without_skeleton().await.expect("listed");
    let mut expected = vec![
        (old_a.clone(), "old-a".to_owned()),
        (old_b.clone(), "old-b".to_owned()),
    ];
    expected.sort_by(|x, y| x.0.as_str().cmp(y.0.as_str()));
    assert_eq!(waiting, expected);
    store
        .set_login_skeleton(&old_a, "old shape")
        .await
        .expect("set");
    let clash = store.set_login_skeleton(&old_b, "shape").await;
    assert!(matches!(clash, Err(StoreError::LoginTaken)), "{clash:?}");
    assert_eq!(
        store.users_without_skeleton().await.expect("listed"),
        vec![(old_b, "old-b".to_owned())]
    );
}

async fn sessions_and_api_tokens_carry_their_wrapped_keys(store: Store, _db: Db) {
    let alice = user(&store, "alice").await;
    store
        .create_session(&NewSession {
            id_hash: "with-key",
            user_id: &alice,
            csrf_token: "csrf",
            created_at: 1_000,
            idle_expires_at: 2_000,
            absolute_expires_at: 3_000,
            shown_once: None,
            wrapped_key: Some(SEALED_A),
        })
        .await
        .expect("create a session with a key");
    session(&store, "without-key", &alice, 2_000, 3_000).await;

    let with = store
        .session("with-key", 1_500)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(with.wrapped_key.as_deref(), Some(SEALED_A));
    let shown = format!("{with:?}");
    assert!(
        shown.contains("wrapped_key: Some(\"<redacted>\")"),
        "{shown}"
    );
    // Not the bytes, however written (the ids are random, so no single number will do).
    assert!(!shown.contains(&format!("{SEALED_A:?}")[1..12]), "{shown}");
    let without = store
        .session("without-key", 1_500)
        .await
        .expect("look up")
        .expect("live");
    assert_eq!(without.wrapped_key, None);

    store
        .create_api_token(&NewApiToken {
            id: "t-key",
            user_id: &alice,
            name: "with a key",
            token_hash: "hash-key",
            created_at: 100,
            wrapped_key: Some(SEALED_B),
        })
        .await
        .expect("create a token with a key");
    token(&store, "t-plain", &alice, "hash-plain", 200).await;

    let found = store
        .api_token_by_hash("hash-key")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.id, "t-key");
    assert_eq!(found.user_id, alice);
    assert_eq!(found.wrapped_key.as_deref(), Some(SEALED_B));
    let shown = format!("{found:?}");
    assert!(
        shown.contains("<redacted>") && !shown.contains(&format!("{SEALED_B:?}")[1..12]),
        "{shown}"
    );
    assert_eq!(
        found.clone().into_token(),
        ApiToken {
            id: "t-key".to_owned(),
            user_id: alice.clone(),
            name: "with a key".to_owned(),
            created_at: 100,
            last_used_at: None,
        }
    );
    let plain = store
        .api_token_by_hash("hash-plain")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(plain.wrapped_key, None);
    // Listings carry no wrapped key: ApiToken has no such field, and both are listed.
    let listed = store.api_tokens(&alice).await.expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed.last(), Some(&found.into_token()));
}

async fn the_demo_flag_round_trips(store: Store, db: Db) {
    let demo = store
        .create_user(&NewUser {
            login: "demo-1",
            login_skeleton: None,
            password_hash: "hash",
            now: 1_000,
            demo: true,
        })
        .await
        .expect("create a demo user");
    let person = user(&store, "person").await;
    let with_keys = store
        .create_user_with_keys(
            &NewUser {
                login: "demo-2",
                login_skeleton: None,
                password_hash: "hash",
                now: 1_000,
                demo: true,
            },
            &NewUserKeys {
                password_wrapped: b"pw",
                recovery_wrapped: b"rc",
            },
        )
        .await
        .expect("create a demo user with keys");

    for (id, expected) in [(&demo, true), (&person, false), (&with_keys, true)] {
        let found = store.user_by_id(id).await.expect("look up").expect("found");
        assert_eq!(found.demo, expected, "{}", found.login);
        let by_login = store
            .user_by_login(&found.login)
            .await
            .expect("look up")
            .expect("found");
        assert_eq!(by_login.demo, expected);
    }
    // Stored as the backend's own true and false, which plain SQL can filter on.
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users WHERE demo", &[]).await,
        2
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users WHERE NOT demo", &[])
            .await,
        1
    );
    // A row written before the column existed (as by an older version) reads as not demo.
    db.execute(
        "INSERT INTO users (id, login, login_key, password_hash, created_at, \
         password_changed_at) VALUES ($1, 'old', 'old', 'h', 1, 1)",
        &["00000000-0000-4000-8000-000000000000"],
    )
    .await;
    let old = store
        .user_by_login("old")
        .await
        .expect("look up")
        .expect("found");
    assert!(!old.demo);
}

async fn journal_entries_are_inserted_once_replaced_listed_and_deleted(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    assert_eq!(store.entries(&alice).await.expect("list"), []);
    assert_eq!(store.entry(&alice, "e1").await.expect("look up"), None);

    assert!(
        store
            .insert_entry(&alice, "e1", SEALED_A, 2_000)
            .await
            .expect("insert")
    );
    // A retried create with the same id changes nothing.
    assert!(
        !store
            .insert_entry(&alice, "e1", SEALED_B, 2_100)
            .await
            .expect("insert again")
    );
    assert_eq!(
        store.entry(&alice, "e1").await.expect("look up"),
        Some(row("e1", SEALED_A, 2_000))
    );
    assert_eq!(db.rows_of("journal_entries", &alice).await, 1);

    // put_entry replaces, and creates.
    store
        .put_entry(&alice, "e1", SEALED_B, 2_200)
        .await
        .expect("replace");
    assert_eq!(
        store.entry(&alice, "e1").await.expect("look up"),
        Some(row("e1", SEALED_B, 2_200))
    );
    store
        .put_entry(&alice, "e2", SEALED_A, 2_300)
        .await
        .expect("create");
    assert_eq!(db.rows_of("journal_entries", &alice).await, 2);
    let shown = format!("{:?}", row("e1", SEALED_A, 1));
    assert!(
        shown.contains("<7 bytes>") && !shown.contains("255"),
        "{shown}"
    );

    // Listed by id, byte by byte: digits, then capitals, then lower case, on both backends.
    for id in ["b", "B", "a", "Z1", "z", "10", "9"] {
        assert!(
            store
                .insert_entry(&alice, id, id.as_bytes(), 3_000)
                .await
                .expect("insert")
        );
    }
    let ids: Vec<String> = store
        .entries(&alice)
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["10", "9", "B", "Z1", "a", "b", "e1", "e2", "z"]);
    let listed = store.entries(&alice).await.expect("list");
    assert_eq!(listed.get(6), Some(&row("e1", SEALED_B, 2_200)));

    assert!(store.delete_entry(&alice, "e1").await.expect("delete"));
    assert!(
        !store
            .delete_entry(&alice, "e1")
            .await
            .expect("delete again")
    );
    assert_eq!(store.entry(&alice, "e1").await.expect("look up"), None);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1 AND id = $2",
            &[alice.as_str(), "e1"]
        )
        .await,
        0
    );
    assert_eq!(db.rows_of("journal_entries", &alice).await, 8);

    assert_eq!(store.delete_journal(&alice).await.expect("delete all"), 8);
    assert_eq!(db.rows_of("journal_entries", &alice).await, 0);
    assert_eq!(store.delete_journal(&alice).await.expect("again"), 0);
    // Deleting the journal keeps the account.
    assert!(store.user_by_id(&alice).await.expect("look up").is_some());
}

async fn journals_of_two_users_are_kept_apart(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    // The same client id, chosen by two users, is two entries.
    assert!(
        store
            .insert_entry(&alice, "same-id", SEALED_A, 1_000)
            .await
            .expect("insert")
    );
    assert!(
        store
            .insert_entry(&bob, "same-id", SEALED_B, 1_100)
            .await
            .expect("insert")
    );
    store
        .put_entry(&alice, "alice-only", SEALED_A, 1_200)
        .await
        .expect("put");

    assert_eq!(
        store.entry(&alice, "same-id").await.expect("look up"),
        Some(row("same-id", SEALED_A, 1_000))
    );
    assert_eq!(
        store.entry(&bob, "same-id").await.expect("look up"),
        Some(row("same-id", SEALED_B, 1_100))
    );
    assert_eq!(
        store.entry(&bob, "alice-only").await.expect("look up"),
        None
    );
    assert_eq!(
        store.entries(&bob).await.expect("list"),
        [row("same-id", SEALED_B, 1_100)]
    );

    // Bob can neither overwrite nor delete Alice's entries.
    store
        .put_entry(&bob, "alice-only", SEALED_B, 1_300)
        .await
        .expect("bob writes his own entry");
    assert_eq!(
        store.entry(&alice, "alice-only").await.expect("look up"),
        Some(row("alice-only", SEALED_A, 1_200))
    );
    assert!(
        store
            .delete_entry(&bob, "alice-only")
            .await
            .expect("delete")
    );
    assert!(
        store
            .entry(&alice, "alice-only")
            .await
            .expect("look up")
            .is_some()
    );
    assert_eq!(store.delete_journal(&bob).await.expect("delete all"), 1);
    assert_eq!(db.rows_of("journal_entries", &alice).await, 2);
    assert_eq!(db.rows_of("journal_entries", &bob).await, 0);

    // An entry needs an existing user.
    let nobody = UserId::new();
    let error = store
        .insert_entry(&nobody, "e", SEALED_A, 1_000)
        .await
        .expect_err("no such user");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(store.entries(&nobody).await.expect("list"), []);
}

async fn journal_entry_ids_have_1_to_64_characters(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let longest = "x".repeat(64);
    // Characters, not bytes: 64 two-byte characters are fine on both backends.
    let accented = "é".repeat(64);
    for id in [longest.as_str(), accented.as_str(), "1"] {
        assert!(
            store
                .insert_entry(&alice, id, SEALED_A, 1_000)
                .await
                .expect("a valid id")
        );
    }
    let too_long = "secret-looking-id-".repeat(4);
    assert!(too_long.chars().count() > 64);
    for id in ["", too_long.as_str()] {
        let error = store
            .insert_entry(&alice, id, SEALED_A, 1_000)
            .await
            .expect_err("an invalid id");
        assert!(matches!(error, StoreError::Database(_)), "{error:?}");
        let text = error.to_string();
        assert!(!text.contains("secret-looking"), "{text}");
        let error = store
            .put_entry(&alice, id, SEALED_A, 1_000)
            .await
            .expect_err("an invalid id");
        assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    }
    assert_eq!(db.rows_of("journal_entries", &alice).await, 3);
}

async fn imports_are_all_or_nothing_and_replace_all_replaces(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    store
        .put_entry(&alice, "keep", SEALED_A, 1_000)
        .await
        .expect("put");
    store
        .put_entry(&alice, "e1", SEALED_A, 1_000)
        .await
        .expect("put");
    store
        .put_entry(&bob, "e1", SEALED_A, 1_000)
        .await
        .expect("put");
    let before = store.entries(&alice).await.expect("list");

    // Merging: a bad row in the middle, after a replacement and a new entry, writes nothing.
    let too_long = "y".repeat(65);
    let failing: Vec<(&str, &[u8])> = vec![
        ("e1", SEALED_B),
        ("new", SEALED_B),
        (too_long.as_str(), SEALED_B),
        ("after", SEALED_B),
    ];
    let error = store
        .import_entries(&alice, &failing, false, 2_000)
        .await
        .expect_err("one row is invalid");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(store.entries(&alice).await.expect("list"), before);

    // Replacing: the deletion is rolled back too.
    let error = store
        .import_entries(&alice, &failing, true, 2_000)
        .await
        .expect_err("one row is invalid");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(store.entries(&alice).await.expect("list"), before);
    assert_eq!(db.rows_of("journal_entries", &alice).await, 2);

    // Merging for real: e1 replaced, new added, keep kept; a later duplicate wins.
    let merge: Vec<(String, Vec<u8>)> = vec![
        ("e1".to_owned(), SEALED_A.to_vec()),
        ("new".to_owned(), SEALED_B.to_vec()),
        ("e1".to_owned(), SEALED_B.to_vec()),
    ];
    assert_eq!(
        store
            .import_entries(&alice, &merge, false, 3_000)
            .await
            .expect("merge"),
        3
    );
    assert_eq!(
        store.entries(&alice).await.expect("list"),
        [
            row("e1", SEALED_B, 3_000),
            row("keep", SEALED_A, 1_000),
            row("new", SEALED_B, 3_000),
        ]
    );

    // Replacing for real: afterwards the journal is exactly the batch.
    let replacement: [(&str, &[u8]); 2] = [("r1", SEALED_A), ("r2", SEALED_B)];
    assert_eq!(
        store
            .import_entries(&alice, &replacement, true, 4_000)
            .await
            .expect("replace"),
        2
    );
    assert_eq!(
        store.entries(&alice).await.expect("list"),
        [row("r1", SEALED_A, 4_000), row("r2", SEALED_B, 4_000)]
    );
    // Replacing with nothing empties the journal.
    let nothing: [(&str, &[u8]); 0] = [];
    assert_eq!(
        store
            .import_entries(&alice, &nothing, true, 5_000)
            .await
            .expect("replace with nothing"),
        0
    );
    assert_eq!(db.rows_of("journal_entries", &alice).await, 0);

    // Bob's journal was never touched.
    assert_eq!(
        store.entries(&bob).await.expect("list"),
        [row("e1", SEALED_A, 1_000)]
    );
    // An import for nobody fails and writes nothing.
    let error = store
        .import_entries(&UserId::new(), &replacement, false, 6_000)
        .await
        .expect_err("no such user");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM journal_entries", &[]).await,
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Opening, outside the two-backend matrix
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unsupported_url_is_refused_naming_its_scheme_and_not_its_secrets() {
    let error = Store::open("mysql://root:hunter2@db.example/spinewise")
        .await
        .expect_err("MySQL is not supported");
    assert!(
        matches!(&error, StoreError::UnsupportedUrl { scheme } if scheme == "mysql"),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("'mysql'"), "{text}");
    for allowed in ["sqlite:", "postgres:", "postgresql:"] {
        assert!(text.contains(allowed), "{text}");
    }
    assert!(!text.contains("hunter2"), "{text}");

    let error = Store::open("/var/lib/spinewise/spinewise.db")
        .await
        .expect_err("a path is not a URL");
    assert!(
        matches!(&error, StoreError::UnsupportedUrl { scheme } if scheme.is_empty()),
        "{error:?}"
    );
    assert!(error.to_string().contains("without a scheme"), "{error}");
}

#[tokio::test]
async fn a_failed_postgres_connection_does_not_show_the_password() {
    // A server that hangs up at once. (Nothing listening at all would do too, but sqlx retries
    // a refused connection for its whole acquire timeout, taking the server for starting up.)
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen on a free port");
    let port = listener.local_addr().expect("the port").port();
    let hang_up = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let error = Store::open(&format!(
        "postgres://spinewise:hunter2@127.0.0.1:{port}/spinewise"
    ))
    .await
    .expect_err("the server hangs up");
    hang_up.abort();
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
}

#[tokio::test]
async fn opening_a_missing_sqlite_file_creates_it() {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join("new.db");
    assert!(!path.exists());
    let store = Store::open(&format!("sqlite:{}", path.display()))
        .await
        .expect("open a new file");
    assert!(path.exists(), "the file is created");
    user(&store, "alice").await;
    store.close().await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_file_is_private_and_deleted_rows_are_overwritten() {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join("private.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    user(&store, "someone").await;
    for file in ["private.db", "private.db-wal", "private.db-shm"] {
        let mode = std::fs::metadata(dir.path().join(file))
            .expect("the file exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}: {mode:o}");
    }
    // A deleted account leaves no trace of its login in the file: the freed space is
    // overwritten (secure_delete), not just marked free.
    let marker = store
        .create_user(&NewUser {
            login: "deleted-login-marker",
            login_skeleton: Some("deleted-skeleton-marker"),
            password_hash: "deleted-hash-marker",
            now: 1_000,
            demo: false,
        })
        .await
        .expect("created");
    store.delete_user(&marker).await.expect("deleted");
    store.close().await;
    let bytes = std::fs::read(&path).expect("the file");
    let text = String::from_utf8_lossy(&bytes);
    for gone in [
        "deleted-login-marker",
        "deleted-skeleton-marker",
        "deleted-hash-marker",
    ] {
        assert!(!text.contains(gone), "{gone} is still in the file");
    }
}

#[tokio::test]
async fn a_sqlite_file_in_a_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join("missing").join("spinewise.db");
    let error = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .expect_err("the directory is the caller's to create");
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");
}

#[tokio::test]
async fn an_in_memory_sqlite_store_works() {
    let store = Store::open("sqlite::memory:")
        .await
        .expect("open in memory");
    assert_eq!(store.backend(), "sqlite");
    let alice = user(&store, "alice").await;
    assert!(store.user_by_id(&alice).await.expect("look up").is_some());
    store.close().await;
}

// ---------------------------------------------------------------------------------------------
// The journal's quota
// ---------------------------------------------------------------------------------------------

/// A quota small enough to reach in a test: three entries, or 20 bytes (SEALED_A and SEALED_B
/// are 7 bytes each).
const SMALL: JournalQuota = JournalQuota {
    entries: 3,
    bytes: 20,
};

fn usage(entries: u64, bytes: u64) -> JournalUsage {
    JournalUsage { entries, bytes }
}

/// The error of a write refused for the quota, or a panic naming what came back instead.
fn journal_full(result: Result<impl std::fmt::Debug, StoreError>) -> (JournalUsage, JournalUsage) {
    match result {
        Err(StoreError::JournalFull {
            usage,
            would_be,
            quota,
        }) => {
            assert_eq!(quota, SMALL);
            (usage, would_be)
        }
        other => panic!("expected the journal to be full, got {other:?}"),
    }
}

async fn a_journal_takes_no_write_past_its_entries_or_bytes(store: Store, db: Db) {
    assert_eq!(store.journal_quota(), JournalQuota::STANDARD);
    let store = store.with_journal_quota(SMALL);
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    assert_eq!(
        store.journal_usage(&alice).await.expect("usage"),
        usage(0, 0)
    );
    for id in ["e1", "e2"] {
        assert!(
            store
                .insert_entry(&alice, id, SEALED_A, 1_000)
                .await
                .expect("insert")
        );
    }
    assert_eq!(
        store.journal_usage(&alice).await.expect("usage"),
        usage(2, 14)
    );

    // A third entry of 7 bytes would make 21 bytes: refused, and nothing written.
    let (now, would_be) = journal_full(store.insert_entry(&alice, "e3", SEALED_A, 1_000).await);
    assert_eq!((now, would_be), (usage(2, 14), usage(3, 21)));
    assert_eq!(db.rows_of("journal_entries", &alice).await, 2);
    // A smaller one fits, and then the count is full.
    assert!(
        store
            .insert_entry(&alice, "e3", b"1", 1_000)
            .await
            .expect("fits")
    );
    let (_, would_be) = journal_full(store.put_entry(&alice, "e4", b"2", 1_000).await);
    assert_eq!(would_be, usage(4, 16));
    assert_eq!(db.rows_of("journal_entries", &alice).await, 3);

    // Replacing an entry with one as large, or smaller, is a write like any other; one that
    // grows past the bytes is refused and leaves the old entry.
    store
        .put_entry(&alice, "e1", SEALED_B, 1_100)
        .await
        .expect("as large");
    store
        .put_entry(&alice, "e2", b"22", 1_100)
        .await
        .expect("smaller");
    let (_, would_be) = journal_full(store.put_entry(&alice, "e3", &[9; 12], 1_200).await);
    assert_eq!(would_be, usage(3, 7 + 2 + 12));
    assert_eq!(
        store
            .entry(&alice, "e3")
            .await
            .expect("read")
            .map(|r| r.sealed),
        Some(b"1".to_vec())
    );
    // A retried create of an entry that is there writes nothing and is not refused.
    assert!(
        !store
            .insert_entry(&alice, "e1", SEALED_A, 1_300)
            .await
            .expect("retry")
    );

    // Deleting makes room; another user's journal is counted apart.
    assert!(store.delete_entry(&alice, "e1").await.expect("delete"));
    assert!(
        store
            .insert_entry(&alice, "e5", SEALED_A, 1_400)
            .await
            .expect("room again")
    );
    for id in ["b1", "b2"] {
        assert!(
            store
                .insert_entry(&bob, id, SEALED_A, 1_000)
                .await
                .expect("bob's")
        );
    }
    assert_eq!(
        store.journal_usage(&bob).await.expect("usage"),
        usage(2, 14)
    );

    // A journal over a bound lowered since may shrink, not grow.
    let tighter = store.clone().with_journal_quota(JournalQuota {
        entries: 1,
        bytes: 100,
    });
    store
        .put_entry(&alice, "e2", b"2", 1_500)
        .await
        .expect("shrinks");
    assert!(matches!(
        tighter.insert_entry(&alice, "e6", b"6", 1_500).await,
        Err(StoreError::JournalFull { .. })
    ));
    tighter
        .put_entry(&alice, "e2", b"3", 1_600)
        .await
        .expect("the same size");
    // The error names counts, never a value.
    let shown = journal_full(store.insert_entry(&alice, "e7", SEALED_A, 1_700).await);
    assert_eq!(shown.0, usage(3, 1 + 1 + 7));
}

async fn an_import_past_the_quota_writes_nothing_and_a_replacing_one_counts_what_remains(
    store: Store,
    db: Db,
) {
    let store = store.with_journal_quota(SMALL);
    let alice = user(&store, "alice").await;
    store
        .put_entry(&alice, "keep", SEALED_A, 1_000)
        .await
        .expect("put");
    store
        .put_entry(&alice, "e1", SEALED_A, 1_000)
        .await
        .expect("put");
    let before = store.entries(&alice).await.expect("list");

    // Merging two new entries would make four: nothing is written, not even the replacement.
    let merge: [(&str, &[u8]); 3] = [("e1", b"1"), ("new1", b"2"), ("new2", b"3")];
    let (now, would_be) = journal_full(store.import_entries(&alice, &merge, false, 2_000).await);
    assert_eq!((now, would_be), (usage(2, 14), usage(4, 7 + 1 + 1 + 1)));
    assert_eq!(store.entries(&alice).await.expect("list"), before);

    // Replacing with three: what remains is the three, which fit.
    assert_eq!(
        store
            .import_entries(&alice, &merge, true, 3_000)
            .await
            .expect("replace"),
        3
    );
    assert_eq!(
        store.journal_usage(&alice).await.expect("usage"),
        usage(3, 3)
    );

    // Replacing with four is refused, and the deletion is rolled back with it.
    let four: [(&str, &[u8]); 4] = [("a", b"1"), ("b", b"2"), ("c", b"3"), ("d", b"4")];
    let (now, would_be) = journal_full(store.import_entries(&alice, &four, true, 4_000).await);
    assert_eq!((now, would_be), (usage(3, 3), usage(4, 4)));
    assert_eq!(db.rows_of("journal_entries", &alice).await, 3);
    // As are too many bytes.
    let heavy: [(&str, &[u8]); 1] = [("big", &[7; 21])];
    journal_full(store.import_entries(&alice, &heavy, true, 5_000).await);
    assert_eq!(
        store.journal_usage(&alice).await.expect("usage"),
        usage(3, 3)
    );
}

/// What the journal really holds, counted from its rows.
async fn counted(store: &Store, user: &UserId) -> JournalUsage {
    let rows = store.entries(user).await.expect("entries");
    JournalUsage {
        entries: rows.len() as u64,
        bytes: rows.iter().map(|r| r.sealed.len() as u64).sum(),
    }
}

async fn the_journals_count_follows_every_kind_of_write(store: Store, _db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    let version = std::sync::atomic::AtomicU64::new(0);
    let same = async |step: &str| {
        let kept = store.journal_usage(&alice).await.expect("usage");
        assert_eq!(kept, counted(&store, &alice).await, "after {step}");
        // Every step changed the journal: its version went up.
        let now = store.journal_version(&alice).await.expect("version");
        let before = version.swap(now, std::sync::atomic::Ordering::Relaxed);
        assert!(now > before || step == "nothing", "{step}: version {now}");
        kept
    };
    assert_eq!(same("nothing").await, JournalUsage::default());
    store
        .insert_entry(&alice, "a", b"12345", 1)
        .await
        .expect("insert");
    store
        .insert_entry(&alice, "a", b"123456789", 1)
        .await
        .expect("insert again");
    store.insert_entry(&bob, "a", b"1", 1).await.expect("bob's");
    same("inserts").await;
    store
        .put_entry(&alice, "a", b"1234567890", 2)
        .await
        .expect("a larger one");
    store
        .put_entry(&alice, "b", b"12", 2)
        .await
        .expect("a new one");
    store
        .put_entry(&alice, "b", b"1", 2)
        .await
        .expect("a smaller one");
    same("replacements").await;
    store
        .import_entries(&alice, &[("c", &b"123"[..]), ("a", &b"1"[..])], false, 3)
        .await
        .expect("an import");
    same("an import").await;
    store
        .move_entries(&alice, &[("c", "d", &b"12345"[..])])
        .await
        .expect("a move");
    same("a move").await;
    assert!(store.delete_entry(&alice, "b").await.expect("a deletion"));
    assert!(
        !store
            .delete_entry(&alice, "zz")
            .await
            .expect("no such entry")
    );
    assert_eq!(
        same("deletions").await,
        JournalUsage {
            entries: 2,
            bytes: 6
        }
    );
    store
        .import_entries(&alice, &[("x", &b"1234"[..])], true, 4)
        .await
        .expect("a replacing import");
    same("a replacing import").await;
    store
        .delete_journal(&alice)
        .await
        .expect("the journal deleted");
    assert_eq!(same("the journal deleted").await, JournalUsage::default());
    // Reading changes nothing; nor does another journal's write.
    store.entries(&alice).await.expect("entries");
    store.insert_entry(&bob, "b", b"2", 5).await.expect("bob's");
    assert_eq!(
        store.journal_version(&alice).await.expect("version"),
        version.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(store.delete_entry(&bob, "b").await.expect("bob's deleted"));
    // Bob's journal was never touched by any of it.
    assert_eq!(
        store.journal_usage(&bob).await.expect("usage"),
        JournalUsage {
            entries: 1,
            bytes: 1
        }
    );
}

async fn concurrent_writes_cannot_take_a_journal_past_its_quota_together(store: Store, db: Db) {
    let quota = JournalQuota {
        entries: 5,
        bytes: 1_000,
    };
    let alice = user(&store, "alice").await;
    // Two instances on one database, each writing at once.
    let stores = [
        store.clone().with_journal_quota(quota),
        db.open().await.with_journal_quota(quota),
    ];
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = stores[i % 2].clone();
        let alice = alice.clone();
        tasks.push(tokio::spawn(async move {
            if i % 3 == 0 {
                let rows = [(format!("import-{i}"), SEALED_A)];
                store
                    .import_entries(&alice, &rows, false, 1_000)
                    .await
                    .map(|_| ())
            } else {
                store
                    .insert_entry(&alice, &format!("e{i}"), SEALED_A, 1_000)
                    .await
                    .map(|_| ())
            }
        }));
    }
    let mut written = 0;
    for task in tasks {
        match task.await.expect("the task finished") {
            Ok(()) => written += 1,
            Err(StoreError::JournalFull { .. }) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(written, 5);
    assert_eq!(db.rows_of("journal_entries", &alice).await, 5);
}

/// Alice with keys, three journal rows, a sealed profile, two sessions and two tokens; Bob
/// with a row and a session of his own.
async fn account_to_rotate(store: &Store) -> (UserId, UserId) {
    let alice = user(store, "alice").await;
    let bob = user(store, "bob").await;
    store
        .put_user_keys(&alice, b"old-pw", b"old-rc", 1_000)
        .await
        .expect("keys");
    for (id, sealed) in [("a1", b"old-1"), ("a2", b"old-2"), ("a3", b"old-3")] {
        store
            .put_entry(&alice, id, sealed, 1_100)
            .await
            .expect("an entry");
    }
    store
        .put_entry(&bob, "a1", b"bob-1", 1_100)
        .await
        .expect("bob's entry");
    store
        .put_sealed_profile(&alice, b"old-profile", 1_200)
        .await
        .expect("a profile");
    session(store, "alice-1", &alice, 9_000, 9_000).await;
    session(store, "alice-2", &alice, 9_000, 9_000).await;
    session(store, "bob-1", &bob, 9_000, 9_000).await;
    token(store, "t1", &alice, "hash-t1", 10).await;
    token(store, "t2", &alice, "hash-t2", 20).await;
    token(store, "t3", &bob, "hash-t3", 30).await;
    (alice, bob)
}

/// The session a rotation of `user_id`'s key begins.
fn new_session(user_id: &UserId) -> NewSession<'_> {
    NewSession {
        id_hash: "alice-new",
        user_id,
        csrf_token: "new-csrf",
        created_at: 2_000,
        idle_expires_at: 5_000,
        absolute_expires_at: 9_000,
        wrapped_key: Some(b"new-session-key"),
        shown_once: Some(b"new-code-sealed"),
    }
}

async fn a_new_data_key_rewrites_rows_profile_keys_and_sessions_in_one_transaction(
    store: Store,
    db: Db,
) {
    let (alice, bob) = account_to_rotate(&store).await;
    let entries = [
        Resealed {
            old_id: "a1",
            old_sealed: b"old-1",
            new_id: "n1",
            new_sealed: b"new-1",
        },
        Resealed {
            old_id: "a2",
            old_sealed: b"old-2",
            new_id: "n2",
            new_sealed: b"new-2",
        },
        Resealed {
            old_id: "a3",
            old_sealed: b"old-3",
            new_id: "n3",
            new_sealed: b"new-3",
        },
    ];
    let session = new_session(&alice);
    let rotated = store
        .rotate_data_key(
            &alice,
            &Rotation {
                entries: &entries,
                profile: Some((b"old-profile", b"new-profile")),
                password_wrapped: b"new-pw",
                recovery_wrapped: b"new-rc",
                link_key: None,
                session: &session,
                now: 2_000,
            },
        )
        .await
        .expect("rotated");
    assert_eq!(rotated.sessions_ended, 2);
    let mut revoked = rotated.tokens_revoked.clone();
    revoked.sort();
    assert_eq!(revoked, ["token t1", "token t2"]);

    let rows: Vec<(String, Vec<u8>, i64)> = store
        .entries(&alice)
        .await
        .expect("rows")
        .into_iter()
        .map(|r| (r.id, r.sealed, r.updated_at))
        .collect();
    assert_eq!(
        rows,
        [
            ("n1".to_owned(), b"new-1".to_vec(), 1_100),
            ("n2".to_owned(), b"new-2".to_vec(), 1_100),
            ("n3".to_owned(), b"new-3".to_vec(), 1_100),
        ],
        "re-sealed under new ids, write times kept"
    );
    assert_eq!(
        store
            .sealed_profile(&alice)
            .await
            .expect("read")
            .map(|p| (p.sealed, p.updated_at)),
        Some((b"new-profile".to_vec(), 1_200))
    );
    let keys = store.user_keys(&alice).await.expect("read").expect("keys");
    assert_eq!(
        (
            keys.password_wrapped.as_slice(),
            keys.recovery_wrapped.as_slice(),
            keys.updated_at
        ),
        (b"new-pw".as_slice(), b"new-rc".as_slice(), 2_000)
    );
    assert_eq!(db.rows_of("sessions", &alice).await, 1);
    let new = store
        .session("alice-new", 2_500)
        .await
        .expect("read")
        .expect("the new session");
    assert_eq!(new.user_id, alice);
    assert_eq!(
        new.wrapped_key.as_deref(),
        Some(b"new-session-key".as_slice())
    );
    assert_eq!(db.rows_of("api_tokens", &alice).await, 0);
    // Bob's are his own.
    assert_eq!(db.rows_of("sessions", &bob).await, 1);
    assert_eq!(db.rows_of("api_tokens", &bob).await, 1);
    assert_eq!(
        store
            .entry(&bob, "a1")
            .await
            .expect("read")
            .map(|r| r.sealed),
        Some(b"bob-1".to_vec())
    );
}

/// A rotation's profile: the bytes it was read with and the re-sealed ones.
type ProfileChange<'a> = Option<(&'a [u8], &'a [u8])>;

async fn a_new_data_key_changes_nothing_when_anything_changed_under_it(store: Store, db: Db) {
    let (alice, _) = account_to_rotate(&store).await;
    let all = [
        Resealed {
            old_id: "a1",
            old_sealed: b"old-1",
            new_id: "n1",
            new_sealed: b"new-1",
        },
        Resealed {
            old_id: "a2",
            old_sealed: b"old-2",
            new_id: "n2",
            new_sealed: b"new-2",
        },
        Resealed {
            old_id: "a3",
            old_sealed: b"old-3",
            new_id: "n3",
            new_sealed: b"new-3",
        },
    ];
    // A row rewritten since it was read; a row added since (one not in the rotation); the
    // profile saved since; a profile saved where there was none.
    let stale_row = [
        all[0],
        all[1],
        Resealed {
            old_sealed: b"what it was before",
            ..all[2]
        },
    ];
    let cases: [(&str, &[Resealed<'_>], ProfileChange<'_>); 4] = [
        (
            "journal_entries",
            &stale_row,
            Some((b"old-profile", b"new-profile")),
        ),
        (
            "journal_entries",
            &all[..2],
            Some((b"old-profile", b"new-profile")),
        ),
        (
            "sealed_profiles",
            &all,
            Some((b"an older profile", b"new-profile")),
        ),
        ("sealed_profiles", &all, None),
    ];
    let session = new_session(&alice);
    for (what, entries, profile) in cases {
        let error = store
            .rotate_data_key(
                &alice,
                &Rotation {
                    entries,
                    profile,
                    password_wrapped: b"new-pw",
                    recovery_wrapped: b"new-rc",
                    link_key: None,
                    session: &session,
                    now: 2_000,
                },
            )
            .await
            .expect_err("refused");
        assert!(
            matches!(error, StoreError::Changed { what: w } if w == what),
            "{what}: {error:?}"
        );
        // Nothing changed.
        let ids: Vec<String> = store
            .entries(&alice)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["a1", "a2", "a3"], "{what}");
        assert_eq!(
            store
                .entry(&alice, "a3")
                .await
                .expect("read")
                .map(|r| r.sealed),
            Some(b"old-3".to_vec())
        );
        let keys = store.user_keys(&alice).await.expect("read").expect("keys");
        assert_eq!(keys.password_wrapped, b"old-pw");
        assert_eq!(
            store
                .sealed_profile(&alice)
                .await
                .expect("read")
                .map(|p| p.sealed),
            Some(b"old-profile".to_vec())
        );
        assert_eq!(db.rows_of("sessions", &alice).await, 2);
        assert_eq!(db.rows_of("api_tokens", &alice).await, 2);
        assert_eq!(store.session("alice-new", 2_500).await.expect("read"), None);
    }
}

// ---------------------------------------------------------------------------------------------
// Linked partners
// ---------------------------------------------------------------------------------------------

fn invitation<'a>(user: &'a UserId, code_hash: &'a str, link_id: &'a str) -> NewInvitation<'a> {
    NewInvitation {
        code_hash,
        user_id: user,
        link_id,
        under_code: b"under-code",
        under_key: b"under-inviter-key",
        now: 1_000,
        expires_at: 1_000 + 86_400,
    }
}

async fn an_invitation_links_two_accounts_once_and_not_after_it_expires(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    let carol = user(&store, "carol").await;
    assert!(
        store
            .create_partner_invitation(&invitation(&alice, "h1", "link-1"))
            .await
            .expect("stored")
    );
    // A second invitation replaces the first.
    assert!(
        store
            .create_partner_invitation(&invitation(&alice, "h2", "link-1"))
            .await
            .expect("stored")
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM partner_invitations", &[])
            .await,
        1
    );
    assert!(
        store
            .partner_invitation("h1", 1_001)
            .await
            .expect("read")
            .is_none()
    );
    let found = store
        .partner_invitation("h2", 1_001)
        .await
        .expect("read")
        .expect("open");
    assert_eq!(found.user_id, alice.as_str());
    // Expired: neither found nor accepted.
    assert!(
        store
            .partner_invitation("h2", 1_000 + 86_400)
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(
        store
            .accept_partner_invitation("h2", &bob, b"under-bob", 1_000 + 86_400)
            .await
            .expect("answered"),
        Acceptance::NoSuchInvitation
    );
    // A new invitation; its author cannot accept it, and refusing them leaves it open.
    assert!(
        store
            .create_partner_invitation(&invitation(&alice, "h3", "link-1"))
            .await
            .expect("stored")
    );
    assert_eq!(
        store
            .accept_partner_invitation("h3", &alice, b"under-alice", 1_001)
            .await
            .expect("answered"),
        Acceptance::OwnInvitation
    );
    assert!(
        store
            .partner_invitation("h3", 1_001)
            .await
            .expect("read")
            .is_some(),
        "refusing one's own leaves it open"
    );
    assert_eq!(
        store
            .accept_partner_invitation("h3", &bob, b"under-bob", 1_001)
            .await
            .expect("answered"),
        Acceptance::Linked
    );
    let link = store
        .partner_link(&bob)
        .await
        .expect("read")
        .expect("linked");
    assert_eq!(link.id, "link-1");
    assert_eq!(link.me.user_id, bob.as_str());
    assert_eq!(link.me.wrapped_key, b"under-bob");
    assert_eq!(link.partner.user_id, alice.as_str());
    assert_eq!(link.partner.wrapped_key, b"under-inviter-key");
    // Used once: Carol cannot; a linked account cannot invite.
    assert_eq!(
        store
            .accept_partner_invitation("h3", &carol, b"under-carol", 1_002)
            .await
            .expect("answered"),
        Acceptance::NoSuchInvitation
    );
    assert!(
        !store
            .create_partner_invitation(&invitation(&alice, "h4", "link-2"))
            .await
            .expect("answered")
    );
    assert!(store.partner_link(&carol).await.expect("read").is_none());
    // Carol cannot write into their link.
    assert!(
        !store
            .put_partner_member(&carol, "link-1", MemberColumn::Shared, b"x", 1_003)
            .await
            .expect("answered")
    );
    assert!(
        !store
            .put_partner_occasion(
                &carol,
                "link-1",
                &Occasion {
                    id: "o1".to_owned(),
                    sealed: b"x".to_vec(),
                    created_at: 1_003
                }
            )
            .await
            .expect("answered")
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM partner_occasions", &[])
            .await,
        0
    );
}

async fn two_acceptances_of_one_invitation_link_one_partner(store: Store, db: Db) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    let carol = user(&store, "carol").await;
    store
        .create_partner_invitation(&invitation(&alice, "h1", "link-1"))
        .await
        .expect("stored");
    let other = db.open().await;
    let (first, second) = tokio::join!(
        store.accept_partner_invitation("h1", &bob, b"under-bob", 1_001),
        other.accept_partner_invitation("h1", &carol, b"under-carol", 1_001),
    );
    let mut answers = [first.expect("answered"), second.expect("answered")];
    answers.sort_by_key(|a| format!("{a:?}"));
    assert_eq!(answers, [Acceptance::Linked, Acceptance::NoSuchInvitation]);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM partner_members", &[]).await,
        2
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM partner_links", &[]).await, 1);
}

async fn linked(store: &Store) -> (UserId, UserId) {
    let alice = user(store, "alice").await;
    let bob = user(store, "bob").await;
    store
        .create_partner_invitation(&invitation(&alice, "h1", "link-1"))
        .await
        .expect("stored");
    assert_eq!(
        store
            .accept_partner_invitation("h1", &bob, b"under-bob", 1_001)
            .await
            .expect("answered"),
        Acceptance::Linked
    );
    (alice, bob)
}

async fn a_share_is_swapped_only_from_what_was_read(store: Store, db: Db) {
    let (alice, bob) = linked(&store).await;
    let swap = |who: &UserId, expected: Option<&'static [u8]>, sealed: &'static [u8]| {
        let store = store.clone();
        let who = who.clone();
        async move {
            store
                .swap_partner_shared(&who, "link-1", expected, sealed, 1_002)
                .await
                .expect("answered")
        }
    };
    // Nothing shared yet: a swap from nothing writes; a second one from nothing does not.
    assert!(swap(&alice, None, b"first").await);
    assert!(!swap(&alice, None, b"stale").await);
    assert!(!swap(&alice, Some(b"other"), b"stale").await);
    assert!(swap(&alice, Some(b"first"), b"second").await);
    let link = store
        .partner_link(&alice)
        .await
        .expect("read")
        .expect("linked");
    assert_eq!(link.me.shared.as_deref(), Some(&b"second"[..]));
    // Bob's own share is his alone; a stranger writes nothing.
    assert!(swap(&bob, None, b"bob's").await);
    let carol = user(&store, "carol").await;
    assert!(!swap(&carol, None, b"x").await);
    // Two stores swapping from the same read: exactly one wins.
    let other = db.open().await;
    let (one, two) = tokio::join!(
        store.swap_partner_shared(&alice, "link-1", Some(b"second"), b"from-one", 1_003),
        other.swap_partner_shared(&alice, "link-1", Some(b"second"), b"from-two", 1_003),
    );
    assert_eq!(
        [one.expect("answered"), two.expect("answered")]
            .iter()
            .filter(|w| **w)
            .count(),
        1
    );
}

async fn ending_a_link_or_deleting_an_account_deletes_everything_sealed_under_it(
    store: Store,
    db: Db,
) {
    let (alice, bob) = linked(&store).await;
    for (who, column) in [(&alice, MemberColumn::Shared), (&bob, MemberColumn::Marks)] {
        assert!(
            store
                .put_partner_member(who, "link-1", column, b"sealed", 1_002)
                .await
                .expect("written")
        );
    }
    for i in 0..(MAX_OCCASIONS + 3) {
        assert!(
            store
                .put_partner_occasion(
                    &bob,
                    "link-1",
                    &Occasion {
                        id: format!("o{i}"),
                        sealed: b"sealed".to_vec(),
                        created_at: 1_000 + i
                    }
                )
                .await
                .expect("written")
        );
    }
    let occasions = store.partner_occasions("link-1").await.expect("read");
    assert_eq!(
        i64::try_from(occasions.len()),
        Ok(MAX_OCCASIONS),
        "the oldest go"
    );
    assert_eq!(
        occasions.first().map(|o| o.id.as_str()),
        Some(format!("o{}", MAX_OCCASIONS + 2).as_str())
    );
    let link = store
        .partner_link(&alice)
        .await
        .expect("read")
        .expect("linked");
    assert_eq!(link.me.shared.as_deref(), Some(&b"sealed"[..]));
    assert_eq!(link.partner.marks.as_deref(), Some(&b"sealed"[..]));
    assert!(store.end_partner_link(&alice).await.expect("ended"));
    assert!(!store.end_partner_link(&bob).await.expect("answered"));
    for table in ["partner_links", "partner_members", "partner_occasions"] {
        assert_eq!(
            db.count(
                match table {
                    "partner_links" => "SELECT COUNT(*) FROM partner_links",
                    "partner_members" => "SELECT COUNT(*) FROM partner_members",
                    _ => "SELECT COUNT(*) FROM partner_occasions",
                },
                &[]
            )
            .await,
            0,
            "{table}"
        );
    }
    // Linked again, then one account deleted: the link goes for both.
    store
        .create_partner_invitation(&invitation(&alice, "h2", "link-2"))
        .await
        .expect("stored");
    store
        .accept_partner_invitation("h2", &bob, b"under-bob", 1_010)
        .await
        .expect("linked");
    assert!(store.delete_user(&alice).await.expect("deleted"));
    assert!(store.partner_link(&bob).await.expect("read").is_none());
    assert_eq!(db.count("SELECT COUNT(*) FROM partner_links", &[]).await, 0);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM partner_members", &[]).await,
        0
    );
}

async fn a_new_data_key_rewraps_the_link_key_and_cancels_an_open_invitation(store: Store, db: Db) {
    let (alice, bob) = linked(&store).await;
    let carol = user(&store, "carol").await;
    for who in [&bob, &carol] {
        store
            .put_user_keys(who, b"old-pw", b"old-rc", 1_000)
            .await
            .expect("keys");
    }
    store
        .create_partner_invitation(&invitation(&carol, "hc", "link-c"))
        .await
        .expect("stored");
    let session = new_session(&bob);
    let rotation = |link_key| Rotation {
        entries: &[],
        profile: None,
        password_wrapped: b"new-pw",
        recovery_wrapped: b"new-rc",
        link_key,
        session: &session,
        now: 2_000,
    };
    // Without the link key, or with a stale copy, a linked account's rotation is refused.
    for stale in [None, Some((&b"stale"[..], &b"new"[..]))] {
        let refused = store.rotate_data_key(&bob, &rotation(stale)).await;
        assert!(
            matches!(refused, Err(StoreError::Changed { .. })),
            "{refused:?}"
        );
    }
    store
        .rotate_data_key(&bob, &rotation(Some((b"under-bob", b"under-bob-new"))))
        .await
        .expect("rotated");
    let link = store
        .partner_link(&bob)
        .await
        .expect("read")
        .expect("linked");
    assert_eq!(link.me.wrapped_key, b"under-bob-new");
    assert_eq!(link.partner.user_id, alice.as_str());
    let carol_session = NewSession {
        id_hash: "carol-new",
        ..new_session(&carol)
    };
    store
        .rotate_data_key(
            &carol,
            &Rotation {
                session: &carol_session,
                ..rotation(None)
            },
        )
        .await
        .expect("rotated");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM partner_invitations", &[])
            .await,
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Clinician shares
// ---------------------------------------------------------------------------------------------

async fn share(store: &Store, id: &str, user_id: &UserId, has_pin: bool, created: i64) {
    store
        .create_clinician_share(&NewClinicianShare {
            id,
            user_id,
            secret_hash: &format!("hash-{id}"),
            wrapped_key: b"wrapped key bytes",
            sealed: b"sealed content bytes",
            sealed_fhir: Some(b"sealed fhir bytes"),
            has_pin,
            created_at: created,
            expires_at: created + 7 * 86_400,
        })
        .await
        .expect("create a share");
}

async fn clinician_shares_are_found_by_hash_listed_with_openings_and_revoked_only_by_their_owner(
    store: Store,
    db: Db,
) {
    let alice = user(&store, "alice").await;
    let mallory = user(&store, "mallory").await;
    share(&store, "s-old", &alice, false, 1_000).await;
    share(&store, "s-new", &alice, true, 2_000).await;
    share(&store, "s-mallory", &mallory, false, 3_000).await;
    store
        .record_clinician_share_opening("s-old", 1_500)
        .await
        .expect("open");
    store
        .record_clinician_share_opening("s-old", 1_600)
        .await
        .expect("open");

    let listed = store.clinician_shares(&alice).await.expect("list");
    let ids: Vec<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s-new", "s-old"]);
    assert_eq!(
        listed.get(1),
        Some(&ClinicianShare {
            id: "s-old".to_owned(),
            has_pin: false,
            created_at: 1_000,
            expires_at: 1_000 + 7 * 86_400,
            revoked_at: None,
            openings: vec![1_600, 1_500],
        })
    );
    assert!(
        listed
            .first()
            .is_some_and(|s| s.has_pin && s.openings.is_empty())
    );

    let found = store
        .clinician_share_by_hash("hash-s-new")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.id, "s-new");
    assert!(found.has_pin && found.has_fhir);
    assert_eq!(
        found.wrapped_key.as_deref(),
        Some(&b"wrapped key bytes"[..])
    );
    assert_eq!(found.sealed.as_deref(), Some(&b"sealed content bytes"[..]));
    assert!(
        !format!("{found:?}").contains("bytes"),
        "Debug shows no bytes"
    );
    assert_eq!(
        store
            .clinician_share_by_hash("s-new")
            .await
            .expect("look up"),
        None,
        "found by the hash only"
    );
    assert_eq!(
        store.clinician_share_fhir("s-new").await.expect("fhir"),
        Some(b"sealed fhir bytes".to_vec())
    );

    // Another account neither finds nor changes it.
    assert!(
        !store
            .revoke_clinician_share(&mallory, "s-new", 2_500)
            .await
            .expect("revoke")
    );
    assert!(
        store
            .clinician_shares(&mallory)
            .await
            .expect("list")
            .iter()
            .all(|s| s.id == "s-mallory")
    );
    let still = store
        .clinician_share_by_hash("hash-s-new")
        .await
        .expect("look up")
        .expect("found");
    assert!(still.revoked_at.is_none() && still.sealed.is_some());

    // Its owner revokes it: the content and key go, the row stays; again keeps the first time.
    assert!(
        store
            .revoke_clinician_share(&alice, "s-new", 2_500)
            .await
            .expect("revoke")
    );
    assert!(
        store
            .revoke_clinician_share(&alice, "s-new", 2_900)
            .await
            .expect("revoke again")
    );
    let revoked = store
        .clinician_share_by_hash("hash-s-new")
        .await
        .expect("look up")
        .expect("the row stays");
    assert_eq!(revoked.revoked_at, Some(2_500));
    assert!(revoked.wrapped_key.is_none() && revoked.sealed.is_none() && !revoked.has_fhir);
    assert_eq!(
        store.clinician_share_fhir("s-new").await.expect("fhir"),
        None
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM clinician_shares WHERE id = $1 AND sealed IS NULL \
             AND wrapped_key IS NULL AND sealed_fhir IS NULL",
            &["s-new"]
        )
        .await,
        1
    );
    assert_eq!(db.rows_of("clinician_share_openings", &alice).await, 2);
}

async fn wrong_pins_lock_a_share_and_enough_of_them_end_it(store: Store, _db: Db) {
    let alice = user(&store, "alice").await;
    share(&store, "s", &alice, true, 1_000).await;
    let throttle = PinThrottle::STANDARD;
    let mut now = 2_000;
    // Four wrong, one right: the right one takes its attempt back and forgets the streak.
    for _ in 0..4 {
        assert!(
            store
                .admit_clinician_share_pin("s", now, throttle)
                .await
                .expect("admit")
        );
        assert!(
            !store
                .clinician_share_pin_refused("s", now, throttle)
                .await
                .expect("refuse")
        );
    }
    assert!(
        store
            .admit_clinician_share_pin("s", now, throttle)
            .await
            .expect("admit")
    );
    store
        .clinician_share_pin_accepted("s")
        .await
        .expect("accept");
    let found = store
        .clinician_share_by_hash("hash-s")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!((found.failed_pins, found.locked_until), (4, None));

    // Five wrong in a row lock it for 15 minutes; the fifth was still checked.
    for _ in 0..5 {
        assert!(
            store
                .admit_clinician_share_pin("s", now, throttle)
                .await
                .expect("admit")
        );
        store
            .clinician_share_pin_refused("s", now, throttle)
            .await
            .expect("refuse");
    }
    let found = store
        .clinician_share_by_hash("hash-s")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.locked_until, Some(now + 900));
    assert!(
        !store
            .admit_clinician_share_pin("s", now + 899, throttle)
            .await
            .expect("admit")
    );
    let found = store
        .clinician_share_by_hash("hash-s")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.failed_pins, 9, "a refused attempt is not counted");

    // After the wait, more attempts; the twentieth wrong one in all ends the share for good.
    let mut revoked = false;
    while !revoked {
        now += 900;
        for _ in 0..5 {
            if !store
                .admit_clinician_share_pin("s", now, throttle)
                .await
                .expect("admit")
            {
                break;
            }
            revoked = store
                .clinician_share_pin_refused("s", now, throttle)
                .await
                .expect("refuse");
            if revoked {
                break;
            }
        }
    }
    let found = store
        .clinician_share_by_hash("hash-s")
        .await
        .expect("look up")
        .expect("found");
    assert_eq!(found.failed_pins, 20);
    assert_eq!(found.revoked_at, Some(now));
    assert!(found.wrapped_key.is_none() && found.sealed.is_none());
    assert!(
        !store
            .admit_clinician_share_pin("s", now + 10_000, throttle)
            .await
            .expect("admit")
    );
}

async fn concurrent_pin_attempts_from_two_stores_cannot_pass_the_lock_together(
    store: Store,
    db: Db,
) {
    let alice = user(&store, "alice").await;
    share(&store, "s", &alice, true, 1_000).await;
    let other = db.open().await;
    let throttle = PinThrottle::STANDARD;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let s = if i % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            s.admit_clinician_share_pin("s", 2_000, throttle)
                .await
                .expect("admit")
        }));
    }
    let mut admitted = 0;
    for task in tasks {
        if task.await.expect("the task finished") {
            admitted += 1;
        }
    }
    assert_eq!(admitted, 5, "five attempts, then the lock");
}

async fn expired_shares_lose_their_content_and_deleting_the_user_deletes_them(
    store: Store,
    db: Db,
) {
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    share(&store, "s-alice", &alice, false, 1_000).await;
    share(&store, "s-bob", &bob, false, 5_000).await;
    store
        .record_clinician_share_opening("s-alice", 1_100)
        .await
        .expect("open");
    let alice_expiry = 1_000 + 7 * 86_400;
    assert!(
        !store
            .admit_clinician_share_pin("s-alice", alice_expiry, PinThrottle::STANDARD)
            .await
            .expect("admit"),
        "an expired share takes no attempt"
    );
    assert_eq!(
        store
            .clear_expired_clinician_shares(alice_expiry)
            .await
            .expect("clear"),
        1
    );
    assert_eq!(
        store
            .clear_expired_clinician_shares(alice_expiry)
            .await
            .expect("clear again"),
        0
    );
    let expired = store
        .clinician_share_by_hash("hash-s-alice")
        .await
        .expect("look up")
        .expect("the row stays");
    assert!(expired.sealed.is_none() && expired.wrapped_key.is_none() && !expired.has_fhir);
    assert_eq!(expired.revoked_at, None);
    let bobs = store
        .clinician_share_by_hash("hash-s-bob")
        .await
        .expect("look up")
        .expect("found");
    assert!(bobs.sealed.is_some(), "a live share keeps its content");

    store.delete_user(&alice).await.expect("delete");
    assert_eq!(db.rows_of("clinician_shares", &alice).await, 0);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM clinician_share_openings WHERE share_id = $1",
            &["s-alice"]
        )
        .await,
        0
    );
    assert_eq!(db.rows_of("clinician_shares", &bob).await, 1);
}
