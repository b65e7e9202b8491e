// The journal of file transactions (.migrate-transaction): what a recovery does with what a
// killed process left, in the cases a plain kill does not show (file_transaction_test has
// those): a commit, a folder moved or copied, leftovers, names outside the folder.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "support/processes.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "util/file_transaction.hpp"

using namespace migrate;
using Catch::Contains;
using migrate::test::folder_texts;
using migrate::test::in_killed_process;
using migrate::test::read_text;
using migrate::test::TempDir;
using migrate::test::write_text;
namespace fs = std::filesystem;
using Files = std::vector<std::string>;

namespace {

/// In a child process that ends without destructors (as kill -9 leaves it): a.sql rewritten,
/// c.sql created, all applied, and `commit()` called when `commit`; never kept.
void killed_after_apply(const fs::path& dir, bool commit) {
  in_killed_process([&] {
    auto& files = *new FileTransaction(dir);  // never destroyed
    files.write(dir / "a.sql", "new a");
    files.create(dir / "c.sql", "c");
    files.apply();
    if (commit) {
      files.commit();
    }
  });
}

}  // namespace

TEST_CASE("transaction journal: past its commit, a killed transaction's changes are kept",
          "[util][file_transaction][interrupt]") {
  TempDir dir;
  write_text(dir / "a.sql", "old a");
  killed_after_apply(dir.path(), /*commit=*/true);
  CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
  CHECK(folder_texts(dir.path()) == Files{"a.sql: new a", "c.sql: c"});  // no copies left

  SECTION("but a commit the process went on to undo is undone") {
    write_text(dir / "a.sql", "old a");
    fs::remove(dir / "c.sql");
    killed_after_apply(dir.path(), true);
    std::string journal = read_text(dir / ".migrate-transaction");
    write_text(dir / ".migrate-transaction", journal + "undo\n");
    CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a"});
  }
}

TEST_CASE("transaction journal: a folder moved after the kill is recovered where it is now",
          "[util][file_transaction][interrupt]") {
  TempDir dir;
  fs::create_directory(dir / "before");
  write_text(dir / "before" / "a.sql", "old a");
  killed_after_apply(dir / "before", false);
  fs::rename(dir / "before", dir / "after");  // the same folder (inode), another path
  CHECK(recover_file_transaction(dir / "after") == Recovery::recovered);
  CHECK(folder_texts(dir / "after") == Files{"a.sql: old a"});
}

TEST_CASE("transaction journal: a journal copied into another folder is never acted on",
          "[util][file_transaction][interrupt][bad-input]") {
  TempDir dir;
  fs::create_directory(dir / "original");
  write_text(dir / "original" / "a.sql", "old a");
  killed_after_apply(dir / "original", false);
  // A copy (cp -r, or a journal committed by mistake and checked out elsewhere): its names
  // would find this folder's files, which its change never touched.
  fs::copy(dir / "original", dir / "copy");
  const Files copy = folder_texts(dir / "copy");
  CHECK(recover_file_transaction(dir / "copy") == Recovery::stuck);
  CHECK(folder_texts(dir / "copy") == copy);
  auto refused = [&] { FileTransaction(dir / "copy").write(dir / "copy" / "b.sql", "b"); };
  CHECK_THROWS_WITH(refused(), Contains("cannot be undone here") &&
                                   Contains("Check the files it names, then remove it") &&
                                   Contains("Nothing was changed"));
  CHECK(folder_texts(dir / "copy") == copy);
  // The original is still recovered.
  CHECK(recover_file_transaction(dir / "original") == Recovery::recovered);
  CHECK(folder_texts(dir / "original") == Files{"a.sql: old a"});
}

TEST_CASE("transaction journal: what a transaction left beside its files goes with the next",
          "[util][file_transaction]") {
  TempDir dir;
  write_text(dir / "a.sql", "a");
  // A kill inside keep(), after the journal went, before the copies did; and a journal that
  // never got moved in. Another process's: ours are never touched (file_transaction_test).
  write_text(dir / ".a.sql.migrate-99999999-0.old", "an old copy");
  write_text(dir / ".migrate-transaction.99999999.new", "migrate file transaction\n");
  write_text(dir / ".notes.old", "not ours");
  // A live process's journal, about to be moved in (it will find this one's, and say so).
  std::string live = fmt::format(".migrate-transaction.{}.new", ::getppid());
  write_text(dir / live, "migrate file transaction\n");
  FileTransaction files(dir.path());
  files.write(dir / "b.sql", "b");
  files.apply();
  files.keep();
  CHECK(folder_texts(dir.path()) == Files{live + ": migrate file transaction\n",
                                          ".notes.old: not ours", "a.sql: a", "b.sql: b"});
}

TEST_CASE("transaction journal: a file outside the folder is refused before anything is staged",
          "[util][file_transaction][bad-input]") {
  TempDir dir;
  fs::create_directory(dir / "migrations");
  FileTransaction files(dir / "migrations");
  CHECK_THROWS_WITH(files.write(dir / "elsewhere.sql", "x"),
                    Contains("elsewhere.sql") && Contains("it is outside that folder"));
  CHECK_FALSE(fs::exists(dir / "elsewhere.sql"));
  files.apply();
  files.keep();
  CHECK(folder_texts(dir / "migrations").empty());
}

TEST_CASE("transaction journal: lock() takes the folder before anything is planned",
          "[util][file_transaction]") {
  TempDir dir;
  FileTransaction first(dir.path());
  first.lock();  // as a command does before it reads the folder
  CHECK(recover_file_transaction(dir.path()) == Recovery::busy);
  FileTransaction second(dir.path());
  CHECK_THROWS_WITH(second.lock(), Contains("another migrate command is changing"));
  first.write(dir / "a.sql", "a");
  first.apply();
  first.keep();
  CHECK(folder_texts(dir.path()) == Files{"a.sql: a"});
  // A folder that does not exist: nothing to take, and its reader says so.
  FileTransaction nowhere(dir / "missing");
  CHECK_NOTHROW(nowhere.lock());
}
