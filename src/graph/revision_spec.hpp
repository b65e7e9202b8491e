#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

class RevisionGraph;

/// A revision specifier as the user wrote it (DESIGN.md, "Revisions and the graph").
struct RevisionSpec {
  enum class Kind {
    head,      ///< the single head; an error when there are several
    heads,     ///< every head
    base,      ///< before everything
    relative,  ///< -N / +N from the database's current state
    ref,       ///< an id, a unique id prefix, a file stem or `head`, with ~N (N parents up)
  };
  Kind kind = Kind::head;
  int steps = 0;     ///< relative: -N or +N; ref: N of "~N"
  std::string ref;   ///< ref: the part before "~"
  std::string text;  ///< as written, for messages
};

/// Reads a specifier; throws UsageError for an empty or malformed one.
RevisionSpec parse_revision_spec(std::string_view text);

/// The heads of the state that an absolute specifier names (empty for base). Throws GraphError
/// for unknown or ambiguous revisions and for `head` when there are several heads.
std::vector<std::size_t> resolve_revision(const RevisionGraph& graph, const RevisionSpec& spec);

/// Finds one migration from an id, a unique id prefix or a file stem; throws GraphError.
std::size_t resolve_ref(const RevisionGraph& graph, std::string_view ref);

}  // namespace migrate
