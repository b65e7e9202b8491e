-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER DOMAIN positive ADD CONSTRAINT positive_small CHECK (VALUE < 1000);
