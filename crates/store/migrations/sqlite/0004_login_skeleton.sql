-- Each login's confusable skeleton (Unicode Technical Standard #39), computed by the
-- application, unique: a login that only looks like another (a Cyrillic "а" for a Latin "a")
-- cannot become a second account. NULL for an account made before this column existed until
-- the server fills it in at start; NULLs never collide.
-- Kept equivalent to migrations/postgres/0004_login_skeleton.sql.
ALTER TABLE users ADD COLUMN login_skeleton TEXT;
CREATE UNIQUE INDEX users_login_skeleton_unique ON users (login_skeleton);
