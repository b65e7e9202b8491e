#pragma once

#include <cstddef>
#include <functional>

namespace migrate {

/// Calls body(i) for every i in [0, count), spread over the machine's cores, and returns when
/// all are done. Each call must only touch its own slot of any shared output. Worth it for
/// I/O-bound loops such as reading thousands of migration files. The first exception thrown by
/// a call is rethrown here, after every thread has stopped.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body);

/// How many threads parallel_for uses for `count` items (1: it runs them in the caller), for
/// callers that prepare something per thread.
unsigned parallel_threads(std::size_t count);

}  // namespace migrate
