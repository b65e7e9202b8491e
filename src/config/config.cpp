#include "config/config.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "config/config_file.hpp"
#include "config/environment.hpp"
#include "db/database_url.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr const char* kDefaultDatabase = "sqlite:migrate.db";
constexpr const char* kDefaultDir = "migrations";

std::filesystem::path absolute_from(const std::filesystem::path& base, const std::string& path) {
  std::filesystem::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal();
}

/// The [env "X"] section chosen by --env or MIGRATE_ENV, checked to exist.
std::string chosen_environment(const ConfigOverrides& overrides, const Environment& environment,
                               const std::optional<ConfigFile>& file) {
  std::string name = overrides.env.value_or(environment.get("MIGRATE_ENV").value_or(""));
  if (name.empty()) {
    return name;
  }
  std::vector<std::string> known = file ? file->environments() : std::vector<std::string>{};
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    std::string where = overrides.env ? "--env" : "MIGRATE_ENV";
    if (!file) {
      throw ConfigError(
          fmt::format("{} {}: there is no migrate.conf to define it in (add "
                      "[env \"{}\"] with a database = line)",
                      where, name, name));
    }
    throw ConfigError(fmt::format(
        "{} {}: {} has no [env \"{}\"] section (it has: {})", where, name, file->path().string(),
        name, known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", "))));
  }
  return name;
}

/// A database URL from migrate.conf as written, and where it was found.
struct ConfiguredDatabase {
  std::string url;  ///< ${VARIABLES} not expanded yet: only the URL chosen must expand
  std::string source;
};

/// The database a section of migrate.conf names.
std::optional<ConfiguredDatabase> from_file(const std::optional<ConfigFile>& file,
                                            const std::string& section, const std::string& key) {
  std::optional<std::string> url = file ? file->get(key) : std::nullopt;
  if (!url) {
    return std::nullopt;
  }
  return ConfiguredDatabase{*url, fmt::format("{} in {}", section, file->path().string())};
}

/// Whether `configured` names another database than `url` (a URL that does not expand, with a
/// variable unset, does).
bool names_another(const ConfiguredDatabase& configured, const std::string& url,
                   const Environment& environment) {
  try {
    return expand_variables(configured.url, environment, configured.source) != url;
  } catch (const ConfigError&) {
    return true;
  }
}

/// Precedence (DESIGN.md): --database > the [env "X"] of an explicit --env >
/// MIGRATE_DATABASE_URL / DATABASE_URL > the [env "X"] of MIGRATE_ENV > [migrate] > the default.
/// An explicit --env is a choice made now, so it beats a variable set long ago in the shell; a
/// variable beats what migrate.conf says otherwise, and a note says so when they differ.
void choose_database(const ConfigOverrides& overrides, const Environment& environment,
                     const std::optional<ConfigFile>& file, const std::filesystem::path& cwd,
                     Config& config) {
  std::optional<ConfiguredDatabase> section;
  if (!config.env_name.empty()) {
    section = from_file(file, fmt::format("[env \"{}\"]", config.env_name),
                        fmt::format("env.{}.database", config.env_name));
  }
  std::optional<ConfiguredDatabase> configured =
      section ? section : from_file(file, "[migrate]", "migrate.database");
  auto use = [&](const ConfiguredDatabase& chosen) {
    config.database_base = config.root;
    config.database_url = expand_variables(chosen.url, environment, chosen.source);
    config.database_source = chosen.source;
  };
  config.database_base = cwd;
  if (overrides.database) {
    config.database_url = *overrides.database;
    config.database_source = "--database";
    return;
  }
  if (overrides.env && section) {
    use(*section);
    return;
  }
  for (const char* variable : {"MIGRATE_DATABASE_URL", "DATABASE_URL"}) {
    if (std::optional<std::string> url = environment.get(variable)) {
      config.database_url = *url;
      config.database_source = variable;
      if (configured && names_another(*configured, *url, environment)) {
        config.notes.push_back(fmt::format(
            "{} is set, so it is used instead of the database in {} (--env NAME or --database "
            "choose another)",
            variable, configured->source));
      }
      return;
    }
  }
  if (configured) {
    use(*configured);
  } else {
    config.database_base = config.root;
    config.database_url = kDefaultDatabase;
    config.database_source = "the built-in default";
  }
}

