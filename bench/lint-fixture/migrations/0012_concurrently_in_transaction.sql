-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE INDEX CONCURRENTLY accounts_created_idx ON accounts (created_at);
