#pragma once

#include <optional>
#include <string>

#include "plan/database_status.hpp"

namespace migrate {

/// A target as a read that must not fail found it: its status, or why it has none. What every
/// view of several targets works from (history and the web page, squash --prune).
struct TargetRead {
  std::string name;                      ///< the target's name: "default", an [env "X"] name
  std::string database;                  ///< its URL, redacted: the only form that is shown
  std::string description;               ///< Target::description(), for messages
  std::optional<DatabaseStatus> status;  ///< nullopt when it could not be read
  std::string error;                     ///< why not (messages name redacted URLs only)
};

}  // namespace migrate
