#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct CreateOptions {
  std::string message;
  bool empty = false;              ///< no guidance comments in the sections; never generated
  bool allow_destructive = false;  ///< a generated migration may drop tables and columns
};

/// migrate-create: writes `<id>_<slug>.sql` with the id from the UTC clock (bumped past the
/// newest existing id), `depends:` on the current head(s), rewrites migrations/HEAD, and prints
/// the new file's path. With `schema` configured (and not --empty) its sections are generated:
/// the migration from what the migrations build to what the schema files say, tried both ways
/// first; none is written when they agree.
ExitCode run_create(Context& context, const CreateOptions& options);

}  // namespace migrate
