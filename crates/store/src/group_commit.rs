//! Group commit of journal writes on SQLite: one writer task takes every journal write that is
//! waiting, writes each in a savepoint of one transaction and commits them together, so that
//! one fsync of the write-ahead log makes the whole batch durable.
//!
//! SQLite lets one connection write at a time; writers on other connections only queue for
//! its lock, and each pays its own fsync at commit. The writer task pays one per batch, and a
//! batch is simply what arrived while the last one was being committed. A write with no other
//! under way does not wait for the task at all: it commits on its own, as fast as before.
//!
//! What each write is promised does not change:
//! - it is acknowledged only after the commit that holds it is durable (`synchronous = FULL`);
//! - it is counted against its journal's quota inside the transaction, after the writes
//!   before it in the batch;
//! - one that fails (its journal full, its user gone) is rolled back to its savepoint and
//!   fails alone; the rest of its batch commits without it.
//!
//! PostgreSQL commits concurrent transactions together by itself and writes directly.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{Acquire, Connection, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::error::StoreError;
use crate::journal::{JournalQuota, JournalUsage};

/// The most writes one transaction takes.
const MAX_BATCH: usize = 128;
/// How many writes may wait for the writer before a new one waits for room.
const QUEUE: usize = 4096;

/// Which journal write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteKind {
    /// Creates the entry unless one with its id exists (left as it was).
    Insert,
    /// Creates the entry or replaces the one with its id.
    Put,
}

/// One journal write: what to write and under which bounds.
pub(crate) struct Write {
    pub(crate) kind: WriteKind,
    pub(crate) user: String,
    pub(crate) id: String,
    pub(crate) sealed: Vec<u8>,
    pub(crate) now: i64,
    pub(crate) quota: JournalQuota,
}

struct Job {
    write: Write,
    reply: oneshot::Sender<Result<u64, StoreError>>,
    /// Counts the write as under way until the writer answers or drops it.
    _under_way: UnderWay,
}

/// The handle to a store's writer task; cloning it shares the task. The task ends when the
/// last handle is dropped.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

/// What the writer task and the writes that go alone share.
struct Shared {
    pool: SqlitePool,
    /// Held while writing: by the task for a batch, by a write that goes alone for itself, so
    /// that the two never wait for each other inside SQLite (whose busy handler sleeps).
    writing: tokio::sync::Mutex<()>,
    /// Journal writes under way, queued or writing.
    in_flight: AtomicUsize,
}

/// Counts a write as under way from its arrival until dropped: by the caller when it writes
/// alone, by the writer task when it has answered a queued write (whether or not the caller
/// still waits, so that a write given up by its caller cannot be overtaken by a later one
/// going alone).
struct UnderWay(Arc<Shared>);

impl UnderWay {
    /// Counts a write in; whether it is the only one under way.
    fn enter(shared: &Arc<Shared>) -> (UnderWay, bool) {
        let alone = shared.in_flight.fetch_add(1, Ordering::AcqRel) == 0;
        (UnderWay(shared.clone()), alone)
    }
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Writer {
    /// Starts the writer task on the current Tokio runtime.
    pub(crate) fn start(pool: SqlitePool) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let shared = Arc::new(Shared {
            pool,
            writing: tokio::sync::Mutex::new(()),
            in_flight: AtomicUsize::new(0),
        });
        tokio::spawn(run(shared.clone(), queue));
        Writer { jobs, shared }
    }

    /// Writes and waits for the commit: the rows the write changed. A write with no other
    /// under way goes alone, on the caller's task (handing it to the writer task would only
    /// add the hand-over); one among others is handed to the writer task and committed with
    /// whatever else is waiting. `None` when the task is no longer there (the runtime that
    /// started it has ended) and the write never reached it: the caller writes it itself.
    pub(crate) async fn write(&self, write: Write) -> Option<Result<u64, StoreError>> {
        let (under_way, alone) = UnderWay::enter(&self.shared);
        if alone {
            let _turn = self.shared.writing.lock().await;
            let result = write_alone(&self.shared.pool, &write).await;
            drop(under_way);
            return Some(result);
        }
        let (reply, answer) = oneshot::channel();
        let job = Job {
            write,
            reply,
            _under_way: under_way,
        };
        self.jobs.send(job).await.ok()?;
        Some(answer.await.unwrap_or(Err(StoreError::CommitFailed {
            reason: "the journal's writer stopped".into(),
        })))
    }
}

