#include "lint/text_edits.hpp"

#include <algorithm>

namespace migrate {

void TextEdits::insert(std::size_t at, std::string insert) {
  m_inserts.push_back({at, std::move(insert)});
}

void TextEdits::replace(std::size_t at, std::size_t length, std::string insert) {
  std::fill_n(m_erased.begin() + static_cast<std::ptrdiff_t>(at), length, true);
  m_inserts.push_back({at, std::move(insert)});
}

void TextEdits::erase_statement(std::size_t at, std::size_t length) {
  std::size_t end = at + length;
  std::size_t semicolon = m_text.find_first_not_of(" \t\r\n", end);
  if (semicolon != std::string_view::npos && m_text[semicolon] == ';') {
    end = semicolon + 1;
  }
  std::fill(m_erased.begin() + static_cast<std::ptrdiff_t>(at),
            m_erased.begin() + static_cast<std::ptrdiff_t>(end), true);
}

std::string TextEdits::applied() const {
  std::vector<bool> erased = m_erased;
  // A line a removed statement touches and leaves blank goes whole.
  for (std::size_t start = 0; start < m_text.size();) {
    std::size_t newline = m_text.find('\n', start);
    std::size_t end = newline == std::string_view::npos ? m_text.size() : newline + 1;
    bool touched = false;
    bool left = false;  // something but white space stays
    for (std::size_t i = start; i < end; ++i) {
      bool blank = m_text[i] == ' ' || m_text[i] == '\t' || m_text[i] == '\r' || m_text[i] == '\n';
      touched = touched || erased[i];
      left = left || (!erased[i] && !blank);
    }
    if (touched && !left) {
      std::fill(erased.begin() + static_cast<std::ptrdiff_t>(start),
                erased.begin() + static_cast<std::ptrdiff_t>(end), true);
    }
    start = end;
  }
  std::vector<Insert> inserts = m_inserts;
  std::stable_sort(inserts.begin(), inserts.end(),
                   [](const Insert& a, const Insert& b) { return a.at < b.at; });
  std::string out;
  out.reserve(m_text.size());
  auto next = inserts.begin();
  for (std::size_t i = 0; i <= m_text.size(); ++i) {
    for (; next != inserts.end() && next->at == i; ++next) {
      out += next->text;
    }
    if (i < m_text.size() && !erased[i]) {
      out += m_text[i];
    }
  }
  return out;
}

}  // namespace migrate
