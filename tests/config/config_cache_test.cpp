// The config cache: a git-config file's entries remembered by its stamp, in a real repository
// or in the user's cache folder outside one.
#include <catch2/catch.hpp>

#include <algorithm>

#include <sys/stat.h>

#include "config/config_cache.hpp"
#include "git/git_backend.hpp"
#include "support/git_work_tree.hpp"
#include "support/later_read.hpp"
#include "support/scoped_variable.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using migrate::test::a_minute_later;
using migrate::test::GitWorkTree;
using migrate::test::ScopedVariable;
using migrate::test::TempDir;

namespace {

/// The files in a cache's folder; none when it does not exist.
std::vector<std::filesystem::path> cached_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    files.push_back(it->path());
  }
  return files;
}

bool same(const std::vector<GitConfigEntry>& a, const std::vector<GitConfigEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.value == y.value;
  });
}

}  // namespace

TEST_CASE("config_cache: an old file's entries come back as git read them", "[config][git]") {
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  tree.write("migrate.conf",
             "[migrate]\n\tdatabase = \"sqlite:a\\nb.db\"\n\tmodels = x\n"
             "\tmodels = y\n[env \"prod\"]\n\tdatabase = postgres://h/db\n");
  std::filesystem::path file = tree.root() / "migrate.conf";
  std::vector<GitConfigEntry> read = load_git_backend().read_config(file);
  REQUIRE(read.size() == 4);
  CHECK(read[0].value == "sqlite:a\nb.db");  // a newline, as git unescapes it

  ReadStart later = a_minute_later();
  CHECK_FALSE(ConfigCache(file, later).find());  // nothing remembered yet
  ConfigCache(file, later).store(read);
  std::optional<std::vector<GitConfigEntry>> found = ConfigCache(file, later).find();
  REQUIRE(found);
  CHECK(same(*found, read));

  SECTION("a file written a moment ago is never trusted (racy): it is parsed again") {
    ConfigCache now(file);
    now.store(read);
    CHECK_FALSE(ConfigCache(file).find());
  }
  SECTION("a file changed since is parsed again") {
    tree.write("migrate.conf", "[migrate]\n\tdatabase = sqlite:other.db\n");
    CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
  }
}

TEST_CASE("config_cache: outside a repository, remembered in the user's cache folder", "[config]") {
  TempDir dir;
  std::filesystem::path file = dir / "deploy" / "migrate.conf";
  test::write_text(file, "[migrate]\n\ttable = t\n");
  ScopedVariable xdg("XDG_CACHE_HOME", (dir / "cache").string());
  ConfigCache(file, a_minute_later()).store({{"migrate.table", "t"}});
  std::optional<std::vector<GitConfigEntry>> found = ConfigCache(file, a_minute_later()).find();
  REQUIRE(found);
  CHECK(same(*found, {{"migrate.table", "t"}}));
  CHECK(cached_files(dir / "cache" / "migrate" / "config").size() == 1);

  SECTION("a file changed since is parsed again") {
    test::write_text(file, "[migrate]\n\ttable = other\n");
    CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
  }
  SECTION("no cache folder (no HOME, no XDG_CACHE_HOME): nothing is remembered") {
    ScopedVariable no_xdg("XDG_CACHE_HOME", std::nullopt);
    ScopedVariable no_home("HOME", std::nullopt);
    CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
    ConfigCache(file, a_minute_later()).store({{"migrate.table", "t"}});
    CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
  }
  SECTION("a cache folder that cannot be written costs the shortcut, nothing else") {
    ScopedVariable unwritable("XDG_CACHE_HOME", (file / "not-a-folder").string());
    ConfigCache(file, a_minute_later()).store({{"migrate.table", "t"}});  // no throw
    CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
  }
}

TEST_CASE("config_cache: only its owner may read what it remembers", "[config][git]") {
  // migrate.conf may hold a password and be readable by its owner alone: so is its cache,
  // whatever the umask, in a repository and outside one.
  TempDir dir;
  GitWorkTree tree(dir / "repo");
  tree.write("migrate.conf", "[migrate]\n\tdatabase = postgres://me:secret@h/db\n");
  test::write_text(dir / "copy" / "migrate.conf", "[migrate]\n\tdatabase = sqlite:a.db\n");
  ScopedVariable xdg("XDG_CACHE_HOME", (dir / "cache").string());
  ::mode_t old_umask = ::umask(0);  // the loosest: files are created 0666 unless asked
  for (const std::filesystem::path& file :
       {tree.root() / "migrate.conf", dir / "copy" / "migrate.conf"}) {
    ConfigCache(file, a_minute_later()).store({{"migrate.database", "x"}});
  }
  ::umask(old_umask);
  std::vector<std::filesystem::path> files =
      cached_files(tree.root() / ".git" / "migrate" / "config");
  std::vector<std::filesystem::path> outside = cached_files(dir / "cache" / "migrate" / "config");
  files.insert(files.end(), outside.begin(), outside.end());
  REQUIRE(files.size() == 2);
  for (const std::filesystem::path& cached : files) {
    INFO(cached);
    CHECK((std::filesystem::status(cached).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
}
