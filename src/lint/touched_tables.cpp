#include "lint/touched_tables.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "migration/migration.hpp"

namespace migrate {

namespace {

/// A word of the SQL: an identifier or keyword (quoted or not), or one punctuation character.
/// String literals and comments are skipped, so what they say is never taken for a statement.
struct Token {
  std::string_view text;  ///< without its quotes
  bool name = false;      ///< an identifier or keyword, not punctuation
  bool quoted = false;    ///< "x", `x` or [x]: never a keyword
};

bool word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool word_char(char c) {
  return word_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/// The position after a quoted run that starts at `at` and ends at `close` ('' or "" inside
/// count as one character, as in SQL); the end of the text when it is not closed.
std::size_t after_quoted(std::string_view sql, std::size_t at, char close) {
  for (std::size_t i = at + 1; i < sql.size(); ++i) {
    if (sql[i] == close) {
      if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
        ++i;  // a doubled quote stands for itself
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

/// The position after PostgreSQL's E'…' string that starts at `at` (the quote): a backslash
/// escapes the next character, so E'it\'s' is one string.
std::size_t after_escaped(std::string_view sql, std::size_t at) {
  for (std::size_t i = at + 1; i < sql.size(); ++i) {
    if (sql[i] == '\\') {
      ++i;
    } else if (sql[i] == '\'') {
      if (i + 1 < sql.size() && sql[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

/// The `$tag$` (or `$$`) that opens a PostgreSQL dollar-quoted string at `at`; empty when
/// there is none ($1 is a parameter).
std::string_view dollar_tag(std::string_view sql, std::size_t at) {
  std::size_t end = at + 1;
  if (end < sql.size() && word_start(sql[end])) {
    while (end < sql.size() && word_char(sql[end]) && sql[end] != '$') {
      ++end;
    }
  }
  return end < sql.size() && sql[end] == '$' ? sql.substr(at, end - at + 1) : std::string_view();
}

void tokenize(std::string_view sql, std::vector<Token>& tokens);

/// A dollar-quoted string at `at`, opened by `tag`: usually a function's body, so what it says
/// is read as SQL too (its tables are touched when it runs). Returns the position after it.
std::size_t dollar_quoted(std::string_view sql, std::size_t at, std::string_view tag,
                          std::vector<Token>& tokens) {
  std::size_t body = at + tag.size();
  std::size_t close = sql.find(tag, body);
  std::size_t body_end = close == std::string_view::npos ? sql.size() : close;
  tokenize(sql.substr(body, body_end - body), tokens);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

void tokenize(std::string_view sql, std::vector<Token>& tokens) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if ((c == '-' && sql.substr(i, 2) == "--") || (c == '/' && sql.substr(i, 2) == "/*")) {
      // PostgreSQL's block comments nest; blank_sql_prefix skips them as the server does.
      i += std::max<std::size_t>(1, blank_sql_prefix(sql.substr(i), true));
    } else if (c == '\'') {
      i = after_quoted(sql, i, '\'');
    } else if ((c == 'E' || c == 'e') && i + 1 < sql.size() && sql[i + 1] == '\'' &&
               (i == 0 || !word_char(sql[i - 1]))) {
      i = after_escaped(sql, i + 1);
    } else if (std::string_view tag = c == '$' ? dollar_tag(sql, i) : std::string_view();
               !tag.empty()) {
      i = dollar_quoted(sql, i, tag, tokens);
    } else if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::size_t end = after_quoted(sql, i, close);
      bool closed = end > i + 1 && sql[end - 1] == close;
      tokens.push_back({sql.substr(i + 1, end - i - 1 - (closed ? 1 : 0)), true, true});
      i = end;
    } else if (word_start(c)) {
      std::size_t end = i + 1;
      while (end < sql.size() && word_char(sql[end])) {
        ++end;
      }
      tokens.push_back({sql.substr(i, end - i), true, false});
      i = end;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else {
      tokens.push_back({sql.substr(i, 1), false, false});
      ++i;
    }
  }
}

bool same_word(std::string_view a, std::string_view keyword) {
  return a.size() == keyword.size() &&
         std::equal(a.begin(), a.end(), keyword.begin(),
                    [](char x, char k) { return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == k; });
}

/// Reads the statements that name a table out of the tokens.
class TableFinder {
 public:
  explicit TableFinder(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

  std::set<std::string> find() {
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      match_at(i);
    }
    return std::move(m_tables);
  }

 private:
  /// Token `i` is the unquoted keyword `keyword` (lower case).
  bool is(std::size_t i, std::string_view keyword) const {
    return i < m_tokens.size() && m_tokens[i].name && !m_tokens[i].quoted &&
           same_word(m_tokens[i].text, keyword);
  }
  /// Moves `i` past `keyword` when it is there.
  bool skip(std::size_t& i, std::string_view keyword) const {
    if (is(i, keyword)) {
      ++i;
      return true;
    }
    return false;
  }

  /// The table named at `i` (`name` or `schema.name`), recorded by its last part, lower-cased:
  /// unquoted identifiers are case-insensitive in SQL.
  void table_at(std::size_t i) {
    if (i >= m_tokens.size() || !m_tokens[i].name || reserved(i)) {
      return;
    }
    while (i + 2 < m_tokens.size() && m_tokens[i + 1].text == "." && !m_tokens[i + 1].name &&
           m_tokens[i + 2].name) {
      i += 2;
    }
    std::string key;
    std::string_view text = m_tokens[i].text;
    for (std::size_t k = 0; k < text.size(); ++k) {
      char c = text[k];
      if (m_tokens[i].quoted && k + 1 < text.size() && text[k + 1] == c && (c == '"' || c == '`')) {
        ++k;  // "a""b" names a"b
      }
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    m_tables.insert(std::move(key));
  }

  /// Words that cannot be a table's name unquoted: after GRANT … UPDATE ON or a trigger's
  /// AFTER TRUNCATE ON, the word where a table would be is one of these.
  bool reserved(std::size_t i) const {
    static constexpr std::array<std::string_view, 10> kReserved{
        "on", "of", "or", "set", "only", "table", "into", "from", "where", "values"};
    return std::any_of(kReserved.begin(), kReserved.end(),
                       [&](std::string_view word) { return is(i, word); });
  }

  /// UPDATE also appears in ON UPDATE CASCADE, SELECT … FOR UPDATE, ON CONFLICT DO UPDATE
  /// and trigger events (AFTER INSERT OR UPDATE OF x ON t): none of those names a table next.
  bool update_statement(std::size_t i) const {
    static constexpr std::array<std::string_view, 7> kNotBefore{"on",    "for", "do", "before",
                                                                "after", "or",  "of"};
    return i == 0 || std::none_of(kNotBefore.begin(), kNotBefore.end(),
                                  [&](std::string_view word) { return is(i - 1, word); });
  }

  /// CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table, from `j`.
  void index_at(std::size_t j) {
    skip(j, "unique");
    if (!skip(j, "index")) {
      return;
    }
    skip(j, "concurrently");
    if (is(j, "if") && is(j + 1, "not") && is(j + 2, "exists")) {
      j += 3;
    }
    if (!is(j, "on")) {
      ++j;  // the index's name
    }
    if (skip(j, "on")) {
      skip(j, "only");
      table_at(j);
    }
  }

  void match_at(std::size_t i) {
    std::size_t j = i + 1;
    if ((is(i, "create") || is(i, "alter") || is(i, "drop")) && skip(j, "table")) {
      skip(j, "if");
      skip(j, "not");
      skip(j, "exists");
      skip(j, "only");
      table_at(j);
    } else if (is(i, "create")) {
      index_at(j);
    } else if (is(i, "insert")) {
      if (skip(j, "or")) {
        ++j;  // SQLite's INSERT OR IGNORE / REPLACE
      }
      if (skip(j, "into")) {
        table_at(j);
      }
    } else if (is(i, "update") && update_statement(i)) {
      if (skip(j, "or")) {
        ++j;  // SQLite's UPDATE OR IGNORE / REPLACE
      }
      skip(j, "only");
      table_at(j);
    } else if ((is(i, "delete") && skip(j, "from")) || is(i, "truncate")) {
      skip(j, "table");
      skip(j, "only");
      table_at(j);
    } else if (is(i, "references")) {
      table_at(j);
    }
  }

  std::vector<Token> m_tokens;
  std::set<std::string> m_tables;
};

}  // namespace

std::set<std::string> touched_tables(std::string_view sql) {
  std::vector<Token> tokens;
  tokenize(sql, tokens);
  return TableFinder(std::move(tokens)).find();
}

}  // namespace migrate
