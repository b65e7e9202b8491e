#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace migrate::test {

/// A TCP connection to 127.0.0.1:`port` that sends exactly the bytes it is given, when it is
/// told to: for requests no HTTP client would send (a forged Host, a request trickled a byte at
/// a time, an oversized one).
class RawConnection {
 public:
  /// Connects; throws std::runtime_error when it cannot.
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// Sends `bytes`; false when the server has closed the connection (or reset it).
  bool send(std::string_view bytes);
  /// What the server sends until it closes the connection, or `timeout` passes without it.
  std::string receive(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  /// True when the server has closed the connection (what it sent first is dropped); waits
  /// up to `timeout` for that.
  bool closed_by_server(std::chrono::milliseconds timeout);

 private:
  /// Reads until the server closes (true) or `timeout` passes (false), keeping it in `into`.
  bool drain(std::chrono::milliseconds timeout, std::string* into);

  int m_fd;
};

/// The status code of a raw response ("HTTP/1.1 403 Forbidden…" -> 403); 0 when there is none.
int status_of(std::string_view response);

/// A whole GET request with the given Host header (no other headers).
std::string get_request(std::string_view target, std::string_view host);

}  // namespace migrate::test
