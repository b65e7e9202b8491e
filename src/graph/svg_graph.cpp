#include "graph/svg_graph.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "graph/graph_layout.hpp"
#include "graph/graph_marks.hpp"
#include "graph/revision_graph.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

// Geometry, in pixels.
constexpr int kLane = 16;      // between two lanes
constexpr int kRow = 24;       // between two rows
constexpr int kRadius = 5;     // of a node
constexpr int kBracket = 10;   // per column of squash brackets in the left margin
constexpr int kTop = 48;       // the first row's centre: below the legend
constexpr int kCharWidth = 7;  // a generous estimate for 12px text, to size the canvas
constexpr std::size_t kMaxTitle = 72;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

using Buffer = fmt::memory_buffer;

/// A squashed range: the squash, what it replaces, the rows those span, and its bracket column.
struct Squash {
  std::size_t migration;
  std::vector<std::size_t> replaced;
  std::size_t first_row;
  std::size_t last_row;
  std::size_t column = 0;
};

/// The squashed ranges, each with a bracket column so that overlapping ranges do not share one.
std::vector<Squash> squashes(const RevisionGraph& graph, const GraphLayout& layout,
                             std::size_t& columns) {
  std::vector<Squash> found;
  for (std::size_t m = 0; m < graph.size(); ++m) {
    std::vector<std::size_t> replaced = replaced_by_squash(graph, m);
    if (replaced.empty()) {
      continue;
    }
    std::size_t row = layout.row_of[replaced.front()];
    Squash squash{m, std::move(replaced), row, row};
    for (std::size_t r : squash.replaced) {
      squash.first_row = std::min(squash.first_row, layout.row_of[r]);
      squash.last_row = std::max(squash.last_row, layout.row_of[r]);
    }
    found.push_back(std::move(squash));
  }
  std::sort(found.begin(), found.end(),
            [](const Squash& a, const Squash& b) { return a.first_row < b.first_row; });
  std::vector<std::size_t> column_end;  // per column: the last row taken
  for (Squash& squash : found) {
    std::size_t c = 0;
    while (c < column_end.size() && column_end[c] >= squash.first_row) {
      ++c;
    }
    if (c == column_end.size()) {
      column_end.push_back(0);
    }
    column_end[c] = squash.last_row;
    squash.column = c;
  }
  columns = column_end.size();
  return found;
}

/// A state word as a CSS class name: only [a-z0-9-].
std::string css_word(std::string_view word) {
  std::string out;
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out += ok ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '-';
  }
  return out;
}

