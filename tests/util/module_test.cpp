#include "util/module.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include "db/postgres/postgres_module.hpp"

using namespace migrate;
using Catch::Contains;

TEST_CASE("module: migrate's modules are found beside its core library", "[util][module]") {
  std::filesystem::path postgres = module_path(kPostgresModule);
  CHECK(postgres.filename() == "libmigrate-postgres.so");
  CHECK(std::filesystem::is_regular_file(postgres));
  CHECK(std::filesystem::is_regular_file(postgres.parent_path() / "libmigrate.so"));
}

TEST_CASE("module: the PostgreSQL module loads and gives its entry", "[util][module]") {
  auto* open = module_entry<decltype(migrate_open_postgres)>(kPostgresModule, "PostgreSQL support",
                                                             "migrate_open_postgres");
  CHECK(open == &migrate_open_postgres);  // the same library the tests link
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

TEST_CASE("module: the build's identity names the core library's file as it is now",
          "[util][module]") {
  std::string identity = build_identity();
  CHECK_THAT(identity, Catch::StartsWith(module_path("migrate") + " "));
  CHECK(build_identity() == identity);  // the same file: the same identity
}
