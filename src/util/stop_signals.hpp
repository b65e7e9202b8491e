#pragma once

#include <functional>
#include <thread>

namespace migrate {

/// Turns Ctrl-C (SIGINT) and SIGTERM into a call of `on_stop` on a thread of its own, with no
/// signal handler and no global variable: the constructor blocks both signals in the calling
/// thread, so every thread started after it (a server's pool) inherits the mask, and one
/// waiter thread takes them with sigwait(). Construct it before starting any other thread.
/// The destructor wakes the waiter if no signal came, joins it and restores the mask.
class StopSignals {
 public:
  explicit StopSignals(std::function<void()> on_stop);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  std::thread m_waiter;
  bool m_restore_mask = false;
};

}  // namespace migrate
