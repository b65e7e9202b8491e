-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
BEGIN;
UPDATE customers SET amount = 0 WHERE amount IS NULL;
COMMIT;
