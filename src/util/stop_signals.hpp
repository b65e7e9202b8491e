#pragma once

#include <signal.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

namespace migrate {

/// Turns Ctrl-C (SIGINT) and SIGTERM into a call of `on_stop` on a thread of its own, with no
/// signal handler and no global variable: the constructor blocks both signals in the calling
/// thread, so every thread started after it (a server's pool) inherits the mask, and one
/// waiter thread takes them with sigwait(). Construct it before starting any other thread.
/// `on_stop` hears the first signal ("Ctrl-C" or "SIGTERM"); once it returned, or a second
/// after the signal, the signals have their default action again, so a second Ctrl-C ends the
/// process at once, whatever `on_stop` is still doing (one pressed sooner waits that long). A
/// signal the process ignores (SIG_IGN, as for a background job) stays ignored. The destructor
/// wakes the waiter if no signal came, joins it and restores the mask.
class StopSignals {
 public:
  explicit StopSignals(std::function<void(std::string_view signal)> on_stop);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  enum class State { listening, stopping, closing };

  void wait_for_signal(std::function<void(std::string_view)> on_stop);

  sigset_t m_signals;      ///< the stop signals this object takes
  sigset_t m_caller_mask;  ///< the constructing thread's mask before, restored at the end
  std::mutex m_mutex;
  std::condition_variable m_changed;  ///< on_stop returned, or the destructor runs
  State m_state = State::listening;
  std::thread m_waiter;
};

}  // namespace migrate