/// Draws a node's shape centred at (x, y): a square for a squash, a diamond for a merge, else a
/// circle; heads get a ring around it.
void shape(Buffer& out, const NodeMarks& marks, int x, int y) {
  if (marks.squash) {
    fmt::format_to(std::back_inserter(out),
                   "<rect class=\"shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                   x - kRadius, y - kRadius, 2 * kRadius, 2 * kRadius);
  } else if (marks.merge) {
    int d = kRadius + 1;
    fmt::format_to(std::back_inserter(out),
                   "<polygon class=\"shape\" points=\"{},{} {},{} {},{} {},{}\"/>", x, y - d, x + d,
                   y, x, y + d, x - d, y);
  } else {
    fmt::format_to(std::back_inserter(out),
                   "<circle class=\"shape\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>", x, y, kRadius);
  }
  if (marks.head) {
    fmt::format_to(std::back_inserter(out), "<circle class=\"ring\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                   x, y, kRadius + 4);
  }
  if (marks.repeatable) {
    fmt::format_to(std::back_inserter(out),
                   "<circle class=\"cycle\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>", x, y, kRadius + 3);
  }
}

/// The legend row: what the colours and shapes mean, for those the drawing uses.
void legend(Buffer& out, const RevisionGraph& graph, const GraphStates& states,
            const LegendItems& items, int& right) {
  std::string caption = fmt::format("{} migration{}{}, newest first; {}", graph.size(),
                                    graph.size() == 1 ? "" : "s", repeatables_count(graph),
                                    states.known() ? fmt::format("states in {}", states.database)
                                                   : std::string("no database states"));
  int x = 12;
  int y = 18;
  fmt::format_to(std::back_inserter(out), "<g class=\"legend\"><text x=\"{}\" y=\"{}\">{}</text>",
                 x, y + 4, xml_escape(caption));
  x += static_cast<int>(caption.size()) * kCharWidth + 16;
  auto item = [&](std::string_view classes, NodeMarks marks, std::string_view label) {
    fmt::format_to(std::back_inserter(out), "<g class=\"{}\">", classes);
    shape(out, marks, x + kRadius, y);
    fmt::format_to(std::back_inserter(out), "<text x=\"{}\" y=\"{}\">{}</text></g>",
                   x + 2 * kRadius + 6, y + 4, xml_escape(label));
    x += 2 * kRadius + 6 + static_cast<int>(label.size()) * kCharWidth + 14;
  };
  for (const std::string& word : items.states) {
    item(fmt::format("state-{}", css_word(word)), {}, word);
  }
  const NodeMarks& any = items.marks;
  if (any.head) {
    item("head", {.head = true}, "head");
  }
  if (any.merge) {
    item("merge", {.merge = true}, "merge");
  }
  if (any.squash) {
    item("squash", {.squash = true}, "squash");
  }
  if (any.replaced) {
    item("replaced", {.replaced = true}, "replaced by a squash");
  }
  if (any.repeatable) {
    item("repeatable", {.repeatable = true}, "repeatable: runs after them when changed");
  }
  out.append(std::string_view("</g>\n"));
  right = x;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// Decodes one UTF-8 character at `text[i]`, advancing `i`; U+FFFD for an invalid sequence.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  constexpr char32_t kReplacement = 0xFFFD;
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80           ? 1
                       : (lead >> 5) == 0x6  ? 2
                       : (lead >> 4) == 0xE  ? 3
                       : (lead >> 3) == 0x1E ? 4
                                             : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return kReplacement;
  }
  char32_t c = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  i += length;
  if (c < kMinimum[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    return kReplacement;  // overlong, out of range, or a surrogate
  }
  return c;
}

/// Draws Flyway repeatable `r` (an index into RevisionGraph::repeatables) at (x, y), its label
/// at text_x; returns the label's length in characters.
std::size_t draw_repeatable(Buffer& out, const Migration& repeatable, const GraphStates& states,
                            std::size_t r, int x, int text_x, int y) {
  std::string classes = "node repeatable";
  std::string state;
  if (r < states.repeatable_words.size()) {
    state = states.repeatable_words[r];
    classes += " state-" + css_word(state);
  }
  std::string badge = state == "pending" ? "repeatable, runs at the next upgrade" : "repeatable";
  std::string title = first_line_shortened(repeatable.title(), kMaxTitle);
  fmt::format_to(
      std::back_inserter(out), "<g id=\"m{}\" class=\"{}\"><title>{}: {} ({}{}{})</title>",
      xml_escape(repeatable.stem()), classes, xml_escape(repeatable.stem()),
      xml_escape(repeatable.title()), xml_escape(state), state.empty() ? "" : ", ", "repeatable");
  shape(out, {.repeatable = true}, x, y);
  fmt::format_to(std::back_inserter(out),
                 "<text x=\"{}\" y=\"{}\"><tspan class=\"id\">{}</tspan><tspan dx=\"10\">{}</tspan>"
                 "<tspan class=\"badge\" dx=\"10\">{}</tspan></text></g>\n",
                 text_x, y + 4, xml_escape(repeatable.stem()), xml_escape(title), badge);
  return repeatable.stem().size() + title.size() + badge.size() + 4;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  auto plain = [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x80 && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
  };
  if (std::all_of(text.begin(), text.end(), plain)) {
    return std::string(text);  // most ids and titles: nothing to do
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows tab, line feed, carriage return and nothing else below U+0020, and
        // neither U+FFFE nor U+FFFF.
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
          c = 0xFFFD;
        }
        append_utf8(out, c);
    }
  }
  return out;
}

