// StopRequest: the flag a stop signal sets and the runner checks, and the cancel of what runs,
// sent again until the call it cancels has returned. Real threads, as Ctrl-C's waiter is one.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "support/logged_run.hpp"
#include "util/stop_request.hpp"

using namespace migrate;
using migrate::test::eventually;

TEST_CASE("stop_request: a request is remembered with its reason, the first one counts", "[util]") {
  StopRequest stop;
  CHECK_FALSE(stop.requested());
  CHECK(stop.reason().empty());
  stop.request("Ctrl-C");
  stop.request("SIGTERM");
  CHECK(stop.requested());
  CHECK(stop.reason() == "Ctrl-C");
}

TEST_CASE("stop_request: the open scope is cancelled, again and again until it ends", "[util]") {
  StopRequest stop;
  std::atomic<int> cancels = 0;
  std::atomic<bool> returned = false;
  std::thread requester;
  {
    StopRequest::Scope scope(stop, [&] { ++cancels; });
    requester = std::thread([&] {
      stop.request("Ctrl-C");
      returned = true;
    });
    // A cancel that found nothing to cancel is sent again: the call still runs.
    CHECK(eventually([&] { return cancels >= 2; }));
    CHECK_FALSE(returned);
  }
  requester.join();
  CHECK(returned);
  CHECK(stop.requested());
}

TEST_CASE("stop_request: a scope opened after the request cancels nothing", "[util]") {
  StopRequest stop;
  stop.request("SIGTERM");
  int cancels = 0;
  StopRequest::Scope scope(stop, [&] { ++cancels; });
  // Its owner checks requested() and runs nothing.
  CHECK(stop.requested());
  CHECK(cancels == 0);
}
