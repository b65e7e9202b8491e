#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "util/stop_signals.hpp"

namespace migrate {

class DevDatabases;

/// Ctrl-C and SIGTERM for a command that works on development databases and writes nothing
/// until they are done (migrate-diff, migrate-create's generation): what `dev` holds is
/// abandoned at once (a running schema-command killed with what it started, its temporary
/// files and a throwaway cluster removed), "<tool>: error: interrupted (Ctrl-C): nothing was
/// written" goes to stderr, and the process exits 1. Keep it alive until the work on `dev` is
/// over: its destructor waits for a stop under way, so nothing after it runs on a stopped run.
StopSignals abandon_on_stop(DevDatabases& dev, std::string tool);
/// Its handler, for a StopSignals made later (in a std::optional).
std::function<void(std::string_view)> abandon_handler(DevDatabases& dev, std::string tool);

}  // namespace migrate
