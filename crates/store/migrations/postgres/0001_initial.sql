-- The first schema: accounts, server-side sessions, profiles, API tokens and sign-in throttling.
-- Kept column for column identical to migrations/sqlite/0001_initial.sql: ids are TEXT
-- (UUID v4 strings, chosen by the application) and times are unix seconds, so that both
-- backends behave the same (BIGINT here is SQLite's INTEGER there).

-- login_key is the lower-cased login. Its UNIQUE constraint, not a look-up before the insert,
-- is what keeps two sign-ups for the same name from both succeeding.
CREATE TABLE users (
    id                  TEXT    NOT NULL PRIMARY KEY,
    login               TEXT    NOT NULL,
    login_key           TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    password_changed_at BIGINT  NOT NULL,
    CONSTRAINT users_login_key_unique UNIQUE (login_key)
);

-- Only a hash of the cookie's token is kept, so a copy of the database signs nobody in.
CREATE TABLE sessions (
    id_hash             TEXT    NOT NULL PRIMARY KEY,
    user_id             TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token          TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    idle_expires_at     BIGINT  NOT NULL,
    absolute_expires_at BIGINT  NOT NULL
);

-- Without it, deleting a user (the cascade) and signing out everywhere scan every session.
CREATE INDEX sessions_user_id ON sessions (user_id);

-- The condition lists are JSON arrays of content ids: they are only ever read and written
-- whole, together with the rest of the profile.
CREATE TABLE profiles (
    user_id            TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    pain_type          TEXT,
    role               TEXT,
    conditions         TEXT    NOT NULL,
    partner_pain_type  TEXT,
    partner_conditions TEXT    NOT NULL,
    updated_at         BIGINT  NOT NULL
);

CREATE TABLE api_tokens (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    CONSTRAINT api_tokens_token_hash_unique UNIQUE (token_hash)
);

-- Serves both the cascade and the account page's newest-first list.
CREATE INDEX api_tokens_user_id_created_at ON api_tokens (user_id, created_at);

-- One row per failed sign-in, so that any window can be counted. The keys are opaque to the
-- store (e.g. "account:<login_key>", "address:<ip>") and so are not tied to a user.
CREATE TABLE login_failures (
    throttle_key TEXT    NOT NULL,
    failed_at    BIGINT  NOT NULL
);

CREATE INDEX login_failures_key_failed_at ON login_failures (throttle_key, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
