#include "commands/dev_stop.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "diff/dev_database.hpp"
#include "util/exit_code.hpp"

namespace migrate {

std::function<void(std::string_view)> abandon_handler(DevDatabases& dev, std::string tool) {
  return [&dev, tool = std::move(tool)](std::string_view signal) {
    dev.abandon();
    std::string message =
        fmt::format("{}: error: interrupted ({}): nothing was written\n", tool, signal);
    (void)!::write(STDERR_FILENO, message.data(), message.size());
    ::_exit(static_cast<int>(ExitCode::failure));
  };
}

StopSignals abandon_on_stop(DevDatabases& dev, std::string tool) {
  return StopSignals(abandon_handler(dev, std::move(tool)));
}

}  // namespace migrate
