#include "util/stop_signals.hpp"

#include <pthread.h>

#include <chrono>

namespace migrate {

namespace {

/// SIGINT and SIGTERM, less those the process ignores.
sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM}) {
    struct sigaction action {};
    if (sigaction(signal, nullptr, &action) == 0 && action.sa_handler != SIG_IGN) {
      sigaddset(&set, signal);
    }
  }
  return set;
}

}  // namespace

StopSignals::StopSignals(std::function<void(std::string_view signal)> on_stop)
    : m_signals(stop_set()) {
  pthread_sigmask(SIG_BLOCK, &m_signals, &m_caller_mask);
  if (sigisemptyset(&m_signals) != 0) {
    return;  // both ignored: nothing to wait for
  }
  m_waiter = std::thread(
      [this, on_stop = std::move(on_stop)]() mutable { wait_for_signal(std::move(on_stop)); });
}

void StopSignals::wait_for_signal(std::function<void(std::string_view)> on_stop) {
  int signal = 0;
  sigwait(&m_signals, &signal);
  {
    std::lock_guard lock(m_mutex);
    if (m_state == State::closing) {
      return;  // the destructor's wake-up (or a signal that came as it closed)
    }
    m_state = State::stopping;
  }
  // on_stop may block (until the cancel it sends took), so it runs beside this thread, which
  // then lets the next stop signal end the process: once on_stop returned, or after a second,
  // not before. A Ctrl-C pressed twice in a row would otherwise end the process before the
  // first could cancel the statement, which the server would then run to its end.
  bool returned = false;
  std::thread stopping([&] {
    on_stop(signal == SIGINT ? "Ctrl-C" : "SIGTERM");
    std::lock_guard lock(m_mutex);
    returned = true;
    m_changed.notify_all();
  });
  {
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, std::chrono::seconds(1),
                       [&] { return returned || m_state == State::closing; });
  }
  // This thread takes the next stop signal (or the one pending) with its default action: the
  // process ends at once.
  pthread_sigmask(SIG_UNBLOCK, &m_signals, nullptr);
  stopping.join();
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return m_state == State::closing; });
}

StopSignals::~StopSignals() {
  {
    std::lock_guard lock(m_mutex);
    if (m_state == State::listening && m_waiter.joinable()) {
      // Ends the waiter's sigwait with one of its own signals: blocked in that thread (they are
      // only unblocked after a real one, under this mutex), it cannot end the process.
      pthread_kill(m_waiter.native_handle(), sigismember(&m_signals, SIGTERM) ? SIGTERM : SIGINT);
    }
    m_state = State::closing;
  }
  m_changed.notify_all();
  if (m_waiter.joinable()) {
    m_waiter.join();
  }
  pthread_sigmask(SIG_SETMASK, &m_caller_mask, nullptr);
}

}  // namespace migrate
