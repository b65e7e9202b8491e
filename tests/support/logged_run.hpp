#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "support/project.hpp"

namespace migrate::test {

// For tests that watch a tool while it runs (a lock it waits for, a statement to interrupt):
// its output goes to files the test reads meanwhile, and waits have a generous deadline, for a
// loaded machine, instead of a fixed sleep.

/// A tool running in a project, its stdout and stderr written to `out` and `err` as it goes.
struct LoggedRun {
  RunningProcess process;
  std::filesystem::path out;
  std::filesystem::path err;
};

/// Starts `tool` in `project` with its output in <project>/<name>.out and .err.
LoggedRun start_logged(const Project& project, std::string_view tool,
                       const std::vector<std::string>& args, std::string_view name = "run");

/// Waits until `done()` holds (checked every 10 ms, for `limit`, 60 s unless told); false if it
/// never did.
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(60));

/// Waits until `file` holds `text`.
bool wait_for_text(const std::filesystem::path& file, std::string_view text);

}  // namespace migrate::test
