#include "migration/migration_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include <fmt/format.h>

#include "migration/stem_name.hpp"

namespace migrate {

namespace {

struct Named {
  MigrationFormat format;
  std::string_view name;
  std::string_view description;
};

constexpr std::array kFormats{
    Named{MigrationFormat::migrate, "migrate", "migrate's own format"},
    Named{MigrationFormat::dbmate, "dbmate", "dbmate's format"},
    Named{MigrationFormat::golang_migrate, "golang-migrate", "golang-migrate's format"},
    Named{MigrationFormat::goose, "goose", "goose's format"},
    Named{MigrationFormat::flyway, "flyway", "Flyway's format"},
    Named{MigrationFormat::stem, "stem", "the name-ordered (stem) format"},
};

const Named& named(MigrationFormat format) {
  return *std::find_if(kFormats.begin(), kFormats.end(),
                       [&](const Named& each) { return each.format == format; });
}

bool ends_with_sql(std::string_view name) {
  if (name.size() < 4) {
    return false;
  }
  std::string_view extension = name.substr(name.size() - 4);
  return std::equal(
      extension.begin(), extension.end(), std::string_view(".sql").begin(),
      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

/// `<digits>_<anything>.up.sql` or `.down.sql`: one half of a golang-migrate pair.
bool pair_half(std::string_view name) {
  std::size_t digits = 0;
  while (digits < name.size() && digit(name[digits])) {
    ++digits;
  }
  return digits > 0 && digits < name.size() && name[digits] == '_' &&
         (name.ends_with(".up.sql") || name.ends_with(".down.sql"));
}

/// The first of `files` (by name) for which `holds` is true, or nullptr.
const FileClues* first_where(std::span<const FileClues> files,
                             const std::function<bool(const FileClues&)>& holds) {
  const FileClues* found = nullptr;
  for (const FileClues& file : files) {
    if (holds(file) && (found == nullptr || file.name < found->name)) {
      found = &file;
    }
  }
  return found;
}

}  // namespace

std::string_view format_name(MigrationFormat format) {
  return named(format).name;
}

std::string format_description(MigrationFormat format) {
  return std::string(named(format).description);
}

std::optional<MigrationFormat> format_from_name(std::string_view name) {
  for (const Named& each : kFormats) {
    if (std::equal(
            each.name.begin(), each.name.end(), name.begin(), name.end(),
            [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      return each.format;
    }
  }
  return std::nullopt;
}

std::string readable_format_names() {
  return "migrate, dbmate, golang-migrate, goose, flyway or stem";
}

MigrationFormat single_file_rules(MigrationFormat format) {
  return format == MigrationFormat::dbmate || format == MigrationFormat::goose
             ? format
             : MigrationFormat::migrate;
}

bool runs_outside_transaction_when_needed(MigrationFormat format) {
  return format == MigrationFormat::golang_migrate || format == MigrationFormat::flyway;
}

std::string_view up_section_place(MigrationFormat format) {
  switch (format) {
    case MigrationFormat::goose:
      return "the SQL after '-- +goose Up'";
    case MigrationFormat::golang_migrate:
      return "its .up.sql file";
    case MigrationFormat::flyway:
      return "its V file";
    case MigrationFormat::stem:
      return "its up file";
    default:
      return "the SQL after '-- migrate:up'";
  }
}

bool empty_down_reverts_nothing(MigrationFormat format) {
  return format == MigrationFormat::dbmate || format == MigrationFormat::goose ||
         format == MigrationFormat::stem;
}

bool flyway_file_name(std::string_view name) {
  if (!ends_with_sql(name) || name.empty()) {
    return false;
  }
  std::string_view stem = name.substr(0, name.size() - 4);
  std::size_t separator = stem.find("__");
  if (separator == std::string_view::npos) {
    return false;
  }
  char prefix = stem.front();
  std::string_view version = stem.substr(1, separator - 1);
  if (prefix == 'R') {
    return version.empty();
  }
  if (prefix != 'V' && prefix != 'U' && prefix != 'B') {
    return false;
  }
  return !version.empty() && digit(version.front()) &&
         std::all_of(version.begin(), version.end(),
                     [](char c) { return digit(c) || c == '.' || c == '_'; });
}

FormatDetection detect_format(bool has_head_file, std::span<const FileClues> files) {
  using F = MigrationFormat;
  if (has_head_file) {
    return {F::migrate, "it has a HEAD file, which migrate writes"};
  }
  if (const FileClues* file =
          first_where(files, [](const FileClues& f) { return f.text.depends_or_replaces; })) {
    return {F::migrate, fmt::format("{} has a '-- depends:' or '-- replaces:' line, which only "
                                    "migrate's files have",
                                    file->name)};
  }
  if (const FileClues* file = first_where(files, [](const FileClues& f) {
        return f.text.up_marker && !f.text.down_marker && !f.text.indented_down_marker;
      })) {
    return {F::migrate, fmt::format("{} has no '-- migrate:down' line, which dbmate requires and "
                                    "migrate does not",
                                    file->name)};
  }
  if (const FileClues* file =
          first_where(files, [](const FileClues& f) { return pair_half(f.name); })) {
    return {F::golang_migrate,
            fmt::format("{} is named as golang-migrate names its files", file->name)};
  }
  if (first_where(files, [](const FileClues& f) { return f.text.up_marker; })) {
    return {F::dbmate,
            "its files have '-- migrate:up' and '-- migrate:down' lines, and no HEAD file or "
            "'-- depends:' line says it is migrate's"};
  }
  if (const FileClues* file =
          first_where(files, [](const FileClues& f) { return f.text.goose_annotation; })) {
    return {F::goose, fmt::format("{} has '-- +goose' annotations", file->name)};
  }
  if (const FileClues* file =
          first_where(files, [](const FileClues& f) { return flyway_file_name(f.name); })) {
    return {F::flyway, fmt::format("{} is named as Flyway names its migrations", file->name)};
  }
  return {F::migrate, {}};
}

std::string other_tool_hint(const FileClues& file) {
  if (file.text.goose_annotation) {
    return "It is written for goose ('-- +goose' annotations): read the folder with "
           "`format = goose`";
  }
  if (flyway_file_name(file.name)) {
    return "It is named as Flyway names its migrations: to read the folder as Flyway's, say "
           "`format = flyway` in migrate.conf's [migrate] section, or --format flyway";
  }
  if (!pair_half(file.name) && parse_stem_name(file.name)) {
    return "It is named as a name-ordered folder's files are (maragudk/migrate: the whole stem "
           "is the version): to read the folder so, say `format = stem` in migrate.conf's "
           "[migrate] section, or --format stem";
  }
  return {};
}

}  // namespace migrate
