// run_child: how a child program starts, whatever the calling thread's state.
#include <catch2/catch.hpp>

#include <pthread.h>
#include <signal.h>

#include "util/error.hpp"
#include "util/subprocess.hpp"

using namespace migrate;

TEST_CASE("subprocess: the child blocks no signal, whatever the caller blocks", "[util]") {
  // As while StopSignals waits for Ctrl-C: the stop signals blocked in the calling thread. A
  // child that inherited that would not stop on Ctrl-C (or here, on its own SIGTERM).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigset_t before;
  pthread_sigmask(SIG_BLOCK, &stop, &before);
  ChildResult result = run_child({"sh", "-c", "kill -TERM $$; exit 3"});
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  CHECK(result.exit_code == 128 + SIGTERM);
}

TEST_CASE("subprocess: a program that cannot start is an IoError naming it", "[util]") {
  CHECK_THROWS_AS(run_child({"/nonexistent/migrate-test-program"}), IoError);
  CHECK_THROWS_WITH(run_child({"/nonexistent/migrate-test-program"}),
                    Catch::StartsWith("cannot run /nonexistent/migrate-test-program: "));
}
