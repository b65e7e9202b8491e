#include "diff/schema_source.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/config.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "target/target_schema.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

bool is_url(std::string_view text) {
  std::size_t colon = text.find(':');
  return colon != std::string_view::npos && engine_for_scheme(text.substr(0, colon)) != nullptr;
}

/// The schema files of a source: the file itself, or the .sql files directly in the folder, in
/// name order.
std::vector<std::filesystem::path> schema_files(const std::filesystem::path& path) {
  if (!std::filesystem::is_directory(path)) {
    return {path};
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    if (entry.path().extension() == ".sql" && !entry.path().filename().string().starts_with(".")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Runs a schema file's statements; a statement the database refuses is the file's error, at
/// its line (exit 2: the input is wrong).
void load_file(Connection& connection, const std::filesystem::path& file,
               const std::filesystem::path& shown) {
  std::string text = read_file(file);
  std::vector<Statement> statements;
  try {
    statements = connection.dialect().split(text);
  } catch (const StatementError& e) {
    throw ParseError(shown, line_at(text, e.offset().value_or(0)), e.what());
  }
  for (const Statement& statement : statements) {
    try {
      connection.execute(statement.sql);
    } catch (const StatementError& e) {
      throw ParseError(shown, line_at(text, statement.offset + e.offset().value_or(0)),
                       fmt::format("{}. Fix the schema file: it must create the schema on an "
                                   "empty database, in file-name order",
                                   e.what()));
    }
  }
}

}  // namespace

SchemaSource parse_schema_source(std::string_view text, const std::filesystem::path& cwd) {
  SchemaSource source;
  source.text = std::string(text);
  if (is_url(text)) {
    source.kind = SchemaSource::Kind::database;
    return source;
  }
  if (std::size_t at = text.rfind('@'); at != std::string_view::npos) {
    std::filesystem::path folder = cwd / std::string(text.substr(0, at));
    if (std::filesystem::is_directory(folder)) {
      source.kind = SchemaSource::Kind::migrations;
      source.path = folder;
      source.revision = std::string(text.substr(at + 1));
      if (source.revision.empty()) {
        throw UsageError(fmt::format("{}: give a revision after '@' ({}@head, or an id)", text,
                                     text.substr(0, at)));
      }
      return source;
    }
  }
  source.kind = SchemaSource::Kind::files;
  source.path = cwd / std::string(text);
  if (!std::filesystem::exists(source.path)) {
    throw UsageError(fmt::format(
        "{}: no such file or folder. Give a database URL (sqlite:app.db, postgres://…), a "
        "migrations folder at a revision (migrations@head), or schema files (schema.sql, "
        "schema/)",
        text));
  }
  return source;
}

std::string source_engine(const SchemaSource& source, const Config& config) {
  std::string_view url = source.kind == SchemaSource::Kind::database
                             ? std::string_view(source.text)
                             : std::string_view(config.database_url);
  return std::string(engine_of(parse_database_url(url, config.database_base)).name);
}

SchemaModel load_schema_source(const SchemaSource& source, std::string_view engine,
                               const Config& config) {
  SchemaReadOptions options = schema_read_options(config.table);
  options.excluded_tables.emplace_back(kDevStateTable);
  if (source.kind == SchemaSource::Kind::database) {
    DatabaseUrl url = parse_database_url(source.text, config.database_base);
    std::unique_ptr<Connection> connection = open_database(url, {.read_only = true});
    if (!connection) {
      throw DbError(fmt::format("{} does not exist: there is no schema to read", url.redacted()));
    }
    return read_schema(*connection, options);
  }
  std::unique_ptr<Connection> dev = open_dev_database(engine);
  if (source.kind == SchemaSource::Kind::migrations) {
    RevisionGraph graph(
        read_migration_dir(source.path, config.format, GooseSettings{{}, config.skip_go, nullptr}));
    replay_migrations(*dev, graph, parse_revision_spec(source.revision));
  } else {
    for (const std::filesystem::path& file : schema_files(source.path)) {
      load_file(*dev, file, file.lexically_relative(std::filesystem::current_path()));
    }
  }
  return read_schema(*dev, options);
}

}  // namespace migrate
