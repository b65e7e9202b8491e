#pragma once

#include <fmt/format.h>

#include "db/driver.hpp"
#include "util/stop_request.hpp"

namespace migrate {

/// Runs `call` on `driver` (a migration's statement, a wait for a lock) so that a stop request
/// cancels it at once (Driver::cancel): it then throws, as a failed call does. When the stop
/// came before, throws StatementError without calling it. Whoever knows what ran turns that into
/// Interrupted. With no StopRequest it just calls it.
template <typename Call>
decltype(auto) cancellable(StopRequest* stop, Driver& driver, Call&& call) {
  if (stop == nullptr) {
    return call();
  }
  StopRequest::Scope scope(*stop, [&driver] { driver.cancel(); });
  if (stop->requested()) {
    throw StatementError(fmt::format("interrupted ({}) before it started", stop->reason()),
                         std::nullopt);
  }
  return call();
}

}  // namespace migrate
