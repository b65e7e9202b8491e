// The misc family on PostgreSQL's own parse trees: domains with constraints, TRUNCATE CASCADE,
// names PostgreSQL cuts to 63 bytes, columns named twice, and enum values added last.
#include <catch2/catch.hpp>

#include "lint/rules_misc.hpp"
#include "support/lint_family.hpp"
#include "support/lint_sql.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {

/// The misc family's findings on `sql` (see lint_postgres).
std::vector<Finding> lint(std::string_view sql) {
  return only_family(lint_postgres(sql), misc_rules());
}

}  // namespace

TEST_CASE("lint misc: a domain created with a CHECK or NOT NULL", "[lint][lint_misc]") {
  std::vector<Finding> findings = lint("CREATE DOMAIN email AS text CHECK (VALUE ~ '@');");
  CHECK(rule_names(findings) == Names{"ban-create-domain-with-constraint"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "domain email has a constraint: changing it later checks every column using it");
  CHECK(rule_names(lint("CREATE DOMAIN app.code AS text NOT NULL;")) ==
        Names{"ban-create-domain-with-constraint"});
  // The safe way: a bare domain, the constraint on the table. A DEFAULT constrains nothing.
  CHECK(lint("CREATE DOMAIN email AS text;\n"
             "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email ~ '@') NOT VALID;")
            .empty());
  CHECK(lint("CREATE DOMAIN email AS text DEFAULT '';").empty());  // squawk flags it
}

TEST_CASE("lint misc: a constraint added to an existing domain", "[lint][lint_misc]") {
  std::vector<Finding> findings =
      lint("ALTER DOMAIN email ADD CONSTRAINT email_at CHECK (VALUE ~ '@');");
  CHECK(rule_names(findings) == Names{"ban-alter-domain-with-add-constraint"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "constraint added to domain email: every column using it is checked, blocking writes");
  CHECK(lint("ALTER DOMAIN email SET NOT NULL;").at(0).detail ==
        "NOT NULL added to domain email: every column using it is checked, blocking writes");

  // NOT VALID checks nothing now: a note that the VALIDATE will.
  findings = lint("ALTER DOMAIN email ADD CONSTRAINT email_at CHECK (VALUE ~ '@') NOT VALID;");
  CHECK(rule_names(findings) == Names{"ban-alter-domain-with-add-constraint"});
  CHECK(findings.at(0).severity == Severity::note);

  CHECK(lint("ALTER DOMAIN email DROP NOT NULL;").empty());
  CHECK(lint("ALTER DOMAIN email DROP CONSTRAINT email_at;").empty());
  // A domain created earlier in the section: no column uses it yet (the CREATE is reported).
  CHECK(rule_names(lint("CREATE DOMAIN email AS text;\n"
                        "ALTER DOMAIN email ADD CONSTRAINT email_at CHECK (VALUE ~ '@');"))
            .empty());
}

TEST_CASE("lint misc: an enum value added with no place in the order", "[lint][lint_misc]") {
  std::vector<Finding> findings = lint("ALTER TYPE app.order_status ADD VALUE 'packed';");
  CHECK(rule_names(findings) == Names{"require-enum-value-ordering"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail ==
        "value 'packed' added last to enum app.order_status: it sorts after every other value");
  CHECK(rule_names(lint("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';")) ==
        Names{"require-enum-value-ordering"});
  // The safe way: BEFORE or AFTER. A rename keeps the value's place.
  CHECK(lint("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'packed' AFTER 'paid';").empty());
  CHECK(lint("ALTER TYPE order_status ADD VALUE 'draft' BEFORE 'paid';").empty());
  CHECK(lint("ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';").empty());
  // An enum created earlier in the section: its CREATE TYPE sets the order.
  CHECK(
      lint("CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TYPE mood ADD VALUE 'happy';").empty());
}

TEST_CASE("lint misc: TRUNCATE CASCADE", "[lint][lint_misc]") {
  std::vector<Finding> findings = lint("TRUNCATE orders CASCADE;");
  CHECK(rule_names(findings) == Names{"ban-truncate-cascade"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail ==
        "TRUNCATE orders CASCADE also empties every table that "
        "references it");
  CHECK(lint("TRUNCATE app.orders, order_items CASCADE;").at(0).detail ==
        "TRUNCATE app.orders, order_items CASCADE also empties every table that references them");
  CHECK(lint("TRUNCATE orders, order_items;").empty());
  CHECK(lint("TRUNCATE orders RESTRICT;").empty());
}

TEST_CASE("lint misc: names longer than 63 bytes", "[lint][lint_misc]") {
  std::string at_limit(63, 'a');  // the longest name PostgreSQL keeps whole
  std::string long_name = at_limit + "_suffix";
  std::vector<Finding> findings = lint("CREATE TABLE " + long_name + " (id bigint);");
  CHECK(rule_names(findings) == Names{"identifier-too-long"});
  CHECK(findings.at(0).severity == Severity::warning);
  CHECK(findings.at(0).detail == "a name longer than 63 bytes: PostgreSQL cuts it to " + at_limit);

  CHECK(lint("CREATE TABLE " + at_limit + " (id bigint);").empty());
  CHECK(lint("COMMENT ON TABLE t IS '" + at_limit + "';").empty());  // a literal is not cut
  // Columns, constraints, indexes, quoted and upper-case names; one finding per name.
  CHECK(rule_names(lint("ALTER TABLE t ADD COLUMN \"" + long_name + "\" int;")) ==
        Names{"identifier-too-long"});
  CHECK(rule_names(lint("ALTER TABLE t ADD CONSTRAINT C" + long_name + " CHECK (true);")) ==
        Names{"identifier-too-long"});
  CHECK(rule_names(lint("CREATE INDEX " + long_name + " ON t (" + long_name + ");")) ==
        Names{"identifier-too-long"});
  // Cut at a character boundary: 31 two-byte characters (62 bytes) are kept of 32.
  std::string accents;
  for (int i = 0; i < 32; ++i) {
    accents += "\xc3\xa9";  // é
  }
  CHECK(rule_names(lint("CREATE TABLE " + accents + " (id bigint);")) ==
        Names{"identifier-too-long"});
  CHECK(lint("CREATE TABLE " + accents.substr(2) + " (id bigint);").empty());
}

TEST_CASE("lint misc: a column assigned twice", "[lint][lint_misc]") {
  std::vector<Finding> findings = lint("UPDATE users SET name = 'x', name = 'y';");
  CHECK(rule_names(findings) == Names{"ban-duplicate-column-assignments"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail == "column name is assigned more than once");
  CHECK(lint("UPDATE users SET name = 'x', email = 'y';").empty());

  CHECK(rule_names(lint("UPDATE t SET a = 1, (a, b) = (2, 3);")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("INSERT INTO t (a, b, a) VALUES (1, 2, 3);")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 1, "
                        "b = 2;")) == Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("MERGE INTO t USING s ON t.id = s.id "
                        "WHEN NOT MATCHED THEN INSERT (a, a) VALUES (1, 2);")) ==
        Names{"ban-duplicate-column-assignments"});
  // Parts of one column may be assigned separately; the whole and a part may not.
  CHECK(lint("UPDATE t SET c[1] = 1, c[2] = 2, d.x = 1, d.y = 2;").empty());
  CHECK(rule_names(lint("UPDATE t SET c = '{}', c[1] = 1;")) ==
        Names{"ban-duplicate-column-assignments"});
}

TEST_CASE("lint misc: a column defined twice", "[lint][lint_misc]") {
  std::vector<Finding> findings = lint("CREATE TABLE t (a int, b int, a text);");
  CHECK(rule_names(findings) == Names{"ban-duplicate-column-assignments"});
  CHECK(findings.at(0).detail == "column a is defined more than once");
  CHECK(rule_names(lint("CREATE VIEW v (a, a) AS SELECT 1, 2;")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("CREATE VIEW v AS SELECT a, b AS a FROM t;")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("CREATE TABLE x AS SELECT t.a, u.a FROM t, u;")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("CREATE MATERIALIZED VIEW m AS SELECT count(*), count(*) FROM t;")) ==
        Names{"ban-duplicate-column-assignments"});
  CHECK(rule_names(lint("SELECT a, a INTO x FROM t;")) ==
        Names{"ban-duplicate-column-assignments"});

  CHECK(lint("CREATE VIEW v AS SELECT t.a, u.a AS u_a FROM t, u;").empty());
  CHECK(lint("CREATE VIEW v (a, b) AS SELECT a, a FROM t;").empty());  // the list names them
  CHECK(lint("CREATE VIEW v AS SELECT t.*, u.* FROM t, u;").empty());  // not known here
  CHECK(lint("SELECT a, a FROM t;").empty());                          // no table made of it
  CHECK(lint("CREATE TABLE x AS SELECT a FROM t UNION SELECT a FROM u;").empty());
}
