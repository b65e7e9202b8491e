#include "db/sqlite/sqlite_schema_text.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace migrate {

namespace {

bool word_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) != 0 || c == '_' || c == '$' || byte >= 0x80;
}

/// The end of the quoted token starting at `i` (`close` ends it; doubled, it is part of it).
std::size_t quoted_end(std::string_view sql, std::size_t i, char close) {
  for (std::size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] == close) {
      if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
        ++j;
        continue;
      }
      return j + 1;
    }
  }
  return sql.size();
}

/// The end of the number starting at `i`: digits, a fraction, an exponent with its sign
/// (`1e-5` is one token), or hexadecimal (`0x1F`).
std::size_t number_end(std::string_view sql, std::size_t i) {
  auto digit = [&](std::size_t k) {
    return k < sql.size() && std::isdigit(static_cast<unsigned char>(sql[k])) != 0;
  };
  if (sql.substr(i, 2) == "0x" || sql.substr(i, 2) == "0X") {
    std::size_t end = i + 2;
    while (end < sql.size() && std::isxdigit(static_cast<unsigned char>(sql[end])) != 0) {
      ++end;
    }
    return end;
  }
  std::size_t end = i;
  while (digit(end) || (end < sql.size() && sql[end] == '.')) {
    ++end;
  }
  if (end < sql.size() && (sql[end] == 'e' || sql[end] == 'E')) {
    std::size_t exponent = end + 1;
    if (exponent < sql.size() && (sql[exponent] == '+' || sql[exponent] == '-')) {
      ++exponent;
    }
    if (digit(exponent)) {
      end = exponent;
      while (digit(end)) {
        ++end;
      }
    }
  }
  while (end < sql.size() && word_char(sql[end])) {
    ++end;  // what SQLite would refuse anyway (1abc): kept whole, as written
  }
  return end;
}

/// SQLite's tokens of `sql`, comments and white space dropped.
std::vector<std::string_view> tokens(std::string_view sql) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(i, 2) == "/*") {
      std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      std::size_t end = i + 1;
      if (c == '\'' || c == '"' || c == '`') {
        end = quoted_end(sql, i, c);
      } else if (c == '[') {
        end = quoted_end(sql, i, ']');
      } else if ((c == 'x' || c == 'X') && i + 1 < sql.size() && sql[i + 1] == '\'') {
        end = quoted_end(sql, i + 1, '\'');  // a blob literal, X'00': one token
      } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                 (c == '.' && i + 1 < sql.size() &&
                  std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0)) {
        end = number_end(sql, i);
      } else if (word_char(c)) {
        while (end < sql.size() && word_char(sql[end])) {
          ++end;
        }
      } else {
        for (std::string_view two : {"||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"}) {
          if (sql.substr(i, 2) == two) {
            end = i + 2;
            if (two == "->" && sql.substr(i, 3) == "->>") {
              end = i + 3;
            }
            break;
          }
        }
      }
      out.push_back(sql.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

using Tokens = std::vector<std::string_view>;

bool is(std::string_view token, std::string_view keyword) {
  return token.size() == keyword.size() &&
         std::equal(token.begin(), token.end(), keyword.begin(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) == b;
         });
}

std::string joined(Tokens::const_iterator begin, Tokens::const_iterator end) {
  std::string out;
  std::string_view previous;
  bool unary = false;  // the previous token is a sign, not an operator: nothing after it
  for (auto it = begin; it != end; ++it) {
    std::string_view token = *it;
    bool tight = previous.empty() || previous == "(" || previous == "." || token == "(" ||
                 token == ")" || token == "," || token == "." || unary;
    bool operand_before = !previous.empty() && (previous == ")" || word_char(previous.back()) ||
                                                previous.back() == '\'' || previous.back() == '"' ||
                                                previous.back() == ']' || previous.back() == '`');
    unary = (token == "-" || token == "+") && !operand_before;
    // Two signs never touch: "- -1" must not become the comment "--1".
    bool would_comment = !out.empty() && out.back() == '-' && token.front() == '-';
    if (!tight || would_comment) {
      out += ' ';
    }
    out += token;
    previous = token;
  }
  return out;
}

