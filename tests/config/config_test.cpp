#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "config/environment.hpp"
#include "db/database_url.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kFullConfig =
    "[migrate]\n"
    "  dir = db/migrations\n"
    "  database = sqlite:from_migrate.db\n"
    "  table = my_migrations\n"
    "  models = app/models/** lib/schema.rb\n"
    "  models = more/*.py\n"
    "  upstream = upstream/trunk\n"
    "[env \"production\"]\n"
    "  database = sqlite:from_env.db\n"
    "  table = prod_migrations\n"
    "[env \"staging\"]\n"
    "  database = postgres://app:${PGPASSWORD}@db.example:5432/app\n";

std::string load_error(const ConfigOverrides& overrides, const Vars& vars,
                       const std::filesystem::path& cwd) {
  try {
    load_config(overrides, MapEnvironment(vars), cwd);
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no ConfigError");
  return {};
}

}  // namespace

TEST_CASE("config: the built-in defaults without a migrate.conf", "[config]") {
  TempDir dir;
  Config config = load_config({}, MapEnvironment({}), dir.path());
  CHECK(config.file.empty());
  CHECK(config.root == dir.path());
  CHECK(config.migrations_dir == dir / "migrations");
  CHECK(config.database_url == "sqlite:migrate.db");
  CHECK(config.database_source == "the built-in default");
  CHECK(config.database_base == dir.path());
  CHECK(config.table == "schema_migrations");
  CHECK(config.upstream == "origin/main");
  CHECK(config.models.empty());
  CHECK_FALSE(config.id_seconds);
  CHECK(config.env_name.empty());
}

TEST_CASE("config: every [migrate] setting is read", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  Config config = load_config({}, MapEnvironment({}), dir.path());
  CHECK(config.file == dir / "migrate.conf");
  CHECK(config.root == dir.path());
  CHECK(config.migrations_dir == dir / "db" / "migrations");
  CHECK(config.database_url == "sqlite:from_migrate.db");
  CHECK(config.database_source == "[migrate] in " + (dir / "migrate.conf").string());
  CHECK(config.table == "my_migrations");
  CHECK(config.models == std::vector<std::string>{"app/models/**", "lib/schema.rb", "more/*.py"});
  CHECK(config.upstream == "upstream/trunk");
}

TEST_CASE("config: database precedence", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  Vars vars{{"MIGRATE_DATABASE_URL", "sqlite:from_migrate_url.db"},
            {"DATABASE_URL", "sqlite:from_database_url.db"},
            {"MIGRATE_ENV", "production"}};
  ConfigOverrides overrides;
  overrides.database = "sqlite:from_flag.db";

  SECTION("the flag beats everything") {
    Config config = load_config(overrides, MapEnvironment(vars), dir.path());
    CHECK(config.database_url == "sqlite:from_flag.db");
    CHECK(config.database_source == "--database");
  }
  SECTION("then MIGRATE_DATABASE_URL") {
    Config config = load_config({}, MapEnvironment(vars), dir.path());
    CHECK(config.database_url == "sqlite:from_migrate_url.db");
    CHECK(config.database_source == "MIGRATE_DATABASE_URL");
  }
  SECTION("then DATABASE_URL") {
    vars.erase("MIGRATE_DATABASE_URL");
    Config config = load_config({}, MapEnvironment(vars), dir.path());
    CHECK(config.database_url == "sqlite:from_database_url.db");
    CHECK(config.database_source == "DATABASE_URL");
  }
  SECTION("an empty variable counts as unset") {
    vars["MIGRATE_DATABASE_URL"] = "";
    vars["DATABASE_URL"] = "";
    Config config = load_config({}, MapEnvironment(vars), dir.path());
    CHECK(config.database_url == "sqlite:from_env.db");
  }
  SECTION("then the [env] section chosen by MIGRATE_ENV") {
    vars.erase("MIGRATE_DATABASE_URL");
    vars.erase("DATABASE_URL");
    Config config = load_config({}, MapEnvironment(vars), dir.path());
    CHECK(config.database_url == "sqlite:from_env.db");
    CHECK(config.database_source == "[env \"production\"] in " + (dir / "migrate.conf").string());
    CHECK(config.env_name == "production");
    CHECK(config.table == "prod_migrations");
  }
  SECTION("then [migrate]") {
    Config config = load_config({}, MapEnvironment({}), dir.path());
    CHECK(config.database_url == "sqlite:from_migrate.db");
    CHECK(config.table == "my_migrations");
  }
  SECTION("then the built-in default") {
    write_text(dir / "migrate.conf", "[migrate]\n  dir = m\n");
    Config config = load_config({}, MapEnvironment({}), dir.path());
    CHECK(config.database_url == "sqlite:migrate.db");
    CHECK(config.database_source == "the built-in default");
  }
}

