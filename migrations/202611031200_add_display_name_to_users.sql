-- Add a display name to users.
--
-- Backfilled from the part of the email before the '@'; new sign-ups choose their own.
-- depends: 202611021030_index_posts_by_author
-- migrate:up
ALTER TABLE users ADD COLUMN display_name TEXT;

UPDATE users
SET display_name = substr(email, 1, instr(email, '@') - 1)
WHERE display_name IS NULL;

-- migrate:down
ALTER TABLE users DROP COLUMN display_name;
