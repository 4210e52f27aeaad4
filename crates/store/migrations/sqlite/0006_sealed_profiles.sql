-- The saved profile under the user's data key, like the journal: one sealed blob per account
-- (pain types, role, conditions, the partner's), written by the application, which alone
-- holds the key. The clear `profiles` table of 0001 is read once more for an account that
-- still has a row there, the first time its key is open (at sign-in), sealed into this table
-- and the clear row deleted in the same transaction; nothing writes to it any more.
-- Kept equivalent to migrations/postgres/0006_sealed_profiles.sql (BLOB here is BYTEA there).
CREATE TABLE sealed_profiles (
    user_id    TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
