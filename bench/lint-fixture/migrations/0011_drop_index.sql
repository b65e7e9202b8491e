-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
DROP INDEX accounts_name_idx;
