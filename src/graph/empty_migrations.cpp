#include "graph/empty_migrations.hpp"

#include "graph/revision_graph.hpp"

namespace migrate {

std::vector<std::size_t> empty_migrations(const RevisionGraph& graph,
                                          std::span<const std::size_t> candidates) {
  std::vector<std::size_t> empty;
  for (std::size_t m : candidates) {
    if (graph.at(m).up.blank() && graph.parents(m).size() < 2 && graph.replaces(m).empty()) {
      empty.push_back(m);
    }
  }
  return empty;
}

}  // namespace migrate
