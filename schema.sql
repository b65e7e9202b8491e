CREATE TABLE post_tags (
  post_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL,
  PRIMARY KEY (post_id, tag_id),
  FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
  FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE posts (
  id INTEGER,
  author_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  published_at TEXT,
  PRIMARY KEY (id),
  FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE tags (
  id INTEGER,
  name TEXT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE (name)
);

CREATE TABLE users (
  id INTEGER,
  email TEXT COLLATE NOCASE NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  display_name TEXT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE (email)
);

CREATE INDEX posts_by_author ON posts (author_id, published_at);

CREATE VIEW author_stats AS SELECT u.id AS author_id, u.display_name, count(p.id) AS posts, max(p.published_at) AS last_published_at FROM users AS u LEFT JOIN posts AS p ON p.author_id = u.id GROUP BY u.id;
