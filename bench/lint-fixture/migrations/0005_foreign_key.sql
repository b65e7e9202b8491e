-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
ALTER TABLE accounts ADD CONSTRAINT accounts_parent_fk FOREIGN KEY (parent_id) REFERENCES accounts (id);
