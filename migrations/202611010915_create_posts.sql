-- Create the posts table.
--
-- A post belongs to its author; deleting a user deletes their posts.
-- legacy_slug keeps the URLs of the old blog until they are redirected.
-- depends: 202611010900_create_users
-- migrate:up
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  legacy_slug TEXT,
  published_at TEXT
);

-- migrate:down
DROP TABLE posts;
