#pragma once

#include <fmt/format.h>

#include "db/connection.hpp"
#include "util/stop_request.hpp"

namespace migrate {

/// Runs `call` on `connection` (a migration's statement, a wait for a lock) so that a stop request
/// cancels it at once (Connection::cancel): it then throws, as a failed call does. When the stop
/// came before, throws StatementError without calling it. Whoever knows what ran turns that into
/// Interrupted. With no StopRequest it just calls it.
template <typename Call>
decltype(auto) cancellable(StopRequest* stop, Connection& connection, Call&& call) {
  if (stop == nullptr) {
    return call();
  }
  StopRequest::Scope scope(*stop, [&connection] { connection.cancel(); });
  if (stop->requested()) {
    throw StatementError(fmt::format("interrupted ({}) before it started", stop->reason()),
                         std::nullopt);
  }
  return call();
}

/// As cancellable(), but a stop that came before does not keep `call` from running, only one
/// that comes while it runs cancels it: for the bookkeeping of work that ran (a progress row),
/// which a stop should not lose, but may cut short while it waits for a lock.
template <typename Call>
decltype(auto) cancellable_once_started(StopRequest* stop, Connection& connection, Call&& call) {
  if (stop == nullptr) {
    return call();
  }
  StopRequest::Scope scope(*stop, [&connection] { connection.cancel(); });
  return call();
}

}  // namespace migrate
