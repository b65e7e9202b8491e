#include "migration/migration_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "migration/migration_parser.hpp"
#include "migration/parser_parts.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kMaxSlug = 60;

void write_refs(std::string& out, std::string_view directive,
                const std::vector<MigrationRef>& refs) {
  out += "-- ";
  out += directive;
  for (const MigrationRef& ref : refs) {
    out += ' ';
    out += ref.text.empty() ? ref.id.text() : ref.text;
  }
  out += '\n';
}

void write_marker(std::string& out, std::string_view marker, const SectionOptions& options) {
  out += "-- ";
  out += marker;
  if (!options.transaction) {
    out += " transaction:false";
  }
  if (!options.foreign_keys) {
    out += " foreign_keys:off";
  }
  out += '\n';
}

/// A documentation line that the parser would read as a directive cannot be written.
void check_doc_line(std::string_view line) {
  std::string_view text = trim(line);
  for (std::string_view directive : {"depends:", "replaces:", "migrate:up", "migrate:down"}) {
    if (text.starts_with(directive)) {
      throw UsageError(
          fmt::format("the documentation line '{}' would be read as a '{}' directive; reword it",
                      line, directive));
    }
  }
}

/// with_depends, or nullopt when `text` has no up marker (not a migration the parser accepts).
std::optional<std::string> replace_depends(std::string_view text,
                                           const std::vector<std::string>& parents) {
  std::string_view ending = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  std::string line = fmt::format("-- depends: {}{}", fmt::join(parents, " "), ending);
  std::string out;
  out.reserve(text.size() + line.size());
  // A byte order mark stays first, where the parser skips it.
  std::string_view body = without_bom(text);
  out += text.substr(0, text.size() - body.size());
  text = body;
  bool written = false;
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view current = text.substr(position, end - position);
    std::string_view content = trim(current);
    if (content.starts_with("--")) {
      content = trim(content.substr(2));
    }
    if (up_marker_line(current)) {  // as the parser reads it: not SQL, not "migrate:upgrade"
      if (!written) {
        out += line;
      }
      out += text.substr(position);  // the header is over: the rest is kept as it is
      return out;
    }
    if (trim(current).starts_with("--") && content.starts_with("depends:")) {
      if (!written) {
        out += line;
        written = true;
      }
    } else {
      out += current;
    }
    position = end;
  }
  return std::nullopt;
}

/// The documentation as `--` comment lines, the way every format's file starts.
std::string doc_comment(const std::vector<std::string>& doc) {
  std::string out;
  for (const std::string& line : doc) {
    check_doc_line(line);
    out += line.empty() ? "--\n" : "-- " + line + "\n";
  }
  return out;
}

}  // namespace

std::string make_slug(std::string_view message) {
  std::string slug;
  for (char c : message) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug += c;
    } else if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c - 'A' + 'a');
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  while (!slug.empty() && slug.back() == '_') {
    slug.pop_back();
  }
  if (slug.size() > kMaxSlug) {
    std::size_t cut = slug.rfind('_', kMaxSlug);
    if (cut == std::string::npos || cut < kMaxSlug / 2) {
      cut = kMaxSlug;
    }
    while (cut > 0 && (static_cast<unsigned char>(slug[cut]) & 0xC0) == 0x80) {
      --cut;  // never cut a UTF-8 character in half (slug[cut] is the first byte dropped)
    }
    slug.resize(cut);
    while (!slug.empty() && slug.back() == '_') {
      slug.pop_back();
    }
  }
  if (slug.empty()) {
    throw UsageError(fmt::format(
        "the message '{}' has no letters or digits to name the file after; describe the change, "
        "e.g. \"add phone to users\"",
        message));
  }
  return slug;
}

std::string migration_file_name(const MigrationId& id, std::string_view slug) {
  return slug.empty() ? id.text() + ".sql" : fmt::format("{}_{}.sql", id.text(), slug);
}

