#include "migration/migration_parser.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "migration/checksum.hpp"
#include "migration/parser_parts.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::string_view kUpMarker = "migrate:up";
constexpr std::string_view kDownMarker = "migrate:down";

struct Marker {
  bool up = true;
  SectionOptions options;
};

SectionOptions parse_section_options(const std::filesystem::path& file, int line,
                                     std::string_view text) {
  SectionOptions options;
  for (std::string_view word : split_words(text)) {
    if (word == "transaction:false") {
      options.transaction = false;
    } else if (word == "transaction:true") {
      options.transaction = true;
    } else if (word == "foreign_keys:off") {
      options.foreign_keys = false;
    } else if (word == "foreign_keys:on") {
      options.foreign_keys = true;
    } else {
      throw ParseError(file, line,
                       fmt::format("unknown section option '{}': the options are "
                                   "transaction:false and foreign_keys:off",
                                   word));
    }
  }
  if (!options.transaction && !options.foreign_keys) {
    throw ParseError(file, line,
                     "foreign_keys:off needs the section's transaction (the foreign key check "
                     "runs before it commits): drop transaction:false, or split the migration");
  }
  return options;
}

/// Where a section marker may stand on its line.
enum class MarkerPlace {
  anywhere,    ///< ours: after any white space
  line_start,  ///< dbmate's (`(?m)^--\s*migrate:up(\s*$|\s+\S+)`): at the start of the line
};

MarkerPlace marker_place(MigrationFormat rules) {
  return rules == MigrationFormat::dbmate ? MarkerPlace::line_start : MarkerPlace::anywhere;
}

/// Whether the line can hold a marker (or a near miss of one) where `place` allows it.
bool marker_may_stand(const Line& line, MarkerPlace place) {
  return place == MarkerPlace::anywhere || line.text.starts_with("--");
}

/// The marker word of `-- migrate:up …` / `-- migrate:down …` (true for up) and the text after
/// it, the options; nullopt when the line is no marker.
std::optional<std::pair<bool, std::string_view>> marker_word(const Line& line, MarkerPlace place) {
  if (!marker_may_stand(line, place)) {
    return std::nullopt;
  }
  std::string_view text = trim(line.text);
  if (!text.starts_with("--")) {
    return std::nullopt;
  }
  text = trim(text.substr(2));
  bool up = text.starts_with(kUpMarker);
  if (!up && !text.starts_with(kDownMarker)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(up ? kUpMarker.size() : kDownMarker.size());
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') {
    return std::nullopt;  // "-- migrate:upgrade notes" is a comment, not a marker
  }
  return std::pair{up, rest};
}

/// `-- migrate:up [options]` or `-- migrate:down [options]`, else nullopt.
std::optional<Marker> parse_marker(const std::filesystem::path& file, const Line& line,
                                   MarkerPlace place = MarkerPlace::anywhere) {
  std::optional<std::pair<bool, std::string_view>> word = marker_word(line, place);
  if (!word) {
    return std::nullopt;
  }
  Marker marker;
  marker.up = word->first;
  marker.options = parse_section_options(file, line.number, word->second);
  return marker;
}

/// A comment that was meant as a marker but is not one (`-- migrate: up`, `-- Migrate:Down`):
/// read as a comment, it would silently put the down SQL into the up section, or the up SQL
/// into the documentation.
bool near_miss_marker(const Line& line) {
  std::string_view text = trim(line.text);
  if (!text.starts_with("--")) {
    return false;
  }
  text = trim(text.substr(2));
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  auto word = [&](std::string_view expected) {
    if (text.size() < expected.size() ||
        !std::equal(expected.begin(), expected.end(), text.begin(),
                    [&](char a, char b) { return a == lower(b); })) {
      return false;
    }
    text.remove_prefix(expected.size());
    return true;
  };
  if (!word("migrate")) {
    return false;
  }
  text = trim(text);
  if (text.empty() || text.front() != ':') {
    return false;
  }
  text = trim(text.substr(1));
  if (!word("up") && !word("down")) {
    return false;
  }
  return text.empty() || text.front() == ' ' || text.front() == '\t';
}

