#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "util/exit_code.hpp"

namespace migrate {

/// Base of every error the library throws. The message is complete (what went wrong, where,
/// and what to do next); the exit code says which kind of failure it is. Only its subclasses
/// construct one: each is named by what failed and fixes the exit code for it.
class Error : public std::runtime_error {
 public:
  ExitCode exit_code() const { return m_code; }

 protected:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}

 private:
  ExitCode m_code;
};

/// Bad flags or arguments on the command line.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

/// migrate.conf or the environment is wrong.
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

/// A migration file does not follow the format. The message starts with "file:line:".
class ParseError : public Error {
 public:
  ParseError(const std::filesystem::path& file, int line, const std::string& message);
  const std::filesystem::path& file() const { return m_file; }
  int line() const { return m_line; }
  /// The message without its "file:line: ", to say more about the same place.
  const std::string& problem() const { return m_problem; }

 private:
  std::filesystem::path m_file;
  int m_line;
  std::string m_problem;
};

/// Several files do not follow the format: the message lists each one's problem (file:line).
/// One file alone is a ParseError.
class InvalidFiles : public Error {
 public:
  explicit InvalidFiles(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

/// The migration set is not a valid graph, or a revision does not resolve.
class GraphError : public Error {
 public:
  explicit GraphError(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

/// The database refused something or could not be reached.
class DbError : public Error {
 public:
  explicit DbError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// A file or folder could not be read, written, created, moved or removed (or another file is
/// in the way), or a program could not be started. The reason is the operating system's, or
/// what migrate found when it checked first.
class IoError : public Error {
 public:
  explicit IoError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// migrate itself is at fault, not the input: a caller broke a function's contract, a build
/// lost a part, or a library failed where it cannot. The message says which.
class InternalError : public Error {
 public:
  explicit InternalError(const std::string& message) : Error(ExitCode::failure, message) {}
};

/// A check did not pass (drift, pending with --check, a refusal under --strict).
class CheckFailed : public Error {
 public:
  explicit CheckFailed(const std::string& message) : Error(ExitCode::check_failed, message) {}
};

}  // namespace migrate
