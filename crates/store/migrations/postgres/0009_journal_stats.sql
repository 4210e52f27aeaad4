-- What each journal holds, kept by a trigger as entries are written, replaced and deleted
-- (whatever the statement: a write, an import, a move, a key rotation, an account's
-- deletion), so that a write checks its journal's quota by reading one row instead of
-- counting every entry. `version` goes up on every change: a reader that remembers it knows,
-- from one row, whether anything it computed from the journal is still current.
-- Kept equivalent to migrations/sqlite/0009_journal_stats.sql.
CREATE TABLE journal_stats (
    user_id TEXT   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    entries BIGINT NOT NULL,
    bytes   BIGINT NOT NULL,
    version BIGINT NOT NULL
);

-- No entry may change between the count and the trigger (another instance still running
-- the previous version, say): the table is locked against writes until this commits.
LOCK TABLE journal_entries IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO journal_stats (user_id, entries, bytes, version)
    SELECT user_id, COUNT(*), SUM(length(sealed)), 1 FROM journal_entries GROUP BY user_id;

CREATE FUNCTION journal_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO journal_stats (user_id, entries, bytes, version)
            VALUES (NEW.user_id, 1, length(NEW.sealed), 1)
            ON CONFLICT (user_id) DO UPDATE SET
                entries = journal_stats.entries + 1,
                bytes = journal_stats.bytes + excluded.bytes,
                version = journal_stats.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE journal_stats SET
            entries = entries - 1,
            bytes = bytes - length(OLD.sealed),
            version = version + 1
            WHERE user_id = OLD.user_id;
    ELSE
        -- What the old row held leaves, what the new one holds comes (its bytes change with
        -- a replacement or a new seal; its owner does not, but nothing here assumes it).
        UPDATE journal_stats SET
            entries = entries - 1,
            bytes = bytes - length(OLD.sealed),
            version = version + 1
            WHERE user_id = OLD.user_id;
        INSERT INTO journal_stats (user_id, entries, bytes, version)
            VALUES (NEW.user_id, 1, length(NEW.sealed), 1)
            ON CONFLICT (user_id) DO UPDATE SET
                entries = journal_stats.entries + 1,
                bytes = journal_stats.bytes + excluded.bytes,
                version = journal_stats.version + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER journal_stats_follow AFTER INSERT OR UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_stats_follow();
