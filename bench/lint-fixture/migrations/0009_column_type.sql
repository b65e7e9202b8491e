-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric;
