#include "util/module.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include <fmt/format.h>

#include "db/postgres/postgres_module.hpp"
#include "db/sqlite/sqlite_module.hpp"
#include "git/git_backend.hpp"

using namespace migrate;
using Catch::Contains;

TEST_CASE("module: migrate's modules are found beside its core library", "[util][module]") {
  std::filesystem::path postgres = module_path(kPostgresModule);
  CHECK(postgres.filename() == "libmigrate-postgres.so");
  CHECK(std::filesystem::is_regular_file(postgres));
  CHECK(std::filesystem::is_regular_file(postgres.parent_path() / "libmigrate.so"));
}

TEST_CASE("module: the PostgreSQL modules load and give their entries", "[util][module]") {
  auto* open = module_entry<decltype(migrate_open_postgres)>(kPostgresModule, "PostgreSQL support",
                                                             "migrate_open_postgres");
  CHECK(open == &migrate_open_postgres);  // the same library the tests link
  CHECK(std::filesystem::path(module_path(kPostgresSqlModule)).filename() ==
        "libmigrate-postgres-sql.so");
  auto* dialect = module_entry<decltype(migrate_postgres_dialect)>(
      kPostgresSqlModule, "PostgreSQL's SQL", "migrate_postgres_dialect");
  CHECK(dialect == &migrate_postgres_dialect);
  CHECK(dialect()->name() == "postgresql");
}

TEST_CASE("module: a missing module or entry says which file and what to do", "[util][module]") {
  SECTION("no such file") {
    try {
      load_module_entry("migrate-nothing", "nothing", "migrate_nothing");
      FAIL("a missing module loaded");
    } catch (const ModuleError& e) {
      CHECK_THAT(e.what(), Contains("cannot load nothing: "));
      CHECK_THAT(e.what(), Contains("libmigrate-nothing.so: cannot open shared object file"));
      CHECK_THAT(e.what(), Contains("reinstall migrate (make install)"));
      CHECK(e.exit_code() == ExitCode::failure);
    }
  }
  SECTION("a library that is not that module") {
    CHECK_THROWS_WITH(load_module_entry(kPostgresModule, "PostgreSQL support", "migrate_nothing"),
                      Contains("libmigrate-postgres.so is not a module of this migrate (no "
                               "migrate_nothing); reinstall migrate (make install)"));
  }
}

TEST_CASE("module: the build's identity names the core library and every module, with sizes",
          "[util][module]") {
  std::string identity = build_identity();
  CHECK_THAT(identity, Catch::StartsWith(module_path("migrate") + " "));
  // A line per file, "<path> <size> <mtime>": the core, then the modules in name order.
  for (std::string_view module : {kGitModule, kPostgresModule, kSqliteModule}) {
    std::string path = module_path(module);
    INFO(path);
    CHECK_THAT(identity, Contains(fmt::format("{} {} ", path, std::filesystem::file_size(path))));
  }
  CHECK(identity.find(module_path(kGitModule)) < identity.find(module_path(kSqliteModule)));
}
