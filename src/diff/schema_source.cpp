#include "diff/schema_source.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "config/config.hpp"
#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "db/open_database.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "diff/schema_command.hpp"
#include "graph/revision_graph.hpp"
#include "migration/migration_dir.hpp"
#include "schema/schema_file_order.hpp"
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

/// Where SQL loaded into a development database comes from, for its errors.
struct SqlOrigin {
  std::filesystem::path file;  ///< a schema file, as shown; empty: schema-command's output
  /// What to do about a statement that fails there.
  std::string_view fix() const {
    return file.empty() ? "Fix schema-command: the SQL it prints must create the schema on an "
                          "empty database"
                        : "Fix the schema file: the files must create the schema on an empty "
                          "database, in file-name order unless a `-- depends: other.sql` line says "
                          "a file needs another first";
  }
};

/// The error of a line of SQL: a schema file's ParseError, or the command output's own.
[[noreturn]] void refuse(const SqlOrigin& origin, int line, const std::string& problem) {
  if (origin.file.empty()) {
    throw SchemaCommandOutputError(line, problem);
  }
  throw ParseError(origin.file, line, problem);
}

/// A `-- @renamed from=OLD` line of a schema file.
struct RenameAnnotation {
  std::size_t offset;  ///< of the `--`
  int line;
  std::string from;
};

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::vector<RenameAnnotation> rename_annotations(std::string_view text, const SqlOrigin& origin) {
  std::vector<RenameAnnotation> found;
  std::size_t start = 0;
  for (int line = 1; start <= text.size(); ++line) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view content = text.substr(start, end - start);
    std::size_t dashes = content.find("--");
    if (dashes != std::string_view::npos) {
      std::string_view comment = trim(content.substr(dashes + 2));
      if (comment.starts_with("@renamed")) {
        std::string_view rest = trim(comment.substr(8));
        std::string from;
        if (rest.starts_with("from=\"") && rest.size() > 7 && rest.back() == '"') {
          from = std::string(rest.substr(6, rest.size() - 7));  // a name with spaces, quoted
        } else if (rest.starts_with("from=")) {
          from = std::string(trim(rest.substr(5)));
          if (from.find_first_of(" \t\"") != std::string::npos) {
            from.clear();
          }
        }
        if (from.empty()) {
          refuse(origin, line,
                 "a rename is written `-- @renamed from=OLD_NAME`, on the line before "
                 "its CREATE TABLE (a table) or on its column's line (a column)");
        }
        found.push_back({start + dashes, line, from});
      }
    }
    start = end + 1;
  }
  return found;
}

/// The first name on the line holding `offset`, else on the next line that has one: the column
/// a `-- @renamed` comment there is about.
std::string column_named_near(std::string_view text, std::size_t offset) {
  std::size_t line_start = text.rfind('\n', offset);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::string_view before = text.substr(line_start, offset - line_start);
  std::size_t from = line_start;
  if (blank(before)) {  // on a line of its own: the column on the next line with one
    from = std::min(text.find('\n', offset), text.size());
    while (from < text.size()) {
      std::size_t end = std::min(text.find('\n', from + 1), text.size());
      std::string_view line = trim(text.substr(from, end - from));
      if (!line.empty() && !line.starts_with("--")) {
        break;
      }
      from = end;
    }
  }
  std::string_view rest = text.substr(from);
  // Past white space and a leading comma (`  , name TEXT`, a style of its own).
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t\r\n,"), rest.size()));
  if (!rest.empty() && (rest.front() == '"' || rest.front() == '`' || rest.front() == '[')) {
    char close = rest.front() == '[' ? ']' : rest.front();
    std::size_t end = rest.find(close, 1);
    return std::string(rest.substr(1, end == std::string_view::npos ? rest.size() : end - 1));
  }
  std::size_t end = 0;
  while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) != 0 ||
                               rest[end] == '_' || rest[end] == '$')) {
    ++end;
  }
  return std::string(rest.substr(0, end));
}

/// Where a statement's SQL starts, past the white space and comments before it.
std::size_t code_start(std::string_view text, std::size_t offset) {
  while (offset < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[offset])) != 0) {
      ++offset;
    } else if (text.substr(offset, 2) == "--") {
      offset = std::min(text.find('\n', offset), text.size());
    } else {
      break;
    }
  }
  return offset;
}

