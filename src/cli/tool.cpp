#include "cli/tool.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "config/environment.hpp"
#include "output/console.hpp"
#include "output/json_output.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"

namespace migrate {

const char* const kExitCodesHelp =
    "Exit codes: 0 success; 1 failure while running (database error, migration failed, lock "
    "timeout); 2 bad usage or input (flags, migrate.conf, migration files, unknown revision); 3 a "
    "check did not pass.";

namespace {

/// A line per flag name of `app`: "<name>" for a flag that takes no value, "<name>\t<VALUE>"
/// for one that takes a value.
std::string flag_table(const CLI::App& app) {
  std::string table;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) {
      continue;  // hidden (--alias)
    }
    for (const std::string& name : option->get_lnames()) {
      table += "--" + name;
      if (option->get_expected_min() > 0) {
        table += "\t" +
                 (option->get_type_name().empty() ? std::string("VALUE") : option->get_type_name());
      }
      table += "\n";
    }
  }
  return table;
}

/// `migrate-<verb> __complete-flags [SUBCOMMAND]`, hidden, for shell completion (cli/completion):
/// the tool's flags, then a line per subcommand, its bare name ("install"); given a subcommand,
/// the tool's flags and the subcommand's instead (the common flags may follow it).
std::string completion_table(const CLI::App& app, const char* subcommand_name) {
  std::string table = flag_table(app);
  // Not an option group: CLI11 keeps those as subcommands without a name.
  for (const CLI::App* subcommand :
       app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); })) {
    if (subcommand_name == nullptr) {
      table += subcommand->get_name() + "\n";
    } else if (subcommand->get_name() == subcommand_name) {
      table += flag_table(*subcommand);
    }
  }
  return table;
}

constexpr const char* kVersion = "0.1.0";

void add_common_options(CLI::App& app, CommonOptions& common, bool json) {
  app.add_option("--database", common.config.database,
                 "Database URL (sqlite:path.db, sqlite:///abs.db, postgres://…); overrides "
                 "MIGRATE_DATABASE_URL, DATABASE_URL and migrate.conf")
      ->group("Common");
  app.add_option("--dir", common.config.dir, "Migrations folder (default: migrations)")
      ->group("Common");
  app.add_option("--env", common.config.env,
                 "Use the [env \"NAME\"] section of migrate.conf (also MIGRATE_ENV)")
      ->group("Common");
  app.add_option("--config", common.config.config_file,
                 "Config file (default: the nearest migrate.conf above the working directory)")
      ->group("Common");
  if (json) {
    app.add_flag("--json", common.json, "Print JSON (stable format) instead of text")
        ->group("Common");
  }
  app.add_flag("-q,--quiet", common.quiet, "Print only errors and results")->group("Common");
  app.add_flag("-v,--verbose", common.verbose, "Print more (every statement as it runs)")
      ->group("Common");
  app.add_flag("--no-color", common.no_color, "No colours (also when NO_COLOR is set)")
      ->group("Common");
  app.add_option("--alias", common.alias, "Set by the dispatcher (migrate down, migrate stamp…)")
      ->group("");  // hidden
}

}  // namespace

Tool::Tool(std::string name, std::string description, bool json, HeapUse heap)
    : m_name(std::move(name)), m_app(std::move(description), m_name) {
  tune_malloc_at_start(heap);
  m_app.set_version_flag("--version", fmt::format("{} {}", m_name, kVersion));
  m_app.footer(kExitCodesHelp);
  m_app.get_formatter()->column_width(34);
  add_common_options(m_app, m_common, json);
}

namespace {

/// Ends the process with `code` once its output is flushed, leaving what the command kept (and
/// all else) to the operating system to reclaim (KeptUntilExit). Nothing else is lost: the
/// commands that keep anything have closed what they opened, and write nothing at exit.
[[noreturn]] void end_without_freeing(ExitCode code) {
  std::fflush(nullptr);  // stdout and stderr (std::cout is synced with them)
  std::_Exit(static_cast<int>(code));
}

}  // namespace