/// Whether `folder` is the top of a git work tree (it holds `.git`, a folder, or a file in a
/// worktree or submodule).
bool is_repository_root(const std::filesystem::path& folder) {
  std::error_code error;
  return std::filesystem::exists(folder / ".git", error);
}

/// The top of the git work tree `start` is in, if any.
std::optional<std::filesystem::path> repository_root(const std::filesystem::path& start) {
  for (std::filesystem::path folder = start;; folder = folder.parent_path()) {
    if (is_repository_root(folder)) {
      return folder;
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) {
      return std::nullopt;
    }
  }
}

/// The project's folder when there is no migrate.conf, found the way git finds `.git`: the
/// nearest folder from `cwd` up to the repository's root that holds the migrations folder;
/// else the repository's root; outside a repository, `cwd` (a `migrations/` somewhere above,
/// in no repository, is nobody's project). So a command run in a subfolder never starts a
/// second migrations folder and database there.
std::filesystem::path project_without_config(const std::filesystem::path& cwd) {
  std::optional<std::filesystem::path> top = repository_root(cwd);
  if (!top) {
    return cwd;
  }
  std::error_code error;
  for (std::filesystem::path folder = cwd; folder != *top; folder = folder.parent_path()) {
    if (std::filesystem::is_directory(folder / kDefaultDir, error)) {
      return folder;
    }
  }
  return *top;
}

/// The folder format named by --format or `format =`: `where` names the setting in messages
/// ("--format x", "/repo/migrate.conf: format = x"), `source` says who chose it in notes.
FormatChoice chosen_format(const std::string& name, const std::string& where, std::string source) {
  std::optional<MigrationFormat> format = format_from_name(name);
  if (!format) {
    throw ConfigError(fmt::format(
        "{}: no such format. Use {}, or leave it out: the format is then detected from the "
        "folder's files",
        where, readable_format_names()));
  }
  return {*format, std::move(source)};
}

/// `schema-command` and its timeout: a command of its own, never beside `schema`.
template <typename Get>
void read_schema_command(const Get& get, Config& config) {
  std::optional<std::string> command = get("migrate.schema-command");
  if (command && std::string_view(trim(*command)).empty()) {
    throw ConfigError(
        fmt::format("{}: schema-command = (nothing): give the command that creates the model's "
                    "schema in $MIGRATE_DEV_DATABASE_URL or prints it as SQL, e.g. "
                    "schema-command = python3 schema.py",
                    config.file.string()));
  }
  if (command && !config.schema_path.empty()) {
    throw ConfigError(fmt::format(
        "{}: schema = and schema-command = are both set: the model is either schema files or "
        "what a command makes from the application's code. Keep one of them",
        config.file.string()));
  }
  config.schema_command = command.value_or("");
  if (std::optional<std::string> timeout = get("migrate.schema-command-timeout")) {
    std::string_view text = trim(*timeout);
    unsigned seconds = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() || seconds == 0) {
      throw ConfigError(
          fmt::format("{}: schema-command-timeout = {}: give a whole number of seconds, e.g. 120",
                      config.file.string(), *timeout));
    }
    config.schema_command_timeout = std::chrono::seconds(seconds);
  }
  if (std::optional<std::string> rows = get("migrate.lint-small-table")) {
    std::string_view text = trim(*rows);
    long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
      throw ConfigError(
          fmt::format("{}: lint-small-table = {}: give a whole number of rows, e.g. 10000",
                      config.file.string(), *rows));
    }
    config.lint_small_table = value;
  }
}

}  // namespace

std::string expand_variables(const std::string& value, const Environment& environment,
                             const std::string& where) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t start = value.find("${", i);
    if (start == std::string::npos) {
      out += value.substr(i);
      break;
    }
    std::size_t end = value.find('}', start + 2);
    if (end == std::string::npos) {
      throw ConfigError(
          fmt::format("{}: '${{' without a closing '}}' in '{}'", where, redact_url(value)));
    }
    std::string name = value.substr(start + 2, end - start - 2);
    std::optional<std::string> variable = environment.get(name);
    if (!variable) {
      throw ConfigError(
          fmt::format("{} uses ${{{}}}, which is not set in the environment", where, name));
    }
    out += value.substr(i, start - i);
    out += *variable;
    i = end + 1;
  }
  return out;
}