TEST_CASE("config: --env beats MIGRATE_ENV", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[env \"a\"]\n  database = sqlite:a.db\n[env \"b\"]\n  database = sqlite:b.db\n");
  ConfigOverrides overrides;
  overrides.env = "b";
  Config config = load_config(overrides, MapEnvironment(Vars{{"MIGRATE_ENV", "a"}}), dir.path());
  CHECK(config.env_name == "b");
  CHECK(config.database_url == "sqlite:b.db");
  config = load_config({}, MapEnvironment(Vars{{"MIGRATE_ENV", "a"}}), dir.path());
  CHECK(config.database_url == "sqlite:a.db");
}

TEST_CASE("config: an explicit --env beats DATABASE_URL and MIGRATE_DATABASE_URL", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  ConfigOverrides overrides;
  overrides.env = "production";
  Config config = load_config(overrides,
                              MapEnvironment(Vars{{"DATABASE_URL", "sqlite:ambient.db"},
                                                  {"MIGRATE_DATABASE_URL", "sqlite:ambient2.db"}}),
                              dir.path());
  CHECK(config.database_url == "sqlite:from_env.db");
  CHECK(config.database_source == "[env \"production\"] in " + (dir / "migrate.conf").string());
  CHECK(config.notes.empty());
  // MIGRATE_ENV is ambient like the variables: they beat it.
  config = load_config(
      {},
      MapEnvironment(Vars{{"DATABASE_URL", "sqlite:ambient.db"}, {"MIGRATE_ENV", "production"}}),
      dir.path());
  CHECK(config.database_url == "sqlite:ambient.db");
}

