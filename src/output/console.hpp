#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace migrate {

enum class Verbosity { quiet, normal, verbose };

enum class Style { plain, good, warning, bad, dim, strong };

/// Where a tool's words go. Results (a created path, JSON, a script, what a read command
/// reports) always reach stdout; progress goes to stdout unless -q; notes and warnings to
/// stderr; errors always. Colour only when asked for (a terminal, no --no-color, no NO_COLOR).
/// Everything meant for people passes through terminal_text(): a title, an author or SQL can
/// never drive the terminal (a result written to a file or a pipe stays byte for byte).
class Console {
 public:
  Console(std::string tool, std::FILE* out, std::FILE* err, bool color, Verbosity verbosity);

  const std::string& tool() const { return m_tool; }
  Verbosity verbosity() const { return m_verbosity; }
  bool verbose() const { return m_verbosity == Verbosity::verbose; }

  /// Normal output (dropped with -q), with a line ending.
  template <typename... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) {
    if (m_verbosity != Verbosity::quiet) {
      line(fmt::format(format, std::forward<Args>(args)...));
    }
  }
  /// What a read command reports (current, history): lines for people, printed even with -q.
  template <typename... Args>
  void report(fmt::format_string<Args...> format, Args&&... args) {
    line(fmt::format(format, std::forward<Args>(args)...));
  }
  /// Only with -v.
  template <typename... Args>
  void detail(fmt::format_string<Args...> format, Args&&... args) {
    if (m_verbosity == Verbosity::verbose) {
      line(fmt::format(format, std::forward<Args>(args)...));
    }
  }
  /// Starts a line that a later call finishes (progress: "applying x ... 3 ms"). Notes and
  /// warnings that come while it is open wait until it ends, so they never split it.
  void begin_line(std::string_view text);
  void end_line(std::string_view text);

  /// Always printed, exactly as given (escaped only on a terminal).
  void result(std::string_view text);
  void note(std::string_view text);
  /// A note that must not wait for an open line to end (a wait for a lock, which may be long):
  /// the line is ended here, and whatever finishes it later (end_line) gets a line of its own.
  void note_now(std::string_view text);
  void warning(std::string_view text);
  void error(std::string_view text);

  /// The text in a style (ANSI colours when colour is on).
  std::string paint(std::string_view text, Style style) const;

  /// Whether a person can answer a question: stdin and stderr are both terminals.
  bool can_ask() const;
  /// Asks `question` on stderr with " [y/N] " and reads the answer from stdin: true for "y" or
  /// "yes" (any case), false for anything else, an empty line or the end of input.
  bool ask_yes_no(std::string_view question);

 private:
  void line(std::string_view text);
  void close_open_line();
  /// `text` as it may be written to a terminal.
  std::string shown(std::string_view text) const;
  /// Prints to stderr after whatever stdout holds, or later when a line is open.
  void to_err(std::string text);
  void print_waiting();

  std::string m_tool;
  std::FILE* m_out;
  std::FILE* m_err;
  bool m_color;
  bool m_out_terminal;  ///< stdout is a terminal: results are escaped too
  Verbosity m_verbosity;
  bool m_line_open = false;
  std::vector<std::string> m_waiting;  ///< stderr messages held while a line is open
};

}  // namespace migrate
