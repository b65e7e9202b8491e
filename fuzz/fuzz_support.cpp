#include "fuzz_support.hpp"

#include <cstdlib>
#include <iostream>

namespace migrate::fuzz {

void require(bool holds, std::string_view what, std::string_view detail) {
  if (holds) {
    return;
  }
  // std::cerr, not fmt: the message must get out whatever state the library is in.
  std::cerr << "fuzz property failed: " << what << "\n";
  if (!detail.empty()) {
    std::cerr << detail << "\n";
  }
  std::abort();
}

std::size_t FuzzInput::choose(std::size_t choices) {
  if (m_rest.empty() || choices == 0) {
    return 0;
  }
  auto byte = static_cast<unsigned char>(m_rest.front());
  m_rest.remove_prefix(1);
  return byte % choices;
}

std::string_view FuzzInput::part(std::string_view separator) {
  std::size_t at = m_rest.find(separator);
  std::string_view taken = m_rest.substr(0, at);
  m_rest.remove_prefix(at == std::string_view::npos ? m_rest.size() : at + separator.size());
  return taken;
}

std::vector<std::string_view> parts(FuzzInput& input, std::string_view separator) {
  std::vector<std::string_view> found;
  while (!input.empty()) {
    found.push_back(input.part(separator));
  }
  return found;
}

std::vector<NamedPart> named_parts(std::string_view input) {
  constexpr std::string_view kOpen = "==> ";
  constexpr std::string_view kClose = " <==\n";
  std::vector<NamedPart> found;
  std::size_t at = input.find(kOpen);
  while (at != std::string_view::npos) {
    std::size_t close = input.find(kClose, at);
    if (close == std::string_view::npos) {
      break;
    }
    std::size_t body = close + kClose.size();
    std::size_t next = input.find("\n==> ", body);
    std::size_t end = next == std::string_view::npos ? input.size() : next + 1;
    found.push_back({input.substr(at + kOpen.size(), close - at - kOpen.size()),
                     input.substr(body, end - body)});
    at = next == std::string_view::npos ? next : next + 1;
  }
  return found;
}

}  // namespace migrate::fuzz
