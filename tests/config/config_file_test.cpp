#include <catch2/catch.hpp>

#include "config/config_file.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

std::string read_error(const std::filesystem::path& path) {
  try {
    ConfigFile::read(path);
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no ConfigError reading " << path);
  return {};
}

}  // namespace

TEST_CASE("config_file: the DESIGN.md example reads, comments and all", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n"
             "\tdir = migrations              # where migration files live\n"
             "\tdatabase = sqlite:migrate.db  # the embedded default\n"
             "\ttable = schema_migrations     # the state table\n"
             "\tmodels = app/models/**        # globs whose change needs a migration\n"
             "\tupstream = origin/main        # what \"already shared\" means for the hooks\n"
             "\tid-format = second\n"
             "[env \"production\"]\n"
             "\tdatabase = ${DATABASE_URL}\n"
             "; a comment line\n"
             "[env \"staging.eu\"]\n"
             "\tdatabase = sqlite:staging.db\n"
             "\ttable = other_table\n");
  ConfigFile file = ConfigFile::read(dir / "migrate.conf");
  CHECK(file.path() == dir / "migrate.conf");
  CHECK(file.get("migrate.dir") == std::optional<std::string>("migrations"));
  CHECK(file.get("migrate.database") == std::optional<std::string>("sqlite:migrate.db"));
  CHECK(file.get("migrate.table") == std::optional<std::string>("schema_migrations"));
  CHECK(file.get("migrate.models") == std::optional<std::string>("app/models/**"));
  CHECK(file.get("migrate.upstream") == std::optional<std::string>("origin/main"));
  CHECK(file.get("migrate.id-format") == std::optional<std::string>("second"));
  CHECK(file.get("env.production.database") == std::optional<std::string>("${DATABASE_URL}"));
  CHECK(file.get("env.staging.eu.table") == std::optional<std::string>("other_table"));
  CHECK_FALSE(file.get("env.production.table"));
  CHECK_FALSE(file.get("migrate.nothing"));
  CHECK(file.environments() == std::vector<std::string>{"production", "staging.eu"});
}

TEST_CASE("config_file: repeated keys: get gives the last, get_all every one", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n"
             "  models = app/models/**\n"
             "  models = db/schema.rb lib/*.sql\n"
             "  dir = first\n"
             "  dir = second\n");
  ConfigFile file = ConfigFile::read(dir / "migrate.conf");
  CHECK(file.get_all("migrate.models") ==
        std::vector<std::string>{"app/models/**", "db/schema.rb lib/*.sql"});
  CHECK(file.get("migrate.dir") == std::optional<std::string>("second"));
  CHECK(file.get_all("migrate.table").empty());
  CHECK(file.environments().empty());
}

TEST_CASE("config_file: section and key names are case-insensitive as in git", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[Migrate]\n  DIR = db/migrations\n");
  ConfigFile file = ConfigFile::read(dir / "migrate.conf");
  CHECK(file.get("migrate.dir") == std::optional<std::string>("db/migrations"));
}

TEST_CASE("config_file: an empty file is fine", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "");
  ConfigFile file = ConfigFile::read(dir / "migrate.conf");
  CHECK_FALSE(file.get("migrate.dir"));
}

TEST_CASE("config_file: malformed syntax is an error naming the file", "[config]") {
  TempDir dir;
  std::filesystem::path path = dir / "migrate.conf";
  for (std::string_view text :
       {"[migrate\n  dir = x\n", "[]\n  dir = x\n", "[migrate]\n  = value\n",
        "[env \"prod]\n database = x\n", "[migrate]\n  this is not config\n"}) {
    INFO(text);
    write_text(path, text);
    std::string message = read_error(path);
    CHECK_THAT(message, StartsWith(path.string() + " is not valid git-config syntax: "));
  }
}

TEST_CASE("config_file: unknown keys and sections are errors, not silent defaults", "[config]") {
  TempDir dir;
  std::filesystem::path path = dir / "migrate.conf";
  write_text(path, "[migrate]\n  databse = sqlite:x.db\n");
  CHECK(read_error(path) == path.string() +
                                ": unknown setting 'migrate.databse': the [migrate] "
                                "keys are dir, database, table, models, upstream, "
                                "id-format, format, skip-go, dump, dev-database, schema, "
                                "schema-command, schema-command-timeout and lint-small-table");
  write_text(path, "[env \"prod\"]\n  dir = x\n");
  CHECK(read_error(path) == path.string() +
                                ": unknown setting 'env.prod.dir': an [env \"NAME\"] "
                                "section takes database and table");
  write_text(path, "[env]\n  database = sqlite:x.db\n");
  CHECK_THAT(read_error(path), Contains("unknown setting 'env.database'"));
  write_text(path, "[migrate \"x\"]\n  dir = x\n");
  CHECK_THAT(read_error(path), Contains("unknown setting 'migrate.x.dir'"));
  write_text(path, "dir = migrations\n[migrate]\n");  // a setting before any section
  CHECK(read_error(path) == path.string() +
                                ": unknown setting 'dir': the sections are "
                                "[migrate], [env \"NAME\"], [placeholders], [lint] and "
                                "[lint \"severity\"]");
  write_text(path, "[core]\n  editor = vi\n");
  CHECK(read_error(path) == path.string() +
                                ": unknown setting 'core.editor': the sections are "
                                "[migrate], [env \"NAME\"], [placeholders], [lint] and "
                                "[lint \"severity\"]");
  write_text(path, "[lint]\n  enable = x\n");
  CHECK(read_error(path) == path.string() +
                                ": unknown setting 'lint.enable': [lint] takes disable = RULE… "
                                "and upgrade-sets = lock_timeout statement_timeout, and [lint "
                                "\"severity\"] RULE = error, warning or note");
  write_text(path, "[lint \"severities\"]\n  x = note\n");
  CHECK_THAT(read_error(path), Contains("unknown setting 'lint.severities.x'"));
}

TEST_CASE("config_file: a missing file is an error naming it", "[config]") {
  TempDir dir;
  CHECK(read_error(dir / "nope.conf") ==
        "the config file " + (dir / "nope.conf").string() + " does not exist");
}

TEST_CASE("config_file: found by walking up from a subfolder", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n");
  std::filesystem::create_directories(dir / "a" / "b" / "c");
  CHECK(find_config_file(dir / "a" / "b" / "c") == std::optional(dir / "migrate.conf"));
  CHECK(find_config_file(dir.path()) == std::optional(dir / "migrate.conf"));
  // the nearest one wins
  write_text(dir / "a" / "migrate.conf", "[migrate]\n");
  CHECK(find_config_file(dir / "a" / "b" / "c") == std::optional(dir / "a" / "migrate.conf"));
  // a folder called migrate.conf is not the file
  std::filesystem::create_directories(dir / "a" / "b" / "migrate.conf");
  CHECK(find_config_file(dir / "a" / "b" / "c") == std::optional(dir / "a" / "migrate.conf"));
}

TEST_CASE("config_file: none found", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "x");
  // nothing above the temporary folder should hold one either
  std::optional<std::filesystem::path> found = find_config_file(dir / "x");
  if (found) {
    WARN("a stray " << found->string() << " above the temporary folder");
  }
  CHECK((!found || !found->string().starts_with(dir.path().string())));
}
