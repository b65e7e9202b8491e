// The data tests' format (migrations/tests/<id>.sql): parts, expectations, rows, and every way a
// file can break it, named at its line.
#include <catch2/catch.hpp>

#include <filesystem>

#include "migration/migration_dir.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "verify/data_test.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Rows = std::vector<std::vector<std::string>>;

namespace {

DataTest parse(std::string_view text) {
  return parse_data_test("migrations/tests/0002_posts.sql", text);
}

/// The message of the ParseError that `text` gives.
std::string problem(std::string_view text) {
  try {
    parse(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("data_test: the before and after parts, their statements and expectations", "[verify]") {
  DataTest test = parse(
      "-- What the posts migration must keep.\n"
      "\n"
      "-- before:\n"
      "INSERT INTO users (name) VALUES ('ann');\n"
      "INSERT INTO users (name) VALUES ('bob');\n"
      "SELECT name FROM users ORDER BY name;\n"
      "-- expect:\n"
      "-- ann\n"
      "--   bob  \n"
      "\n"
      "-- after:\n"
      "SELECT name, title FROM posts;\n"
      "-- expect:\n"
      "INSERT INTO posts (title) VALUES (NULL);\n"
      "-- expect-error:   NOT NULL  \n"
      "SELECT count(*), max(title) FROM posts;\n"
      "-- expect:\n"
      "-- 0 | NULL\n"
      "\n"
      "-- a comment after a blank line is no row\n"
      "\n"
      "DELETE FROM posts;\n");
  CHECK(test.name == "0002_posts");
  REQUIRE(test.before.size() == 1);
  CHECK(test.before[0].first_line == 4);
  CHECK_THAT(test.before[0].sql, Contains("VALUES ('bob')") && Contains("SELECT name"));
  REQUIRE(test.before[0].expect);
  CHECK(test.before[0].expect->kind == DataTestExpectation::Kind::rows);
  CHECK(test.before[0].expect->rows == Rows{{"ann"}, {"bob"}});
  CHECK(test.before[0].expect->line == 7);
  REQUIRE(test.after.size() == 4);
  CHECK(test.after[0].expect->rows.empty());  // no row
  CHECK(test.after[1].expect->kind == DataTestExpectation::Kind::error);
  CHECK(test.after[1].expect->error == "NOT NULL");
  CHECK(test.after[1].expect->line == 15);
  CHECK(test.after[2].expect->rows == Rows{{"0", "NULL"}});
  CHECK_FALSE(test.after[3].expect);  // statements after the last expectation still run
  CHECK_THAT(test.after[3].sql, Contains("DELETE FROM posts"));
}

TEST_CASE("data_test: the before part may be left out", "[verify]") {
  DataTest test = parse("-- after:\nSELECT 1;\n-- expect:\n-- 1\n");
  CHECK(test.before.empty());
  REQUIRE(test.after.size() == 1);
  CHECK(test.after[0].expect->rows == Rows{{"1"}});
  CHECK(data_test_row_text({"ann", "NULL"}) == "ann | NULL");
}

TEST_CASE("data_test: what breaks the format is named at its line", "[verify][bad-input]") {
  CHECK_THAT(problem("INSERT INTO t VALUES (1);\n-- after:\nSELECT 1;\n"),
             Contains("0002_posts.sql:1: SQL before the first part"));
  CHECK_THAT(problem("-- before:\nSELECT 1;\n"),
             Contains("0002_posts.sql:1: a data test needs an `-- after:` part"));
  CHECK_THAT(problem(""), Contains("needs an `-- after:` part"));
  CHECK_THAT(problem("-- after:\nSELECT 1;\n-- before:\nSELECT 2;\n"),
             Contains(":3: `-- before:` after `-- after:`"));
  CHECK_THAT(problem("-- before:\n-- before:\n-- after:\n"), Contains(":2: a second `-- before:`"));
  CHECK_THAT(problem("-- after:\nSELECT 1;\n-- after:\n"), Contains(":3: a second `-- after:`"));
  CHECK_THAT(problem("-- after:\n-- expect:\n-- 1\n"),
             Contains(":2: an expectation with no statement before it"));
  CHECK_THAT(problem("-- after:\nSELECT 1;\n-- expect:\n-- 1\n-- expect:\n"),
             Contains(":5: an expectation with no statement before it"));
  CHECK_THAT(problem("-- after:\nINSERT INTO t VALUES (NULL);\n-- expect-error:\n"),
             Contains(":3: `-- expect-error:` needs the text"));
  CHECK_THAT(problem("-- expect:\n-- after:\n"), Contains(":1: an expectation before the first"));
}

TEST_CASE("data_test: a folder's tests by name, and none without tests/", "[verify]") {
  TempDir dir;
  CHECK(read_data_tests(dir.path()).empty());
  std::filesystem::create_directories(dir / "tests");
  write_text(dir / "tests/0002_b.sql", "-- after:\nSELECT 2;\n");
  write_text(dir / "tests/0001.sql", "-- after:\nSELECT 1;\n");
  write_text(dir / "tests/README.md", "not a test");
  write_text(dir / "tests/.hidden.sql", "not read");
  std::vector<DataTest> tests = read_data_tests(dir.path());
  REQUIRE(tests.size() == 2);
  CHECK(tests[0].name == "0001");
  CHECK(tests[1].name == "0002_b");
  CHECK(tests[1].file == dir / "tests/0002_b.sql");
}

TEST_CASE("data_test: every malformed file of a folder named in one error", "[verify][bad-input]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "tests");
  write_text(dir / "tests/0001.sql", "SELECT 1;\n");
  CHECK_THROWS_AS(read_data_tests(dir.path()), ParseError);
  write_text(dir / "tests/0002.sql", "-- after:\n-- expect-error:\n");
  try {
    read_data_tests(dir.path());
    FAIL("no error");
  } catch (const InvalidFiles& e) {
    CHECK_THAT(e.what(), Contains("2 data tests do not follow the format") &&
                             Contains("0001.sql:1: SQL before the first part") &&
                             Contains("0002.sql:2: an expectation with no statement"));
    CHECK(e.exit_code() == ExitCode::bad_input);
  }
}
