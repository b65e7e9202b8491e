#include "util/stop_signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace migrate {

namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

StopSignals::StopSignals(std::function<void()> on_stop) {
  sigset_t set = stop_set();
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &set, &old);
  // Restore on destruction only what this object blocked.
  m_restore_mask = sigismember(&old, SIGINT) == 0 || sigismember(&old, SIGTERM) == 0;
  m_waiter = std::thread([set, on_stop = std::move(on_stop)] {
    int signal = 0;
    sigwait(&set, &signal);
    on_stop();
  });
}

StopSignals::~StopSignals() {
  // A signal aimed at the waiter thread itself ends its sigwait when none came from outside;
  // on_stop then runs once more, which stopping an already stopped server tolerates.
  pthread_kill(m_waiter.native_handle(), SIGTERM);
  m_waiter.join();
  if (m_restore_mask) {
    sigset_t set = stop_set();
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  }
}

}  // namespace migrate
