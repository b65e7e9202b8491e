#include "util/error.hpp"

#include <fmt/format.h>

namespace migrate {

namespace {

std::string located(const std::filesystem::path& file, int line, const std::string& message) {
  if (line > 0) {
    return fmt::format("{}:{}: {}", file.string(), line, message);
  }
  return fmt::format("{}: {}", file.string(), message);
}

}  // namespace

ParseError::ParseError(const std::filesystem::path& file, int line, const std::string& message)
    : Error(ExitCode::bad_input, located(file, line, message)),
      m_file(file),
      m_line(line),
      m_problem(message) {}

}  // namespace migrate
