#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/run_tool.hpp"

namespace migrate::test {

/// migrate-web running in `cwd` on a free port for one test, stopped (SIGTERM) at the end.
class WebProcess {
 public:
  /// Starts it and waits until it answers (a std::runtime_error with its output when it exits or
  /// does not answer within a minute).
  explicit WebProcess(const std::filesystem::path& cwd, std::vector<std::string> args = {},
                      RunOptions options = {});
  ~WebProcess();
  WebProcess(const WebProcess&) = delete;

  int port() const { return m_port; }
  /// Sends SIGTERM and waits for it to exit.
  ProcessResult stop();

 private:
  int m_port;
  std::optional<RunningProcess> m_process;
};

/// A listening socket on 127.0.0.1 that never accepts or answers: a database server that does not
/// respond (the kernel completes the TCP handshake; nothing is ever said).
class SilentPort {
 public:
  SilentPort();
  ~SilentPort();
  SilentPort(const SilentPort&) = delete;
  int port() const { return m_port; }

 private:
  int m_fd;
  int m_port;
};

}  // namespace migrate::test
