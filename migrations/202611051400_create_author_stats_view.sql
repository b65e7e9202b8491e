-- Create the author_stats view.
--
-- Posts per author and their latest publication, for the admin dashboard.
-- depends: 202611041000_drop_legacy_slug_from_posts
-- migrate:up
CREATE VIEW author_stats AS
SELECT u.id AS author_id,
       u.display_name,
       count(p.id) AS posts,
       max(p.published_at) AS last_published_at
FROM users AS u
LEFT JOIN posts AS p ON p.author_id = u.id
GROUP BY u.id;

-- migrate:down
DROP VIEW author_stats;
