#include "support/web_process.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "support/http_client.hpp"

namespace migrate::test {

WebProcess::WebProcess(const std::filesystem::path& cwd, std::vector<std::string> args,
                       RunOptions options)
    : m_port(free_tcp_port()) {
  args.insert(args.begin(), {"--port", std::to_string(m_port)});
  options.cwd = cwd;
  m_process.emplace(start_tool("migrate-web", args, options));
  for (int attempt = 0; attempt < 600; ++attempt) {
    if (http_request(m_port, "GET", "/assets/style.css", {}, std::chrono::seconds(5)).status ==
        200) {
      return;
    }
    if (::kill(m_process->pid(), 0) != 0) {
      break;  // it exited (wait() below reaps it and shows why)
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ProcessResult result = stop();
  throw std::runtime_error(fmt::format("migrate-web did not start (exit {}): {}{}",
                                       result.exit_code, result.out, result.err));
}

WebProcess::~WebProcess() {
  if (m_process) {
    stop();
  }
}

ProcessResult WebProcess::stop() {
  m_process->kill(SIGTERM);
  ProcessResult result = m_process->wait();
  m_process.reset();
  return result;
}

SilentPort::SilentPort() : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(m_fd, 16) != 0 ||
      ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("cannot open a listening socket");
  }
  m_port = ntohs(address.sin_port);
}

SilentPort::~SilentPort() {
  ::close(m_fd);
}

}  // namespace migrate::test
