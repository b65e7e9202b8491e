-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE TABLE a_table_name_that_is_much_longer_than_the_sixty_three_bytes_postgres_keeps (id bigint);