int Tool::run(int argc, char** argv, const std::function<ExitCode(Context&)>& command) {
  // Common, but added last: a tool whose own --format means something else (migrate-graph's
  // picture) keeps it, and reads the folder's format from migrate.conf.
  if (m_app.get_option_no_throw("--format") == nullptr) {
    m_app
        .add_option(
            "--format", m_common.config.format,
            "The migrations folder's format: migrate, dbmate, golang-migrate, goose, flyway or "
            "stem (default: `format` in migrate.conf, else detected from its files)")
        ->type_name("FORMAT")
        ->group("Common");
    m_app
        .add_flag("--skip-go", m_common.config.skip_go,
                  "In a goose folder, skip Go migrations (with a warning) instead of refusing "
                  "them (also `skip-go = true` in migrate.conf)")
        ->group("Common");
  }
  if ((argc == 2 || argc == 3) && std::string_view(argv[1]) == "__complete-flags") {  // hidden
    fmt::print("{}", completion_table(m_app, argc == 3 ? argv[2] : nullptr));
    return static_cast<int>(ExitCode::success);
  }
  try {
    m_app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      m_app.exit(e);  // --help, --version
      return static_cast<int>(ExitCode::success);
    }
    // --json may come after the bad flag, where CLI11 never reached it.
    m_common.json = m_common.json ||
                    (m_app.get_option_no_throw("--json") != nullptr &&
                     std::find(argv + 1, argv + argc, std::string_view("--json")) != argv + argc);
    Console console(m_name, stdout, stderr, false, Verbosity::normal);
    return fail(console, fmt::format("{}\nRun '{} --help' for usage.", e.what(), m_name),
                ExitCode::bad_input);
  }
  ProcessEnvironment environment;
  bool color = !m_common.no_color && !environment.get("NO_COLOR") && ::isatty(STDOUT_FILENO) != 0;
  Verbosity verbosity = m_common.quiet     ? Verbosity::quiet
                        : m_common.verbose ? Verbosity::verbose
                                           : Verbosity::normal;
  Console console(m_name, stdout, stderr, color, verbosity);
  try {
    SystemClock clock;
    std::filesystem::path cwd = std::filesystem::current_path();
    Config config = load_config(m_common.config, environment, cwd);
    for (const std::string& note : config.notes) {
      console.note(note);
    }
    Context context{std::move(config), console,       clock, environment, cwd,
                    m_common.json,     m_common.alias};
    ExitCode code = command(context);
    if (!context.kept.empty()) {
      end_without_freeing(code);
    }
    return static_cast<int>(code);
  } catch (const Error& e) {
    return fail(console, e.what(), e.exit_code());
  } catch (const std::exception& e) {
    return fail(console, fmt::format("unexpected failure: {}", e.what()), ExitCode::failure);
  }
}

int Tool::fail(Console& console, const std::string& message, ExitCode code) const {
  console.error(message);
  if (m_common.json) {
    console.result(error_json(message, static_cast<int>(code)));
  }
  return static_cast<int>(code);
}

namespace {

/// "60s", "500ms", "2m" or plain seconds; nullopt for anything else (a negative number too).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data() || !(number >= 0)) {
    return std::nullopt;
  }
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = unit == "ms"                  ? 1.0
                 : unit == "s" || unit.empty() ? 1000.0
                 : unit == "m"                 ? 60000.0
                                               : -1;
  if (scale < 0 || number * scale > 1e12) {  // no unit of ours, or longer than thirty years
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(number * scale));
}

}  // namespace

CLI::Option* add_duration(CLI::App& app, const std::string& name, const std::string& help,
                          std::function<void(std::chrono::milliseconds)> store) {
  return app
      .add_option_function<std::string>(
          name,
          [store = std::move(store)](const std::string& text) { store(*parse_duration(text)); },
          help)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return parse_duration(text) ? std::string()
                                        : "'" + text +
                                              "' is not a duration: write 60s, 500ms, 2m, or a "
                                              "number of seconds";
          },
          ""))
      ->type_name("DURATION");
}

void add_run_options(CLI::App& app, RunOptions& options, bool with_single_transaction) {
  app.add_flag("--sql", options.sql,
               "Print the SQL script that would run (state-table statements included); touch "
               "nothing");
  app.add_flag("--dry-run", options.dry_run,
               "Print the plan: which migrations, in which order, and why; touch nothing");
  app.add_flag("--fake", options.fake,
               "Record the migrations as applied/reverted without running their SQL");
  if (with_single_transaction) {
    app.add_flag("--single-transaction", options.single_transaction,
                 "Run every migration in one transaction: all or nothing");
  }
  app.add_flag("--backup", options.backup,
               "Back the database up first (SQLite: a copy beside the file; PostgreSQL: pg_dump "
               "-Fc into the working directory); a failed backup stops the run");
  ConnectOptions& connection = options.connection;
  add_duration(app, "--lock-timeout",
               "How long to wait for another migrate holding the database (default 60s; units "
               "ms, s, m)",
               [&connection](auto timeout) { connection.lock_timeout = timeout; });
  app.add_option_function<std::string>(
         "--lock-mode",
         [&connection](const std::string& mode) {
           connection.server.lock_mode =
               mode == "transaction" ? LockMode::transaction : LockMode::session;
         },
         "PostgreSQL: session (one advisory lock for the run, default) or transaction (one per "
         "migration, for poolers in transaction mode)")
      ->check(CLI::IsMember({"session", "transaction"}));
  add_duration(app, "--statement-timeout",
               "PostgreSQL: statement_timeout for every statement (units ms, s, m)",
               [&connection](auto timeout) { connection.server.statement_timeout = timeout; });
  add_duration(app, "--migration-lock-timeout",
               "PostgreSQL: lock_timeout inside each migration, so one cannot wait behind a "
               "long-held lock forever (units ms, s, m)",
               [&connection](auto timeout) { connection.server.migration_lock_timeout = timeout; });
  app.get_option("--sql")->excludes(app.get_option("--dry-run"));
}

}  // namespace migrate