/// The index just past the parenthesis that closes the one at `open`.
std::size_t closing(const Tokens& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i] == "(") {
      ++depth;
    } else if (t[i] == ")" && --depth == 0) {
      return i + 1;
    }
  }
  return t.size();
}

/// The tokens inside the parentheses that open at `open`, normalized.
std::string inside(const Tokens& t, std::size_t open) {
  std::size_t end = closing(t, open);
  return joined(t.begin() + static_cast<std::ptrdiff_t>(open + 1),
                t.begin() + static_cast<std::ptrdiff_t>(std::max(end, open + 2) - 1));
}

/// The pieces of the list in the parentheses opening at `open`, split at its own commas.
std::vector<Tokens> list_items(const Tokens& t, std::size_t open) {
  std::vector<Tokens> items(1);
  std::size_t end = closing(t, open);
  int depth = 0;
  for (std::size_t i = open + 1; i + 1 < end; ++i) {
    if (t[i] == "(") {
      ++depth;
    } else if (t[i] == ")") {
      --depth;
    } else if (t[i] == "," && depth == 0) {
      items.emplace_back();
      continue;
    }
    items.back().push_back(t[i]);
  }
  return items;
}

std::size_t find_token(const Tokens& t, std::string_view wanted, std::size_t from = 0) {
  for (std::size_t i = from; i < t.size(); ++i) {
    if (t[i] == wanted || is(t[i], wanted)) {
      return i;
    }
  }
  return t.size();
}

std::vector<std::string> names_in(const Tokens& t, std::size_t open) {
  std::vector<std::string> names;
  for (const Tokens& item : list_items(t, open)) {
    if (!item.empty()) {
      names.push_back(unquoted_sqlite_identifier(item.front()));
    }
  }
  return names;
}

/// Whether the foreign key clause starting at `from` says DEFERRABLE INITIALLY DEFERRED, up to
/// the next clause of the column (another REFERENCES, a CONSTRAINT).
bool deferred(const Tokens& t, std::size_t from) {
  bool references = false;  // its own REFERENCES: a second one is the next clause's
  for (std::size_t i = from; i + 2 < t.size(); ++i) {
    if ((is(t[i], "REFERENCES") && std::exchange(references, true)) ||
        (i > from && is(t[i], "CONSTRAINT"))) {
      return false;
    }
    if (is(t[i], "DEFERRABLE") && (i == 0 || !is(t[i - 1], "NOT")) && is(t[i + 1], "INITIALLY") &&
        is(t[i + 2], "DEFERRED")) {
      return true;
    }
  }
  return false;
}

void read_table_constraint(const Tokens& piece, std::size_t at, const std::string& name,
                           SqliteTableText& text) {
  std::size_t open = find_token(piece, "(", at);
  if (is(piece[at], "CHECK")) {
    text.checks.push_back({name, inside(piece, open), ""});
    return;
  }
  if (is(piece[at], "FOREIGN")) {  // named and deferred by the order written
    text.deferred_foreign_keys.push_back(deferred(piece, at));
    text.foreign_key_names.push_back(name);
    return;
  }
  if (!name.empty()) {
    text.named.push_back(
        {name, is(piece[at], "PRIMARY") ? "PRIMARY" : "UNIQUE", names_in(piece, open)});
  }
}

