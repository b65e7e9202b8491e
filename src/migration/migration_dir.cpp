#include "migration/migration_dir.hpp"

#include <algorithm>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "migration/migration_parser.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// The two halves of a golang-migrate pair, found under one file stem.
struct Pair {
  std::optional<MigrationFileName> name;
  std::optional<std::filesystem::path> up, down;
};

/// Parse errors of several files are reported together, so one run shows every broken file.
class ErrorList {
 public:
  void add(const ParseError& error) {
    if (m_messages.empty()) {
      m_first = error;
    }
    m_messages.push_back(error.what());
  }
  void throw_if_any() const {
    if (m_messages.size() == 1) {
      throw *m_first;  // a ParseError still, as the header promises
    }
    if (!m_messages.empty()) {
      std::vector<std::string> sorted = m_messages;  // by file: the same on every machine
      std::sort(sorted.begin(), sorted.end());
      throw Error(ExitCode::bad_input, fmt::format("{} migration files are invalid:\n  {}",
                                                   sorted.size(), fmt::join(sorted, "\n  ")));
    }
  }

 private:
  std::optional<ParseError> m_first;
  std::vector<std::string> m_messages;
};

Migration read_pair(const std::string& stem, const Pair& pair) {
  if (!pair.up) {
    throw ParseError(*pair.down, 0,
                     fmt::format("a down file without its up file: create {}.up.sql beside it, "
                                 "or remove it",
                                 stem));
  }
  std::string up_text = read_file(*pair.up);
  std::string down_text = pair.down ? read_file(*pair.down) : std::string();
  return parse_migration_pair(*pair.name, *pair.up, up_text, pair.down, down_text);
}

}  // namespace

std::vector<Migration> read_migration_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  if (error) {
    throw ConfigError(fmt::format(
        "cannot read the migrations folder {}: {}. Create it with migrate-create, or point "
        "--dir (or `dir` in migrate.conf) at the right folder",
        dir.string(), error.message()));
  }
  std::vector<Migration> migrations;
  std::map<std::string, Pair> pairs;
  ErrorList errors;
  for (const auto& entry : entries) {
    try {
      std::optional<MigrationFileName> name = parse_file_name(entry.path());
      if (!name || !entry.is_regular_file()) {
        continue;
      }
      if (name->kind == MigrationFileName::Kind::single) {
        migrations.push_back(parse_migration(*name, entry.path(), read_file(entry.path())));
        continue;
      }
      std::string stem = name->slug.empty() ? name->id.text() : name->id.text() + "_" + name->slug;
      Pair& pair = pairs[stem];
      (name->kind == MigrationFileName::Kind::up ? pair.up : pair.down) = entry.path();
      pair.name = std::move(name);
    } catch (const ParseError& e) {
      errors.add(e);
    }
  }
  for (const auto& [stem, pair] : pairs) {
    try {
      migrations.push_back(read_pair(stem, pair));
    } catch (const ParseError& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  std::sort(migrations.begin(), migrations.end(), [](const Migration& a, const Migration& b) {
    return a.id != b.id ? a.id < b.id : a.file < b.file;
  });
  return migrations;
}

std::filesystem::path head_file_path(const std::filesystem::path& dir) {
  return dir / "HEAD";
}

std::optional<std::string> read_head_file(const std::filesystem::path& dir) {
  std::filesystem::path path = head_file_path(dir);
  if (!std::filesystem::exists(path)) {
    return std::nullopt;
  }
  return std::string(trim(read_file(path)));
}

void write_head_file(const std::filesystem::path& dir, const std::string& stem) {
  write_file_atomically(head_file_path(dir), stem + "\n");
}

}  // namespace migrate
