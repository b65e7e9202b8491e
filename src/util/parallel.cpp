#include "util/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

namespace migrate {

namespace {

constexpr std::size_t kMinItemsPerThread = 64;  // below this a thread costs more than it saves
constexpr unsigned kMaxThreads = 8;
/// Items a thread takes at once: the threads taking turns at one counter for each of 10,000
/// stat calls was time of its own; a few items apart, they still end together.
constexpr std::size_t kItemsPerTake = 8;

unsigned machine_threads() {
  return std::min(std::max(1u, std::thread::hardware_concurrency()), kMaxThreads);
}

}  // namespace

HelperThreads::HelperThreads() : HelperThreads(machine_threads() - 1) {}

HelperThreads::HelperThreads(unsigned count) {
  m_threads.reserve(count);  // before any thread starts: no reallocation can throw past one
  for (unsigned t = 0; t < count; ++t) {
    try {
      m_threads.emplace_back([this] { serve(); });
    } catch (...) {
      break;  // fewer helpers, or none: the caller's thread does the rest
    }
  }
}

HelperThreads::~HelperThreads() {
  {
    std::lock_guard<std::mutex> hold(m_lock);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (std::thread& thread : m_threads) {
    thread.join();
  }
}

void HelperThreads::serve() {
  unsigned taken = 0;
  std::unique_lock<std::mutex> hold(m_lock);
  while (true) {
    m_wake.wait(hold, [&] { return m_stopping || m_loop != taken; });
    if (m_stopping) {
      return;
    }
    taken = m_loop;
    const std::function<void()>& work = *m_work;
    hold.unlock();
    work();
    hold.lock();
    if (--m_busy == 0) {
      m_done.notify_one();
    }
  }
}

void HelperThreads::run_on_all(const std::function<void()>& work) {
  {
    std::lock_guard<std::mutex> hold(m_lock);
    m_work = &work;
    m_busy = m_threads.size();
    ++m_loop;
  }
  m_wake.notify_all();
  work();
  std::unique_lock<std::mutex> hold(m_lock);
  m_done.wait(hold, [&] { return m_busy == 0; });
  m_work = nullptr;
}

unsigned parallel_threads(std::size_t count) {
  return std::min(machine_threads(), static_cast<unsigned>(count / kMinItemsPerThread + 1));
}

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                  HelperThreads* helpers) {
  unsigned threads = parallel_threads(count);
  if (threads <= 1 || (helpers != nullptr && helpers->size() == 0)) {
    for (std::size_t i = 0; i < count; ++i) {
      body(i);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_lock;
  const std::function<void()> work = [&] {
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
  if (helpers != nullptr) {
    helpers->run_on_all(work);
  } else {
    HelperThreads started(threads - 1);  // joined when the loop is done
    started.run_on_all(work);
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

}  // namespace migrate
