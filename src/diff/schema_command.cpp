#include "diff/schema_command.hpp"

#include <signal.h>

#include <fmt/format.h>

#include "diff/dev_database.hpp"
#include "diff/schema_source.hpp"
#include "util/child_process.hpp"
#include "util/file.hpp"
#include "util/temp_folder.hpp"

namespace migrate {

namespace {

constexpr std::size_t kShownLines = 40;
constexpr std::size_t kShownBytes = 8000;

/// The end of what a command printed on stderr, indented, for a message: its last lines, since
/// a traceback ends with what went wrong.
std::string stderr_excerpt(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  if (text.empty()) {
    return "It printed nothing on stderr.";
  }
  std::size_t start = text.size() > kShownBytes ? text.size() - kShownBytes : 0;
  std::size_t lines = 0;
  for (std::size_t at = text.size(); at > start; --at) {
    if (text[at - 1] == '\n' && ++lines == kShownLines) {
      start = at;
      break;
    }
  }
  std::string shown = start > 0 ? "  (…)\n  " : "  ";
  for (std::size_t i = start; i < text.size(); ++i) {
    shown += text[i];
    if (text[i] == '\n') {
      shown += "  ";
    }
  }
  return (start > 0 ? "The end of its stderr:\n" : "Its stderr:\n") + shown;
}

}  // namespace

SchemaCommandOutputError::SchemaCommandOutputError(int line, const std::string& problem)
    : Error(ExitCode::bad_input,
            fmt::format("the output of schema-command, line {}: {}", line, problem)) {}

std::string run_schema_command(const SchemaSource& source, const std::string& database_url,
                               DevDatabases& dev) {
  TempFolder outputs("migrate-schema-command");
  std::filesystem::path out = outputs.path() / "stdout";
  std::filesystem::path err = outputs.path() / "stderr";
  bool ended = false;
  int code = 0;
  {
    // SIGKILL for the shell if migrate dies: what it started then stays, in its group.
    ChildProcess shell({"/bin/sh", "-c", source.command},
                       {.death_signal = SIGKILL,
                        .output = out,
                        .error_output = err,
                        .folder = source.path,
                        .environment = {{"MIGRATE_DEV_DATABASE_URL", database_url}}},
                       SIGKILL);
    {
      // Until the shell is collected its process group cannot be another's.
      DevDatabases::AbandonHook hook(dev, [&shell, &outputs] {
        shell.kill_group(SIGKILL);
        outputs.remove();
      });
      ended = shell.ended_within(source.timeout);
      shell.kill_group(SIGKILL);  // what it left behind, or all of it at the timeout
    }
    code = shell.wait();
  }
  if (!ended) {
    throw SchemaCommandFailed(fmt::format(
        "schema-command ran longer than schema-command-timeout ({} s) and was stopped, with "
        "what it started: {}\n{}\nIf it needs longer, raise schema-command-timeout in "
        "migrate.conf's [migrate] section",
        source.timeout.count(), source.command, stderr_excerpt(read_file(err))));
  }
  if (code != 0) {
    throw SchemaCommandFailed(fmt::format("schema-command failed with exit code {}: {}\n{}", code,
                                          source.command, stderr_excerpt(read_file(err))));
  }
  return read_file(out);
}

}  // namespace migrate
