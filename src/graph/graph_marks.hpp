#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_graph.hpp"

namespace migrate {

/// What a drawing of the graph says about the migrations beyond the graph itself: their states
/// in one database. Kept as words so the graph module needs nothing from plan/.
struct GraphStates {
  /// Per migration, its state in the database: a word of state_name() ("applied", "pending",
  /// "changed", …). Empty when no database was read: the drawing has no colours then.
  std::vector<std::string> words;
  /// The database they come from, redacted (for the drawing's title); empty without one.
  std::string database;
  /// Per Flyway repeatable (RevisionGraph::repeatables), the same: "applied", or "pending" when
  /// the next upgrade to head runs it.
  std::vector<std::string> repeatable_words;

  bool known() const { return !words.empty(); }
};

/// How a drawing marks one migration, from the graph alone.
struct NodeMarks {
  bool head = false;        ///< no migration depends on it
  bool merge = false;       ///< several parents
  bool squash = false;      ///< a squashed migration: it `replaces:` others
  bool replaced = false;    ///< a squashed migration replaces it
  bool repeatable = false;  ///< a Flyway repeatable: outside the graph, runs after it
};

/// The marks of migration `m` (a graph index).
inline NodeMarks node_marks(const RevisionGraph& graph, std::size_t m) {
  return {graph.children(m).empty() && !graph.replaced(m), graph.parents(m).size() > 1,
          !graph.at(m).replaces.empty(), graph.replaced(m)};
}

/// What a legend explains: the state words a drawing uses (applied and pending first, then the
/// others as they come), and the marks any migration has.
struct LegendItems {
  std::vector<std::string> states;
  NodeMarks marks;  ///< each true when some migration has that mark
};

inline LegendItems legend_items(const RevisionGraph& graph, const GraphStates& states) {
  LegendItems items;
  auto add = [&](const std::string& word) {
    if (std::find(items.states.begin(), items.states.end(), word) == items.states.end()) {
      items.states.push_back(word);
    }
  };
  auto used = [&](const char* word) {
    return std::find(states.words.begin(), states.words.end(), word) != states.words.end() ||
           std::find(states.repeatable_words.begin(), states.repeatable_words.end(), word) !=
               states.repeatable_words.end();
  };
  for (const char* word : {"applied", "pending"}) {
    if (used(word)) {
      add(word);
    }
  }
  for (const std::string& word : states.words) {
    add(word);
  }
  for (const std::string& word : states.repeatable_words) {
    add(word);
  }
  items.marks.repeatable = !graph.repeatables().empty();
  for (std::size_t m = 0; m < graph.size(); ++m) {
    NodeMarks marks = node_marks(graph, m);
    items.marks.head |= marks.head;
    items.marks.merge |= marks.merge;
    items.marks.squash |= marks.squash;
    items.marks.replaced |= marks.replaced;
  }
  return items;
}

/// " and N repeatable(s)" when the folder has Flyway repeatables, for a drawing's caption.
inline std::string repeatables_count(const RevisionGraph& graph) {
  std::size_t count = graph.repeatables().size();
  if (count == 0) {
    return std::string();
  }
  return " and " + std::to_string(count) + (count == 1 ? " repeatable" : " repeatables");
}

/// The migrations a squashed migration `replaces:`, as graph indexes, in the order written.
inline std::vector<std::size_t> replaced_by_squash(const RevisionGraph& graph, std::size_t m) {
  std::vector<std::size_t> replaced;
  for (const MigrationRef& ref : graph.at(m).replaces) {
    if (std::optional<std::size_t> found = graph.find(ref.id)) {
      replaced.push_back(*found);
    }
  }
  return replaced;
}

/// A colour (#rrggbb) for a state word: applied green, pending amber, changed and partial red,
/// anything else (replaced, a state added later) grey.
inline std::string_view state_colour(std::string_view word) {
  if (word == "applied") {
    return "#66bb6a";
  }
  if (word == "pending") {
    return "#ffca28";
  }
  if (word == "changed" || word == "partial") {
    return "#ef5350";
  }
  return "#bdbdbd";
}

}  // namespace migrate
