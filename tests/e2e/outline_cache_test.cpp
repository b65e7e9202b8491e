// The outline cache: migrate-current, -history and -graph remember each migration file's
// outline by its stat (.git/migrate/outlines/, or outside a repository beside the SQLite
// database, else in the user's cache folder), as git's index does, and the whole folder's as one
// snapshot (<cache>.folder), while every entry keeps its name and stamp. Every case compares what a
// warm run says with what a cold run (no cache) says about the same files: a stale answer is never
// acceptable.
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <thread>

#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/postgres.hpp"
#include "support/project.hpp"
#include "util/fast_checksum.hpp"
#include "util/file.hpp"
#include "util/file_descriptor.hpp"
#include "util/file_stamp.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// A stamp younger than two seconds is not trusted (ReadStart::racy): the files a test writes
/// are remembered only once they are older than that.
void let_stamps_settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
}

/// What a traced run from the folder's snapshot says of its listing where the tests run: kept
/// on the filesystems whose folders' stamps move with their entries (the machines the tests
/// run on), listed each time elsewhere (a FUSE or network home).
std::string kept_listing_note(const std::filesystem::path& folder) {
  migrate::FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return migrate::folder_stamp_follows_entries(fd.get()) ? "(its listing kept)"
                                                         : "(the folder listed)";
}

/// Runs with MIGRATE_TRACE set, which says how many outlines came from the cache.
const RunOptions kTraced{.env = {{"MIGRATE_TRACE", "1"}}};

/// How many migrations a traced run says came from the cache, the per-file one or the
/// folder's snapshot (-1: it said nothing about it).
int from_cache(const ProcessResult& result) {
  std::smatch match;
  static const std::regex kNote(R"((\d+) of them from (the outline cache|the folder's snapshot))");
  return std::regex_search(result.err, match, kNote) ? std::stoi(match[1]) : -1;
}

/// A project in a git repository: three migrations (the third irreversible: its down section
/// is blank), two of them applied.
class CachedProject {
 public:
  CachedProject() : m_git(m_project.root()) {
    m_project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);",
                                                      "DROP TABLE a;", "-- Create table a.\n"));
    m_project.add("0002_create_b.sql",
                  migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
    // depends: makes the folder migrate's own, where a blank down section is irreversible.
    m_project.add("0003_drop_b.sql", migration_text("DROP TABLE b;", "", "-- depends: 0002\n"));
    REQUIRE(m_project.run("migrate-upgrade", {"0002"}).exit_code == 0);
    m_git.commit("three migrations");
  }

  const Project& project() const { return m_project; }
  GitWorkTree& git() { return m_git; }
  /// Once the files' stamps are old enough to trust, a run that remembers them all.
  void remember() const {
    let_stamps_settle();
    warm();
  }
  std::filesystem::path cache_folder() const { return m_project.root() / ".git/migrate/outlines"; }
  /// The per-file cache and the folder's snapshot.
  std::vector<std::filesystem::path> cache_files() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(cache_folder())) {
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 2);
    CHECK(files[1].string() == files[0].string() + ".folder");
    return files;
  }

  /// current and history, traced, as the cache is now.
  std::pair<ProcessResult, ProcessResult> warm() const {
    return {m_project.run("migrate-current", {"--json"}, kTraced),
            m_project.run("migrate-history", {"--json"}, kTraced)};
  }
  /// The same with no cache, then the cache folder as it was.
  std::pair<std::string, std::string> cold() const {
    std::filesystem::path aside = m_project.root() / "outlines-aside";
    std::filesystem::rename(cache_folder(), aside);
    auto [current, history] = warm();
    CHECK(from_cache(current) == 0);
    std::filesystem::remove_all(cache_folder());
    std::filesystem::rename(aside, cache_folder());
    return {current.out, history.out};
  }
  /// A warm run says exactly what a cold one says; returns how many outlines it took from
  /// the cache.
  int check_warm_equals_cold() const {
    auto [current, history] = warm();
    INFO(current.err);
    INFO(history.err);
    REQUIRE(current.exit_code == 0);
    REQUIRE(history.exit_code == 0);
    auto [cold_current, cold_history] = cold();
    CHECK(current.out == cold_current);
    CHECK(history.out == cold_history);
    return from_cache(current);
  }

 private:
  Project m_project;
  GitWorkTree m_git;
};

