-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE INDEX accounts_email_idx ON accounts (email);
