-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE measurements DETACH PARTITION measurements_2024;
