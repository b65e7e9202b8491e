// The user's cache folder, by the XDG base directory rules.
#include <catch2/catch.hpp>

#include "support/scoped_variable.hpp"
#include "util/cache_home.hpp"

using namespace migrate;
using migrate::test::ScopedVariable;

TEST_CASE("cache_home: XDG_CACHE_HOME, else HOME's .cache, only as absolute paths", "[util]") {
  SECTION("XDG_CACHE_HOME first") {
    ScopedVariable xdg("XDG_CACHE_HOME", "/var/cache/someone");
    ScopedVariable home("HOME", "/home/someone");
    CHECK(cache_home() == std::filesystem::path("/var/cache/someone/migrate"));
  }
  SECTION("HOME's .cache when XDG_CACHE_HOME is unset, empty or relative") {
    ScopedVariable home("HOME", "/home/someone");
    for (std::optional<std::string> xdg :
         {std::optional<std::string>(), std::optional<std::string>(""),
          std::optional<std::string>("cache")}) {
      ScopedVariable variable("XDG_CACHE_HOME", xdg);
      CHECK(cache_home() == std::filesystem::path("/home/someone/.cache/migrate"));
    }
  }
  SECTION("none: no HOME, or a relative one (a service's), and no XDG_CACHE_HOME") {
    ScopedVariable xdg("XDG_CACHE_HOME", std::nullopt);
    for (std::optional<std::string> home :
         {std::optional<std::string>(), std::optional<std::string>(""),
          std::optional<std::string>("someone")}) {
      ScopedVariable variable("HOME", home);
      CHECK_FALSE(cache_home());
    }
  }
}
