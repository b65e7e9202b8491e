-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TYPE mood ADD VALUE 'happy';
