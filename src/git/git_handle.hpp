#pragma once

#include <git2.h>

#include <memory>
#include <string_view>

namespace migrate {

/// Frees a libgit2 object with its own free function; one alias per handle type below, so each
/// C handle has exactly one owner.
template <auto Free>
struct GitDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Free(handle);
  }
};

using GitRepository = std::unique_ptr<git_repository, GitDeleter<git_repository_free>>;
using GitConfig = std::unique_ptr<git_config, GitDeleter<git_config_free>>;
using GitConfigIterator =
    std::unique_ptr<git_config_iterator, GitDeleter<git_config_iterator_free>>;

/// Pairs git_libgit2_init with git_libgit2_shutdown. libgit2 counts them, so every user of the
/// library holds one for as long as it needs libgit2.
class Libgit2Session {
 public:
  Libgit2Session() { git_libgit2_init(); }
  Libgit2Session(const Libgit2Session&) = delete;
  Libgit2Session& operator=(const Libgit2Session&) = delete;
  ~Libgit2Session() { git_libgit2_shutdown(); }
};

/// libgit2's message for the last failed call.
inline std::string_view last_git_error() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

}  // namespace migrate