TEST_CASE("config: a variable that overrides migrate.conf's database leaves one note", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  Config config =
      load_config({}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:ambient.db"}}), dir.path());
  REQUIRE(config.notes.size() == 1);
  CHECK_THAT(config.notes[0], StartsWith("DATABASE_URL is set, so it is used instead of the "
                                         "database in [migrate] in " +
                                         (dir / "migrate.conf").string()));
  // The same URL (database = ${DATABASE_URL}) is no override.
  config =
      load_config({}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:from_migrate.db"}}), dir.path());
  CHECK(config.notes.empty());
  // Nothing configured: nothing to override.
  TempDir bare;
  write_text(bare / "migrate.conf", "[migrate]\n  dir = m\n");
  config = load_config({}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:x.db"}}), bare.path());
  CHECK(config.notes.empty());
}

TEST_CASE("config: without migrate.conf the project is found as git finds .git", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir / ".git");
  std::filesystem::create_directories(dir / "migrations");
  std::filesystem::create_directories(dir / "app" / "models");
  SECTION("the repository's root holds the migrations folder") {
    Config config = load_config({}, MapEnvironment({}), dir / "app" / "models");
    CHECK(config.root == dir.path());
    CHECK(config.migrations_dir == dir / "migrations");
    CHECK(parse_database_url(config.database_url, config.database_base).path == dir / "migrate.db");
    REQUIRE(config.notes.size() == 1);
    CHECK_THAT(config.notes[0], Contains("using the project in " + dir.path().string() +
                                         " (it holds the migrations folder; run from app/models)"));
  }
  SECTION("a nearer folder with its own migrations (a service of a monorepo)") {
    std::filesystem::create_directories(dir / "app" / "migrations");
    Config config = load_config({}, MapEnvironment({}), dir / "app" / "models");
    CHECK(config.root == dir / "app");
  }
  SECTION("no migrations folder yet: the repository's root") {
    std::filesystem::remove(dir / "migrations");
    Config config = load_config({}, MapEnvironment({}), dir / "app" / "models");
    CHECK(config.root == dir.path());
    CHECK_THAT(config.notes.at(0), Contains("(the repository's root; run from app/models)"));
  }
  SECTION("the working directory itself: no note") {
    CHECK(load_config({}, MapEnvironment({}), dir.path()).notes.empty());
  }
}

TEST_CASE("config: outside a repository and without migrate.conf, the working directory",
          "[config]") {
  TempDir dir;
  // A migrations folder above, in no repository, is not this project's.
  std::filesystem::create_directories(dir / "migrations");
  std::filesystem::create_directories(dir / "a" / "b");
  Config config = load_config({}, MapEnvironment({}), dir / "a" / "b");
  CHECK(config.root == dir / "a" / "b");
  CHECK(config.migrations_dir == dir / "a" / "b" / "migrations");
  CHECK(config.notes.empty());
}

TEST_CASE("config: a variable overrides a database whose ${VARIABLE} is unset", "[config]") {
  // CI sets DATABASE_URL only; the developers' ${DEV_DB} is not there, and need not be.
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n  database = sqlite:${DEV_DB}.db\n[env \"test\"]\n  database = "
             "sqlite:${TEST_DB}.db\n");
  Config config =
      load_config({}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:ci.db"}}), dir.path());
  CHECK(config.database_url == "sqlite:ci.db");
  CHECK(config.notes.size() == 1);
  ConfigOverrides flag;
  flag.database = "sqlite:flag.db";
  config = load_config(flag, MapEnvironment(Vars{{"MIGRATE_ENV", "test"}}), dir.path());
  CHECK(config.database_url == "sqlite:flag.db");
  // The URL chosen must expand.
  CHECK_THAT(load_error({}, {}, dir.path()), Contains("${DEV_DB}, which is not set"));
}

TEST_CASE("config: an [env] section without a database falls back to [migrate]", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n  database = sqlite:main.db\n[env \"ci\"]\n  table = ci_migrations\n");
  ConfigOverrides overrides;
  overrides.env = "ci";
  Config config = load_config(overrides, MapEnvironment({}), dir.path());
  CHECK(config.database_url == "sqlite:main.db");
  CHECK(config.table == "ci_migrations");
}

TEST_CASE("config: an unknown --env or MIGRATE_ENV names what exists", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  ConfigOverrides overrides;
  overrides.env = "prod";
  CHECK(load_error(overrides, {}, dir.path()) ==
        "--env prod: " + (dir / "migrate.conf").string() +
            " has no [env \"prod\"] section (it has: production, staging)");
  CHECK(load_error({}, {{"MIGRATE_ENV", "qa"}}, dir.path()) ==
        "MIGRATE_ENV qa: " + (dir / "migrate.conf").string() +
            " has no [env \"qa\"] section (it has: production, staging)");
  write_text(dir / "migrate.conf", "[migrate]\n  dir = m\n");
  CHECK_THAT(load_error(overrides, {}, dir.path()), Contains("(it has: none)"));
}

TEST_CASE("config: --env without any migrate.conf", "[config]") {
  TempDir dir;
  ConfigOverrides overrides;
  overrides.env = "production";
  CHECK(load_error(overrides, {}, dir.path()) ==
        "--env production: there is no migrate.conf to define it in (add [env \"production\"] "
        "with a database = line)");
}

TEST_CASE("config: ${VARIABLES} in the file are expanded", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  ConfigOverrides overrides;
  overrides.env = "staging";
  Config config =
      load_config(overrides, MapEnvironment(Vars{{"PGPASSWORD", "s3cret"}}), dir.path());
  CHECK(config.database_url == "postgres://app:s3cret@db.example:5432/app");
  CHECK(config.table == "my_migrations");  // staging has no table of its own
}

TEST_CASE("config: an unset ${VARIABLE} names it and where it is used", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kFullConfig);
  ConfigOverrides overrides;
  overrides.env = "staging";
  std::string message = load_error(overrides, {}, dir.path());
  CHECK(message == "[env \"staging\"] in " + (dir / "migrate.conf").string() +
                       " uses ${PGPASSWORD}, which is not set in the environment");
}

TEST_CASE("config: the env var URLs are not expanded, they come whole", "[config]") {
  TempDir dir;
  Config config = load_config(
      {}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:${NOT_EXPANDED}.db"}}), dir.path());
  CHECK(config.database_url == "sqlite:${NOT_EXPANDED}.db");
}

TEST_CASE("config: expand_variables", "[config]") {
  MapEnvironment env({{"A", "1"}, {"BB", "two"}, {"EMPTY", ""}});
  CHECK(expand_variables("", env, "x") == "");
  CHECK(expand_variables("plain", env, "x") == "plain");
  CHECK(expand_variables("${A}", env, "x") == "1");
  CHECK(expand_variables("a${A}b${BB}c${A}", env, "x") == "a1btwoc1");
  CHECK(expand_variables("$A and $ {A}", env, "x") == "$A and $ {A}");
  try {
    expand_variables("pre ${EMPTY} post", env, "[migrate] in f");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) ==
          "[migrate] in f uses ${EMPTY}, which is not set in the environment");
  }
  try {
    expand_variables("x${A", env, "[migrate] in f");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK(std::string(e.what()) == "[migrate] in f: '${' without a closing '}' in 'x${A'");
  }
}

TEST_CASE("config: an unclosed ${ in a URL does not print its password", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n  database = postgres://app:hunter2@db/app?application_name=${APP\n");
  std::string message = load_error({}, {}, dir.path());
  CHECK_THAT(message, Contains("without a closing"));
  CHECK_THAT(message, Contains("postgres://app:***@db/app"));
  CHECK_THAT(message, !Contains("hunter2"));
}

TEST_CASE("config: found by walking up, paths relative to the file's folder", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n  dir = db/migrations\n  database = sqlite:data/app.db\n");
  std::filesystem::path sub = dir / "src" / "deep";
  std::filesystem::create_directories(sub);
  Config config = load_config({}, MapEnvironment({}), sub);
  CHECK(config.file == dir / "migrate.conf");
  CHECK(config.root == dir.path());
  CHECK(config.migrations_dir == dir / "db" / "migrations");
  CHECK(config.database_base == dir.path());
  DatabaseUrl url = parse_database_url(config.database_url, config.database_base);
  CHECK(url.path == dir / "data" / "app.db");
}

TEST_CASE("config: the default database is relative to the file's folder too", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n  dir = m\n");
  std::filesystem::create_directories(dir / "sub");
  Config config = load_config({}, MapEnvironment({}), dir / "sub");
  DatabaseUrl url = parse_database_url(config.database_url, config.database_base);
  CHECK(url.path == dir / "migrate.db");
}

TEST_CASE("config: flag and variable URLs are relative to the working directory", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n");
  std::filesystem::create_directories(dir / "sub");
  ConfigOverrides overrides;
  overrides.database = "sqlite:flag.db";
  Config config = load_config(overrides, MapEnvironment({}), dir / "sub");
  CHECK(config.database_base == dir / "sub");
  config = load_config({}, MapEnvironment(Vars{{"DATABASE_URL", "sqlite:var.db"}}), dir / "sub");
  CHECK(config.database_base == dir / "sub");
  CHECK(parse_database_url(config.database_url, config.database_base).path ==
        dir / "sub" / "var.db");
}

TEST_CASE("config: --dir is relative to the working directory", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n  dir = from_file\n");
  std::filesystem::create_directories(dir / "sub");
  ConfigOverrides overrides;
  overrides.dir = "../elsewhere/m";
  Config config = load_config(overrides, MapEnvironment({}), dir / "sub");
  CHECK(config.migrations_dir == dir / "elsewhere" / "m");
  overrides.dir = "/abs/migrations";
  CHECK(load_config(overrides, MapEnvironment({}), dir / "sub").migrations_dir ==
        "/abs/migrations");
}

TEST_CASE("config: --config names the file, its folder is the root", "[config]") {
  TempDir dir;
  write_text(dir / "conf" / "other.conf",
             "[migrate]\n  dir = ../db/migrations\n  database = sqlite:x.db\n");
  write_text(dir / "migrate.conf", "[migrate]\n  dir = ignored\n");
  ConfigOverrides overrides;
  overrides.config_file = "conf/other.conf";
  Config config = load_config(overrides, MapEnvironment({}), dir.path());
  CHECK(config.file == dir / "conf" / "other.conf");
  CHECK(config.root == dir / "conf");
  CHECK(config.migrations_dir == dir / "db" / "migrations");
  CHECK(parse_database_url(config.database_url, config.database_base).path ==
        dir / "conf" / "x.db");
}

TEST_CASE("config: --config naming a missing file", "[config]") {
  TempDir dir;
  ConfigOverrides overrides;
  overrides.config_file = "missing.conf";
  CHECK(load_error(overrides, {}, dir.path()) ==
        "the config file " + (dir / "missing.conf").string() + " does not exist");
}

TEST_CASE("config: id-format", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n  id-format = second\n");
  CHECK(load_config({}, MapEnvironment({}), dir.path()).id_seconds);
  write_text(dir / "migrate.conf", "[migrate]\n  id-format = minute\n");
  CHECK_FALSE(load_config({}, MapEnvironment({}), dir.path()).id_seconds);
  write_text(dir / "migrate.conf", "[migrate]\n  id-format = hour\n");
  CHECK(load_error({}, {}, dir.path()) ==
        (dir / "migrate.conf").string() +
            ": id-format = hour: use minute (YYYYMMDDHHMM) or second (YYYYMMDDHHMMSS)");
}

TEST_CASE("config: a bad file stops loading with its error", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf", "[migrate]\n  tabel = x\n");
  std::filesystem::create_directories(dir / "sub");
  CHECK_THAT(load_error({}, {}, dir / "sub"),
             StartsWith((dir / "migrate.conf").string() + ": unknown setting 'migrate.tabel'"));
  write_text(dir / "migrate.conf", "[migrate\n");
  CHECK_THAT(load_error({}, {}, dir / "sub"), Contains("is not valid git-config syntax"));
}

TEST_CASE("config: the folder's format, from --format or migrate.conf", "[config]") {
  TempDir dir;
  CHECK_FALSE(load_config({}, MapEnvironment({}), dir.path()).format);  // detected
  std::string file = (dir / "migrate.conf").string();
  write_text(dir / "migrate.conf", "[migrate]\n  format = dbmate\n");
  Config config = load_config({}, MapEnvironment({}), dir.path());
  REQUIRE(config.format);
  CHECK(config.format->format == MigrationFormat::dbmate);
  CHECK(config.format->source == "`format = dbmate` in " + file);
  // The flag beats the file.
  ConfigOverrides overrides;
  overrides.format = "golang-migrate";
  config = load_config(overrides, MapEnvironment({}), dir.path());
  REQUIRE(config.format);
  CHECK(config.format->format == MigrationFormat::golang_migrate);
  CHECK(config.format->source == "--format golang-migrate");
  // Only [migrate] says it: the folder is the same in every environment.
  write_text(dir / "migrate.conf", "[env \"prod\"]\n  format = dbmate\n");
  CHECK_THAT(load_error({}, {}, dir.path()), Contains("unknown setting 'env.prod.format'"));
}

TEST_CASE("config: a format that is none is an error listing the formats", "[config]") {
  TempDir dir;
  std::string file = (dir / "migrate.conf").string();
  write_text(dir / "migrate.conf", "[migrate]\n  format = dbmat\n");
  CHECK(load_error({}, {}, dir.path()) ==
        file +
            ": format = dbmat: no such format. Use migrate, dbmate, golang-migrate, goose, flyway "
            "or stem, or leave it out: the format is then detected from the folder's files");
  ConfigOverrides overrides;
  overrides.format = "sqitch";
  CHECK(load_error(overrides, {}, dir.path()) ==
        "--format sqitch: no such format. Use migrate, dbmate, golang-migrate, goose, flyway or "
        "stem, or leave it out: the format is then detected from the folder's files");
  // Every format is read: a name-ordered folder's too.
  write_text(dir / "migrate.conf", "[migrate]\n  format = Stem\n");
  std::optional<FormatChoice> stem = load_config({}, MapEnvironment({}), dir.path()).format;
  REQUIRE(stem);
  CHECK(stem->format == MigrationFormat::stem);
}

TEST_CASE("config: skip-go from migrate.conf or --skip-go, a bad value is an error", "[config]") {
  TempDir dir;
  CHECK_FALSE(load_config({}, MapEnvironment({}), dir.path()).skip_go);
  ConfigOverrides flag;
  flag.skip_go = true;
  CHECK(load_config(flag, MapEnvironment({}), dir.path()).skip_go);
  write_text(dir / "migrate.conf", "[migrate]\n  skip-go = true\n");
  CHECK(load_config({}, MapEnvironment({}), dir.path()).skip_go);
  write_text(dir / "migrate.conf", "[migrate]\n  skip-go = yes\n");
  CHECK(load_error({}, {}, dir.path()) ==
        (dir / "migrate.conf").string() + ": skip-go = yes: use true or false");
}

TEST_CASE("config: dump = FILE starts at migrate.conf's folder, and must name a file", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "app");
  CHECK(load_config({}, MapEnvironment({}), dir.path()).dump_file.empty());
  write_text(dir / "migrate.conf", "[migrate]\n  dump = db/schema.sql\n");
  CHECK(load_config({}, MapEnvironment({}), dir / "app").dump_file == dir / "db/schema.sql");
  write_text(dir / "migrate.conf", "[migrate]\n  dump =\n");
  CHECK_THAT(load_error({}, {}, dir.path()), Contains("dump = (nothing): give the file"));
}

