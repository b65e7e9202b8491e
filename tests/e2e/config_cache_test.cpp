// migrate.conf remembered by its stamp (config/config_cache): whatever the cache holds, every
// command reads the file as it is now.
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/git_work_tree.hpp"
#include "support/project.hpp"
#include "util/file.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

/// A project in a repository whose migrate.conf names the table, read once so it is cached.
class ConfiguredProject {
 public:
  ConfiguredProject() : m_git(m_project.root()) {
    m_project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);", "DROP TABLE a;"));
    write_config("aaaa");
    std::this_thread::sleep_for(
        std::chrono::milliseconds(2100));  // older than ReadStart::racy's two seconds
    REQUIRE(table() == "aaaa");
    REQUIRE(std::filesystem::is_directory(cache_folder()));
  }
  const Project& project() const { return m_project; }
  std::filesystem::path config() const { return m_project.root() / "migrate.conf"; }
  std::filesystem::path cache_folder() const { return m_project.root() / ".git/migrate/config"; }
  void write_config(std::string_view table) const {
    migrate::write_file_atomically(config(), fmt::format("[migrate]\n\ttable = {}\n", table));
  }
  /// The state table the tools are configured with, as migrate-upgrade --sql names it.
  std::string table() const {
    ProcessResult result = m_project.run("migrate-upgrade", {"--sql"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    for (std::string name : {"aaaa", "bbbb", "cccc"}) {
      if (result.out.find("CREATE TABLE IF NOT EXISTS \"" + name + "\"") != std::string::npos) {
        return name;
      }
    }
    return "?";
  }

 private:
  Project m_project;
  migrate::test::GitWorkTree m_git;
};

}  // namespace

TEST_CASE("config cache: an edit that keeps size and mtime is read", "[e2e][config_cache]") {
  ConfiguredProject project;
  auto mtime = std::filesystem::last_write_time(project.config());
  project.write_config("bbbb");  // the same size
  std::filesystem::last_write_time(project.config(), mtime);
  CHECK(project.table() == "bbbb");  // read at once: racy, parsed
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  CHECK(project.table() == "bbbb");  // later: its stamp (ctime, inode) differs from the cached
  CHECK(project.table() == "bbbb");
}

TEST_CASE("config cache: a damaged or foreign cache is ignored", "[e2e][config_cache]") {
  ConfiguredProject project;
  std::filesystem::path cache = std::filesystem::directory_iterator(project.cache_folder())->path();
  std::string bytes = migrate::read_file(cache);
  SECTION("a byte flipped") {
    bytes[bytes.size() / 2] ^= 0x21;
  }
  SECTION("cut short") {
    bytes.resize(bytes.size() - 10);
  }
  SECTION("another build's") {
    bytes.replace(bytes.find("cache 1 ") + 8, 4, "0000");
  }
  migrate::write_file_atomically(cache, bytes);
  CHECK(project.table() == "aaaa");
}

TEST_CASE("config cache: a file that stops parsing is an error again", "[e2e][config_cache]") {
  ConfiguredProject project;
  migrate::write_file_atomically(project.config(), "[migrate\n\ttable = x\n");
  ProcessResult result = project.project().run("migrate-current");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("is not valid git-config syntax"));
  // An unknown key too, though the cache held a valid file before.
  migrate::write_file_atomically(project.config(), "[migrate]\n\ttabel = x\n");
  result = project.project().run("migrate-current");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Contains("unknown setting 'migrate.tabel'"));
}
