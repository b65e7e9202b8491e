-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
DROP TABLE events;
