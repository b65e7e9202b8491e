-- Drop posts.legacy_slug.
--
-- The old blog's URLs are redirected now. Irreversible on purpose: the slugs are gone once this
-- runs, so there is no down section, and a downgrade past it is refused.
-- depends: 202611031200_add_display_name_to_users
-- migrate:up
ALTER TABLE posts DROP COLUMN legacy_slug;

-- migrate:down
