-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text, name text NOT NULL, amount bigint, parent_id bigint, created_at timestamptz);
CREATE TABLE events (id bigint, body text);
CREATE TABLE measurements (id bigint, taken timestamptz) PARTITION BY RANGE (taken);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE TYPE mood AS ENUM ('ok', 'sad');
