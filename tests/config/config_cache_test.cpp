// The config cache: a git-config file's entries remembered by its stamp, in a real repository.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/config_cache.hpp"
#include "git/git_backend.hpp"
#include "support/git_work_tree.hpp"
#include "support/later_read.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using migrate::test::a_minute_later;
using migrate::test::GitWorkTree;
using migrate::test::TempDir;

namespace {

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

TEST_CASE("config_cache: outside a repository nothing is remembered", "[config]") {
  TempDir dir;
  std::filesystem::path file = dir / "migrate.conf";
  test::write_text(file, "[migrate]\n\ttable = t\n");
  ConfigCache(file, a_minute_later()).store({{"migrate.table", "t"}});
  CHECK_FALSE(ConfigCache(file, a_minute_later()).find());
}
