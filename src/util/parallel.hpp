#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace migrate {

/// Threads started ahead of the loops that use them (parallel_for's `helpers`), each waiting
/// for the next loop. Why ahead: glibc holds a lock through a whole dlopen that a thread being
/// started needs (its TLS is set up under it), so a thread started while another thread loads
/// a database engine's module waits for the load to end. A folder read beside that load sat
/// idle through it when it started its helpers only once it had names to stat; and its two
/// loops (the stats, the decoding) each started threads of their own.
class HelperThreads {
 public:
  /// As many as parallel_for starts for a large loop, less the caller's own thread.
  HelperThreads();
  /// `count` of them; fewer when no more can be had (a limit on threads or memory).
  explicit HelperThreads(unsigned count);
  HelperThreads(const HelperThreads&) = delete;
  HelperThreads& operator=(const HelperThreads&) = delete;
  ~HelperThreads();

  /// Runs `work` on every helper and on the calling thread, and returns when all of them have
  /// finished it. `work` must not throw. One caller at a time.
  void run_on_all(const std::function<void()>& work);
  std::size_t size() const { return m_threads.size(); }

 private:
  void serve();

  std::mutex m_lock;
  std::condition_variable m_wake;  // a new loop, or the end
  std::condition_variable m_done;  // the last helper finished the loop
  const std::function<void()>* m_work = nullptr;
  unsigned m_loop = 0;  // counts loops: a helper takes each one once
  std::size_t m_busy = 0;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

/// Calls body(i) for every i in [0, count), spread over the machine's cores, and returns when
/// all are done. Each call must only touch its own slot of any shared output. Worth it for
/// I/O-bound loops such as reading thousands of migration files. The first exception thrown by
/// a call is rethrown here, after every thread has stopped. With `helpers`, their threads
/// share the loop and none is started here; without, helpers are started for the loop alone.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                  HelperThreads* helpers = nullptr);

/// How many threads parallel_for uses for `count` items (1: it runs them in the caller), for
/// callers that prepare something per thread.
unsigned parallel_threads(std::size_t count);

}  // namespace migrate
