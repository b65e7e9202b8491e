#include "output/console.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#include <fmt/color.h>

#include "output/terminal_text.hpp"
#include "util/text.hpp"

namespace migrate {

Console::Console(std::string tool, std::FILE* out, std::FILE* err, bool color, Verbosity verbosity)
    : m_tool(std::move(tool)),
      m_out(out),
      m_err(err),
      m_color(color),
      m_out_terminal(::isatty(::fileno(out)) != 0),
      m_verbosity(verbosity) {}

std::string Console::shown(std::string_view text) const {
  return terminal_text(text, m_color);
}

void Console::close_open_line() {
  if (m_line_open) {
    fmt::print(m_out, "\n");
    m_line_open = false;
    print_waiting();
  }
}

void Console::to_err(std::string text) {
  text = shown(text);
  if (m_line_open) {
    m_waiting.push_back(std::move(text));
    return;
  }
  std::fflush(m_out);  // what came before on stdout shows before it, on a shared terminal
  fmt::print(m_err, "{}", text);
}

void Console::print_waiting() {
  std::fflush(m_out);
  for (const std::string& text : m_waiting) {
    fmt::print(m_err, "{}", text);
  }
  m_waiting.clear();
}

bool Console::can_ask() const {
  return ::isatty(STDIN_FILENO) != 0 && ::isatty(::fileno(m_err)) != 0;
}

bool Console::ask_yes_no(std::string_view question) {
  close_open_line();
  std::fflush(m_out);
  fmt::print(m_err, "{} [y/N] ", shown(question));
  std::fflush(m_err);
  std::string answer;
  for (int c = std::fgetc(stdin); c != EOF && c != '\n'; c = std::fgetc(stdin)) {
    answer += static_cast<char>(c);
  }
  answer = ascii_lower(trim(answer));
  return answer == "y" || answer == "yes";
}

void Console::line(std::string_view text) {
  close_open_line();
  fmt::print(m_out, "{}\n", shown(text));
}

void Console::begin_line(std::string_view text) {
  if (m_verbosity == Verbosity::quiet) {
    return;
  }
  close_open_line();
  fmt::print(m_out, "{}", shown(text));
  std::fflush(m_out);  // show what is running now, not when it is done
  m_line_open = m_verbosity != Verbosity::verbose;
  if (!m_line_open) {
    fmt::print(m_out, "\n");
  }
}

void Console::end_line(std::string_view text) {
  if (m_verbosity == Verbosity::quiet) {
    return;
  }
  if (m_line_open) {
    fmt::print(m_out, "{}\n", shown(text));
    m_line_open = false;
  } else {
    fmt::print(m_out, "    {}\n", shown(text));
  }
  print_waiting();
}

void Console::result(std::string_view text) {
  close_open_line();
  if (m_out_terminal) {
    fmt::print(m_out, "{}", shown(text));
  } else {
    fmt::print(m_out, "{}", text);
  }
  std::fflush(m_out);
}

void Console::note(std::string_view text) {
  if (m_verbosity == Verbosity::quiet) {
    return;
  }
  to_err(fmt::format("{}: {} {}\n", m_tool, paint("note:", Style::strong), text));
}

void Console::note_now(std::string_view text) {
  if (m_verbosity == Verbosity::quiet) {
    return;
  }
  close_open_line();
  note(text);
}

void Console::warning(std::string_view text) {
  to_err(fmt::format("{}: {} {}\n", m_tool, paint("warning:", Style::warning), text));
}

void Console::error(std::string_view text) {
  close_open_line();
  to_err(fmt::format("{}: {} {}\n", m_tool, paint("error:", Style::bad), text));
}

std::string Console::paint(std::string_view text, Style style) const {
  if (!m_color) {
    return std::string(text);
  }
  switch (style) {
    case Style::plain:
      return std::string(text);
    case Style::good:
      return fmt::format(fmt::fg(fmt::terminal_color::green), "{}", text);
    case Style::warning:
      return fmt::format(fmt::fg(fmt::terminal_color::yellow), "{}", text);
    case Style::bad:
      return fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "{}", text);
    case Style::dim:
      return fmt::format(fmt::emphasis::faint, "{}", text);
    case Style::strong:
      return fmt::format(fmt::emphasis::bold, "{}", text);
  }
  return std::string(text);
}

}  // namespace migrate