std::string write_migration(const Migration& migration) {
  std::string out = doc_comment(migration.doc);
  if (migration.depends) {
    write_refs(out, "depends:", *migration.depends);
  }
  if (!migration.replaces.empty()) {
    write_refs(out, "replaces:", migration.replaces);
  }
  write_marker(out, "migrate:up", migration.up.options);
  if (!migration.up.sql.empty()) {
    out += migration.up.sql;
    out += '\n';
  }
  if (migration.down) {
    out += '\n';
    write_marker(out, "migrate:down", migration.down->options);
    if (!migration.down->sql.empty()) {
      out += migration.down->sql;
      out += '\n';
    }
  }
  return out;
}

std::vector<NewFile> new_migration_files(const Migration& migration, MigrationFormat format) {
  std::string stem = migration.stem();
  switch (format) {
    case MigrationFormat::migrate:
      return {{stem + ".sql", write_migration(migration)}};
    case MigrationFormat::dbmate: {
      Migration without_depends = migration;
      without_depends.depends.reset();
      return {{stem + ".sql", write_migration(without_depends)}};
    }
    case MigrationFormat::flyway: {  // V<version>__<description>.sql, U… its down section
      std::string versioned = fmt::format("{}__{}.sql", migration.id.text(), migration.slug);
      std::vector<NewFile> files = new_migration_files(migration, MigrationFormat::golang_migrate);
      return {{"V" + versioned, files.front().text}, {"U" + versioned, files.back().text}};
    }
    case MigrationFormat::stem: {  // named by name_stem_migration: .up.sql or _up.sql
      std::vector<NewFile> files = new_migration_files(migration, MigrationFormat::golang_migrate);
      if (!migration.file.empty()) {
        files.front().name = migration.file.filename().string();
      }
      if (migration.down && !migration.down->file.empty()) {
        files.back().name = migration.down->file.filename().string();
      }
      return files;
    }
    case MigrationFormat::golang_migrate: {
      std::string up = doc_comment(migration.doc);
      if (!migration.up.sql.empty()) {
        up += (up.empty() ? "" : "\n") + migration.up.sql + "\n";
      }
      std::string down = migration.down && !migration.down->sql.empty() ? migration.down->sql + "\n"
                                                                        : std::string();
      return {{stem + ".up.sql", up}, {stem + ".down.sql", down}};
    }
    case MigrationFormat::goose: {
      std::string text = doc_comment(migration.doc) + "-- +goose Up\n";
      if (!migration.up.sql.empty()) {
        text += migration.up.sql + "\n";
      }
      text += "\n-- +goose Down\n";
      if (migration.down && !migration.down->sql.empty()) {
        text += migration.down->sql + "\n";
      }
      return {{stem + ".sql", text}};
    }
    default:
      throw UsageError(fmt::format("migrate does not write new migrations in {} yet",
                                   format_description(format)));
  }
}

std::string with_depends(std::string_view text, const std::vector<std::string>& parents) {
  return replace_depends(text, parents).value_or(std::string(text));
}

std::string with_parent(const std::filesystem::path& file, std::string_view text,
                        const std::string& parent) {
  std::optional<MigrationFileName> name;
  try {
    name = parse_file_name(file);
  } catch (const ParseError&) {
    return std::string(text);  // Flyway's V1__x.sql: no `depends:` line to point anywhere
  }
  if (!name || name->kind != MigrationFileName::Kind::single) {
    return std::string(text);
  }
  std::vector<std::string> parents;
  if (!parent.empty()) {
    parents.push_back(parent);
  }
  return with_depends(text, parents);
}

std::optional<std::string> with_parent_replaced(std::string_view text, const Migration& child,
                                                const MigrationId& old_parent,
                                                const std::string& new_parent) {
  std::vector<std::string> parents;
  if (child.depends) {
    for (const MigrationRef& ref : *child.depends) {
      parents.push_back(ref.id == old_parent ? new_parent : ref.text);
    }
  } else {
    parents.push_back(new_parent);
  }
  return replace_depends(text, parents);
}

std::string without_replaces(std::string_view text, const Migration& migration) {
  std::string out;
  out.reserve(text.size());
  LineCursor cursor(text);
  Line line;
  while (cursor.next(line)) {
    bool directive = std::any_of(migration.replaces.begin(), migration.replaces.end(),
                                 [&](const MigrationRef& ref) { return ref.line == line.number; });
    if (!directive) {
      out += text.substr(line.offset, cursor.position() - line.offset);
    }
  }
  return out;
}

}  // namespace migrate
