#include "support/raw_http.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace migrate::test {

RawConnection::RawConnection(int port) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    throw std::runtime_error(fmt::format("cannot connect to 127.0.0.1:{}", port));
  }
}

RawConnection::~RawConnection() {
  ::close(m_fd);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

std::string RawConnection::receive(std::chrono::milliseconds timeout) {
  std::string received;
  drain(timeout, &received);
  return received;
}

bool RawConnection::closed_by_server(std::chrono::milliseconds timeout) {
  return drain(timeout, nullptr);
}

bool RawConnection::drain(std::chrono::milliseconds timeout, std::string* into) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{m_fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char buffer[4096];
    ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      return true;
    }
    if (into != nullptr) {
      into->append(buffer, static_cast<std::size_t>(n));
    }
  }
}

int status_of(std::string_view response) {
  // "HTTP/1.1 403 Forbidden"
  std::size_t space = response.find(' ');
  if (!response.starts_with("HTTP/") || space == std::string_view::npos) {
    return 0;
  }
  int status = 0;
  std::from_chars(response.data() + space + 1, response.data() + response.size(), status);
  return status;
}

std::string get_request(std::string_view target, std::string_view host) {
  return fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", target, host);
}

}  // namespace migrate::test
