#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

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

namespace {

using Files = std::vector<std::string>;

/// a.sql and b.sql in the folder, and a transaction that replaces a.sql, renames b.sql to
/// c.sql (create and remove, as renumber does) and writes a new HEAD.
void stage_sample(const TempDir& dir, FileTransaction& files) {
  write_text(dir / "a.sql", "old a");
  write_text(dir / "b.sql", "old b");
  files.write(dir / "a.sql", "new a");
  files.create(dir / "c.sql", "c");
  files.remove(dir / "b.sql");
  files.write(dir / "HEAD", "c\n");
}

const Files kSampleApplied{"HEAD: c\n", "a.sql: new a", "c.sql: c"};

}  // namespace

TEST_CASE("file_transaction: kept changes are all made, with nothing left beside them",
          "[util][file_transaction]") {
  TempDir dir;
  {
    FileTransaction files(dir.path());
    stage_sample(dir, files);
    // Staged beside: the new a.sql, c.sql and HEAD, copies of a.sql and b.sql, and the
    // journal; nothing moved.
    CHECK(folder_texts(dir.path()).size() == 2 + 5 + 1);
    CHECK(read_text(dir / "a.sql") == "old a");
    files.apply();
    files.keep();
  }
  CHECK(folder_texts(dir.path()) == kSampleApplied);
}

TEST_CASE("file_transaction: without keep, everything applied is put back",
          "[util][file_transaction]") {
  TempDir dir;
  {
    FileTransaction files(dir.path());
    stage_sample(dir, files);
    files.apply();
    CHECK(read_text(dir / "a.sql") == "new a");
    CHECK(read_text(dir / "c.sql") == "c");
    CHECK_FALSE(fs::exists(dir / "b.sql"));
    // ... and then, say, writing the git index fails: the transaction ends unkept.
  }
  CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: old b"});
}

TEST_CASE("file_transaction: staged but never applied leaves no trace",
          "[util][file_transaction]") {
  TempDir dir;
  write_text(dir / "a.sql", "old a");
  const Files before = folder_texts(dir.path());
  {
    FileTransaction files(dir.path());
    files.write(dir / "a.sql", "new a");
    files.create(dir / "b.sql", "b");
  }
  CHECK(folder_texts(dir.path()) == before);
}

TEST_CASE("file_transaction: a change that cannot be made undoes the ones before it",
          "[util][file_transaction][bad-input]") {
  TempDir dir;
  FileTransaction files(dir.path());
  stage_sample(dir, files);
  // Someone else creates c.sql after it was staged: creating it must not replace theirs, and
  // a.sql, replaced before it, goes back.
  write_text(dir / "c.sql", "theirs");
  try {
    files.apply();
    FAIL("apply did not fail");
  } catch (const Error& e) {
    CHECK(e.exit_code() == ExitCode::failure);
    CHECK_THAT(e.what(), Contains("cannot put " + (dir / "c.sql").string() + " in place") &&
                             Contains("Nothing was changed"));
  }
  CHECK(read_text(dir / "a.sql") == "old a");
  CHECK(read_text(dir / "b.sql") == "old b");
  CHECK(read_text(dir / "c.sql") == "theirs");
  CHECK(folder_texts(dir.path()).size() == 3);  // no staged or backup file left
}

TEST_CASE("file_transaction: staging into a folder that does not exist fails at once",
          "[util][file_transaction][bad-input]") {
  TempDir dir;
  FileTransaction files(dir.path());
  CHECK_THROWS_AS(files.write(dir / "missing" / "a.sql", "a"), Error);
  files.apply();  // nothing staged: nothing to do
  files.keep();
  CHECK(folder_texts(dir.path()).empty());
}

