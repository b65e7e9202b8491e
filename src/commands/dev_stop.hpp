#pragma once

#include <memory>
#include <string>

namespace migrate {

class DevDatabases;
class StopSignals;

/// For a command that writes nothing until its end (diff, verify): on Ctrl-C or SIGTERM the run
/// just ends, exit 1, with "<tool>: error: interrupted (Ctrl-C): nothing was written" on stderr,
/// but not before `dev`'s throwaway cluster is stopped and its folder removed. Keep it while the
/// command runs; make it before starting any other thread (StopSignals).
std::unique_ptr<StopSignals> end_on_stop(DevDatabases& dev, const std::string& tool);

}  // namespace migrate