async fn run(shared: Arc<Shared>, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A write whose caller stopped waiting (a timeout, a closed connection) was answered
        // as failed, or not at all: it is not written.
        batch.retain(|job| !job.reply.is_closed());
        if !batch.is_empty() {
            let _turn = shared.writing.lock().await;
            commit(&shared.pool, std::mem::take(&mut batch)).await;
        }
        batch.clear();
        batch.reserve(MAX_BATCH);
    }
}

/// Writes the batch in one transaction, each write in its own savepoint, commits, and then
/// answers every write.
async fn commit(pool: &SqlitePool, batch: Vec<Job>) {
    let results = match write_batch(pool, &batch).await {
        Ok(results) => results,
        Err(e) => {
            // The first write is told what happened; the others that they were not written.
            let reason = e.to_string();
            let mut first = Some(e);
            batch
                .iter()
                .map(|_| {
                    Err(first.take().unwrap_or_else(|| StoreError::CommitFailed {
                        reason: reason.clone().into(),
                    }))
                })
                .collect()
        }
    };
    for (job, result) in batch.into_iter().zip(results) {
        // A caller that stopped waiting no longer needs the answer; its write stands.
        let _ = job.reply.send(result);
    }
}

/// Each write's own result, or the error that stopped the whole batch (nothing of it was
/// written then).
async fn write_batch(
    pool: &SqlitePool,
    batch: &[Job],
) -> Result<Vec<Result<u64, StoreError>>, StoreError> {
    if let [job] = batch {
        return Ok(vec![write_alone(pool, &job.write).await]);
    }
    let mut conn = pool.acquire().await?;
    let results = write_batch_on(&mut conn, batch).await;
    if results.is_err() {
        // SQLite may have ended the transaction itself (a full disk, an I/O error), leaving
        // the connection's idea of it wrong: it is not given back to the pool.
        conn.close_on_drop();
    }
    results
}

async fn write_batch_on(
    conn: &mut SqliteConnection,
    batch: &[Job],
) -> Result<Vec<Result<u64, StoreError>>, StoreError> {
    // IMMEDIATE takes the database's write lock before anything is read, so that each
    // journal's count is of the latest state.
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    // What each journal holds, once read, followed write by write: nothing else writes
    // until the commit.
    let mut usage: HashMap<&str, JournalUsage> = HashMap::new();
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        let user = job.write.user.as_str();
        let mut savepoint = tx.begin().await?;
        let result = write_one(
            savepoint.acquire().await?,
            &job.write,
            usage.get(user).copied(),
        )
        .await;
        match &result {
            Ok((_, after)) => {
                savepoint.commit().await?;
                usage.insert(user, *after);
            }
            Err(StoreError::JournalFull { usage: before, .. }) => {
                savepoint.rollback().await?;
                usage.insert(user, *before);
            }
            Err(_) => {
                savepoint.rollback().await?;
                usage.remove(user);
            }
        }
        results.push(result.map(|(changed, _)| changed));
    }
    tx.commit().await?;
    Ok(results)
}

/// One write in a transaction of its own (it needs no savepoint): the rows it changed.
async fn write_alone(pool: &SqlitePool, write: &Write) -> Result<u64, StoreError> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let result = write_one(&mut tx, write, None).await;
    let ended = if result.is_ok() {
        tx.commit().await
    } else {
        tx.rollback().await
    };
    if let Err(e) = ended {
        // As in a batch: the connection is not given back to the pool. The write's own error,
        // if it had one, says more than the rollback's.
        conn.close_on_drop();
        return Err(result.err().unwrap_or(e.into()));
    }
    result.map(|(changed, _)| changed)
}

