#include "migration/goose_parser.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "migration/checksum.hpp"
#include "migration/parser_parts.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

enum class Annotation {
  up,
  down,
  statement_begin,
  statement_end,
  no_transaction,
  envsub_on,
  envsub_off
};

constexpr std::array<std::pair<std::string_view, Annotation>, 7> kAnnotations{{
    {"Up", Annotation::up},
    {"Down", Annotation::down},
    {"StatementBegin", Annotation::statement_begin},
    {"StatementEnd", Annotation::statement_end},
    {"NO TRANSACTION", Annotation::no_transaction},
    {"ENVSUB ON", Annotation::envsub_on},
    {"ENVSUB OFF", Annotation::envsub_off},
}};

bool equal_fold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// goose's extractAnnotation: the annotation of a candidate line, or a ParseError.
Annotation extract_annotation(const std::filesystem::path& file, const Line& line) {
  if (line.text.starts_with(' ') || line.text.starts_with('\t')) {
    throw ParseError(file, line.number,
                     "a '-- +goose' annotation after white space, which goose refuses: start "
                     "the line with '--' (a comment that mentions +goose is refused too)");
  }
  std::string text(line.text);
  for (std::size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at)) {
    text.erase(at, 2);
  }
  text.erase(text.find("+goose"), 6);
  if (text.find("+goose") != std::string::npos) {
    throw ParseError(file, line.number, "'+goose' twice on one line, which goose refuses");
  }
  std::string_view word = trim(text);
  for (const auto& [name, annotation] : kAnnotations) {
    if (equal_fold(word, name)) {
      return annotation;
    }
  }
  throw ParseError(file, line.number,
                   fmt::format("'{}' is not a goose annotation: goose reads '-- +goose' followed "
                               "by Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, "
                               "ENVSUB ON or ENVSUB OFF, alone on the line (a comment that "
                               "mentions +goose is refused too)",
                               first_line_shortened(trim(line.text), 60)));
}

/// goose's endsWithSemicolon: the last word before a word starting with `--` ends in ';'.
bool ends_with_semicolon(std::string_view line) {
  std::string_view previous;
  for (std::string_view word : split_words(line)) {
    if (word.starts_with("--")) {
      break;
    }
    previous = word;
  }
  return previous.ends_with(';');
}

/// Whether a StatementBegin block's text ends its statement with ';' (trailing comment lines
/// aside): otherwise the next statement would run into it once the markers are gone.
bool block_ends_statement(std::string_view block) {
  std::vector<Line> lines = split_lines(block);
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    std::string_view text = trim(line->text);
    if (!text.empty() && !text.starts_with("--")) {
      return text.ends_with(';');
    }
  }
  return true;
}

enum class State { start, up, down };

/// One section's text as it will run, and as written (for the checksum), built line by line.
struct SectionText {
  int marker_line = 0;
  std::string run;
  std::string written;
  void add(std::string_view run_line, std::string_view written_line) {
    run.append(run_line).push_back('\n');
    written.append(written_line).push_back('\n');
  }
};

/// What goose's file names must be, beyond ours: goose reads the version before the first '_'
/// as a signed 64-bit number, at least 1, and refuses a name without one.
void refuse_goose_name(const MigrationFileName& name, const std::filesystem::path& file) {
  if (file.filename().string().find('_') == std::string::npos) {
    throw ParseError(file, 0,
                     fmt::format("no '_' after the version, which goose refuses: its files are "
                                 "named <version>_<name>.sql. Rename it (e.g. {}_{}.sql)",
                                 name.id.text(), "my_change"));
  }
  std::string_view version = name.id.value();
  constexpr std::string_view kLargest = "9223372036854775807";  // goose's int64
  if (version.size() > kLargest.size() ||
      (version.size() == kLargest.size() && version > kLargest)) {
    throw ParseError(file, 0,
                     fmt::format("version {} is larger than goose's versions go (a 64-bit "
                                 "number, at most {}). Rename the file",
                                 version, kLargest));
  }
  if (version == "0") {
    throw ParseError(file, 0, "version 0: goose's versions start at 1. Rename the file");
  }
}

}  // namespace

bool goose_annotation_line(std::string_view line) {
  return trim(line).starts_with("--") && line.find("+goose") != std::string_view::npos;
}

bool goose_go_migration(std::string_view name) {
  if (!name.ends_with(".go") || name.ends_with("_test.go")) {
    return false;
  }
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') {
    ++digits;
  }
  return digits > 0 && name[digits] == '_';
}

