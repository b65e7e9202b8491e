#pragma once

#include <string>

#include "util/error.hpp"

namespace migrate {

/// The database holds objects the schema model has no place for (a SQLite virtual table…): a
/// reader names them all rather than leave them out silently, and what reads or compares the
/// schema stops (exit 2).
class UnsupportedSchema : public Error {
 public:
  explicit UnsupportedSchema(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

}  // namespace migrate