/// One write on a journal that holds `before` (read here when not known), within its quota:
/// the rows it changed and what the journal holds afterwards.
async fn write_one(
    conn: &mut SqliteConnection,
    write: &Write,
    before: Option<JournalUsage>,
) -> Result<(u64, JournalUsage), StoreError> {
    let usage = async |conn: &mut SqliteConnection| -> Result<JournalUsage, StoreError> {
        let counted = sqlx::query_as::<_, (i64, i64)>(crate::journal::USAGE_SQL)
            .bind(&write.user)
            .fetch_one(conn)
            .await?;
        Ok(crate::journal::usage_of(counted))
    };
    let before = match before {
        Some(known) => known,
        None => usage(&mut *conn).await?,
    };
    let sql = match write.kind {
        WriteKind::Insert => crate::journal::INSERT_SQL,
        WriteKind::Put => crate::journal::UPSERT_SQL,
    };
    let changed = sqlx::query(sql)
        .bind(&write.user)
        .bind(&write.id)
        .bind(&write.sealed)
        .bind(write.now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let after = match (write.kind, changed) {
        // An insert adds what the journal's triggers add: one entry, its bytes; or, the id
        // being taken, nothing.
        (WriteKind::Insert, 0) => before,
        (WriteKind::Insert, _) => JournalUsage {
            entries: before.entries + 1,
            bytes: before.bytes + write.sealed.len() as u64,
        },
        // A replacement takes away what it replaced: read what the triggers made of it.
        (WriteKind::Put, _) => usage(&mut *conn).await?,
    };
    if after.outgrows(&before, &write.quota) {
        return Err(StoreError::JournalFull {
            usage: before,
            would_be: after,
            quota: write.quota,
        });
    }
    Ok((changed, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::{Pool, Store};
    use crate::users::NewUser;

    fn write(kind: WriteKind, user: &str, id: &str, bytes: usize, quota: JournalQuota) -> Write {
        Write {
            kind,
            user: user.to_owned(),
            id: id.to_owned(),
            sealed: vec![7; bytes],
            now: 1,
            quota,
        }
    }

    /// What a writer shares, over `pool`.
    fn shared(pool: &SqlitePool) -> Arc<Shared> {
        Arc::new(Shared {
            pool: pool.clone(),
            writing: tokio::sync::Mutex::new(()),
            in_flight: AtomicUsize::new(0),
        })
    }

    /// The ids of the user's entries, as stored.
    async fn entry_ids(store: &Store, user: String) -> Vec<String> {
        store
            .entries(&crate::ids::UserId::from(user))
            .await
            .expect("entries")
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    /// Commits the writes as one batch and gives each one's answer.
    async fn batch(pool: &SqlitePool, writes: Vec<Write>) -> Vec<Result<u64, StoreError>> {
        let shared = shared(pool);
        let mut answers = Vec::new();
        let mut jobs = Vec::new();
        for w in writes {
            let (reply, answer) = oneshot::channel();
            jobs.push(Job {
                write: w,
                reply,
                _under_way: UnderWay::enter(&shared).0,
            });
            answers.push(answer);
        }
        commit(pool, jobs).await;
        let mut out = Vec::new();
        for a in answers {
            out.push(a.await.expect("every write is answered"));
        }
        out
    }

    async fn store_with_user() -> (tempfile::TempDir, Store, SqlitePool, String) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("db").display());
        let store = Store::open(&url).await.expect("the store opens");
        let user = store
            .create_user(&NewUser {
                login: "ada",
                login_skeleton: None,
                password_hash: "not a hash",
                now: 0,
                demo: false,
            })
            .await
            .expect("a user");
        let Pool::Sqlite(pool) = &store.pool else {
            unreachable!("a SQLite store")
        };
        let pool = pool.clone();
        (dir, store, pool, user.as_str().to_owned())
    }

    #[tokio::test]
    async fn a_failing_write_fails_alone_and_its_batch_commits() {
        let (_dir, store, pool, user) = store_with_user().await;
        let q = JournalQuota::STANDARD;
        let answers = batch(
            &pool,
            vec![
                write(WriteKind::Insert, &user, "a", 10, q),
                // No such user: the foreign key refuses it.
                write(WriteKind::Insert, "nobody", "b", 10, q),
                write(WriteKind::Put, &user, "c", 10, q),
                // An id longer than 64 characters: the table's check refuses it.
                write(WriteKind::Insert, &user, &"x".repeat(65), 10, q),
                write(WriteKind::Insert, &user, "a", 10, q),
            ],
        )
        .await;
        assert!(matches!(answers[0], Ok(1)), "{:?}", answers[0]);
        assert!(
            matches!(answers[1], Err(StoreError::Database(_))),
            "{:?}",
            answers[1]
        );
        assert!(matches!(answers[2], Ok(1)), "{:?}", answers[2]);
        assert!(
            matches!(answers[3], Err(StoreError::Database(_))),
            "{:?}",
            answers[3]
        );
        // The same id again, after the first in the same batch: left as it was.
        assert!(matches!(answers[4], Ok(0)), "{:?}", answers[4]);
        let ids = entry_ids(&store, user).await;
        assert_eq!(ids, ["a", "c"]);
    }

    #[tokio::test]
    async fn a_write_its_caller_gave_up_on_is_not_written() {
        let (_dir, store, pool, user) = store_with_user().await;
        let q = JournalQuota::STANDARD;
        let shared = shared(&pool);
        let (jobs, queue) = mpsc::channel(8);
        let mut answers = Vec::new();
        for (id, keep) in [("given-up", false), ("kept", true)] {
            let (reply, answer) = oneshot::channel();
            jobs.send(Job {
                write: write(WriteKind::Insert, &user, id, 10, q),
                reply,
                _under_way: UnderWay::enter(&shared).0,
            })
            .await
            .expect("queued");
            // The caller of the first stops waiting (a timeout, a closed connection) before
            // the writer takes the queue.
            if keep {
                answers.push(answer);
            }
        }
        drop(jobs);
        run(shared, queue).await;
        for answer in answers {
            assert!(matches!(answer.await, Ok(Ok(1))));
        }
        let ids = entry_ids(&store, user).await;
        assert_eq!(ids, ["kept"], "the given-up write is not written");
    }

    #[tokio::test]
    async fn each_write_counts_the_writes_before_it_in_its_batch() {
        let (_dir, store, pool, user) = store_with_user().await;
        let q = JournalQuota {
            entries: 2,
            bytes: 1000,
        };
        let answers = batch(
            &pool,
            vec![
                write(WriteKind::Insert, &user, "a", 10, q),
                write(WriteKind::Insert, &user, "b", 10, q),
                // A third entry: past the bound of 2.
                write(WriteKind::Insert, &user, "c", 10, q),
                // Replacing one keeps the count; past the bytes' bound it is refused.
                write(WriteKind::Put, &user, "a", 2000, q),
                write(WriteKind::Put, &user, "b", 20, q),
            ],
        )
        .await;
        assert!(matches!(answers[0], Ok(1)));
        assert!(matches!(answers[1], Ok(1)));
        assert!(
            matches!(answers[2], Err(StoreError::JournalFull { .. })),
            "{:?}",
            answers[2]
        );
        assert!(
            matches!(answers[3], Err(StoreError::JournalFull { .. })),
            "{:?}",
            answers[3]
        );
        assert!(matches!(answers[4], Ok(1)));
        let user = crate::ids::UserId::from(user);
        let rows = store.entries(&user).await.expect("entries");
        let sizes: Vec<(String, usize)> =
            rows.into_iter().map(|r| (r.id, r.sealed.len())).collect();
        assert_eq!(sizes, [("a".to_owned(), 10), ("b".to_owned(), 20)]);
        // What the batch followed write by write is what the journal holds.
        assert_eq!(
            store.journal_usage(&user).await.expect("usage"),
            JournalUsage {
                entries: 2,
                bytes: 30
            }
        );
    }

    #[tokio::test]
    async fn a_lone_write_that_fails_leaves_nothing() {
        let (_dir, store, pool, user) = store_with_user().await;
        let q = JournalQuota {
            entries: 5,
            bytes: 10,
        };
        let answers = batch(&pool, vec![write(WriteKind::Put, &user, "a", 11, q)]).await;
        assert!(
            matches!(answers[0], Err(StoreError::JournalFull { .. })),
            "{:?}",
            answers[0]
        );
        let answers = batch(&pool, vec![write(WriteKind::Put, &user, "a", 10, q)]).await;
        assert!(matches!(answers[0], Ok(1)), "{:?}", answers[0]);
        assert_eq!(
            store
                .journal_usage(&crate::ids::UserId::from(user))
                .await
                .expect("usage"),
            JournalUsage {
                entries: 1,
                bytes: 10
            }
        );
    }

    #[tokio::test]
    async fn a_batch_that_cannot_begin_tells_every_write() {
        let (_dir, store, pool, user) = store_with_user().await;
        store.close().await;
        let q = JournalQuota::STANDARD;
        let answers = batch(
            &pool,
            vec![
                write(WriteKind::Insert, &user, "a", 10, q),
                write(WriteKind::Insert, &user, "b", 10, q),
            ],
        )
        .await;
        assert!(
            matches!(answers[0], Err(StoreError::Database(_))),
            "{:?}",
            answers[0]
        );
        assert!(
            matches!(answers[1], Err(StoreError::CommitFailed { .. })),
            "{:?}",
            answers[1]
        );
    }
}