std::vector<MigrationRef> parse_refs(const std::filesystem::path& file, int line,
                                     std::string_view text) {
  std::vector<MigrationRef> refs;
  for (std::string_view word : split_words(text, /*commas=*/true)) {
    if (word.ends_with(".sql")) {
      word.remove_suffix(4);
    }
    std::size_t digits = 0;
    while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') {
      ++digits;
    }
    if (digits == 0 || (digits < word.size() && word[digits] != '_')) {
      throw ParseError(file, line,
                       fmt::format("'{}' is not a migration id or file stem (write an id such as "
                                   "202611201010, or a stem such as 202611201010_create_users)",
                                   word));
    }
    refs.push_back({*MigrationId::from_digits(word.substr(0, digits)), std::string(word), line});
  }
  return refs;
}

/// The `depends:` or `replaces:` of a header comment line, else "".
std::string_view header_directive(std::string_view directive) {
  for (std::string_view name : {"depends:", "replaces:"}) {
    if (directive.starts_with(name)) {
      return name;
    }
  }
  return {};
}

/// Whether a line is a `-- +goose …` annotation (goose reads them in any case).
bool goose_annotation(std::string_view line) {
  std::string_view text = trim(line);
  if (!text.starts_with("--")) {
    return false;
  }
  text = trim(text.substr(2));
  constexpr std::string_view kGoose = "+goose";
  return text.size() >= kGoose.size() &&
         std::equal(kGoose.begin(), kGoose.end(), text.begin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

/// Reads one header line (before `-- migrate:up`) into the migration.
void parse_header_line(const std::filesystem::path& file, const Line& line, Migration& migration) {
  std::string_view text = trim(line.text);
  if (text.empty()) {
    if (!migration.doc.empty()) {
      migration.doc.emplace_back();
    }
    return;
  }
  if (!text.starts_with("--")) {
    throw ParseError(file, line.number,
                     fmt::format("text before '-- migrate:up' is not a comment: '{}'. SQL belongs "
                                 "after '-- migrate:up' (or '-- migrate:down'); documentation "
                                 "lines start with '--'",
                                 first_line_shortened(text, 60)));
  }
  std::string content = comment_text(text);
  std::string_view directive = trim(content);
  std::string_view name = header_directive(directive);
  if (name == "depends:") {
    auto refs = parse_refs(file, line.number, directive.substr(name.size()));
    if (!migration.depends) {
      migration.depends.emplace();
    }
    migration.depends->insert(migration.depends->end(), refs.begin(), refs.end());
  } else if (name == "replaces:") {
    auto refs = parse_refs(file, line.number, directive.substr(name.size()));
    migration.replaces.insert(migration.replaces.end(), refs.begin(), refs.end());
  } else if (!content.empty() || !migration.doc.empty()) {
    migration.doc.push_back(std::move(content));
  }
}

}  // namespace

namespace {

/// The path's last part, as filename() gives it on POSIX ("" after a trailing '/'), without
/// making a path of it: thousands of names are looked at on every command.
std::string_view last_part(const std::filesystem::path& file) {
  std::string_view text = file.native();
  std::size_t slash = text.rfind('/');
  return slash == std::string_view::npos ? text : text.substr(slash + 1);
}

}  // namespace

bool named_like_migration(const std::filesystem::path& file) {
  std::string_view name = last_part(file);
  if (name.empty() || name.front() == '.' || name.size() < 4) {
    return false;
  }
  std::string_view extension = name.substr(name.size() - 4);
  return std::equal(extension.begin(), extension.end(), std::string_view(".sql").begin(),
                    [](unsigned char a, unsigned char b) { return std::tolower(a) == b; });
}

std::optional<MigrationFileName> parse_file_name(const std::filesystem::path& file) {
  if (!named_like_migration(file)) {
    return std::nullopt;
  }
  std::string_view name = last_part(file);
  if (!name.ends_with(".sql")) {
    throw ParseError(file, 0,
                     fmt::format("the name ends in '{}': migration files end in '.sql', in lower "
                                 "case (otherwise a case-insensitive file system would read it "
                                 "and others would not). Rename it",
                                 name.substr(name.size() - 4)));
  }
  std::string_view stem(name);
  stem.remove_suffix(4);
  MigrationFileName result;
  if (stem.ends_with(".up")) {
    result.kind = MigrationFileName::Kind::up;
    stem.remove_suffix(3);
  } else if (stem.ends_with(".down")) {
    result.kind = MigrationFileName::Kind::down;
    stem.remove_suffix(5);
  }
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || (digits < stem.size() && stem[digits] != '_')) {
    throw ParseError(file, 0,
                     "the file name has no leading id. Migration files are named "
                     "<id>_<slug>.sql (for example 202611211423_add_phone_to_users.sql); rename "
                     "it, or move it out of the migrations folder if it is not a migration");
  }
  result.id = *MigrationId::from_digits(stem.substr(0, digits));
  result.slug = std::string(digits < stem.size() ? stem.substr(digits + 1) : std::string_view{});
  return result;
}

