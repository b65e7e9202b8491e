-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE DOMAIN positive AS bigint CHECK (VALUE > 0);
