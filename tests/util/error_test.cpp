// The error types: each is named by what failed and carries the exit code of that kind of
// failure (ARCHITECTURE.md, "Errors and exit codes"), with its message as given.
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

using namespace migrate;

namespace {

/// The exit code and message `error` carries, seen as the one catch in cli::Tool sees it.
std::pair<ExitCode, std::string> seen(const Error& error) {
  return {error.exit_code(), error.what()};
}

}  // namespace

// Only a named type makes an Error: a bare Error(ExitCode, message) would pick its exit code
// at the throw site.
static_assert(!std::is_constructible_v<Error, ExitCode, std::string>);

TEST_CASE("error: bad input is exit 2, whatever the input was", "[util]") {
  CHECK(seen(UsageError("flags")) == std::pair{ExitCode::bad_input, std::string("flags")});
  CHECK(seen(ConfigError("conf")) == std::pair{ExitCode::bad_input, std::string("conf")});
  CHECK(seen(InvalidFiles("files")) == std::pair{ExitCode::bad_input, std::string("files")});
  CHECK(seen(GraphError("graph")) == std::pair{ExitCode::bad_input, std::string("graph")});
}

TEST_CASE("error: a ParseError is exit 2 and starts with file:line", "[util]") {
  ParseError at_line("migrations/1_a.sql", 3, "no up section");
  CHECK(seen(at_line) ==
        std::pair{ExitCode::bad_input, std::string("migrations/1_a.sql:3: no up section")});
  CHECK(at_line.file() == "migrations/1_a.sql");
  CHECK(at_line.line() == 3);
  CHECK(std::string(ParseError("b.sql", 0, "bad name").what()) == "b.sql: bad name");
}

TEST_CASE("error: what fails while running is exit 1", "[util]") {
  CHECK(seen(DbError("db")) == std::pair{ExitCode::failure, std::string("db")});
  CHECK(seen(IoError("io")) == std::pair{ExitCode::failure, std::string("io")});
  CHECK(seen(InternalError("bug")) == std::pair{ExitCode::failure, std::string("bug")});
}

TEST_CASE("error: a check that did not pass is exit 3", "[util]") {
  CHECK(seen(CheckFailed("drift")) == std::pair{ExitCode::check_failed, std::string("drift")});
}
