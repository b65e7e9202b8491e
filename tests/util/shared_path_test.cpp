#include "util/shared_path.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using migrate::SharedPath;

TEST_CASE("shared_path: made from text, it reads as the path of that text", "[util][shared_path]") {
  for (std::string text :
       {"/work/migrations/202401010000_a.sql", "relative/../x.sql", "a//b/", "", "/"}) {
    INFO(text);
    SharedPath shared(text);
    std::filesystem::path path(text);
    CHECK(shared.native() == text);
    CHECK(std::string(shared.c_str()) == text);
    CHECK(shared.empty() == text.empty());
    CHECK(shared.get() == path);
    CHECK(shared.get().native() == path.native());
    CHECK(shared.filename() == path.filename());
    CHECK(shared.parent_path() == path.parent_path());
    CHECK(shared.extension() == path.extension());
  }
}

TEST_CASE("shared_path: copies share one path, and equal paths compare equal whatever their text",
          "[util][shared_path]") {
  SharedPath a(std::string("/m/1_a.sql"));
  SharedPath copy = a;
  CHECK(&copy.get() == &a.get());
  CHECK(copy == a);
  // Made apart, from a path or from text: equal as paths are ("a//b" is "a/b").
  CHECK(SharedPath(std::filesystem::path("/m/1_a.sql")) == a);
  CHECK(SharedPath(std::string("/m//1_a.sql")) == a);
  CHECK(!(SharedPath(std::string("/m/2_b.sql")) == a));
  CHECK(a == std::filesystem::path("/m//1_a.sql"));
  CHECK(SharedPath().get().empty());
  CHECK(SharedPath().native().empty());
}

TEST_CASE("shared_path: threads asking for the path at once all get the one path",
          "[util][shared_path]") {
  // The snapshot's readers decode migrations on several threads; the path is made on first
  // use, from whichever thread asks.
  for (int round = 0; round < 50; ++round) {
    SharedPath shared(std::string("/work/migrations/202401010000_create_users.sql"));
    std::vector<const std::filesystem::path*> seen(4, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
      threads.emplace_back([&, t] { seen[t] = &shared.get(); });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    for (const std::filesystem::path* path : seen) {
      REQUIRE(path == seen.front());
      CHECK(path->filename() == "202401010000_create_users.sql");
    }
  }
}