TEST_CASE("file_transaction: a staging write that fails half-way leaves nothing behind",
          "[util][file_transaction][bad-input]") {
  TempDir dir;
  write_text(dir / "a.sql", "old a");
  // A file size limit stands in for a full disk: writes past it fail with EFBIG.
  struct rlimit saved {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 4000;  // room for the journal's lines
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  {
    FileTransaction files(dir.path());
    files.write(dir / "b.sql", "small");
    CHECK_THROWS_AS(files.write(dir / "a.sql", std::string(10000, 'x')), Error);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous);
    files.apply();  // what was staged before the failure still goes in
    files.keep();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: small"});
}

TEST_CASE("file_transaction: a leftover of a run that died is never reused or removed",
          "[util][file_transaction]") {
  TempDir dir;
  write_text(dir / "a.sql", "old a");
  // The names this process would give first, as a crashed run with the same pid left them.
  std::string prefix = ".a.sql.migrate-" + std::to_string(::getpid()) + "-";
  write_text(dir / (prefix + "0.old"), "an earlier run's copy");
  write_text(dir / (prefix + "1.new"), "an earlier run's new file");
  {
    FileTransaction files(dir.path());
    files.write(dir / "a.sql", "new a");
    files.apply();
  }  // not kept: put back
  CHECK(read_text(dir / "a.sql") == "old a");
  CHECK(read_text(dir / (prefix + "0.old")) == "an earlier run's copy");
  CHECK(read_text(dir / (prefix + "1.new")) == "an earlier run's new file");
  CHECK(folder_texts(dir.path()).size() == 3);
}

TEST_CASE("file_transaction: one transaction at a time in a folder", "[util][file_transaction]") {
  TempDir dir;
  write_text(dir / "a.sql", "old a");
  FileTransaction first(dir.path());
  first.write(dir / "a.sql", "first");
  FileTransaction second(dir.path());
  CHECK_THROWS_WITH(second.write(dir / "a.sql", "second"),
                    Contains("another migrate command is changing " + dir.path().string()) &&
                        Contains("Nothing was changed"));
  // A reader's recovery leaves a transaction at work alone.
  CHECK(recover_file_transaction(dir.path()) == Recovery::busy);
  first.apply();
  first.keep();
  CHECK(folder_texts(dir.path()) == Files{"a.sql: first"});
}

TEST_CASE("file_transaction: what a killed transaction put in place is undone",
          "[util][file_transaction][interrupt]") {
  TempDir dir;
  SECTION("killed after apply, before keep") {
    in_killed_process([&] {
      FileTransaction& files = *new FileTransaction(dir.path());  // never destroyed
      stage_sample(dir, files);
      files.apply();
    });
    CHECK(read_text(dir / "a.sql") == "new a");  // in place, with the journal beside
    CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: old b"});
    CHECK(recover_file_transaction(dir.path()) == Recovery::none);  // nothing left to undo
  }
  SECTION("killed while staging: nothing was in place") {
    in_killed_process([&] {
      FileTransaction& files = *new FileTransaction(dir.path());  // never destroyed
      stage_sample(dir, files);
    });
    CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: old b"});
  }
  SECTION("killed half-way through apply, the journal's last line cut short") {
    in_killed_process([&] {
      FileTransaction& files = *new FileTransaction(dir.path());  // never destroyed
      stage_sample(dir, files);
      files.apply();
    });
    // As if it died after its first two renames: a.sql and c.sql are new, b.sql and HEAD
    // not yet changed (their copies and staged files are there).
    std::string journal = read_text(dir / ".migrate-transaction");
    std::size_t third = journal.find("apply\t2\n");
    REQUIRE(third != std::string::npos);
    write_text(dir / ".migrate-transaction", journal.substr(0, third) + "ap");
    write_text(dir / "b.sql", "old b");
    fs::remove(dir / "HEAD");
    CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: old b"});
  }
  SECTION("killed right after a rename, before anything said it was done") {
    in_killed_process([&] {
      FileTransaction& files = *new FileTransaction(dir.path());  // never destroyed
      stage_sample(dir, files);
      files.apply();
    });
    // As if it died just after renaming c.sql in (its `apply 1` line written): the rest of
    // the journal, and the later renames, never happened.
    std::string journal = read_text(dir / ".migrate-transaction");
    write_text(dir / ".migrate-transaction", journal.substr(0, journal.find("apply\t2\n")));
    write_text(dir / "b.sql", "old b");
    fs::remove(dir / "HEAD");
    CHECK(recover_file_transaction(dir.path()) == Recovery::recovered);
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: old b"});
  }
  SECTION("the next transaction there undoes it first, then makes its own changes") {
    in_killed_process([&] {
      FileTransaction& files = *new FileTransaction(dir.path());  // never destroyed
      stage_sample(dir, files);
      files.apply();
    });
    FileTransaction next(dir.path());
    next.write(dir / "b.sql", "next b");
    next.apply();
    next.keep();
    CHECK(folder_texts(dir.path()) == Files{"a.sql: old a", "b.sql: next b"});
  }
  SECTION("a journal that is not one is left, and the folder read as it is") {
    write_text(dir / "a.sql", "a");
    write_text(dir / ".migrate-transaction", "migrate file transaction\napply\tnot a number\n");
    CHECK(recover_file_transaction(dir.path()) == Recovery::stuck);
    CHECK(read_text(dir / "a.sql") == "a");
  }
}
