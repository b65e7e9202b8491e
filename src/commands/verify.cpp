#include "commands/verify.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/dev_stop.hpp"
#include "commands/git_workspace.hpp"
#include "commands/workspace.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "diff/dev_database.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/stop_signals.hpp"
#include "verify/verifier.hpp"

namespace migrate {

namespace {

/// --junit's file must be writable before anything runs: a report that could not be written at
/// the end would be a whole CI run lost. `given`: the path as the user wrote it, for messages.
void refuse_unwritable(const std::filesystem::path& file, const std::string& given) {
  std::filesystem::path folder = file.parent_path();
  std::error_code error;
  std::string why;
  if (std::filesystem::is_directory(file, error)) {
    why = "it is a folder";
  } else if (!std::filesystem::is_directory(folder, error)) {
    std::filesystem::path shown = std::filesystem::path(given).parent_path();
    why = fmt::format("{} is not a folder", shown.empty() ? "." : shown.string());
  } else if (::access(folder.c_str(), W_OK | X_OK) != 0 ||
             (std::filesystem::exists(file, error) && ::access(file.c_str(), W_OK) != 0)) {
    why = "permission denied";
  }
  if (!why.empty()) {
    throw UsageError(fmt::format("--junit {}: cannot write the report there ({})", given, why));
  }
}

/// The files of the migrations folder that differ from `tree`'s (added, changed, renamed;
/// untracked ones too), as absolute paths.
std::vector<std::filesystem::path> changed_files(Context& context, GitRepo& repo, GitTree* tree) {
  std::vector<std::filesystem::path> files;
  for (const PathChange& change :
       repo.work_tree_changes(tree, migrations_folder(repo, context) + "/")) {
    if (change.kind != PathChange::Kind::deleted) {
      files.push_back(repo.workdir() / change.path);
    }
  }
  return files;
}

/// The files of the migrations folder that differ from GITREF's.
std::vector<std::filesystem::path> changed_since(Context& context, const std::string& ref) {
  std::unique_ptr<GitRepo> repo = open_repository(context, "migrate-verify --changed-since");
  std::unique_ptr<GitTree> tree = repo->tree_of(ref);
  if (!tree) {
    throw UsageError(fmt::format(
        "--changed-since {}: no such revision in this repository (fetch it first, as in `git "
        "fetch origin main`)",
        ref));
  }
  return changed_files(context, *repo, tree.get());
}

/// The files of the migrations folder not on `upstream`, which the lint step lints by default;
/// nullopt outside git, or when `upstream` is not there.
std::optional<std::vector<std::filesystem::path>> unreleased_files(Context& context) {
  std::unique_ptr<GitRepo> repo = discover_repository(context, context.cwd);
  if (!repo || repo->workdir().empty()) {
    return std::nullopt;
  }
  std::unique_ptr<GitTree> tree = repo->tree_of(context.config.upstream);
  if (!tree) {
    return std::nullopt;
  }
  return changed_files(context, *repo, tree.get());
}

void print_report(Context& context, const VerifyReport& report) {
  Console& console = context.console;
  for (const VerifyCheck& check : report.checks) {
    std::string word = check.status == CheckStatus::passed ? console.paint("ok  ", Style::good)
                       : check.status == CheckStatus::failed
                           ? console.paint("FAIL", Style::bad)
                           : console.paint("skip", Style::warning);
    std::string where = check.file.empty() || check.file == check.name
                            ? std::string()
                            : fmt::format(" ({})", check.file);
    std::string line = fmt::format("{}  {:<9} {}{}: {}", word, verify_step_name(check.step),
                                   check.name, where, check.message);
    if (check.status == CheckStatus::passed) {
      console.info("{}", line);
      continue;
    }
    console.report("{}", line);
    for (const std::string& detail : check.details) {
      std::string indented = "        - " + detail;
      for (std::size_t at = indented.find('\n'); at != std::string::npos;
           at = indented.find('\n', at + 1)) {
        indented.insert(at + 1, "          ");
      }
      console.report("{}", indented);
    }
  }
  for (const std::string& note : report.notes) {
    console.note(note);
  }
  std::size_t failed = report.count(CheckStatus::failed);
  std::size_t skipped = report.count(CheckStatus::skipped);
  console.report("{}: {} check{}, {} passed, {} failed, {} skipped",
                 report.passed() ? console.paint("verified", Style::good)
                                 : console.paint("verify failed", Style::bad),
                 report.checks.size(), report.checks.size() == 1 ? "" : "s",
                 report.count(CheckStatus::passed), failed, skipped);
}

}  // namespace

ExitCode run_verify(Context& context, const VerifyOptions& options) {
  if (!options.junit.empty()) {
    refuse_unwritable(context.cwd / options.junit, options.junit);
  }
  VerifyRequest request;
  request.read_migrations = [&context] { return read_migrations(context); };
  request.migrations_dir = display_dir(context);
  request.cwd = context.cwd;
  request.heads = options.heads;
  request.since = options.since;
  if (!options.changed_since.empty()) {
    request.changed_files = changed_since(context, options.changed_since);
    request.changed_since = options.changed_since;
  } else if (options.since.empty()) {
    request.unreleased_files = unreleased_files(context);
  }
  request.upstream = context.config.upstream;
  request.runner_lock_timeout =
      options.migration_lock_timeout && options.migration_lock_timeout->count() > 0;
  request.runner_statement_timeout =
      options.statement_timeout && options.statement_timeout->count() > 0;
  std::string engine(
      engine_of(parse_database_url(context.config.database_url, context.config.database_base))
          .name);
  DevDatabases dev(engine, context.config.dev_database_url);
  // The report is written only at the end: a stop just ends the run (and the throwaway cluster).
  StopSignals stop_signals = abandon_on_stop(dev, context.console.tool());
  VerifyReport report = verify_migrations(request, dev, context.config);
  if (!options.junit.empty()) {
    write_file_atomically(context.cwd / options.junit, verify_junit(report));
  }
  if (context.json) {
    context.console.result(verify_json(report));
  } else {
    print_report(context, report);
  }
  return report.passed() ? ExitCode::success : ExitCode::check_failed;
}

}  // namespace migrate