/// Rewrites a file with new content of the same size, its mtime set back to what it was: what
/// a racy write within one timestamp granule leaves.
void rewrite_keeping_size_and_mtime(const std::filesystem::path& file, std::string_view content) {
  auto mtime = std::filesystem::last_write_time(file);
  REQUIRE(std::filesystem::file_size(file) == content.size());
  migrate::write_file_atomically(file, content);
  std::filesystem::last_write_time(file, mtime);
}

/// The text of `file` with `pattern` replaced, which must change it.
std::string edited_text(const std::filesystem::path& file, const std::string& pattern,
                        const std::string& replacement) {
  std::string text = migrate::read_file(file);
  std::string edited = std::regex_replace(text, std::regex(pattern), replacement);
  REQUIRE(edited != text);
  return edited;
}

}  // namespace

TEST_CASE("a warm current reads no migration file and says what a cold one says",
          "[e2e][outline_cache]") {
  CachedProject cached;
  let_stamps_settle();
  auto [first, first_history] = cached.warm();  // remembers them
  CHECK(from_cache(first) == 0);
  CHECK(cached.check_warm_equals_cold() == 3);
  // The plain output too, and -graph's drawing, which reads the same outlines.
  ProcessResult text = cached.project().run("migrate-history", {"-v"});
  CHECK_THAT(text.out, Contains("irreversible"));
  CHECK(cached.project().run("migrate-graph", {"--format", "dot"}).exit_code == 0);
}

TEST_CASE("an edit that keeps a file's size and mtime is still seen", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  std::filesystem::path file = cached.project().migrations() / "0001_create_a.sql";
  rewrite_keeping_size_and_mtime(file, edited_text(file, "a \\(x INTEGER", "a (y INTEGER"));
  let_stamps_settle();  // so the stamp itself must tell, not the racy rule
  ProcessResult result = cached.project().run("migrate-current", {"--check"}, kTraced);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("changed   migrations/0001_create_a.sql"));
  CHECK(from_cache(result) == 2);
  cached.check_warm_equals_cold();
}

TEST_CASE("a file written just before the run is read, not remembered", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  // Written now: its stamp is too young to trust, so it is read on every run until it is not.
  cached.project().add("0002_create_b.sql",
                       migration_text("CREATE TABLE b (z INTEGER);", "DROP TABLE b;"));
  ProcessResult first = cached.project().run("migrate-current", {}, kTraced);
  CHECK(from_cache(first) == 2);
  CHECK_THAT(first.out, Contains("changed   migrations/0002_create_b.sql"));
  // Changed again in the same moment, same size: seen, because nothing trusted the first.
  std::filesystem::path file = cached.project().migrations() / "0002_create_b.sql";
  rewrite_keeping_size_and_mtime(file, edited_text(file, "z INTEGER", "x INTEGER"));
  ProcessResult second = cached.project().run("migrate-current", {}, kTraced);
  CHECK(from_cache(second) == 2);
  CHECK_THAT(second.out, !Contains("changed"));  // back to what was applied
}

TEST_CASE("touch without a change re-reads the file and answers the same", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  std::filesystem::path file = cached.project().migrations() / "0003_drop_b.sql";
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now());
  auto [current, history] = cached.warm();
  CHECK(from_cache(current) == 2);
  cached.check_warm_equals_cold();
}

TEST_CASE("a file replaced by a rename is read again", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  std::filesystem::path file = cached.project().migrations() / "0002_create_b.sql";
  std::filesystem::path other = cached.project().root() / "replacement.sql";
  migrate::write_file_atomically(other, edited_text(file, "b \\(x", "b (w"));
  std::filesystem::last_write_time(other, std::filesystem::last_write_time(file));
  std::filesystem::rename(other, file);  // a new inode, the same size and mtime
  let_stamps_settle();
  ProcessResult result = cached.project().run("migrate-current", {"--check"}, kTraced);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.out, Contains("changed   migrations/0002_create_b.sql"));
  cached.check_warm_equals_cold();
}