Migration parse_migration(const MigrationFileName& name, const std::filesystem::path& file,
                          std::string_view text, MigrationFormat rules) {
  rules = single_file_rules(rules);
  const MarkerPlace place = marker_place(rules);
  Migration migration = named_migration(name, file);
  migration.format = rules;
  text = without_bom(text);
  refuse_nul(file, text);
  std::optional<Marker> up_marker, down_marker;
  int up_line = 0, down_line = 0;
  std::size_t up_start = 0, up_end = text.size(), down_start = 0;
  // dbmate's rules: the first marker of each kind after white space, which is SQL text there.
  int indented_up = 0, indented_down = 0;
  // In dbmate's rules, why a marker may seem missing: the one written is indented.
  auto indented_note = [](int indented) {
    return indented == 0 ? std::string()
                         : fmt::format(
                               " (line {} has one after white space, which dbmate reads "
                               "as SQL text: a marker starts its line)",
                               indented);
  };
  LineCursor cursor(text);
  Line line;
  while (cursor.next(line)) {
    std::size_t next = cursor.position();
    std::optional<Marker> marker = parse_marker(file, line, place);
    if (!marker && marker_may_stand(line, place) && near_miss_marker(line)) {
      throw ParseError(file, line.number,
                       fmt::format("'{}' looks like a section marker but is not one: write "
                                   "'-- migrate:up' or '-- migrate:down' exactly (lower case, no "
                                   "space around the colon)",
                                   trim(line.text)));
    }
    if (!marker) {
      if (place == MarkerPlace::line_start) {
        if (auto word = marker_word(line, MarkerPlace::anywhere)) {
          int& first = word->first ? indented_up : indented_down;
          first = first == 0 ? line.number : first;
        }
      }
      if (!up_marker && !down_marker) {
        try {
          parse_header_line(file, line, migration);
        } catch (const ParseError& e) {
          if (indented_up == 0) {
            throw;
          }
          throw ParseError(file, e.line(), e.problem() + indented_note(indented_up));
        }
      }
      continue;
    }
    if (marker->up) {
      if (up_marker) {
        throw ParseError(
            file, line.number,
            fmt::format("a second '-- migrate:up' (the first is on line {}): a migration has one "
                        "up section{}",
                        up_line,
                        rules == MigrationFormat::dbmate
                            ? " (dbmate's files with several sections are not read: give each "
                              "section a file of its own)"
                            : ""));
      }
      if (down_marker) {
        throw ParseError(file, line.number,
                         fmt::format("'-- migrate:up' comes after '-- migrate:down' (line {}): "
                                     "write the up section first",
                                     down_line));
      }
      up_marker = marker;
      up_line = line.number;
      up_start = next;
    } else {
      if (down_marker) {
        throw ParseError(file, line.number,
                         fmt::format("a second '-- migrate:down' (the first is on line {}): a "
                                     "migration has one down section",
                                     down_line));
      }
      if (!up_marker) {
        throw ParseError(file, line.number,
                         "'-- migrate:down' comes before any '-- migrate:up': write the up "
                         "section first" +
                             indented_note(indented_up));
      }
      down_marker = marker;
      down_line = line.number;
      up_end = line.offset;
      down_start = next;
    }
  }
  if (!up_marker) {
    throw ParseError(
        file, 0,
        fmt::format("no '-- migrate:up' line{}. Every migration needs one; put the SQL that "
                    "applies the change after it, and the SQL that reverts it after "
                    "'-- migrate:down'",
                    indented_note(indented_up)));
  }
  if (!down_marker && rules == MigrationFormat::dbmate) {
    throw ParseError(file, 0,
                     fmt::format("no '-- migrate:down' line{}, which dbmate requires. Add one "
                                 "after the up section (left empty, the migration reverts "
                                 "nothing)",
                                 indented_note(indented_down)));
  }
  trim_doc(migration.doc);
  // The sections share the migration's path (SharedPath): one path for the three.
  migration.up = make_section(text.substr(up_start, up_end - up_start), up_line + 1, migration.file,
                              up_marker->options);
  if (down_marker) {
    migration.down =
        make_section(text.substr(down_start), down_line + 1, migration.file, down_marker->options);
  }
  migration.checksum = section_checksum(migration.up.sql);
  return migration;
}

