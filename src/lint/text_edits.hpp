#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

/// Changes to a text (a migration file, for --fix), each at byte offsets of the text as it was
/// read whatever the others insert or remove before it, made all at once by applied().
class TextEdits {
 public:
  explicit TextEdits(std::string_view text) : m_text(text), m_erased(text.size(), false) {}

  /// `insert` before the byte at `at` (after the earlier inserts there).
  void insert(std::size_t at, std::string insert);
  /// The `length` bytes at `at` become `insert`.
  void replace(std::size_t at, std::size_t length, std::string insert);
  /// Removes a statement (its `length` bytes at `at`) and the semicolon after it, if any. A
  /// line left with nothing but white space by what is removed (this statement, others that
  /// shared the line) goes whole, its line ending with it.
  void erase_statement(std::size_t at, std::size_t length);

  std::string applied() const;

 private:
  struct Insert {
    std::size_t at;
    std::string text;
  };

  std::string_view m_text;
  std::vector<bool> m_erased;     ///< by byte of m_text
  std::vector<Insert> m_inserts;  ///< in the order made
};

}  // namespace migrate
