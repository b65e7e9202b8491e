#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace migrate {

/// A request to stop, made on one thread (a stop signal's waiter, StopSignals) and honoured on
/// another (the one running migrations): a flag the runner checks between its steps, and a way to
/// cancel at once what it is blocked in (a statement, a wait for a lock) while it runs one.
/// Thread-safe; no global state: the command that runs owns it.
class StopRequest {
 public:
  /// While alive, a request() calls `cancel` (on the requesting thread): at once, and again every
  /// 200 ms until the scope ends, since a cancel that arrives just before the call starts is
  /// lost (PostgreSQL ignores a cancel between statements, SQLite an interrupt between steps).
  /// One scope at a time. Open it before the call, then check requested(): a request made
  /// before the scope opened cancels nothing.
  class Scope {
   public:
    Scope(StopRequest& request, std::function<void()> cancel);
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope();

   private:
    StopRequest& m_request;
  };

  StopRequest() = default;
  StopRequest(const StopRequest&) = delete;
  StopRequest& operator=(const StopRequest&) = delete;

  /// Asks to stop, saying why ("Ctrl-C", "SIGTERM"); only the first request counts. Returns once
  /// no scope is open any more (it keeps cancelling the open one until then).
  void request(std::string reason);
  bool requested() const;
  /// Why, as given to request(); empty before.
  std::string reason() const;

 private:
  mutable std::mutex m_mutex;
  std::condition_variable m_scope_ended;
  bool m_requested = false;
  std::string m_reason;
  std::function<void()> m_cancel;  ///< the open scope's; empty when none is open
  std::uint64_t m_scopes = 0;      ///< scopes opened so far: tells one scope from the next
};

}  // namespace migrate
