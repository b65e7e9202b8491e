#pragma once

#include <memory>
#include <vector>

namespace migrate {

/// What a command leaves for the operating system to reclaim when the process ends, instead of
/// freeing it object by object: a read command's graph and status at 10,000 migrations are
/// hundreds of thousands of allocations, and freeing them one by one was a sixth of its time.
/// Once the command has returned, the tool ends the process as soon as its output is flushed
/// (Tool::run), as clang does with -disable-free.
///
/// Only for plain data, or a handle whose freeing only gives memory back (a git repository,
/// index or tree that was read): whatever has work to do when destroyed (a connection to
/// close, a temporary to remove, a file to write, a lock to release) must not be kept here.
class KeptUntilExit {
 public:
  template <typename T>
  void keep(T value) {
    m_kept.push_back(std::make_shared<T>(std::move(value)));
  }
  bool empty() const { return m_kept.empty(); }

 private:
  std::vector<std::shared_ptr<void>> m_kept;
};

}  // namespace migrate
