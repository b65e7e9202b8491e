-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
REINDEX INDEX accounts_email_idx;