/// What a statement can create that a rename annotation names: its kind ("table", "index",
/// "type", "enum": a type that is an enum) and its own name (without its schema).
struct CreatedObject {
  std::string kind;
  std::string name;
  auto operator<=>(const CreatedObject&) const = default;
};

/// The objects of a development database a rename may name: what a statement created is what
/// this gains.
std::vector<CreatedObject> named_objects(Connection& connection) {
  const char* sql =
      connection.dialect().name() == "sqlite"
          ? "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY 1, 2"
          : "SELECT CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END, c.relname "
            "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'i') AND n.nspname <> 'information_schema' AND "
            "n.nspname NOT LIKE 'pg\\_%' "
            "UNION ALL SELECT CASE t.typtype WHEN 'e' THEN 'enum' ELSE 'type' END, t.typname "
            "FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace "
            "WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class "
            "WHERE oid = t.typrelid) = 'c')) AND n.nspname <> 'information_schema' AND "
            "n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2";
  std::vector<CreatedObject> objects;
  for (const SqlRow& row : connection.query(sql)) {
    objects.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
  }
  return objects;
}

/// The first string literal on the line holding `offset`, else on the next line that has one:
/// the enum value a `-- @renamed` comment there is about.
std::string value_named_near(std::string_view text, std::size_t offset) {
  std::size_t line_start = text.rfind('\n', offset);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t quote = text.find('\'', line_start);
  if (quote == std::string_view::npos) {
    return {};
  }
  if (quote > offset) {  // not before the comment on its own line: the next one's
    quote = text.find('\'', offset);
  }
  std::string value;
  for (std::size_t i = quote + 1; i < text.size(); ++i) {
    if (text[i] == '\'') {
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        value += '\'';
        ++i;
        continue;
      }
      break;
    }
    value += text[i];
  }
  return value;
}

/// Runs the statements of a schema file (or of a command's output); a statement the database
/// refuses is the file's error, at its line (exit 2: the input is wrong). Its `-- @renamed`
/// annotations go into `renames`.
void load_sql(Connection& connection, std::string_view text, const SqlOrigin& origin,
              SchemaRenames* renames) {
  std::vector<Statement> statements;
  try {
    statements = connection.dialect().split(text);
  } catch (const StatementError& e) {
    refuse(origin, line_at(text, e.offset().value_or(0)), e.what());
  }
  std::vector<RenameAnnotation> annotations = rename_annotations(text, origin);
  std::size_t next = 0;  // the first annotation not yet placed
  std::size_t previous_end = 0;
  for (const Statement& statement : statements) {
    std::size_t end = statement.offset + statement.sql.size();
    std::vector<const RenameAnnotation*> here;
    while (next < annotations.size() && annotations[next].offset < end) {
      here.push_back(&annotations[next++]);
    }
    std::vector<CreatedObject> before;
    if (!here.empty()) {
      before = named_objects(connection);
    }
    try {
      connection.execute(statement.sql);
    } catch (const StatementError& e) {
      refuse(origin, line_at(text, statement.offset + e.offset().value_or(0)),
             fmt::format("{}. {}", e.what(), origin.fix()));
    }
    if (!here.empty()) {
      std::vector<CreatedObject> created;
      for (const CreatedObject& object : named_objects(connection)) {
        if (std::find(before.begin(), before.end(), object) == before.end()) {
          created.push_back(object);
        }
      }
      // A CREATE TABLE makes a table and its key's indexes: the table is what it names.
      auto table = std::find_if(created.begin(), created.end(),
                                [](const CreatedObject& o) { return o.kind == "table"; });
      if (table != created.end()) {
        created = {*table};
      }
      std::size_t code = code_start(text, std::max(previous_end, statement.offset));
      for (const RenameAnnotation* annotation : here) {
        if (created.size() != 1) {
          refuse(origin, annotation->line,
                 "`-- @renamed` belongs to a CREATE TABLE, INDEX or TYPE (on the line "
                 "before it), or to a column's or an enum value's line in one");
        }
        if (renames == nullptr) {
          continue;
        }
        const CreatedObject& object = created.front();
        bool whole = annotation->offset < code;
        if (whole && object.kind == "table") {
          renames->tables[object.name] = annotation->from;
        } else if (whole && object.kind == "index") {
          renames->indexes[object.name] = annotation->from;
        } else if (whole) {
          renames->types[object.name] = annotation->from;
        } else if (object.kind == "table") {
          renames->columns[{object.name, column_named_near(text, annotation->offset)}] =
              annotation->from;
        } else if (object.kind == "enum") {
          renames->enum_values[{object.name, value_named_near(text, annotation->offset)}] =
              annotation->from;
        } else {
          refuse(origin, annotation->line,
                 "`-- @renamed` inside this statement names nothing: it belongs on a "
                 "column's line in a CREATE TABLE or an enum value's in a CREATE TYPE");
        }
      }
    }
    previous_end = end;
  }
  if (next < annotations.size()) {
    refuse(origin, annotations[next].line,
           "`-- @renamed` after the last statement: it belongs before a CREATE TABLE, "
           "INDEX or TYPE, or on a column's or an enum value's line in one");
  }
}

