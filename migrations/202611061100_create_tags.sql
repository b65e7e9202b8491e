-- Create tags and tag posts.
--
-- A tag's name is unique; a post has each tag at most once.
-- depends: 202611051400_create_author_stats_view
-- migrate:up
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, tag_id)
) WITHOUT ROWID;

-- migrate:down
DROP TABLE post_tags;
DROP TABLE tags;
