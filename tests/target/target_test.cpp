#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "config/environment.hpp"
#include "graph/revision_spec.hpp"
#include "support/migration_project.hpp"
#include "support/temp_dir.hpp"
#include "target/target.hpp"
#include "target/target_status.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::MigrationProject;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kConfig =
    "[migrate]\n"
    "  database = sqlite:app.db\n"
    "  table = audit.schema_migrations\n"
    "[env \"prod\"]\n"
    "  table = prod_migrations\n"
    "[env \"staging\"]\n"
    "  database = postgres://app:${STAGING_PASSWORD}@db.example/app\n";

/// name, URL and state table of each target, or name and problem.
std::vector<std::string> summary(const std::vector<Target>& targets) {
  std::vector<std::string> lines;
  for (const Target& target : targets) {
    lines.push_back(target.problem.empty()
                        ? target.name + " " + target.url + " " + target.state_table()
                        : target.name + " problem: " + target.problem);
  }
  return lines;
}

std::vector<Target> targets_of(const std::filesystem::path& root, const Vars& vars,
                               const ConfigOverrides& overrides = {}) {
  MapEnvironment environment(vars);
  return configured_targets(load_config(overrides, environment, root), environment);
}

}  // namespace

TEST_CASE("targets: without a migrate.conf, the tool's database only", "[target]") {
  TempDir dir;
  std::vector<Target> targets = targets_of(dir.path(), {});
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].name == "default");
  CHECK(targets[0].url == "sqlite:migrate.db");
  CHECK(targets[0].base == dir.path());
  CHECK(targets[0].schema.empty());
  CHECK(targets[0].table == "schema_migrations");
}

TEST_CASE("targets: every environment with its own state table, schema apart", "[target]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kConfig);
  std::vector<Target> targets = targets_of(dir.path(), {{"STAGING_PASSWORD", "pw"}});
  CHECK(summary(targets) ==
        std::vector<std::string>{
            "default sqlite:app.db audit.schema_migrations", "prod sqlite:app.db prod_migrations",
            "staging postgres://app:pw@db.example/app audit.schema_migrations"});
  CHECK(targets[0].schema == "audit");
  CHECK(targets[0].table == "schema_migrations");
  CHECK(targets[1].schema.empty());
  CHECK(targets[1].base == dir.path());
  // Messages never show the password.
  CHECK(targets[2].description() ==
        "staging (postgres://app:***@db.example/app, table audit.schema_migrations)");
}

TEST_CASE("targets: the tool's environment first, [migrate]'s own database after it", "[target]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kConfig);
  SECTION("chosen by MIGRATE_ENV") {
    CHECK(summary(targets_of(dir.path(), {{"MIGRATE_ENV", "prod"}, {"STAGING_PASSWORD", "pw"}})) ==
          std::vector<std::string>{
              "prod sqlite:app.db prod_migrations", "default sqlite:app.db audit.schema_migrations",
              "staging postgres://app:pw@db.example/app audit.schema_migrations"});
  }
  SECTION("DATABASE_URL names the tool's database only, never the sections'") {
    std::vector<Target> targets =
        targets_of(dir.path(), {{"DATABASE_URL", "sqlite:other.db"}, {"STAGING_PASSWORD", "pw"}});
    CHECK(summary(targets) ==
          std::vector<std::string>{
              "default sqlite:other.db audit.schema_migrations",
              "[migrate] sqlite:app.db audit.schema_migrations",
              "prod sqlite:app.db prod_migrations",
              "staging postgres://app:pw@db.example/app audit.schema_migrations"});
  }
}

TEST_CASE("targets: a section that cannot be resolved carries its problem", "[target]") {
  TempDir dir;
  write_text(dir / "migrate.conf", kConfig);
  std::vector<Target> targets = targets_of(dir.path(), {});
  REQUIRE(targets.size() == 3);
  CHECK_THAT(targets[2].problem, Contains("${STAGING_PASSWORD}"));
  CHECK(targets[2].description() == "staging");
  CHECK_THROWS_AS(target_url(targets[2]), ConfigError);
}

TEST_CASE("target status: read-only, from the target's own state table", "[target]") {
  MigrationProject project;
  project.table = "prod_migrations";
  project.write("0001_a.sql", "-- migrate:up\nCREATE TABLE a (x INTEGER);\n");
  project.write("0002_b.sql", "-- migrate:up\nCREATE TABLE b (x INTEGER);\n");
  project.upgrade({.target = parse_revision_spec("0001")});
  const RevisionGraph& graph = project.load();

  Target prod{"prod", "sqlite:app.db", project.dir.path(), "", "prod_migrations", ""};
  TargetStatus status = read_target_status(prod, graph, {});
  REQUIRE(status.connection);
  CHECK(status.status.applied(0));
  CHECK(status.status.pending == std::vector<std::size_t>{1});
  // The same database seen through another table has nothing applied.
  Target other = prod;
  other.table = "schema_migrations";
  CHECK(read_target_status(other, graph, {}).status.pending.size() == 2);

  SECTION("a database that does not exist yet is not created") {
    Target missing = prod;
    missing.url = "sqlite:missing.db";
    TargetStatus none = read_target_status(missing, graph, {});
    CHECK_FALSE(none.connection);
    CHECK(none.status.pending.size() == 2);
    CHECK_FALSE(std::filesystem::exists(project.dir / "missing.db"));
  }
}
