-- Index posts by author and publication date.
--
-- The author page lists an author's posts newest first.
-- depends: 202611010915_create_posts
-- migrate:up
CREATE INDEX posts_by_author ON posts (author_id, published_at);

-- migrate:down
DROP INDEX posts_by_author;
