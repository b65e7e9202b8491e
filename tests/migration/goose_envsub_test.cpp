// goose's ENVSUB expansion, form by form, as mfridman/interpolate expands a line.
#include <catch2/catch.hpp>

#include <map>

#include "migration/goose_envsub.hpp"

using namespace migrate;

namespace {

std::string expand(std::string_view line) {
  std::map<std::string, std::string, std::less<>> vars{{"NAME", "alice"}, {"EMPTY", ""}};
  return expand_goose_line(line, [&](std::string_view name) -> std::optional<std::string> {
    auto found = vars.find(name);
    return found == vars.end() ? std::nullopt : std::optional(found->second);
  });
}

std::string failure(std::string_view line) {
  try {
    expand(line);
  } catch (const EnvsubError& e) {
    return e.what();
  }
  FAIL("no error for " << line);
  return {};
}

}  // namespace

TEST_CASE("goose_envsub: the forms goose expands", "[migration]") {
  CHECK(expand("a $NAME b ${NAME}c") == "a alice b alicec");
  CHECK(expand("[$UNSET][${UNSET}]") == "[][]");  // unset: empty, no error
  CHECK(expand("${UNSET:-x} ${EMPTY:-x} ${NAME:-x}") == "x x alice");
  CHECK(expand("${UNSET-x} [${EMPTY-x}] ${NAME-x}") == "x [] alice");
  CHECK(expand("${UNSET:-${NAME}!}") == "alice!");  // a word holds expansions
  CHECK(expand("${NAME?} ${EMPTY?gone}") == "alice ");
  CHECK(expand("${NAME:1} ${NAME:1:2} ${NAME:9}") == "lice li ");
}

TEST_CASE("goose_envsub: escapes, and what stays as written", "[migration]") {
  CHECK(expand("$$ body $$") == "$ body $");  // why goose's README says ENVSUB OFF around $$
  CHECK(expand("\\$NAME") == "$NAME");
  CHECK(expand("a \\\\ b") == "a \\\\ b");
  CHECK(expand("$(cmd) costs 5$") == "$(cmd) costs 5$");
}

TEST_CASE("goose_envsub: what goose refuses", "[migration]") {
  CHECK(failure("${UNSET?}") == "$UNSET: not set");
  CHECK(failure("${UNSET?set it first}") == "$UNSET: set it first");
  CHECK_THAT(failure("SELECT $1"), Catch::Contains("starting with a letter after '$', got '1'"));
  CHECK_THAT(failure("${NAME:?x}"), Catch::Contains("'?x' is not a number"));
  CHECK_THAT(failure("${NAME"), Catch::Contains("without a closing '}'"));
  CHECK_THAT(failure("${NAME:-x"), Catch::Contains("without a closing '}'"));
  CHECK_THAT(failure("${NAME+x}"), Catch::Contains("expected an operator"));
}
