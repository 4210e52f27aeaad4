-- What each journal holds, kept by triggers as entries are written, replaced and deleted
-- (whatever the statement: a write, an import, a move, a key rotation, an account's
-- deletion), so that a write checks its journal's quota by reading one row instead of
-- counting every entry. `version` goes up on every change: a reader that remembers it knows,
-- from one row, whether anything it computed from the journal is still current.
-- Kept equivalent to migrations/postgres/0009_journal_stats.sql.
CREATE TABLE journal_stats (
    user_id TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    entries INTEGER NOT NULL,
    bytes   INTEGER NOT NULL,
    version INTEGER NOT NULL
) STRICT;

INSERT INTO journal_stats (user_id, entries, bytes, version)
    SELECT user_id, COUNT(*), SUM(length(sealed)), 1 FROM journal_entries GROUP BY user_id;

CREATE TRIGGER journal_stats_insert AFTER INSERT ON journal_entries
BEGIN
    INSERT INTO journal_stats (user_id, entries, bytes, version)
        VALUES (NEW.user_id, 1, length(NEW.sealed), 1)
        ON CONFLICT (user_id) DO UPDATE SET
            entries = entries + 1,
            bytes = bytes + excluded.bytes,
            version = version + 1;
END;

CREATE TRIGGER journal_stats_delete AFTER DELETE ON journal_entries
BEGIN
    UPDATE journal_stats SET
        entries = entries - 1,
        bytes = bytes - length(OLD.sealed),
        version = version + 1
        WHERE user_id = OLD.user_id;
END;

-- An update leaves what the old row held and brings what the new one holds (its bytes
-- change with a replacement or a new seal; its owner does not, but nothing here assumes it).
CREATE TRIGGER journal_stats_update AFTER UPDATE ON journal_entries
BEGIN
    UPDATE journal_stats SET
        entries = entries - 1,
        bytes = bytes - length(OLD.sealed),
        version = version + 1
        WHERE user_id = OLD.user_id;
    INSERT INTO journal_stats (user_id, entries, bytes, version)
        VALUES (NEW.user_id, 1, length(NEW.sealed), 1)
        ON CONFLICT (user_id) DO UPDATE SET
            entries = entries + 1,
            bytes = bytes + excluded.bytes,
            version = version + 1;
END;
