// cpp-httplib's server with a deadline and a size cap per request: its own connection loop
// over a Stream that enforces them (httplib::Stream is the library's interface for that; its
// SocketStream bounds each wait only).
#include "web/limited_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <string>

#include <httplib.h>

#include "util/error.hpp"

namespace migrate {

namespace {

using Clock = std::chrono::steady_clock;

/// "127.0.0.1" / "::1" and the port of a socket address.
void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  ip = text;
}

/// One connection's socket, read through a buffer. The connection gets `read_time` for all
/// its requests to arrive, and `write_time` for all its responses to leave (one deadline each
/// per connection, so keep-alive does not renew them); each request `max_bytes` to be in. Once
/// the connection runs out of either, the stream is exhausted: reads fail, and the connection
/// ends after the answer.
class LimitedStream final : public httplib::Stream {
 public:
  LimitedStream(socket_t socket, const RequestLimits& limits)
      : m_socket(socket), m_limits(limits), m_read_deadline(Clock::now() + limits.read_time) {}

  /// Waits up to the idle time, and within the read deadline, for the next request on a
  /// kept-alive connection.
  bool next_request_arrives() const {
    return m_begin < m_end ||
           wait(POLLIN, std::min(Clock::now() + m_limits.idle_time, m_read_deadline));
  }
  /// Starts the byte count of the next request.
  void start_request() {
    m_received = m_end - m_begin;  // a pipelined request's bytes already here count
  }
  bool exhausted() const { return m_exhausted; }
  /// Ends the connection after the current request (whose body may be left unread).
  void last_request() { m_exhausted = true; }

  bool is_readable() const override { return m_begin < m_end || wait(POLLIN, m_read_deadline); }
  bool is_writable() const override {
    if (!m_write_deadline) {
      m_write_deadline = Clock::now() + m_limits.write_time;
    }
    return wait(POLLOUT, *m_write_deadline);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (m_begin == m_end) {
      if (m_received >= m_limits.max_bytes) {
        m_exhausted = true;
        return -1;
      }
      if (!is_readable()) {
        return -1;
      }
      std::size_t room = std::min(m_buffer.size(), m_limits.max_bytes - m_received);
      ssize_t n = ::recv(m_socket, m_buffer.data(), room, 0);
      if (n <= 0) {
        return n;
      }
      m_begin = 0;
      m_end = static_cast<std::size_t>(n);
      m_received += m_end;
    }
    std::size_t n = std::min(size, m_end - m_begin);
    std::copy_n(m_buffer.data() + m_begin, n, ptr);
    m_begin += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) {
      return -1;
    }
    return ::send(m_socket, ptr, size, MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      address_of(address, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      address_of(address, ip, port);
    }
  }
  socket_t socket() const override { return m_socket; }

 private:
  /// Polls for `events` until `deadline`; past it, the stream is exhausted.
  bool wait(short events, Clock::time_point deadline) const {
    for (;;) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        m_exhausted = true;
        return false;
      }
      pollfd fd{m_socket, events, 0};
      int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
      if (ready > 0) {
        return (fd.revents & (events | POLLHUP | POLLERR)) != 0;
      }
      if (ready < 0 && errno != EINTR) {
        return false;
      }
    }
  }

  socket_t m_socket;
  const RequestLimits& m_limits;
  std::array<char, 4096> m_buffer{};
  std::size_t m_begin = 0;
  std::size_t m_end = 0;
  std::size_t m_received = 0;
  const Clock::time_point m_read_deadline;
  mutable std::optional<Clock::time_point> m_write_deadline;  ///< set by the first write
  mutable bool m_exhausted = false;
};

/// A request's bytes as a connection to the server would deliver them, and what the server sends
/// back: LimitedStream without the socket. Nothing here ever waits, so of
/// its limits only the size applies: as on a socket, a request gets at most `max_bytes`, and
/// reading past them fails.
class RequestBytes final : public httplib::Stream {
 public:
  RequestBytes(std::string_view raw_request, std::size_t max_bytes, int port)
      : m_bytes(raw_request.substr(0, max_bytes)),
        m_cut(raw_request.size() >= max_bytes),
        m_port(port) {}

  const std::string& response() const { return m_response; }

  // The bytes, or their end, are always there: a socket's peer that sent them and closed.
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }

  ssize_t read(char* ptr, size_t size) override {
    if (m_bytes.empty()) {
      return m_cut ? -1 : 0;  // over the limit a read fails; otherwise the client closed
    }
    std::size_t n = m_bytes.copy(ptr, size);
    m_bytes.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    m_response.append(ptr, size);
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = kLoopback;
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = kLoopback;
    port = m_port;
  }
  // Not a socket (httplib's process_request does not ask for one).
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  static constexpr const char* kLoopback = "127.0.0.1";

  std::string_view m_bytes;  ///< not read yet
  bool m_cut;                ///< the request reached max_bytes: more may have followed
  int m_port;
  std::string m_response;
};

class LimitedServer final : public httplib::Server {
 public:
  explicit LimitedServer(const RequestLimits& limits) : m_limits(limits) {
    new_task_queue = [threads = limits.threads] { return new httplib::ThreadPool(threads); };
    set_payload_max_length(limits.max_bytes);
  }

  /// One request from `raw_request`'s bytes, as a connection's first, through this server.
  std::string respond(std::string_view raw_request, int port) {
    RequestBytes stream(raw_request, m_limits.max_bytes, port);
    bool closed = false;
    process_request(stream, false, closed, nullptr);
    return stream.response();
  }

 private:
  /// httplib's per-connection loop (keep-alive up to its count), over a LimitedStream.
  bool process_and_close_socket(socket_t socket) override {
    LimitedStream stream(socket, m_limits);
    for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET;
         --left) {
      if (left != keep_alive_max_count_ && !stream.next_request_arrives()) {
        break;
      }
      stream.start_request();
      bool closed = false;
      // A request with a body is the connection's last: the page sends none, so a handler may
      // refuse it without reading it, and what is left must not pass for another request.
      auto last_if_body = [&stream](httplib::Request& request) {
        if (has_body(request)) {
          stream.last_request();
        }
      };
      if (!process_request(stream, left == 1, closed, last_if_body) || closed ||
          stream.exhausted()) {
        break;
      }
    }
    ::shutdown(socket, SHUT_RDWR);
    ::close(socket);
    return true;
  }

  RequestLimits m_limits;
};

}  // namespace

bool has_body(const httplib::Request& request) {
  return request.has_header("Transfer-Encoding") ||
         request.get_header_value<std::uint64_t>("Content-Length") > 0;
}

std::unique_ptr<httplib::Server> make_limited_server(const RequestLimits& limits) {
  return std::make_unique<LimitedServer>(limits);
}

std::string respond_to_bytes(httplib::Server& server, std::string_view raw_request, int port) {
  auto* limited = dynamic_cast<LimitedServer*>(&server);
  if (limited == nullptr) {
    throw InternalError("respond_to_bytes: a server make_limited_server did not make");
  }
  return limited->respond(raw_request, port);
}

}  // namespace migrate
