-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up transaction:false
ALTER TABLE customers ADD COLUMN note text;
CREATE INDEX CONCURRENTLY customers_note_idx ON customers (note);
