#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// What a checked statement of a data test must give: rows (each value as the database's text
/// of it, "NULL" for a null), or an error whose message holds `error`.
struct DataTestExpectation {
  enum class Kind { rows, error };
  Kind kind = Kind::rows;
  std::vector<std::vector<std::string>> rows;
  std::string error;
  int line = 0;  ///< of its `-- expect:` or `-- expect-error:` line
};

/// SQL of a part of a data test, up to an expectation: its statements run in order, and the last
/// one is checked when there is an expectation.
struct DataTestBlock {
  std::string sql;
  int first_line = 1;  ///< the file's line of the SQL's first line
  std::optional<DataTestExpectation> expect;
};

/// A data test of migrate-verify, `migrations/tests/<id or stem>.sql`: its `-- before:` part
/// runs at the parent revision (rows inserted, and queries checked); the migration's up section
/// runs; its `-- after:` part runs (queries checked); and when the migration has a down section,
/// the down runs and the before part's checked queries must give their rows again.
struct DataTest {
  std::filesystem::path file;
  std::string name;  ///< the file's stem: the id or the stem of the migration it tests
  std::vector<DataTestBlock> before;
  std::vector<DataTestBlock> after;
};

/// Reads a data test's text (README.md, "migrate-verify", gives the format). Throws ParseError
/// at the line of what does not follow it: SQL outside a part, a part twice or out of order, no
/// `-- after:` part, an expectation with no statement before it, an empty `-- expect-error:`.
DataTest parse_data_test(const std::filesystem::path& file, std::string_view text);

/// The data tests of a migrations folder: the .sql files directly in its `tests/` folder (none
/// when there is no such folder), by name. Throws ParseError for one malformed file,
/// InvalidFiles for several (each named at its line), IoError for one that cannot be read.
std::vector<DataTest> read_data_tests(const std::filesystem::path& migrations_dir);

/// A row as a data test writes it, and as messages show it: "ann | NULL".
std::string data_test_row_text(const std::vector<std::string>& row);

}  // namespace migrate
