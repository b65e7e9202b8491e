#include "web/host_check.hpp"

#include <string>

#include <fmt/format.h>

namespace migrate {

namespace {

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

/// "host:port" as a Host header writes it: IPv6 addresses in brackets, lower case.
std::string host_and_port(std::string_view host, int port) {
  bool ipv6 = host.find(':') != std::string_view::npos;
  return lower_ascii(fmt::format("{}{}{}:{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port));
}

}  // namespace

bool is_own_host(std::string_view host_header, std::string_view bound, std::string_view local,
                 int port) {
  std::string header = lower_ascii(std::string(host_header));
  // Port 80 is the one a browser leaves out.
  bool has_port =
      !header.empty() && header.back() != ']' &&
      header.find(':', header.starts_with("[") ? header.find(']') : 0) != std::string::npos;
  if (port == 80 && !has_port) {
    header += ":80";
  }
  for (std::string_view name : {bound, local, std::string_view("localhost"),
                                std::string_view("127.0.0.1"), std::string_view("::1")}) {
    if (!name.empty() && header == host_and_port(name, port)) {
      return true;
    }
  }
  return false;
}

}  // namespace migrate
