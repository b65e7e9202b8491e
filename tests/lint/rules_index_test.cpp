// The index family on PostgreSQL's own parse trees: each rule triggered, its safe form not, and
// what migrate knows (new tables, the section's transaction, the server version) deciding.
#include <catch2/catch.hpp>

#include "db/engine.hpp"
#include "lint/pg_node.hpp"
#include "lint/rules_index.hpp"
#include "support/lint_sql.hpp"
#include "util/error.hpp"

using namespace migrate;
using namespace migrate::test;
using Names = std::vector<std::string>;

namespace {}  // namespace

TEST_CASE("lint index: CREATE INDEX blocks writes unless CONCURRENTLY or on a new table",
          "[lint][lint_index]") {
  std::vector<Finding> findings =
      lint_only(index_rules(), "CREATE INDEX users_email ON users (email);");
  CHECK(rule_names(findings) == Names{"require-concurrent-index-creation"});
  CHECK(findings.at(0).severity == Severity::error);
  CHECK(findings.at(0).detail == "CREATE INDEX on users without CONCURRENTLY blocks its writes");
  CHECK(findings.at(0).line == 1);
  CHECK(findings.at(0).file == "m.sql");

  CHECK(lint_only(index_rules(), "CREATE INDEX CONCURRENTLY users_email ON users (email);", false)
            .empty());
  // Created earlier in the migration, or in an unreleased one: nobody writes to it yet.
  CHECK(lint_only(index_rules(),
                  "CREATE TABLE users (email text);\n"
                  "CREATE INDEX users_email ON users (email);")
            .empty());
  CHECK(lint_only(index_rules(),
                  "SELECT * INTO users_copy FROM users;\n"
                  "CREATE INDEX users_copy_email ON users_copy (email);")
            .empty());
  // A partitioned table (made by any migration before): no CONCURRENTLY there, another way.
  LintContext partitioned;
  PgNode create = parse_pg_node_json(
      *engine_for_scheme("postgres")
           ->dialect()
           .parse_tree("CREATE TABLE events (at timestamptz) PARTITION BY RANGE (at)"));
  partitioned.note_partitioned(*create.list("stmts").front().field("stmt"));
  std::vector<Finding> on_parent =
      lint_only(index_rules(), "CREATE INDEX events_at ON events (at);", true, partitioned);
  REQUIRE(rule_names(on_parent) == Names{"require-concurrent-index-creation"});
  CHECK_THAT(on_parent[0].detail,
             Catch::StartsWith("CREATE INDEX on partitioned table events blocks writes") &&
                 Catch::Contains("create the index ON ONLY events"));
  // ON ONLY a partitioned table: the parent's (invalid) index alone, made at once; PostgreSQL
  // refuses CONCURRENTLY there.
  CHECK(lint_only(index_rules(), "CREATE INDEX events_at ON ONLY events (at);").empty());
  LintContext released;
  released.add_new_table("", "users");
  CHECK(
      lint_only(index_rules(), "CREATE INDEX users_email ON public.users (email);", true, released)
          .empty());
}

TEST_CASE("lint index: CONCURRENTLY inside a transaction is refused by PostgreSQL",
          "[lint][lint_index]") {
  CHECK(rule_names(lint_only(index_rules(), "CREATE INDEX CONCURRENTLY i ON users (email);")) ==
        Names{"ban-concurrent-index-creation-in-transaction"});
  CHECK(rule_names(lint_only(index_rules(), "DROP INDEX CONCURRENTLY i;")) ==
        Names{"ban-concurrent-index-creation-in-transaction"});
  CHECK(rule_names(lint_only(index_rules(), "REINDEX INDEX CONCURRENTLY i;")) ==
        Names{"ban-concurrent-index-creation-in-transaction"});
  // A BEGIN in a transaction:false section opens one too; its COMMIT closes it.
  std::vector<Finding> findings =
      lint_only(index_rules(),
                "BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;\n"
                "CREATE INDEX CONCURRENTLY j ON users (name);",
                false);
  CHECK(rule_names(findings) == Names{"ban-concurrent-index-creation-in-transaction"});
  CHECK(findings.at(0).line == 2);
}

TEST_CASE("lint index: DROP INDEX, REINDEX and DETACH PARTITION without CONCURRENTLY",
          "[lint][lint_index]") {
  CHECK(rule_names(lint_only(index_rules(), "DROP INDEX users_email;")) ==
        Names{"require-concurrent-index-deletion"});
  CHECK(lint_only(index_rules(), "DROP INDEX CONCURRENTLY IF EXISTS users_email;", false).empty());
  // The index family says nothing of it (the breaking family does).
  CHECK(lint_only(index_rules(), "DROP TABLE users;").empty());

  CHECK(rule_names(lint_only(index_rules(), "REINDEX TABLE users;")) ==
        Names{"require-concurrent-reindex"});
  CHECK(lint_only(index_rules(), "REINDEX (CONCURRENTLY) TABLE users;", false).empty());
  CHECK(lint_only(index_rules(), "REINDEX SYSTEM app;").empty());  // cannot be concurrent

  CHECK(rule_names(lint_only(index_rules(), "ALTER TABLE events DETACH PARTITION events_2024;")) ==
        Names{"require-concurrent-partition-detach"});
  CHECK(lint_only(index_rules(), "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;",
                  false)
            .empty());
  CHECK(lint_only(index_rules(), "ALTER TABLE events DETACH PARTITION events_2024 FINALIZE;")
            .empty());
}

TEST_CASE("lint index: CONCURRENTLY on PostgreSQL 14.0 to 14.3 only, with a known server",
          "[lint][lint_index]") {
  std::string_view create = "CREATE INDEX CONCURRENTLY i ON users (email);";
  CHECK(lint_only(index_rules(), create, false).empty());  // version unknown: nothing to say
  for (int version : {140000, 140003}) {
    LintContext context;
    context.server_version = version;
    CHECK(rule_names(lint_only(index_rules(), create, false, context)) ==
          Names{"concurrent-index-pg14-corruption"});
    CHECK(rule_names(lint_only(index_rules(), "REINDEX INDEX CONCURRENTLY i;", false, context)) ==
          Names{"concurrent-index-pg14-corruption"});
  }
  for (int version : {130010, 140004, 150004}) {
    LintContext context;
    context.server_version = version;
    CHECK(lint_only(index_rules(), create, false, context).empty());
  }
}

TEST_CASE("lint index: a non-unique index over more than three columns", "[lint][lint_index]") {
  CHECK(rule_names(lint_only(index_rules(), "CREATE INDEX CONCURRENTLY i ON t (a, b, c, d);",
                             false)) == Names{"index-too-many-columns"});
  CHECK(lint_only(index_rules(), "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a, b, c, d);", false)
            .empty());
  CHECK(
      lint_only(index_rules(), "CREATE INDEX CONCURRENTLY i ON t (a, b, c) INCLUDE (d, e);", false)
          .empty());
}

TEST_CASE("lint: SQL PostgreSQL's parser refuses is exit 2 at its line", "[lint]") {
  try {
    lint_only(index_rules(), "CREATE TABLE a (x int);\nCREATE INDEX ON ;");
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.line() == 2);
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK_THAT(e.what(), Catch::Contains("m.sql:2"));
  }
}
