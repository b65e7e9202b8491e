-- Unsafe on purpose: the shared fixture of bench/lint.sh.
-- migrate:up
CREATE TABLE legacy_orders (a int, b smallint, c serial, d varchar(10), e timestamp, f char(3));
