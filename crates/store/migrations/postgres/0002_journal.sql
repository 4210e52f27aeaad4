-- Encryption at rest: per-user keys and the encrypted journal.
-- Kept column for column equivalent to migrations/sqlite/0002_journal.sql: BYTEA here is
-- BLOB there, BIGINT is INTEGER, and the BOOLEAN flag is a 0/1 INTEGER (sqlx reads both as a
-- Rust bool). The store never sees a key or a plaintext: every binary column holds what the
-- application encrypted before the value reached it.

-- Each account's data key, wrapped twice: under a key derived from the password, and under
-- one derived from the recovery code shown once at sign-up. Neither secret is stored, so
-- this row alone opens nothing. The wrapped blobs are self-describing (algorithm and
-- parameters inside), so they need no columns of their own.
CREATE TABLE user_keys (
    user_id          TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_wrapped BYTEA   NOT NULL,
    recovery_wrapped BYTEA   NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);

-- The data key wrapped under the session's cookie token (and, below, the API token), which
-- the server keeps only as a hash: a request that presents the token can unwrap the key, a
-- copy of the database cannot. NULL for a session or token that opens no journal.
ALTER TABLE sessions ADD COLUMN wrapped_key BYTEA;
ALTER TABLE api_tokens ADD COLUMN wrapped_key BYTEA;

-- Synthetic demo accounts, so that they can be told apart from people's (and cleared).
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per journal entry. The id is the client's (so that a retried create is recognised)
-- and, with the write time, is the only thing in the clear: the entry's kind, its date and
-- everything in it are inside `sealed`, encrypted under the user's data key. The length limit
-- keeps ids ids, not a place to put data. COLLATE "C" orders ids by their bytes, as SQLite's
-- default BINARY collation does, so that listings come back in the same order on both.
CREATE TABLE journal_entries (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id         TEXT    COLLATE "C" NOT NULL,
    sealed     BYTEA   NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (user_id, id),
    CONSTRAINT journal_entries_id_length CHECK (length(id) BETWEEN 1 AND 64)
);