std::string draw_svg_graph(const RevisionGraph& graph, const GraphLayout& layout,
                           const GraphStates& states) {
  const std::size_t n = graph.size();
  std::size_t bracket_columns = 0;
  std::vector<Squash> squashed = squashes(graph, layout, bracket_columns);
  std::vector<std::size_t> replaced_by(n, kNone);
  for (const Squash& squash : squashed) {
    for (std::size_t r : squash.replaced) {
      replaced_by[r] = squash.migration;
    }
  }

  const int left = 12 + static_cast<int>(bracket_columns) * kBracket + kRadius + 4;
  auto x_of = [&](std::size_t lane) { return left + static_cast<int>(lane) * kLane; };
  // Flyway's repeatables run after every migration: rows of their own above the newest.
  const std::vector<Migration>& repeatables = graph.repeatables();
  auto y_of = [&](std::size_t row) {
    return kTop + static_cast<int>(row + repeatables.size()) * kRow;
  };
  const int text_x = x_of(std::max<std::size_t>(layout.width, 1) - 1) + kRadius + 12;

  Buffer body;
  auto out = std::back_inserter(body);
  int right = 0;
  LegendItems items = legend_items(graph, states);
  legend(body, graph, states, items, right);

  // Squash brackets, then edges, then nodes on top.
  for (const Squash& squash : squashed) {
    int x = 8 + static_cast<int>(squash.column) * kBracket;
    fmt::format_to(out,
                   "<path class=\"bracket\" d=\"M{} {}H{}V{}H{}\"><title>{} replaces {} "
                   "migration{}</title></path>\n",
                   x + 6, y_of(squash.first_row) - kRadius - 2, x,
                   y_of(squash.last_row) + kRadius + 2, x + 6,
                   xml_escape(graph.at(squash.migration).stem()), squash.replaced.size(),
                   squash.replaced.size() == 1 ? "" : "s");
  }
  body.append(std::string_view("<g class=\"edges\">\n"));
  for (const LayoutEdge& edge : layout.edges) {
    fmt::format_to(out, "<path class=\"edge\" data-child=\"m{}\" data-parent=\"m{}\" d=\"",
                   xml_escape(graph.at(edge.child).id.text()),
                   xml_escape(graph.at(edge.parent).id.text()));
    const LanePoint* previous = nullptr;
    for (const LanePoint& point : edge.route) {
      int x = x_of(point.lane);
      int y = y_of(point.row);
      if (!previous) {
        fmt::format_to(out, "M{} {}", x, y);
      } else if (previous->lane == point.lane) {
        fmt::format_to(out, "V{}", y);
      } else {  // one gap down: a smooth step from one lane to the other
        fmt::format_to(out, "C{} {} {} {} {} {}", x_of(previous->lane),
                       y_of(previous->row) + kRow / 2, x, y - kRow / 2, x, y);
      }
      previous = &point;
    }
    body.append(std::string_view("\"/>\n"));
  }
  body.append(std::string_view("</g>\n<g class=\"nodes\">\n"));
  std::size_t widest = 0;
  for (std::size_t row = 0; row < layout.rows.size(); ++row) {
    std::size_t m = layout.rows[row].migration;
    const Migration& migration = graph.at(m);
    NodeMarks marks = node_marks(graph, m);
    std::string classes = "node";
    std::vector<std::string> notes;  // in the tooltip; all but the usual states also visible
    if (states.known()) {
      classes += " state-" + css_word(states.words[m]);
      notes.push_back(states.words[m]);
    }
    bool usual_state = !notes.empty() && (notes[0] == "applied" || notes[0] == "pending");
    if (marks.head) {
      classes += " head";
      notes.emplace_back("head");
    }
    if (marks.merge) {
      classes += " merge";
      notes.emplace_back("merge");
    }
    if (marks.squash) {
      classes += " squash";
      notes.emplace_back("squash");
    }
    if (marks.replaced) {
      classes += " replaced";
      notes.push_back(replaced_by[m] == kNone
                          ? std::string("replaced")
                          : fmt::format("replaced by {}", graph.at(replaced_by[m]).id.text()));
    }
    std::string id = migration.id.text();
    std::string title = first_line_shortened(migration.title(), kMaxTitle);
    std::string tip = notes.empty() ? std::string() : fmt::format("{}", fmt::join(notes, ", "));
    std::string badge =
        fmt::format("{}", fmt::join(notes.begin() + (usual_state ? 1 : 0), notes.end(), ", "));
    int x = x_of(layout.rows[row].lane);
    int y = y_of(row);
    fmt::format_to(out, "<g id=\"m{}\" class=\"{}\"><title>{}: {}{}{}{}</title>", xml_escape(id),
                   classes, xml_escape(migration.stem()), xml_escape(migration.title()),
                   tip.empty() ? "" : " (", xml_escape(tip), tip.empty() ? "" : ")");
    shape(body, marks, x, y);
    fmt::format_to(
        out, "<text x=\"{}\" y=\"{}\"><tspan class=\"id\">{}</tspan><tspan dx=\"10\">{}</tspan>",
        text_x, y + 4, xml_escape(id), xml_escape(title));
    if (!badge.empty()) {
      fmt::format_to(out, "<tspan class=\"badge\" dx=\"10\">{}</tspan>", xml_escape(badge));
    }
    body.append(std::string_view("</text></g>\n"));
    widest = std::max(widest, id.size() + title.size() + badge.size() + 4);
  }
  for (std::size_t r = 0; r < repeatables.size(); ++r) {
    widest = std::max(widest,
                      draw_repeatable(body, repeatables[r], states, r, x_of(0), text_x,
                                      kTop + static_cast<int>(repeatables.size() - 1 - r) * kRow));
  }
  body.append(std::string_view("</g>\n"));
  if (n == 0 && repeatables.empty()) {
    fmt::format_to(out, "<text x=\"12\" y=\"{}\">no migrations</text>\n", kTop + 4);
  }

  int width = std::max(right, text_x + static_cast<int>(widest) * kCharWidth) + 16;
  int height =
      n == 0 && !repeatables.empty() ? y_of(0) : y_of(std::max<std::size_t>(n, 1) - 1) + kRow;
  std::string style = fmt::format(
      "text{{font-family:sans-serif;font-size:12px;fill:#212121}}"
      ".id{{font-family:monospace;font-weight:bold}}"
      ".badge{{fill:#757575;font-size:10px}}"
      ".edge{{fill:none;stroke:#90a4ae;stroke-width:1.5}}"
      ".shape{{fill:#fff;stroke:#37474f;stroke-width:1.5}}"
      ".ring{{fill:none;stroke:#37474f;stroke-width:1}}"
      ".cycle{{fill:none;stroke:#37474f;stroke-width:1;stroke-dasharray:3 2}}"
      ".replaced .shape{{stroke-dasharray:2 2}}"
      ".replaced text{{fill:#9e9e9e}}"
      ".bracket{{fill:none;stroke:#9e9e9e;stroke-width:1.5;stroke-dasharray:4 2}}");
  for (const std::string& word : items.states) {
    style += fmt::format(".state-{} .shape{{fill:{}}}", css_word(word), state_colour(word));
  }
  std::string document = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\">\n<title>Migrations</title>\n<style>{2}</style>\n",
      width, height, style);
  document.append(body.data(), body.size());
  document += "</svg>\n";
  return document;
}

}  // namespace migrate
