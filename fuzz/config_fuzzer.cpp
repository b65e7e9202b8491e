// migrate.conf: read by libgit2's git-config parser through the config cache
// (config/config_cache), checked key by key (config/config_file), and turned into settings
// with precedence and ${VARIABLE} expansion (config/config). Input: the file's text.
//
// Properties: what the cache hands back for an unchanged file is exactly the entries git's
// parser read from it, names and values byte for byte. Bad input is a ConfigError, never another
// exception.
#include <time.h>

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/config_cache.hpp"
#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "fuzz_support.hpp"
#include "git/git_backend.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/subprocess.hpp"
#include "util/temp_folder.hpp"

using namespace migrate;
using fuzz::require;

namespace {

/// A repository of its own, so that the cache lives in its .git/migrate/.
const std::filesystem::path& project() {
  static const TempFolder folder("migrate-fuzz-config");
  static const bool made = [] {
    ChildResult init = run_child({"git", "init", "-q", folder.path().string()});
    require(init.exit_code == 0, "git init failed", init.err);
    return true;
  }();
  (void)made;
  return folder.path();
}

bool same_entries(const std::vector<GitConfigEntry>& a, const std::vector<GitConfigEntry>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) {
      return false;
    }
  }
  return true;
}

/// A read that starts a minute from now: to it, the file just written is old enough to be
/// remembered by its stamp.
ReadStart a_minute_later() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return ReadStart::at((static_cast<std::int64_t>(now.tv_sec) + 60) * 1'000'000'000);
}

void check_cache(const std::filesystem::path& path) {
  std::vector<GitConfigEntry> entries;
  try {
    entries = load_git_backend().read_config(path);
  } catch (const GitConfigError&) {
    return;
  }
  ReadStart later = a_minute_later();
  ConfigCache(path, later).store(entries);
  std::optional<std::vector<GitConfigEntry>> remembered = ConfigCache(path, later).find();
  require(remembered.has_value(), "an unchanged file's entries were not remembered");
  require(same_entries(*remembered, entries), "the cache gives other entries than git read");
}

void load(const std::filesystem::path& root, const std::optional<std::string>& env) {
  MapEnvironment environment({{"DB_PASSWORD", "s3cret"}, {"APP", "fuzz"}});
  try {
    Config config = load_config({.env = env}, environment, root);
    (void)config;
  } catch (const ConfigError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& root = project();
  std::filesystem::path path = root / kConfigFileName;
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    check_cache(path);
    try {
      (void)ConfigFile::read(path);
    } catch (const ConfigError&) {
    }
    load(root, std::nullopt);
    load(root, "production");
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  }
  return 0;
}
