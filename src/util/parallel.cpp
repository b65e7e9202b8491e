#include "util/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace migrate {

namespace {

constexpr std::size_t kMinItemsPerThread = 64;  // below this a thread costs more than it saves
constexpr unsigned kMaxThreads = 8;
/// Items a thread takes at once: the threads taking turns at one counter for each of 10,000
/// stat calls was time of its own; a few items apart, they still end together.
constexpr std::size_t kItemsPerTake = 8;

}  // namespace

unsigned parallel_threads(std::size_t count) {
  return std::min({std::max(1u, std::thread::hardware_concurrency()), kMaxThreads,
                   static_cast<unsigned>(count / kMinItemsPerThread + 1)});
}

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) {
  unsigned threads = parallel_threads(count);
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      body(i);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_lock;
  auto work = [&] {
    for (std::size_t first = next.fetch_add(kItemsPerTake); first < count;
         first = next.fetch_add(kItemsPerTake)) {
      try {
        for (std::size_t i = first, end = std::min(count, first + kItemsPerTake); i < end; ++i) {
          body(i);
        }
      } catch (...) {
        std::lock_guard<std::mutex> guard(failure_lock);
        if (!failure) {
          failure = std::current_exception();
        }
        next = count;  // stop handing out work
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);  // before any thread starts: no reallocation can throw past one
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (...) {
      break;  // no thread to be had (a limit on threads or memory): fewer do the work
    }
  }
  work();
  for (std::thread& thread : pool) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

}  // namespace migrate
