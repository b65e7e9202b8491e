-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