/// Schema files that are no schema: the migrations folder without a revision (its files would
/// run up and down sections alike), or a folder with no .sql file.
void refuse_unlikely_files(const SchemaSource& source, const Config& config) {
  std::error_code error;
  if (std::filesystem::equivalent(source.path, config.migrations_dir, error)) {
    throw UsageError(
        fmt::format("{} is the migrations folder: say at which revision, as in "
                    "{}@head (schema files are .sql files that create a schema)",
                    source.text, source.text));
  }
  if (std::filesystem::is_directory(source.path) && schema_files(source.path).empty()) {
    throw UsageError(fmt::format("{} holds no .sql file: there is no schema to load", source.text));
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

SchemaSource command_source(const Config& config, const std::filesystem::path& root) {
  if (config.schema_command.empty()) {
    throw ConfigError(
        fmt::format("schema-command is not set{}: name the command that makes the model, e.g. "
                    "schema-command = python3 schema.py in the [migrate] section",
                    config.file.empty() ? "" : " in " + config.file.string()));
  }
  SchemaSource source;
  source.kind = SchemaSource::Kind::command;
  source.text = std::string(kSchemaCommandSource);
  source.path = root;
  source.command = config.schema_command;
  source.timeout = config.schema_command_timeout;
  return source;
}

std::string source_engine(const SchemaSource& source, const Config& config) {
  std::string_view url = source.kind == SchemaSource::Kind::database
                             ? std::string_view(source.text)
                             : std::string_view(config.database_url);
  return std::string(engine_of(parse_database_url(url, config.database_base)).name);
}

SchemaModel load_schema_source(const SchemaSource& source, DevDatabases& dev, const Config& config,
                               SchemaRenames* renames) {
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
  if (source.kind == SchemaSource::Kind::files) {
    refuse_unlikely_files(source, config);
  }
  if (source.kind == SchemaSource::Kind::migrations) {
    RevisionGraph graph(
        read_migration_dir(source.path, config.format, GooseSettings{{}, config.skip_go, nullptr}));
    if (graph.empty()) {  // no migration yet: the empty schema
      return read_schema(dev.open()->connection(), options);
    }
    return read_schema(
        replayed_database(dev, graph, parse_revision_spec(source.revision))->connection(), options);
  }
  bool command = source.kind == SchemaSource::Kind::command;
  std::unique_ptr<DevDatabase> database = command ? dev.open_shared() : dev.open();
  Connection& connection = database->connection();
  if (command) {
    load_sql(connection, run_schema_command(source, database->url(), dev), SqlOrigin{}, renames);
  } else {
    std::vector<SchemaFile> files;
    for (const std::filesystem::path& file : schema_files(source.path)) {
      files.push_back({file.lexically_relative(std::filesystem::current_path()), read_file(file)});
    }
    for (std::size_t i : order_schema_files(files)) {
      load_sql(connection, files[i].text, SqlOrigin{files[i].path}, renames);
    }
  }
  return read_schema(connection, options);
}

}  // namespace migrate
