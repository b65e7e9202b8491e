// Revision specifiers (`head`, `heads`, `base`, `-2`, `+1`, an id, a unique id prefix, a file
// stem, `X~N`), read and resolved against a small graph: two branches, with or without the
// migration that merges them. Input: a byte choosing the graph, then the specifier.
//
// Properties: what resolves names migrations of the graph; a migration a reference finds is
// found again by its id and by its file stem; `X~N` is N parents up from `X`. Bad input is a
// UsageError or a GraphError, never another exception.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "migration/migration_parser.hpp"
#include "util/error.hpp"

using namespace migrate;
using fuzz::require;

namespace {

struct File {
  const char* name;
  const char* text;
};

constexpr File kFiles[] = {
    {"202601010000_create_users.sql", "-- migrate:up\nCREATE TABLE users (id int);\n"},
    {"202601020000_add_email.sql", "-- migrate:up\nALTER TABLE users ADD email text;\n"},
    {"202601030000_branch_a.sql",
     "-- depends: 202601020000\n-- migrate:up\nCREATE TABLE a (id int);\n"},
    {"202601030001_branch_b.sql",
     "-- depends: 202601020000_add_email\n-- migrate:up\nCREATE TABLE b (id int);\n"},
    {"202601040000_merge.sql", "-- depends: 202601030000, 202601030001\n-- migrate:up\n"},
};

/// The graph with its two heads, or merged into one.
RevisionGraph make_graph(bool merged) {
  std::vector<Migration> migrations;
  for (const File& file : kFiles) {
    if (!merged && std::string_view(file.name).starts_with("202601040000")) {
      continue;
    }
    std::filesystem::path path = std::filesystem::path("migrations") / file.name;
    migrations.push_back(parse_migration(*parse_file_name(path), path, file.text));
  }
  return RevisionGraph(std::move(migrations));
}

const RevisionGraph& graph(bool merged) {
  static const RevisionGraph two_heads = make_graph(false);
  static const RevisionGraph one_head = make_graph(true);
  return merged ? one_head : two_heads;
}

void check_found_again(const RevisionGraph& graph, std::size_t index) {
  require(index < graph.size(), "a reference resolved outside the graph");
  const Migration& found = graph.at(index);
  require(resolve_ref(graph, found.id.text()) == index, "its id finds another migration",
          found.id.text());
  require(resolve_ref(graph, found.stem()) == index, "its stem finds another migration",
          found.stem());
}

/// `X~N` resolves to a migration N parents up from what `X` alone resolves to.
void check_ancestry(const RevisionGraph& graph, const RevisionSpec& spec,
                    const std::vector<std::size_t>& heads) {
  RevisionSpec plain = spec;
  plain.steps = 0;
  std::vector<std::size_t> start = resolve_revision(graph, plain);
  require(start.size() == 1 && heads.size() == 1, "a ref with ~N is not one migration");
  std::vector<std::size_t> level = start;
  for (int step = 0; step < spec.steps; ++step) {
    std::vector<std::size_t> next;
    for (std::size_t index : level) {
      next.insert(next.end(), graph.parents(index).begin(), graph.parents(index).end());
    }
    level = next;
  }
  require(std::find(level.begin(), level.end(), heads.front()) != level.end(),
          "X~N is not N parents up from X", spec.text);
}

void resolve(const RevisionGraph& graph, std::string_view text) {
  RevisionSpec spec = parse_revision_spec(text);
  if (spec.kind == RevisionSpec::Kind::relative) {
    return;  // relative to a database's state: the planner's, not the graph's
  }
  std::vector<std::size_t> heads = resolve_revision(graph, spec);
  for (std::size_t index : heads) {
    check_found_again(graph, index);
  }
  if (spec.kind == RevisionSpec::Kind::base) {
    require(heads.empty(), "base names migrations");
  }
  if (spec.kind == RevisionSpec::Kind::ref && spec.steps > 0 && spec.steps < 8) {
    check_ancestry(graph, spec, heads);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput input(data, size);
  const RevisionGraph& chosen = graph(input.choose(2) == 1);
  try {
    resolve(chosen, input.rest());
  } catch (const InternalError& e) {
    require(false, "an InternalError", e.what());
  } catch (const UsageError&) {
  } catch (const GraphError&) {
  }
  return 0;
}
