-- A secret the person is shown once — a new recovery code, a new API token — waiting in their
-- session until they say they have saved it, so that the page showing it can be reached by a
-- redirect and reloaded without repeating what made it. Sealed under a key wrapped with the
-- session's cookie token (which the server keeps only as a hash), like `wrapped_key`: a copy
-- of the database cannot read it. NULL when nothing is waiting.
-- Kept equivalent to migrations/postgres/0003_shown_once.sql (BLOB here is BYTEA there).
ALTER TABLE sessions ADD COLUMN shown_once BLOB;