Config load_config(const ConfigOverrides& overrides, const Environment& environment,
                   const std::filesystem::path& cwd) {
  Config config;
  std::optional<std::filesystem::path> path =
      overrides.config_file ? std::optional(absolute_from(cwd, *overrides.config_file))
                            : find_config_file(cwd);
  std::optional<ConfigFile> file;
  if (path) {
    file = ConfigFile::read(*path);
    config.file = *path;
    config.root = path->parent_path();
  } else {
    config.root = overrides.dir ? cwd : project_without_config(cwd);
    if (config.root != cwd) {
      config.notes.push_back(fmt::format("using the project in {} ({}; run from {})",
                                         config.root.string(),
                                         std::filesystem::is_directory(config.root / kDefaultDir)
                                             ? "it holds the migrations folder"
                                             : "the repository's root",
                                         cwd.lexically_relative(config.root).string()));
    }
  }
  auto get = [&](const std::string& key) { return file ? file->get(key) : std::nullopt; };

  config.env_name = chosen_environment(overrides, environment, file);
  choose_database(overrides, environment, file, cwd, config);

  config.migrations_dir =
      overrides.dir ? absolute_from(cwd, *overrides.dir)
                    : absolute_from(config.root, get("migrate.dir").value_or(kDefaultDir));
  std::optional<std::string> table =
      config.env_name.empty() ? std::nullopt : get(fmt::format("env.{}.table", config.env_name));
  config.table = table.value_or(get("migrate.table").value_or(config.table));
  if (!is_plain_table_name(config.table)) {
    throw ConfigError(
        fmt::format("{}: table = {}: use letters, digits and '_' (optionally schema.table)",
                    config.file.string(), config.table));
  }
  config.upstream = get("migrate.upstream").value_or(config.upstream);
  if (std::optional<std::string> dump = get("migrate.dump")) {
    if (dump->empty()) {
      throw ConfigError(
          fmt::format("{}: dump = (nothing): give the file the schema dump goes to, "
                      "e.g. dump = schema.sql",
                      config.file.string()));
    }
    config.dump_file = absolute_from(config.root, *dump);
  }
  if (std::optional<std::string> schema = get("migrate.schema")) {
    if (schema->empty()) {
      throw ConfigError(
          fmt::format("{}: schema = (nothing): give the schema file or folder, "
                      "e.g. schema = schema/",
                      config.file.string()));
    }
    config.schema_path = absolute_from(config.root, *schema);
  }
  read_schema_command(get, config);
  if (std::optional<std::string> dev = get("migrate.dev-database")) {
    config.dev_database_url = expand_variables(
        *dev, environment, fmt::format("dev-database in {}", config.file.string()));
  }
  if (file) {
    for (const std::string& value : file->get_all("migrate.models")) {
      for (std::string_view glob : split_words(value)) {
        config.models.emplace_back(glob);
      }
    }
  }
  std::string id_format = get("migrate.id-format").value_or("minute");
  if (id_format != "minute" && id_format != "second") {
    throw ConfigError(
        fmt::format("{}: id-format = {}: use minute (YYYYMMDDHHMM) or second "
                    "(YYYYMMDDHHMMSS)",
                    config.file.string(), id_format));
  }
  config.id_seconds = id_format == "second";
  std::string skip_go = get("migrate.skip-go").value_or("false");
  if (skip_go != "true" && skip_go != "false") {
    throw ConfigError(
        fmt::format("{}: skip-go = {}: use true or false", config.file.string(), skip_go));
  }
  config.skip_go = overrides.skip_go || skip_go == "true";
  if (file) {
    config.placeholders = file->section("placeholders");
    config.lint =
        read_lint_settings(config.file.string(), file->get_all("lint.disable"),
                           file->section("lint.severity"), file->get_all("lint.upgrade-sets"));
  }
  if (overrides.format) {
    std::string flag = fmt::format("--format {}", *overrides.format);
    config.format = chosen_format(*overrides.format, flag, flag);
  } else if (std::optional<std::string> format = get("migrate.format")) {
    config.format =
        chosen_format(*format, fmt::format("{}: format = {}", config.file.string(), *format),
                      fmt::format("`format = {}` in {}", *format, config.file.string()));
  }
  return config;
}

}  // namespace migrate
