-- The people who write: the model `migrate create` generates migrations towards.
-- Edit it, then `make migrate-create MESSAGE="…"` writes the migration (README, "The daily loop").
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT COLLATE NOCASE NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  display_name TEXT NOT NULL
);
