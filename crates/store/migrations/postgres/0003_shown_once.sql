-- A secret the person is shown once — a new recovery code, a new API token — waiting in their
-- session until they say they have saved it, so that the page showing it can be reached by a
-- redirect and reloaded without repeating what made it. Sealed under a key wrapped with the
-- session's cookie token (which the server keeps only as a hash), like `wrapped_key`: a copy
-- of the database cannot read it. NULL when nothing is waiting.
-- Kept equivalent to migrations/sqlite/0003_shown_once.sql (BYTEA here is BLOB there).
ALTER TABLE sessions ADD COLUMN shown_once BYTEA;