Migration parse_migration_pair(const MigrationFileName& name, const std::filesystem::path& up_file,
                               std::string_view up_text,
                               const std::optional<std::filesystem::path>& down_file,
                               std::string_view down_text) {
  Migration migration = named_migration(name, up_file);
  migration.format = MigrationFormat::golang_migrate;
  up_text = without_bom(up_text);
  down_text = without_bom(down_text);
  refuse_nul(up_file, up_text);
  if (down_file) {
    refuse_nul(*down_file, down_text);
  }
  for (const Line& line : split_lines(up_text)) {
    std::string_view text = trim(line.text);
    if (!text.starts_with("--")) {
      break;
    }
    migration.doc.push_back(comment_text(text));
  }
  trim_doc(migration.doc);
  migration.up = make_section(up_text, 1, migration.file, {});
  if (down_file) {
    migration.down = make_section(down_text, 1, *down_file, {});
  }
  migration.checksum = section_checksum(migration.up.sql);
  return migration;
}

bool up_marker_line(std::string_view line) {
  std::optional<std::pair<bool, std::string_view>> word =
      marker_word(Line{line, 0, 0}, MarkerPlace::anywhere);
  return word && word->first;
}

TextClues read_format_clues(std::string_view text) {
  TextClues clues;
  bool header = true;  // before the first up marker (ours: anywhere on its line)
  LineCursor cursor(without_bom(text));
  Line line;
  while (cursor.next(line)) {
    if (std::optional<std::pair<bool, std::string_view>> word =
            marker_word(line, MarkerPlace::anywhere)) {
      header = header && !word->first;
      if (marker_may_stand(line, MarkerPlace::line_start)) {
        (word->first ? clues.up_marker : clues.down_marker) = true;
      } else if (!word->first) {
        clues.indented_down_marker = true;
      }
      continue;
    }
    if (header) {
      std::string_view content = trim(line.text);
      if (content.starts_with("--") && !header_directive(trim(content.substr(2))).empty()) {
        clues.depends_or_replaces = true;
      }
    }
    if (goose_annotation(line.text)) {
      clues.goose_annotation = true;
      std::string lower(line.text);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      clues.goose_envsub = clues.goose_envsub || lower.find("envsub") != std::string::npos;
    }
  }
  return clues;
}

std::string stored_section_text(const Section& section) {
  std::string text = "-- migrate:down";
  if (!section.options.transaction) {
    text += " transaction:false";
  }
  if (!section.options.foreign_keys) {
    text += " foreign_keys:off";
  }
  text += '\n';
  text += section.sql;
  return text;
}

Section parse_stored_section(std::string_view text, const std::filesystem::path& origin) {
  std::size_t end = text.find('\n');
  std::string_view first = text.substr(0, end);
  std::optional<Marker> marker = parse_marker(origin, Line{first, 0, 1});
  if (!marker) {
    return make_section(text, 1, origin, {});  // written by hand, without a marker
  }
  std::string_view body = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return make_section(body, 2, origin, marker->options);
}

}  // namespace migrate
