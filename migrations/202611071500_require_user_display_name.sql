-- Require a display name for every user.
--
-- SQLite cannot add NOT NULL to a column, so the table is rebuilt (SQLite's documented
-- procedure): foreign keys are off while posts briefly point at a table being replaced, and
-- checked before commit. The view over users is dropped and recreated around the rebuild.
-- depends: 202611061100_create_tags
-- migrate:up foreign_keys:off
DROP VIEW author_stats;

CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  display_name TEXT NOT NULL
);

INSERT INTO users_new (id, email, created_at, display_name)
SELECT id, email, created_at, coalesce(display_name, email) FROM users;

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE VIEW author_stats AS
SELECT u.id AS author_id,
       u.display_name,
       count(p.id) AS posts,
       max(p.published_at) AS last_published_at
FROM users AS u
LEFT JOIN posts AS p ON p.author_id = u.id
GROUP BY u.id;

-- migrate:down foreign_keys:off
DROP VIEW author_stats;

CREATE TABLE users_old (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  display_name TEXT
);

INSERT INTO users_old (id, email, created_at, display_name)
SELECT id, email, created_at, display_name FROM users;

DROP TABLE users;
ALTER TABLE users_old RENAME TO users;

CREATE VIEW author_stats AS
SELECT u.id AS author_id,
       u.display_name,
       count(p.id) AS posts,
       max(p.published_at) AS last_published_at
FROM users AS u
LEFT JOIN posts AS p ON p.author_id = u.id
GROUP BY u.id;
