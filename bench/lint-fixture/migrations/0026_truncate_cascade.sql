-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
TRUNCATE customers CASCADE;
