-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE accounts ADD CONSTRAINT accounts_amount_check CHECK (amount >= 0);