void read_column(const Tokens& piece, SqliteTableText& text) {
  std::string column = unquoted_sqlite_identifier(piece.front());
  std::string name;  // of the constraint being read
  for (std::size_t i = 1; i < piece.size(); ++i) {
    if (is(piece[i], "CONSTRAINT") && i + 1 < piece.size()) {
      name = unquoted_sqlite_identifier(piece[++i]);
      // The name is that of the constraint it comes before: one of these, or none kept here
      // (NOT NULL, DEFAULT, COLLATE have no name in the catalog).
      if (i + 1 < piece.size() && !is(piece[i + 1], "CHECK") && !is(piece[i + 1], "PRIMARY") &&
          !is(piece[i + 1], "UNIQUE") && !is(piece[i + 1], "REFERENCES")) {
        name.clear();
      }
      continue;
    }
    std::size_t open = i + 1;
    if (is(piece[i], "CHECK") && open < piece.size() && piece[open] == "(") {
      text.checks.push_back({name, inside(piece, open), column});
      i = closing(piece, open) - 1;
      name.clear();
    } else if (is(piece[i], "AS") && open < piece.size() && piece[open] == "(") {
      text.generated.emplace_back(column, inside(piece, open));
      i = closing(piece, open) - 1;
    } else if ((is(piece[i], "PRIMARY") || is(piece[i], "UNIQUE")) && !name.empty()) {
      text.named.push_back({name, is(piece[i], "PRIMARY") ? "PRIMARY" : "UNIQUE", {column}});
      name.clear();
    } else if (is(piece[i], "REFERENCES")) {
      text.foreign_key_names.push_back(name);
      name.clear();
      text.deferred_foreign_keys.push_back(deferred(piece, i));
    }
  }
}

}  // namespace

std::string normalized_sqlite_sql(std::string_view sql) {
  Tokens t = tokens(sql);
  while (!t.empty() && t.back() == ";") {
    t.pop_back();
  }
  return joined(t.begin(), t.end());
}

std::string unquoted_sqlite_identifier(std::string_view token) {
  if (token.size() >= 2 && (token.front() == '"' || token.front() == '`' || token.front() == '[' ||
                            token.front() == '\'')) {
    char close = token.front() == '[' ? ']' : token.front();
    std::string out;
    for (std::size_t i = 1; i + 1 < token.size(); ++i) {
      out += token[i];
      if (close != ']' && token[i] == close) {
        ++i;  // a doubled quote
      }
    }
    return out;
  }
  return std::string(token);
}

SqliteTableText read_sqlite_table_text(std::string_view create_table) {
  SqliteTableText text;
  Tokens t = tokens(create_table);
  std::size_t open = find_token(t, "(");
  if (open == t.size()) {
    return text;  // CREATE TABLE … AS SELECT: nothing but columns
  }
  for (const Tokens& piece : list_items(t, open)) {
    if (piece.empty()) {
      continue;
    }
    std::size_t at = 0;
    std::string name;
    if (is(piece[0], "CONSTRAINT") && piece.size() > 2) {
      name = unquoted_sqlite_identifier(piece[1]);
      at = 2;
    }
    if (is(piece[at], "CHECK") || is(piece[at], "PRIMARY") || is(piece[at], "UNIQUE") ||
        is(piece[at], "FOREIGN")) {
      read_table_constraint(piece, at, name, text);
    } else {
      read_column(piece, text);
    }
  }
  return text;
}

SqliteIndexText read_sqlite_index_text(std::string_view create_index) {
  SqliteIndexText text;
  Tokens t = tokens(create_index);
  std::size_t on = find_token(t, "ON");
  std::size_t open = find_token(t, "(", on);
  if (open == t.size()) {
    return text;
  }
  for (const Tokens& item : list_items(t, open)) {
    text.terms.push_back(joined(item.begin(), item.end()));
  }
  std::size_t where = find_token(t, "WHERE", closing(t, open));
  if (where < t.size()) {
    std::size_t end = t.size();
    while (end > where + 1 && t[end - 1] == ";") {
      --end;
    }
    text.where = joined(t.begin() + static_cast<std::ptrdiff_t>(where + 1),
                        t.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return text;
}

}  // namespace migrate
