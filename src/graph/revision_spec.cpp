#include "graph/revision_spec.hpp"

#include <charconv>

#include <fmt/format.h>

#include "graph/revision_graph.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace migrate {

namespace {

constexpr std::size_t kListed = 5;

int parse_count(std::string_view digits, std::string_view spec) {
  int value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (!is_digits(digits) || error != std::errc() || end != digits.data() + digits.size()) {
    throw UsageError(fmt::format("revision '{}': '{}' is not a count", spec, digits));
  }
  return value;
}

std::string stems(const RevisionGraph& graph, const std::vector<std::size_t>& indexes) {
  return shortened_list(indexes.size(), kListed,
                        [&](std::size_t i) { return graph.at(indexes[i]).stem(); });
}

[[noreturn]] void unknown(std::string_view ref) {
  throw GraphError(fmt::format(
      "unknown revision '{}': no migration has that id, id prefix or file stem (migrate-history "
      "lists them). Other revisions: head, heads, base, -N, +N, <id>~N, head~N",
      ref));
}

/// The single head (none for an empty set); several are an error naming them.
std::vector<std::size_t> the_head(const RevisionGraph& graph) {
  std::vector<std::size_t> heads = graph.heads();
  if (heads.size() > 1) {
    throw GraphError(fmt::format(
        "there are {} heads: {}. Name one of them, use 'heads' for all, or join them with "
        "migrate-merge",
        heads.size(), stems(graph, heads)));
  }
  return heads;
}

/// The one migration whose id starts with `ref`: a prefix of digits (2026 for 202611211423),
/// or of a name-ordered folder's stem (0002 for 0002_index_a). One with a dot stops at whole
/// version parts: 1.1 is a prefix of 1.1.3, not of 1.10.
std::size_t by_prefix(const RevisionGraph& graph, std::string_view ref) {
  const bool dotted = ref.find('.') != std::string_view::npos;
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    std::string_view text = graph.at(i).id.text();
    if (text.starts_with(ref) &&
        (!dotted || text.size() == ref.size() || text[ref.size()] == '.')) {
      matches.push_back(i);
    }
  }
  if (matches.empty()) {
    unknown(ref);
  }
  if (matches.size() > 1) {
    throw GraphError(fmt::format(
        "revision '{}' is ambiguous: it starts {}. Write more digits, or the whole file stem", ref,
        stems(graph, matches)));
  }
  return matches.front();
}

}  // namespace

RevisionSpec parse_revision_spec(std::string_view text) {
  RevisionSpec spec;
  spec.text = std::string(text);
  std::string_view trimmed = trim(text);
  if (trimmed.empty()) {
    throw UsageError("an empty revision: give an id, a file stem, head, heads, base, -N or +N");
  }
  if (trimmed == "head") {
    spec.kind = RevisionSpec::Kind::head;
  } else if (trimmed == "heads") {
    spec.kind = RevisionSpec::Kind::heads;
  } else if (trimmed == "base") {
    spec.kind = RevisionSpec::Kind::base;
  } else if ((trimmed.front() == '-' || trimmed.front() == '+') && is_digits(trimmed.substr(1))) {
    spec.kind = RevisionSpec::Kind::relative;
    spec.steps = parse_count(trimmed.substr(1), text) * (trimmed.front() == '-' ? -1 : 1);
  } else {
    spec.kind = RevisionSpec::Kind::ref;
    std::size_t tilde = trimmed.find('~');
    spec.ref = std::string(trimmed.substr(0, tilde));
    if (tilde != std::string_view::npos) {
      std::string_view count = trimmed.substr(tilde + 1);
      spec.steps = count.empty() ? 1 : parse_count(count, text);
    }
    if (spec.ref.empty()) {
      throw UsageError(fmt::format("revision '{}' has nothing before '~'", text));
    }
  }
  return spec;
}

std::size_t resolve_ref(const RevisionGraph& graph, std::string_view ref) {
  if (!graph.empty() && graph.at(0).format == MigrationFormat::stem) {  // ids: whole stems
    std::optional<std::size_t> exact = graph.find(MigrationId::from_row(ref));
    return exact ? *exact : by_prefix(graph, ref);
  }
  std::size_t digits = 0;  // and dots: a Flyway version (1.1)
  while (digits < ref.size() &&
         ((ref[digits] >= '0' && ref[digits] <= '9') || (digits > 0 && ref[digits] == '.'))) {
    ++digits;
  }
  std::optional<MigrationId> id = MigrationId::from_text(ref.substr(0, digits));
  if (!id) {  // a stem that does not start with its id: Flyway's (V1.1__init)
    for (std::size_t i = 0; i < graph.size(); ++i) {
      if (graph.at(i).stem() == ref) {
        return i;
      }
    }
    if (std::optional<std::size_t> named = graph.find(MigrationId::from_name(ref))) {
      return *named;  // an id that is a name: a Flyway baseline's B5
    }
    unknown(ref);
  }
  if (digits < ref.size()) {  // a file stem: the id must exist and the slug match
    std::optional<std::size_t> found = graph.find(*id);
    if (found && graph.at(*found).stem() == ref) {
      return *found;
    }
    // Else a Flyway version written as its file name has it: 1_2 is 1.2.
    std::optional<MigrationId> version = MigrationId::from_text(ref);
    std::optional<std::size_t> versioned = version ? graph.find(*version) : std::nullopt;
    if (!versioned) {
      unknown(ref);
    }
    return *versioned;
  }
  if (std::optional<std::size_t> exact = graph.find(*id)) {
    return *exact;
  }
  return by_prefix(graph, ref);
}

std::vector<std::size_t> resolve_revision(const RevisionGraph& graph, const RevisionSpec& spec) {
  switch (spec.kind) {
    case RevisionSpec::Kind::base:
      return {};
    case RevisionSpec::Kind::heads:
      return graph.heads();
    case RevisionSpec::Kind::head:
      return the_head(graph);
    case RevisionSpec::Kind::relative:
      throw UsageError(fmt::format("'{}' is relative to the database's state here", spec.text));
    case RevisionSpec::Kind::ref:
      break;
  }
  std::size_t node;
  if (spec.ref == "head") {  // head~N
    std::vector<std::size_t> head = the_head(graph);
    if (head.empty()) {
      throw GraphError(fmt::format("revision '{}': there are no migrations", spec.text));
    }
    node = head.front();
  } else {
    node = resolve_ref(graph, spec.ref);
  }
  for (int step = 0; step < spec.steps; ++step) {
    if (graph.parents(node).empty()) {
      throw GraphError(fmt::format("revision '{}' goes past the first migration ({} has no parent)",
                                   spec.text, graph.at(node).stem()));
    }
    node = graph.parents(node).front();  // the first parent, as git's ~N
  }
  return {node};
}

}  // namespace migrate
