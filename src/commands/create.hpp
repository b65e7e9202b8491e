#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct CreateOptions {
  std::string message;
  bool empty = false;  ///< no guidance comments in the sections
};

/// migrate-create: writes `<id>_<slug>.sql` with the id from the UTC clock (bumped past the
/// newest existing id), `depends:` on the current head(s), rewrites migrations/HEAD, and prints
/// the new file's path.
ExitCode run_create(Context& context, const CreateOptions& options);

}  // namespace migrate
