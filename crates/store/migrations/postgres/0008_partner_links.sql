-- Linked partners. Two accounts share one random link key, stored only wrapped: under each
-- partner's data key (partner_members.wrapped_key) and, while an invitation is open, under
-- its one-time code. What a partner shares (partner_members.shared), their private marks of
-- positions (partner_members.marks) and the occasions both logged (partner_occasions.sealed)
-- are sealed under the link key by the application; the store sees opaque bytes. Ending a
-- link deletes its row, and with it every wrapped copy of the key and everything sealed
-- under it. An account holds at most one link and one open invitation.
-- Kept equivalent to migrations/sqlite/0008_partner_links.sql (BYTEA here is BLOB there).
CREATE TABLE partner_invitations (
    code_hash   TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    link_id     TEXT    NOT NULL,
    under_code  BYTEA   NOT NULL,
    under_key   BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE TABLE partner_links (
    id          TEXT    NOT NULL PRIMARY KEY,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE partner_members (
    user_id     TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    link_id     TEXT    NOT NULL REFERENCES partner_links (id) ON DELETE CASCADE,
    wrapped_key BYTEA   NOT NULL,
    shared      BYTEA,
    marks       BYTEA,
    updated_at  BIGINT  NOT NULL
);

CREATE INDEX partner_members_by_link ON partner_members (link_id);

CREATE TABLE partner_occasions (
    id          TEXT    NOT NULL PRIMARY KEY,
    link_id     TEXT    NOT NULL REFERENCES partner_links (id) ON DELETE CASCADE,
    sealed      BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE INDEX partner_occasions_by_link ON partner_occasions (link_id, created_at);
