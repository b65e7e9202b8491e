// parallel_for over threads it starts, or over HelperThreads started before the loop: every
// index exactly once, the first exception rethrown, and with helpers no thread started.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/parallel.hpp"

using namespace migrate;

namespace {

/// The process's threads now, as the kernel lists them.
std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    ++count;
  }
  return count;
}

/// thread_count() once threads joined before (by an earlier test) are gone from the list: a
/// joined thread may still be listed a moment.
std::size_t settled_thread_count() {
  std::size_t count = thread_count();
  for (int tries = 0; tries < 200; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::size_t now = thread_count();
    if (now == count) {
      return count;
    }
    count = now;
  }
  return count;
}

/// Runs a loop of `count` items and checks each index came exactly once.
void check_each_index_once(std::size_t count, HelperThreads* helpers) {
  std::vector<std::atomic<int>> seen(count);
  parallel_for(
      count, [&](std::size_t i) { ++seen[i]; }, helpers);
  for (std::size_t i = 0; i < count; ++i) {
    INFO("index " << i);
    REQUIRE(seen[i] == 1);
  }
}

}  // namespace

TEST_CASE("parallel: every index exactly once, whatever the count, with or without helpers",
          "[util][parallel]") {
  HelperThreads helpers;
  for (std::size_t count : {0, 1, 7, 63, 64, 65, 1000, 10007}) {
    INFO("count " << count);
    check_each_index_once(count, nullptr);
    check_each_index_once(count, &helpers);
  }
}

TEST_CASE("parallel: helpers serve loop after loop, and start no thread during one",
          "[util][parallel]") {
  HelperThreads helpers;
  CHECK(helpers.size() + 1 == parallel_threads(1'000'000));
  const std::size_t before = settled_thread_count();  // the helpers included: they exist
  for (int loop = 0; loop < 50; ++loop) {
    std::atomic<std::size_t> most{0};
    std::mutex ids_lock;
    std::set<std::thread::id> ids;
    parallel_for(
        2000,
        [&](std::size_t i) {
          if (i % 100 == 0) {
            std::size_t now = thread_count();
            std::size_t was = most.load();
            while (now > was && !most.compare_exchange_weak(was, now)) {
            }
          }
          std::lock_guard<std::mutex> hold(ids_lock);
          ids.insert(std::this_thread::get_id());
        },
        &helpers);
    INFO("loop " << loop);
    CHECK(most.load() <= before);  // none started (one of before's may have ended since)
    CHECK(ids.size() <= helpers.size() + 1);
  }
}

TEST_CASE("parallel: a helper takes part in the loop", "[util][parallel]") {
  HelperThreads helpers;
  if (helpers.size() == 0) {
    SUCCEED("one core: no helper");
    return;
  }
  // The first item waits until a second thread has taken one: the caller is held there, so
  // only a helper can take the rest. (The wait ends anyway after a minute, which fails.)
  std::mutex lock;
  std::set<std::thread::id> ids;
  auto seen = [&] {
    std::lock_guard<std::mutex> hold(lock);
    return ids.size();
  };
  parallel_for(
      1000,
      [&](std::size_t i) {
        {
          std::lock_guard<std::mutex> hold(lock);
          ids.insert(std::this_thread::get_id());
        }
        auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        while (i == 0 && seen() < 2 && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      },
      &helpers);
  CHECK(ids.size() >= 2);
}

TEST_CASE("parallel: a loop without helpers starts threads of its own", "[util][parallel]") {
  if (parallel_threads(1'000'000) < 2) {
    SUCCEED("one core: parallel_for runs every loop in the caller");
    return;
  }
  const std::size_t before = settled_thread_count();
  std::atomic<std::size_t> most{0};
  parallel_for(2000, [&](std::size_t i) {
    if (i % 100 == 0) {
      std::size_t now = thread_count();
      std::size_t was = most.load();
      while (now > was && !most.compare_exchange_weak(was, now)) {
      }
    }
  });
  CHECK(most.load() > before);  // (joined, a thread may still be listed a moment: not checked)
}

TEST_CASE("parallel: the first exception is rethrown after the loop, and helpers serve the next",
          "[util][parallel]") {
  HelperThreads helpers;
  for (HelperThreads* used : {static_cast<HelperThreads*>(nullptr), &helpers}) {
    std::atomic<int> calls{0};
    CHECK_THROWS_WITH(parallel_for(
                          5000,
                          [&](std::size_t i) {
                            ++calls;
                            if (i == 777) {
                              throw std::runtime_error("item 777 refused");
                            }
                          },
                          used),
                      "item 777 refused");
    CHECK(calls.load() < 5000);  // the rest are no longer handed out
    check_each_index_once(3000, used);
  }
}

TEST_CASE("parallel: helpers that end without a loop, and one loop after another from a thread",
          "[util][parallel]") {
  { HelperThreads unused; }  // joined at once
  HelperThreads helpers;
  std::thread other([&] { check_each_index_once(500, &helpers); });
  other.join();
  check_each_index_once(500, &helpers);  // from another caller, one at a time
}