Migration parse_goose_migration(const MigrationFileName& name, const std::filesystem::path& file,
                                std::string_view text, const VariableLookup& environment) {
  Migration migration = named_migration(name, file);
  migration.format = MigrationFormat::goose;
  text = without_bom(text);
  refuse_nul(file, text);
  refuse_goose_name(name, file);
  State state = State::start;
  bool in_block = false, transaction = true, envsub = false;
  int up_line = 0, down_line = 0, block_line = 0;
  std::string buffer;   // goose's: the statement being read
  int buffer_line = 0;  // where it starts
  SectionText up, down;
  LineCursor cursor(text);
  Line line;
  int last_line = 0;
  auto section = [&]() -> SectionText& { return state == State::down ? down : up; };
  auto missing_semicolon = [&](std::string_view where) {
    if (!trim(buffer).empty()) {
      throw ParseError(file, buffer_line,
                       fmt::format("this statement does not end in ';' before {}, which goose "
                                   "refuses (a missing semicolon?). End its last line with ';', "
                                   "or wrap it in '-- +goose StatementBegin' / "
                                   "'-- +goose StatementEnd'",
                                   where));
    }
  };
  while (cursor.next(line)) {
    last_line = line.number;
    if (goose_annotation_line(line.text)) {
      Annotation annotation = extract_annotation(file, line);
      switch (annotation) {
        case Annotation::up:
          if (state != State::start) {
            throw ParseError(file, line.number,
                             fmt::format("a second '-- +goose Up' (the first is on line {}): a "
                                         "goose file has one up section",
                                         up_line));
          }
          state = State::up;
          up_line = line.number;
          up.marker_line = line.number;
          continue;
        case Annotation::down:
          if (state != State::up || in_block) {
            throw ParseError(file, line.number,
                             state == State::start
                                 ? "'-- +goose Down' before '-- +goose Up': a goose file starts "
                                   "with its up section"
                             : in_block
                                 ? fmt::format("'-- +goose Down' inside the StatementBegin block "
                                               "of line {}: end it with '-- +goose StatementEnd'",
                                               block_line)
                                 : fmt::format("a second '-- +goose Down' (the first is on line "
                                               "{})",
                                               down_line));
          }
          missing_semicolon("'-- +goose Down'");
          buffer.clear();
          state = State::down;
          down_line = line.number;
          down.marker_line = line.number;
          continue;
        case Annotation::statement_begin:
          if (state == State::start || in_block) {
            throw ParseError(file, line.number,
                             in_block ? fmt::format("a StatementBegin inside the one of line {}: "
                                                    "end that block first",
                                                    block_line)
                                      : "'-- +goose StatementBegin' before '-- +goose Up': "
                                        "blocks belong in the up or the down section");
          }
          in_block = true;
          block_line = line.number;
          section().add("", line.text);
          continue;
        case Annotation::statement_end:
          if (!in_block) {
            throw ParseError(file, line.number,
                             "'-- +goose StatementEnd' without a '-- +goose StatementBegin' "
                             "before it");
          }
          in_block = false;
          if (trim(buffer).empty()) {
            throw ParseError(file, line.number,
                             fmt::format("an empty StatementBegin block (line {}): goose would "
                                         "drop the next line of SQL. Remove the block",
                                         block_line));
          }
          // The database's splitter keeps the block whole; a block that does not end in ';'
          // is ended here, so the next statement does not run into it.
          section().add(block_ends_statement(buffer) ? "" : ";", line.text);
          buffer.clear();
          continue;
        case Annotation::no_transaction:
          transaction = false;
          break;
        case Annotation::envsub_on:
          envsub = true;
          break;
        case Annotation::envsub_off:
          envsub = false;
          break;
      }
      if (state != State::start) {
        section().add("", line.text);
      }
      continue;
    }
    // As goose: comments and empty lines between statements are not part of one.
    bool between = buffer.empty() && (trim(line.text).starts_with("--") || line.text.empty());
    if (state == State::start) {
      if (between || trim(line.text).empty()) {
        std::string_view comment = trim(line.text);
        if (comment.empty()) {
          if (!migration.doc.empty()) {
            migration.doc.emplace_back();
          }
        } else {
          migration.doc.push_back(comment_text(comment));
        }
        continue;
      }
      throw ParseError(file, line.number,
                       fmt::format("SQL before '-- +goose Up': '{}'. goose refuses it; put it "
                                   "after the Up annotation",
                                   first_line_shortened(trim(line.text), 60)));
    }
    if (between) {
      section().add(line.text, line.text);
      continue;
    }
    std::string expanded(line.text);
    if (envsub && environment) {
      try {
        expanded = expand_goose_line(line.text, environment);
      } catch (const EnvsubError& e) {
        throw ParseError(file, line.number,
                         fmt::format("variable substitution failed (ENVSUB is on): {}", e.what()));
      }
    }
    if (buffer.empty()) {
      buffer_line = line.number;
    }
    buffer.append(expanded).push_back('\n');
    section().add(expanded, line.text);
    if (!in_block && ends_with_semicolon(line.text)) {
      buffer.clear();
    }
  }
  if (state == State::start) {
    throw ParseError(file, 0,
                     "no '-- +goose Up' line, which goose requires: put the SQL that applies "
                     "the change after it, and the SQL that reverts it after '-- +goose Down'");
  }
  if (in_block) {
    throw ParseError(file, block_line,
                     "'-- +goose StatementBegin' without its '-- +goose StatementEnd'");
  }
  missing_semicolon("the end of the file");
  trim_doc(migration.doc);
  SectionOptions options;
  options.transaction = transaction;
  migration.up = make_section(up.run, up.marker_line + 1, migration.file, options);
  // No Down: goose's down runs nothing and removes the row; an empty section says the same.
  migration.down = down.marker_line == 0
                       ? make_section("", last_line + 1, migration.file, options)
                       : make_section(down.run, down.marker_line + 1, migration.file, options);
  migration.checksum = section_checksum(make_section(up.written, 1, migration.file, options).sql);
  return migration;
}

}  // namespace migrate
