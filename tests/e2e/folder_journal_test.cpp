// The journal of the commands that write migration files (.migrate-transaction, see
// util/file_transaction): one such command at a time in a folder, and what a killed one left
// half-done is put back by whatever command reads the folder next.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "support/project.hpp"

using namespace migrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

/// The folder's file names, hidden ones included, sorted.
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("folder journal: a second command that writes files waits its turn",
          "[e2e][interrupt][bad-input]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
  // Another migrate command at work: its journal there, locked.
  fs::path journal = project.migrations() / ".migrate-transaction";
  project.add(".migrate-transaction", "migrate file transaction\n");
  int held = ::open(journal.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(held >= 0);
  REQUIRE(::flock(held, LOCK_EX) == 0);
  std::vector<std::string> before = names_in(project.migrations());

  ProcessResult refused = project.run("migrate-create", {"add b"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("another migrate command is changing") &&
                              Contains("run this again when it has finished. Nothing was "
                                       "changed"));
  CHECK(names_in(project.migrations()) == before);  // the journal untouched, no new file
  // Readers go on meanwhile, and leave it alone.
  CHECK(project.run("migrate-history").exit_code == 0);
  CHECK(fs::exists(journal));

  ::close(held);  // the other command ends (or dies): the lock is free
  ProcessResult created = project.run("migrate-create", {"add b"});
  INFO(created.err);
  CHECK(created.exit_code == 0);
  CHECK_FALSE(fs::exists(journal));
}

TEST_CASE("folder journal: what a killed command left half-done is put back by the next",
          "[e2e][interrupt]") {
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
  // As a killed `migrate-create` leaves it: its new file renamed in (its `apply` line written),
  // its new HEAD staged beside, the journal there and nobody holding it.
  struct stat folder {};
  REQUIRE(::stat(project.migrations().c_str(), &folder) == 0);
  project.add("0002_b.sql", migration_text("CREATE TABLE b (id INTEGER);", "DROP TABLE b;"));
  project.add(".HEAD.migrate-99999-1.new", "0002_b\n");
  project.add(".migrate-transaction",
              fmt::format("migrate file transaction {} {}\nstage\t0002_b.sql\t"
                          ".0002_b.sql.migrate-99999-0.new\t\nstage\tHEAD\t"
                          ".HEAD.migrate-99999-1.new\t\napply\t0\n",
                          folder.st_dev, folder.st_ino));

  ProcessResult history = project.run("migrate-history");
  INFO(history.err);
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.err, Contains("note: migrations/: put back as it was before a migrate "
                                   "command that was stopped"));
  CHECK_THAT(history.out, !Contains("0002_b"));
  CHECK(names_in(project.migrations()) == std::vector<std::string>{"0001_a.sql"});
  // The next read has nothing to say.
  ProcessResult again = project.run("migrate-history");
  CHECK_THAT(again.err, !Contains("put back"));
}
