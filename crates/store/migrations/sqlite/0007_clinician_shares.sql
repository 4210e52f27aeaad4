-- Links a person makes for a clinician. The link's secret is never stored: `secret_hash` (its
-- SHA-256) finds the row, and the content (what the share includes and the summary itself,
-- `sealed`; the FHIR bundle, `sealed_fhir`) is sealed under a random key that is kept only
-- wrapped under the secret (and the PIN, when there is one), so the database alone opens no
-- share. Revoking, expiry and too many wrong PINs clear the three blobs and keep the row, so
-- that an old link can still say it has ended. `pin_streak` counts the wrong PINs since the
-- last lock, `failed_pins` all of them; both are changed in single statements, so every
-- instance on the database counts the same.
-- Kept equivalent to migrations/postgres/0007_clinician_shares.sql (BLOB here is BYTEA there,
-- INTEGER is BIGINT, and has_pin is an INTEGER 0/1 here, a BOOLEAN there).
CREATE TABLE clinician_shares (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash  TEXT    NOT NULL,
    wrapped_key  BLOB,
    sealed       BLOB,
    sealed_fhir  BLOB,
    has_pin      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    failed_pins  INTEGER NOT NULL DEFAULT 0,
    pin_streak   INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    CONSTRAINT clinician_shares_secret_hash_unique UNIQUE (secret_hash)
) STRICT;

-- Serves both the cascade and the person's newest-first list.
CREATE INDEX clinician_shares_user_id_created_at ON clinician_shares (user_id, created_at);

-- When each share was opened: the person's access log.
CREATE TABLE clinician_share_openings (
    share_id  TEXT    NOT NULL REFERENCES clinician_shares (id) ON DELETE CASCADE,
    opened_at INTEGER NOT NULL
) STRICT;

CREATE INDEX clinician_share_openings_share_id ON clinician_share_openings (share_id, opened_at);
