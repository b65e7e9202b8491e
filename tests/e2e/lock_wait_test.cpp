// A PostgreSQL upgrade that finds the migration lock taken says so at once, on stderr, naming
// who holds it and how long it will wait, and then waits: once the lock is free, it runs.
// Another session holds the lock here (through migrate's own driver, so it is the same key).
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "db/database_url.hpp"
#include "db/postgres/postgres_driver.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"

using namespace migrate;
using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// Waits (up to a generous deadline, for a loaded machine) until `file` holds `text`.
bool wait_for_text(const std::filesystem::path& file, const std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(file) && read_text(file).find(text) != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE("lock wait: an upgrade says at once that it waits for the lock, and who holds it",
          "[e2e][postgres][lock-wait]") {
  for (const char* mode : {"session", "transaction"}) {
    INFO("--lock-mode " << mode);
    PostgresDatabase db;
    Project project;
    project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
    PostgresDriver holder(parse_database_url(db.url(), "/"), {});
    holder.lock_migrations("schema_migrations");
    std::string holder_pid = holder.query("SELECT pg_backend_pid()").at(0).at(0).value_or("");

    // stderr goes to a file this test reads while the upgrade still runs.
    std::filesystem::path err = project.root() / "upgrade.err";
    RunningProcess upgrade = start_process(
        {"sh", "-c", "exec \"$0\" \"$@\" 2>upgrade.err", tool_path("migrate-upgrade").string(),
         "--database", db.url(), "--lock-mode", mode, "--lock-timeout", "2m"},
        {.cwd = project.root()});
    bool told = wait_for_text(err, "waiting for the migration lock");
    std::string said = read_text(err);
    INFO(said);
    CHECK(told);
    CHECK_THAT(said, Contains("migrate-upgrade: note: waiting for the migration lock on " +
                              db.url() + ", held by backend pid " + holder_pid + " (migrate, "));
    CHECK_THAT(said, Contains(": up to 120 s (--lock-timeout)"));
    // Nothing ran meanwhile: it waits before the state table is even made.
    CHECK(db.relations().empty());

    holder.unlock_migrations();
    ProcessResult result = upgrade.wait();
    INFO(read_text(err));
    CHECK(result.exit_code == 0);
    CHECK(db.applied_ids() == Strings{"0001"});
    // Told once.
    std::string all = read_text(err);
    CHECK(all.find("waiting for") == all.rfind("waiting for"));
  }
}

TEST_CASE("lock wait: a free lock is taken without a word", "[e2e][postgres][lock-wait]") {
  PostgresDatabase db;
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x int);", "DROP TABLE a;"));
  ProcessResult result = project.run("migrate-upgrade", {"--database", db.url()});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
}
