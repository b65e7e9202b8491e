#include "migration/migration.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace migrate {

bool Section::blank() const {
  if (unread) {  // a command that read no text asked what it does not know: a bug, not a guess
    if (unread_blank) {
      return *unread_blank;
    }
    throw std::logic_error(fmt::format("{} was not read", file.string()));
  }
  return is_blank_sql(sql);
}

std::string migration_stem(const MigrationId& id, std::string_view slug) {
  return slug.empty() ? id.text() : fmt::format("{}_{}", id.text(), slug);
}

std::string Migration::stem() const {
  if (format == MigrationFormat::flyway) {  // V1.1__init: its version is not where ours is
    return file.stem().string();
  }
  if (format == MigrationFormat::stem) {  // the whole stem is the id: 0001_create_a
    return id.text();
  }
  return migration_stem(id, slug);
}

MigrationId Migration::version() const {
  if (baseline) {
    return MigrationId::from_text(std::string_view(id.text()).substr(1)).value_or(id);
  }
  return id;
}

std::string Migration::title() const {
  for (const std::string& line : doc) {
    if (!line.empty()) {
      return line;
    }
  }
  std::string words = slug;
  for (char& c : words) {
    if (c == '_') {
      c = ' ';
    }
  }
  return words;
}

bool Migration::reversible() const {
  if (up.blank()) {
    return true;
  }
  return down.has_value() && (!down->blank() || empty_down_reverts_nothing(format));
}

bool Migration::empty_down_irreversible() const {
  return !up.blank() && down.has_value() && down->blank() && !empty_down_reverts_nothing(format);
}

namespace {

Section section_outline(const Section& section) {
  Section outline;
  outline.options = section.options;
  outline.file = section.file;
  outline.first_line = section.first_line;
  outline.unread = true;
  outline.unread_blank = section.unread ? section.unread_blank : is_blank_sql(section.sql);
  return outline;
}

}  // namespace

Migration Migration::outline() const {
  Migration outline = *this;  // every field: only the sections' text goes
  outline.up = section_outline(up);
  if (down) {
    outline.down = section_outline(*down);
  }
  return outline;
}

std::vector<std::filesystem::path> Migration::files() const {
  std::vector<std::filesystem::path> paths{file};
  if (down && !down->file.empty() && down->file != file) {
    paths.push_back(down->file);
  }
  return paths;
}

}  // namespace migrate
