#pragma once

#include <string>

#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct DumpOptions {
  /// Where the dump goes (-o): a file, written whole or not at all; empty or "-": stdout.
  std::string output;
};

/// migrate-dump: the configured database's schema as the statements that create it (or, with
/// --json, the model), canonical: the same bytes for the same schema.
ExitCode run_dump(Context& context, const DumpOptions& options);

}  // namespace migrate
