-- Secrets of the server itself, shared by every instance on the database: the key under
-- which throttling records are kept as keyed hashes (so that the table of recent sign-in
-- failures holds no login and no address in the clear). The first instance to need one
-- writes it; the others read it.
-- Kept equivalent to migrations/sqlite/0005_server_secrets.sql.
CREATE TABLE server_secrets (
    name       TEXT   NOT NULL PRIMARY KEY,
    secret     BYTEA  NOT NULL,
    created_at BIGINT NOT NULL
);

-- Failures recorded before keys were hashed name logins and addresses: they go.
DELETE FROM login_failures;
