#include "verify/data_test.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "migration/migration_dir.hpp"
#include "util/error.hpp"
#include "util/file.hpp"
#include "util/sql_text.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

/// What a line says when it is a comment: the text after `--`, trimmed.
std::optional<std::string_view> comment_of(std::string_view line) {
  std::string_view text = trim(line);
  if (!text.starts_with("--")) {
    return std::nullopt;
  }
  return trim(text.substr(2));
}

/// A row line's values: the comment's text split at '|', each trimmed.
std::vector<std::string> row_values(std::string_view line) {
  std::string_view text = trim(line).substr(2);
  std::vector<std::string> values;
  for (std::size_t start = 0;;) {
    std::size_t bar = text.find('|', start);
    values.emplace_back(
        trim(text.substr(start, bar == std::string_view::npos ? bar : bar - start)));
    if (bar == std::string_view::npos) {
      return values;
    }
    start = bar + 1;
  }
}

class DataTestReader {
 public:
  DataTestReader(const std::filesystem::path& file, DataTest& test) : m_file(file), m_test(test) {}

  void read(std::string_view text) {
    for (const Line& line : split_lines(text)) {
      read_line(line.text, line.number);
    }
    end_block();
    if (m_part == nullptr || m_part == &m_test.before) {
      throw ParseError(m_file, 1,
                       "a data test needs an `-- after:` part: the queries to check once the "
                       "migration's up section has run, each followed by `-- expect:` and its "
                       "rows, or `-- expect-error: TEXT`");
    }
  }

 private:
  void read_line(std::string_view line, int number) {
    std::optional<std::string_view> comment = comment_of(line);
    if (comment && (*comment == "before:" || *comment == "after:")) {
      start_part(*comment == "before:", number);
      return;
    }
    if (comment && (*comment == "expect:" || comment->starts_with("expect-error:"))) {
      expect(*comment, number);
      return;
    }
    if (m_in_rows && comment) {
      m_part->back().expect->rows.push_back(row_values(line));
      return;
    }
    m_in_rows = false;
    if (m_part == nullptr) {
      if (!comment && !trim(line).empty()) {
        throw ParseError(m_file, number,
                         "SQL before the first part: a data test's statements go after "
                         "`-- before:` (run at the parent revision) or `-- after:` (run after "
                         "the migration's up section)");
      }
      return;
    }
    if (m_block.sql.empty()) {
      m_block.first_line = number;
    } else {
      m_block.sql += '\n';
    }
    m_block.sql += line;
  }

  void start_part(bool before, int number) {
    end_block();
    m_in_rows = false;
    std::vector<DataTestBlock>* part = before ? &m_test.before : &m_test.after;
    if (m_part == part || (before && m_part == &m_test.after)) {
      throw ParseError(m_file, number,
                       before ? (m_part == part ? "a second `-- before:` part: a data test has one"
                                                : "`-- before:` after `-- after:`: the before "
                                                  "part comes first")
                              : "a second `-- after:` part: a data test has one");
    }
    m_part = part;
  }

  void expect(std::string_view comment, int number) {
    m_in_rows = false;
    if (m_part == nullptr) {
      throw ParseError(m_file, number,
                       "an expectation before the first part: it belongs after a query in the "
                       "`-- before:` or `-- after:` part");
    }
    if (is_blank_sql(m_block.sql)) {
      throw ParseError(m_file, number,
                       "an expectation with no statement before it: write the query (or the "
                       "statement that must fail) on the lines above it");
    }
    DataTestExpectation expectation;
    expectation.line = number;
    if (comment == "expect:") {
      expectation.kind = DataTestExpectation::Kind::rows;
      m_in_rows = true;
    } else {
      expectation.kind = DataTestExpectation::Kind::error;
      expectation.error =
          std::string(trim(comment.substr(std::string_view("expect-error:").size())));
      if (expectation.error.empty()) {
        throw ParseError(m_file, number,
                         "`-- expect-error:` needs the text the error message must contain, as "
                         "in `-- expect-error: NOT NULL`");
      }
    }
    m_block.expect = std::move(expectation);
    m_part->push_back(std::move(m_block));
    m_block = {};
  }

  void end_block() {
    if (m_part != nullptr && !is_blank_sql(m_block.sql)) {
      m_part->push_back(std::move(m_block));
    }
    m_block = {};
  }

  const std::filesystem::path& m_file;
  DataTest& m_test;
  std::vector<DataTestBlock>* m_part = nullptr;  ///< the part being read; null before the first
  DataTestBlock m_block;                         ///< its SQL since the last expectation
  bool m_in_rows = false;                        ///< the lines are an `-- expect:`'s rows
};

}  // namespace

DataTest parse_data_test(const std::filesystem::path& file, std::string_view text) {
  DataTest test;
  test.file = file;
  test.name = file.stem().string();
  DataTestReader(file, test).read(text);
  return test;
}

std::vector<DataTest> read_data_tests(const std::filesystem::path& migrations_dir) {
  std::filesystem::path folder = migrations_dir / kDataTestsFolder;
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    return {};
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (it->path().extension() == ".sql" && !name.starts_with(".")) {
      files.push_back(it->path());
    }
  }
  if (error) {
    throw IoError(fmt::format("cannot read {}: {}", folder.string(), error.message()));
  }
  std::sort(files.begin(), files.end());
  std::vector<DataTest> tests;
  std::vector<std::string> problems;
  std::optional<ParseError> first;
  for (const std::filesystem::path& file : files) {
    try {
      tests.push_back(parse_data_test(file, read_file(file)));
    } catch (const ParseError& e) {
      problems.emplace_back(e.what());
      if (!first) {
        first = e;
      }
    }
  }
  if (problems.size() == 1) {
    throw *first;
  }
  if (!problems.empty()) {
    throw InvalidFiles(fmt::format("{} data tests do not follow the format:\n{}", problems.size(),
                                   fmt::join(problems, "\n")));
  }
  return tests;
}

std::string data_test_row_text(const std::vector<std::string>& row) {
  return fmt::format("{}", fmt::join(row, " | "));
}

}  // namespace migrate
