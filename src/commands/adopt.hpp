#pragma once

#include <optional>
#include <string>

#include "commands/plan_runner.hpp"
#include "util/exit_code.hpp"

namespace migrate {

struct Context;

struct AdoptOptions {
  std::optional<std::string> from;      ///< --from TOOL; detected when absent
  std::optional<std::string> revision;  ///< Alembic, Django: where their state is, here
  bool dry_run = false;
  bool sql = false;
};

/// migrate-adopt: records in migrate's state table what another tool applied to this database
/// (its state table read, never altered), in one transaction, running nothing.
ExitCode run_adopt(Context& context, const AdoptOptions& options);

}  // namespace migrate
