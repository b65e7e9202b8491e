-- depends: users.sql
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  published_at TEXT
);

-- An author's page lists their posts, newest first.
CREATE INDEX posts_by_author ON posts (author_id, published_at);
