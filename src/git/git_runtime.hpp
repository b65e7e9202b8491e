#pragma once

#include <optional>

#include "git/git_handle.hpp"

namespace migrate {

/// Keeps libgit2 started for the rest of the process once something needs it. Starting it is
/// not free (Debian's libgit2 loads the system's CA certificates: ~10 ms), and every
/// Libgit2Session that ends the last reference stops it again, so a tool holds one of these:
/// libgit2 then starts at most once per process, and never for a command that does not use git.
class GitRuntime {
 public:
  void require() {
    if (!m_session) {
      m_session.emplace();
    }
  }

 private:
  std::optional<Libgit2Session> m_session;
};

}  // namespace migrate
