-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
UPDATE customers SET name = 'a', name = 'b';