TEST_CASE("config: schema-command, its timeout, and never beside schema", "[config][bad-input]") {
  TempDir dir;
  std::string file = (dir / "migrate.conf").string();
  Config none = load_config({}, MapEnvironment({}), dir.path());
  CHECK(none.schema_command.empty());
  CHECK(none.schema_command_timeout == std::chrono::seconds(120));
  // Left to the shell as written: $VAR is its to expand, not migrate's. Double quotes are
  // git-config's own (`\"` for one the shell gets); single quotes are the shell's.
  write_text(dir / "migrate.conf",
             "[migrate]\n  schema-command = python3 schema.py '$HOME' \\\"x y\\\"\n"
             "  schema-command-timeout = 5\n");
  Config config = load_config({}, MapEnvironment({}), dir.path());
  CHECK(config.schema_command == "python3 schema.py '$HOME' \"x y\"");
  CHECK(config.schema_command_timeout == std::chrono::seconds(5));
  CHECK(config.schema_path.empty());

  write_text(dir / "migrate.conf",
             "[migrate]\n  schema = schema/\n  schema-command = python3 schema.py\n");
  CHECK(load_error({}, {}, dir.path()) ==
        file +
            ": schema = and schema-command = are both set: the model is either schema files or "
            "what a command makes from the application's code. Keep one of them");
  write_text(dir / "migrate.conf", "[migrate]\n  schema-command =\n");
  CHECK_THAT(load_error({}, {}, dir.path()), Contains("schema-command = (nothing)"));
  for (const char* bad : {"0", "-3", "ten", "2.5", "10s"}) {
    write_text(dir / "migrate.conf",
               std::string("[migrate]\n  schema-command = true\n  schema-command-timeout = ") +
                   bad + "\n");
    CHECK(load_error({}, {}, dir.path()) == file + ": schema-command-timeout = " + bad +
                                                ": give a whole number of seconds, e.g. 120");
  }
}

