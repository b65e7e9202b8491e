#pragma once

#include <string>

namespace migrate {

/// The name of the operating-system user running this process (for `applied_by`).
std::string current_user_name();

}  // namespace migrate
