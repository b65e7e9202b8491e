#pragma once

#include <string_view>

namespace migrate {

/// Whether a request's Host header names this server: `host:port` where host is the address it
/// is bound to, the address the request came in on, localhost, 127.0.0.1 or [::1] (IPv6
/// addresses in brackets, case ignored; without `:port` only when the port is 80). A page on
/// another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name, and
/// is refused.
bool is_own_host(std::string_view host_header, std::string_view bound, std::string_view local,
                 int port);

}  // namespace migrate
