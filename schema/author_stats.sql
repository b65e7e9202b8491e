-- depends: users.sql, posts.sql
CREATE VIEW author_stats AS
SELECT u.id AS author_id, u.display_name, count(p.id) AS posts,
       max(p.published_at) AS last_published_at
FROM users AS u
LEFT JOIN posts AS p ON p.author_id = u.id
GROUP BY u.id;