TEST_CASE("config: [placeholders] are read by name in lower case", "[config]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[migrate]\n  format = flyway\n[placeholders]\n  tableName = users\n"
             "  owner = app\n  owner = admin\n  empty =\n");
  Config config = load_config({}, MapEnvironment({}), dir.path());
  CHECK(config.placeholders == std::map<std::string, std::string>{
                                   {"tablename", "users"}, {"owner", "admin"}, {"empty", ""}});
  write_text(dir / "migrate.conf", "[placeholders \"x\"]\n  a = b\n");
  CHECK_THAT(load_error({}, {}, dir.path()), Contains("unknown setting 'placeholders.x.a'"));
}

TEST_CASE("config: [lint] disable and [lint \"severity\"], every name checked on loading",
          "[config][lint]") {
  TempDir dir;
  write_text(dir / "migrate.conf",
             "[lint]\n  disable = prefer-text-field ban-char-field\n  disable = "
             "prefer-robust-stmts\n[lint \"severity\"]\n  require-lock-timeout = warning\n"
             "  Prefer-Bigint-Over-Int = note\n");
  Config config = load_config({}, MapEnvironment({}), dir.path());
  CHECK(config.lint.disabled ==
        std::set<std::string>{"prefer-text-field", "ban-char-field", "prefer-robust-stmts"});
  // git reads key names in lower case, as rule names are written.
  CHECK(config.lint.severity ==
        std::map<std::string, Severity>{{"require-lock-timeout", Severity::warning},
                                        {"prefer-bigint-over-int", Severity::note}});

  write_text(dir / "migrate.conf", "[lint \"severity\"]\n  require-lock-timeout = off\n");
  CHECK(load_error({}, {}, dir.path()) ==
        (dir / "migrate.conf").string() +
            ": [lint \"severity\"] require-lock-timeout = off: a rule's severity is error, "
            "warning or note");
  write_text(dir / "migrate.conf", "[lint]\n  disable = require-lock-timeuot\n");
  CHECK_THAT(load_error({}, {}, dir.path()),
             Contains("[lint] disable = require-lock-timeuot: no lint rule is called "
                      "require-lock-timeuot"));
}
