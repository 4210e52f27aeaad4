-- Encryption at rest: per-user keys and the encrypted journal.
-- Kept column for column equivalent to migrations/postgres/0002_journal.sql: BLOB here is
-- BYTEA there, INTEGER is BIGINT, and the 0/1 INTEGER flag is a BOOLEAN (sqlx reads both as a
-- Rust bool). The store never sees a key or a plaintext: every binary column holds what the
-- application encrypted before the value reached it.

-- Each account's data key, wrapped twice: under a key derived from the password, and under
-- one derived from the recovery code shown once at sign-up. Neither secret is stored, so
-- this row alone opens nothing. The wrapped blobs are self-describing (algorithm and
-- parameters inside), so they need no columns of their own.
CREATE TABLE user_keys (
    user_id          TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_wrapped BLOB    NOT NULL,
    recovery_wrapped BLOB    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

-- The data key wrapped under the session's cookie token (and, below, the API token), which
-- the server keeps only as a hash: a request that presents the token can unwrap the key, a
-- copy of the database cannot. NULL for a session or token that opens no journal.
ALTER TABLE sessions ADD COLUMN wrapped_key BLOB;
ALTER TABLE api_tokens ADD COLUMN wrapped_key BLOB;

-- Synthetic demo accounts, so that they can be told apart from people's (and cleared).
ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));

-- One row per journal entry. The id is the client's (so that a retried create is recognised)
-- and, with the write time, is the only thing in the clear: the entry's kind, its date and
-- everything in it are inside `sealed`, encrypted under the user's data key. The length limit
-- keeps ids ids, not a place to put data.
CREATE TABLE journal_entries (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, id),
    CONSTRAINT journal_entries_id_length CHECK (length(id) BETWEEN 1 AND 64)
) STRICT;
