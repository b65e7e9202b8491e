#include "migration/goose_envsub.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace migrate {

namespace {

bool letter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

bool name_char(char c) {
  return letter(c) || (c >= '0' && c <= '9') || c == '_';
}

/// A recursive-descent expander over one line, as mfridman/interpolate's parser reads it.
class Expander {
 public:
  Expander(std::string_view text, const VariableLookup& lookup) : m_text(text), m_lookup(lookup) {}

  /// Text up to the end, or up to (not past) `stop` inside a `${…}` word.
  std::string expression(char stop = '\0') {
    std::string out;
    while (m_at < m_text.size()) {
      char c = m_text[m_at];
      if (stop != '\0' && c == stop) {
        break;
      }
      std::string_view rest = m_text.substr(m_at);
      if (rest.starts_with("\\$") || rest.starts_with("$$")) {
        out += '$';
        m_at += 2;
        continue;
      }
      if (c == '$' && m_at + 1 < m_text.size() && m_text[m_at + 1] != '(') {
        out += expansion();
        continue;
      }
      if (c == '$') {  // `$(` or a `$` ending the line: kept
        out += "$";
        ++m_at;
        continue;
      }
      out += c;
      ++m_at;
    }
    return out;
  }

  bool at_end() const { return m_at >= m_text.size(); }

 private:
  std::string expansion() {
    ++m_at;  // '$'
    if (m_text[m_at] != '{') {
      return value(name()).value_or("");
    }
    ++m_at;
    std::string variable = name();
    char op = next("a '}' or an operator (:-, -, ?, :)");
    if (op == '}') {
      return value(variable).value_or("");
    }
    std::optional<std::string> set = value(variable);
    if (op == ':' && peek() == '-') {
      ++m_at;
      std::string word = closed_word();
      return set && !set->empty() ? *set : word;
    }
    if (op == '-') {
      std::string word = closed_word();
      return set ? *set : word;
    }
    if (op == '?') {
      std::string message = closed_word();
      if (!set) {
        throw EnvsubError(fmt::format("${}: {}", variable, message.empty() ? "not set" : message));
      }
      return *set;
    }
    if (op == ':') {
      return substring(set.value_or(""));
    }
    throw EnvsubError(fmt::format("expected an operator after ${{{}, got '{}'", variable, op));
  }

  /// `${VAR:offset}` / `${VAR:offset:length}`, after the first ':'.
  std::string substring(const std::string& value) {
    long long from = number();
    std::optional<long long> length;
    if (next("'}'") == ':') {  // number() stopped at ':' or '}'
      length = number();
      if (next("'}'") != '}') {
        throw EnvsubError("expected '}' after the substring's length");
      }
    }
    long long size = static_cast<long long>(value.size());
    from = from < 0 ? std::max(0LL, from + size) : std::min(from, size);
    if (!length) {
      return value.substr(static_cast<std::size_t>(from));
    }
    long long to = *length >= 0 ? from + *length : *length + size;
    to = std::clamp(to, from, size);
    return value.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
  }

  long long number() {
    std::size_t end = m_text.find_first_of(":}", m_at);
    std::string_view digits = m_text.substr(m_at, end == std::string_view::npos ? end : end - m_at);
    long long value = 0;
    auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
      throw EnvsubError(
          fmt::format("'{}' is not a number (a substring's offset or length)", digits));
    }
    m_at += digits.size();
    return value;
  }

  /// The word of `${VAR:-word}`, `${VAR-word}`, `${VAR?msg}`, and its closing brace.
  std::string closed_word() {
    std::string word = expression('}');
    if (at_end()) {
      throw EnvsubError("'${' without a closing '}'");
    }
    ++m_at;
    return word;
  }

  std::string name() {
    if (at_end() || !letter(m_text[m_at])) {
      throw EnvsubError(
          fmt::format("expected a variable name starting with a letter after '$', "
                      "got '{}'",
                      at_end() ? std::string("end of line") : std::string(1, m_text[m_at])));
    }
    std::size_t start = m_at;
    while (m_at < m_text.size() && name_char(m_text[m_at])) {
      ++m_at;
    }
    return std::string(m_text.substr(start, m_at - start));
  }

  char peek() const { return at_end() ? '\0' : m_text[m_at]; }

  char next(std::string_view expected) {
    if (at_end()) {
      throw EnvsubError(fmt::format("'${{' without a closing '}}' (expected {})", expected));
    }
    return m_text[m_at++];
  }

  std::optional<std::string> value(const std::string& name) const { return m_lookup(name); }

  std::string_view m_text;
  const VariableLookup& m_lookup;
  std::size_t m_at = 0;
};

}  // namespace

std::string expand_goose_line(std::string_view line, const VariableLookup& lookup) {
  Expander expander(line, lookup);
  return expander.expression();
}

}  // namespace migrate
