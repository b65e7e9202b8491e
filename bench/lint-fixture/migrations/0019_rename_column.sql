-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE accounts RENAME COLUMN email TO email_address;
