#include "support/http_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include <httplib.h>

namespace migrate::test {

HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::string& body, std::chrono::seconds timeout) {
  httplib::Client client("127.0.0.1", port);
  client.set_url_encode(false);  // the target goes out byte for byte
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  httplib::Result result = method == "GET"    ? client.Get(target)
                           : method == "POST" ? client.Post(target, body, "application/json")
                                              : client.Delete(target);
  HttpResponse response;
  if (!result) {
    response.error = httplib::to_string(result.error());
    return response;
  }
  response.status = result->status;
  response.content_type = result->get_header_value("Content-Type");
  response.body = result->body;
  return response;
}

int free_tcp_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("cannot find a free TCP port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace migrate::test
