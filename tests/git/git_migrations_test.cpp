// A migrations folder read from git (the index, a commit's tree): what a folder on disk would
// give, migrate-verify's tests/ left out in every format.
#include "git/git_migrations.hpp"

#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

TEST_CASE("git_migrations: a folder's tests/ is never read as migrations", "[git]") {
  TempDir dir;
  GitWorkTree work(dir.path());
  work.write("migrations/V1__init.sql", "CREATE TABLE users (id int);\n");
  work.write("migrations/sub/V2__nested.sql", "SELECT 2;\n");
  work.write("migrations/tests/V1__init.sql", "-- after:\nSELECT 1;\n");  // Flyway's name
  work.commit("flyway folder with data tests");
  std::unique_ptr<GitRepo> repo = GitRepo::discover(dir.path());
  REQUIRE(repo);
  std::unique_ptr<GitTree> head = repo->tree_of("HEAD");
  REQUIRE(head);
  for (const GitMigrationFolder& folder :
       {migration_folder_in_tree(*repo, *head, "migrations"),
        migration_folder_in_index(*repo, *repo->index(), "migrations")}) {
    CHECK(folder.find("tests/V1__init.sql") != nullptr);  // listed, as every file
    std::vector<Migration> migrations = folder.parse(*repo, std::nullopt, false);
    REQUIRE(migrations.size() == 2);
    CHECK(migrations[0].stem() == "V1__init");
    CHECK(migrations[1].stem() == "V2__nested");
  }
}