TEST_CASE("a folder's listing is kept while the folder keeps its stamp, and only then",
          "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();  // the snapshot, taken from a settled folder
  ProcessResult kept = cached.project().run("migrate-current", {}, kTraced);
  CHECK(from_cache(kept) == 3);
  CHECK_THAT(kept.err, Contains(kept_listing_note(cached.project().migrations())));
  const std::filesystem::path folder = cached.project().migrations();
  std::string expected;
  SECTION("a migration added") {
    cached.project().add(
        "0004_create_c.sql",
        migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;", "-- depends: 0003\n"));
    expected = "0004";
  }
  SECTION("a migration removed") {
    std::filesystem::remove(folder / "0003_drop_b.sql");
    expected = "0002";
  }
  SECTION("a migration renamed") {
    std::filesystem::rename(folder / "0003_drop_b.sql", folder / "0005_drop_b.sql");
    expected = "0005";
  }
  // Settled again, so no racy rule makes the run list the folder: only the folder's stamp,
  // which the change moved, tells that the kept listing no longer stands for it.
  let_stamps_settle();
  ProcessResult seen = cached.project().run("migrate-current", {}, kTraced);
  INFO(seen.err);
  CHECK_THAT(seen.err, !Contains("(its listing kept)"));
  CHECK_THAT(seen.out, Contains(expected));
  cached.check_warm_equals_cold();
}

TEST_CASE("a file made and removed in the folder (an editor's) leaves the snapshot standing",
          "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  const std::filesystem::path swap = cached.project().migrations() / ".0003_drop_b.sql.swp";
  migrate::write_file_atomically(swap, "vim's\n");
  std::filesystem::remove(swap);
  let_stamps_settle();
  // The folder's stamp moved, its entries did not: listed once, the snapshot taken again with
  // the new stamp, then kept.
  ProcessResult listed = cached.project().run("migrate-current", {}, kTraced);
  CHECK(from_cache(listed) == 3);
  CHECK_THAT(listed.err, Contains("(the folder listed)"));
  ProcessResult kept = cached.project().run("migrate-current", {}, kTraced);
  CHECK(from_cache(kept) == 3);
  CHECK_THAT(kept.err, Contains(kept_listing_note(cached.project().migrations())));
  CHECK(kept.out == listed.out);
  cached.check_warm_equals_cold();
}

TEST_CASE("switching branches answers for the branch checked out", "[e2e][outline_cache]") {
  CachedProject cached;
  GitWorkTree& git = cached.git();
  git.git({"checkout", "-q", "-b", "feature"});
  git.write("migrations/0003_drop_b.sql",
            migration_text("DROP TABLE b;", "CREATE TABLE b (x INTEGER);", "-- Drop b again.\n"));
  git.write("migrations/0004_create_c.sql",
            migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;"));
  git.commit("feature");
  let_stamps_settle();
  for (const char* branch : {"main", "feature", "main", "feature"}) {
    git.git({"checkout", "-q", branch});
    let_stamps_settle();
    INFO(branch);
    cached.warm();  // remembers this branch's files
    cached.check_warm_equals_cold();
    ProcessResult history = cached.project().run("migrate-history");
    CHECK((history.out.find("0004_create_c") != std::string::npos) ==
          (std::string(branch) == "feature"));
  }
}

TEST_CASE("a damaged cache is ignored and rewritten", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  // Which to damage: the per-file cache (0), the snapshot (1) or both (2). One left whole
  // still answers, and rightly: each is checked on its own.
  const int damaged = GENERATE(0, 1, 2);
  // How: a byte flipped (0), cut short (1), not a cache at all (2).
  const int how = GENERATE(0, 1, 2);
  std::vector<std::filesystem::path> files = cached.cache_files();
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (damaged != 2 && static_cast<std::size_t>(damaged) != i) {
      continue;
    }
    std::string bytes = migrate::read_file(files[i]);
    if (how == 0) {
      bytes[bytes.size() / 2] ^= 0x55;
    } else if (how == 1) {
      bytes.resize(bytes.size() / 3);
    } else {
      bytes = "hello\n";
    }
    migrate::write_file_atomically(files[i], bytes);
  }
  INFO("damaged: " << damaged << ", how: " << how);
  auto [current, history] = cached.warm();
  CHECK(from_cache(current) == (damaged == 2 ? 0 : 3));
  CHECK(cached.check_warm_equals_cold() == 3);  // rewritten by the run above
}

TEST_CASE("a cache another build wrote is never trusted", "[e2e][outline_cache]") {
  CachedProject cached;
  cached.remember();
  // An entry that lies: the title of 0001 changed in place (same length), each file's checksum
  // made to match. The same build trusts it (the control: the cache really is read)…
  auto seal = [](std::string body) {
    body.resize(body.size() - 32);
    return body + migrate::fast_checksum_hex(body);
  };
  std::vector<std::string> lying;
  for (const std::filesystem::path& file : cached.cache_files()) {
    std::string bytes = migrate::read_file(file);
    lying.push_back(std::regex_replace(bytes, std::regex("Create table a\\."), "Lying! table a."));
    REQUIRE(lying.back() != bytes);
    migrate::write_file_atomically(file, seal(lying.back()));
  }
  CHECK_THAT(cached.project().run("migrate-history").out, Contains("Lying! table a."));
  // …and a build with another parser fingerprint (the end of each file's first line) does not.
  for (std::size_t i = 0; i < lying.size(); ++i) {
    std::string other_build = lying[i];
    std::size_t header_end = other_build.find('\n');
    REQUIRE(header_end != std::string::npos);
    other_build[header_end - 1] = other_build[header_end - 1] == '0' ? '1' : '0';
    migrate::write_file_atomically(cached.cache_files()[i], seal(other_build));
  }
  ProcessResult history = cached.project().run("migrate-history", {}, kTraced);
  CHECK_THAT(history.out, Contains("Create table a."));
  CHECK_THAT(history.out, !Contains("Lying"));
  CHECK(from_cache(history) == 0);
}

TEST_CASE("processes writing the cache at once leave one that works", "[e2e][outline_cache]") {
  CachedProject cached;
  let_stamps_settle();
  std::vector<RunningProcess> runs;
  for (int i = 0; i < 6; ++i) {
    runs.push_back(cached.project().start(i % 2 == 0 ? "migrate-current" : "migrate-history"));
  }
  for (RunningProcess& run : runs) {
    CHECK(run.wait().exit_code == 0);
  }
  std::vector<std::filesystem::path> leftovers;
  for (const auto& entry : std::filesystem::directory_iterator(cached.cache_folder())) {
    leftovers.push_back(entry.path());
  }
  CHECK(leftovers.size() == 2);  // the cache and the snapshot: no temporary left beside them
  CHECK(cached.check_warm_equals_cold() == 3);
}

TEST_CASE("outside a repository the cache lies beside the database, once there is one",
          "[e2e][outline_cache]") {
  Project project;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  let_stamps_settle();
  std::filesystem::path cache = project.root() / "migrate.db.migrate-outlines";
  CHECK(project.run("migrate-current").exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(project.db()));  // a read creates nothing
  CHECK_FALSE(std::filesystem::exists(cache));
  REQUIRE(project.run("migrate-upgrade").exit_code == 0);
  CHECK(project.run("migrate-current").exit_code == 0);
  CHECK(std::filesystem::exists(cache));
  ProcessResult warm = project.run("migrate-current", {}, kTraced);
  CHECK(from_cache(warm) == 1);
  CHECK_THAT(warm.out, Contains("current   0001_create_a (head)"));
}

TEST_CASE("outside a repository with no database file, the cache is in the user's cache folder",
          "[e2e][outline_cache][postgres]") {
  // PostgreSQL from a deploy's copy without .git: no repository, no database file to lie beside.
  Project project;
  PostgresDatabase database;
  project.add("0001_create_a.sql", migration_text("CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  project.add("0002_create_b.sql", migration_text("CREATE TABLE b (x INTEGER);", "DROP TABLE b;"));
  REQUIRE(project.run("migrate-upgrade", {"0001", "--database", database.url()}).exit_code == 0);
  let_stamps_settle();
  std::filesystem::path home = project.root() / "cache-home";
  RunOptions traced = kTraced;
  traced.env["XDG_CACHE_HOME"] = home.string();
  const std::vector<std::string> args = {"--database", database.url()};
  ProcessResult cold = project.run("migrate-current", args, traced);
  ProcessResult warm = project.run("migrate-current", args, traced);
  INFO(cold.err);
  CHECK(from_cache(cold) == 0);
  CHECK(from_cache(warm) == 2);
  CHECK(warm.out == cold.out);
  CHECK_THAT(warm.out, Contains("current   0001_create_a"));
  CHECK(std::filesystem::is_directory(home / "migrate" / "outlines"));
  SECTION("an edit is seen, as in a repository") {
    project.add("0002_create_b.sql", migration_text("CREATE TABLE c (x INTEGER);", "DROP TABLE c;",
                                                    "-- Create table c instead.\n"));
    ProcessResult edited =
        project.run("migrate-history", {"--database", database.url(), "-v"}, traced);
    CHECK_THAT(edited.out, Contains("Create table c instead."));
  }
  SECTION("no cache folder (no HOME): every file read, the same answer") {
    traced.env["XDG_CACHE_HOME"] = "";
    traced.env["HOME"] = "";
    ProcessResult uncached = project.run("migrate-current", args, traced);
    CHECK(from_cache(uncached) == -1);
    CHECK(uncached.out == cold.out);
  }
}

TEST_CASE("golang-migrate pairs: the outline knows a blank down file", "[e2e][outline_cache]") {
  Project project;
  GitWorkTree git(project.root());
  project.add("1_create_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
  project.add("1_create_a.down.sql", "DROP TABLE a;\n");
  project.add("2_create_b.up.sql", "CREATE TABLE b (x INTEGER);\n");
  project.add("2_create_b.down.sql", "-- nothing to undo\n");
  let_stamps_settle();
  ProcessResult cold = project.run("migrate-history", {"-v"}, kTraced);
  ProcessResult warm = project.run("migrate-history", {"-v"}, kTraced);
  INFO(cold.err);
  CHECK(from_cache(cold) == 0);
  CHECK(from_cache(warm) == 2);
  CHECK(warm.out == cold.out);
}

TEST_CASE("outlines of folders whose down sections are files of their own",
          "[e2e][outline_cache]") {
  // history -v and --json say whether each migration is reversible, so an outline must know
  // whether its down file is blank, with a cache or without one.
  const bool in_repository = GENERATE(false, true);
  Project project;
  std::vector<std::string> format;
  SECTION("golang-migrate pairs") {
    project.add("1_create_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
    project.add("1_create_a.down.sql", "DROP TABLE a;\n");
    project.add("2_create_b.up.sql", "CREATE TABLE b (x INTEGER);\n");
    project.add("2_create_b.down.sql", "\n");
  }
  SECTION("Flyway's V and U files") {
    project.add("V1__create_a.sql", "CREATE TABLE a (x INTEGER);\n");
    project.add("U1__create_a.sql", "DROP TABLE a;\n");
    project.add("V2__create_b.sql", "CREATE TABLE b (x INTEGER);\n");
  }
  SECTION("a name-ordered folder") {
    project.add("a_first.up.sql", "CREATE TABLE a (x INTEGER);\n");
    project.add("a_first.down.sql", "DROP TABLE a;\n");
    project.add("b_second.up.sql", "CREATE TABLE b (x INTEGER);\n");
    format = {"--format", "stem"};
  }
  std::optional<GitWorkTree> git;
  if (in_repository) {
    git.emplace(project.root());
  }
  let_stamps_settle();
  std::vector<std::string> verbose = format, json = format;
  verbose.push_back("-v");
  json.push_back("--json");
  ProcessResult cold_text = project.run("migrate-history", verbose, kTraced);
  ProcessResult cold_json = project.run("migrate-history", json, kTraced);
  INFO(cold_text.err);
  REQUIRE(cold_text.exit_code == 0);
  REQUIRE(cold_json.exit_code == 0);
  CHECK_THAT(cold_json.out, Contains("\"reversible\":true"));
  CHECK_THAT(cold_json.out, Contains("\"reversible\":false"));
  ProcessResult warm_text = project.run("migrate-history", verbose, kTraced);
  ProcessResult warm_json = project.run("migrate-history", json, kTraced);
  CHECK(warm_text.exit_code == 0);
  CHECK(warm_text.out == cold_text.out);
  CHECK(warm_json.out == cold_json.out);
}
