#include "lint/table_size.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>

namespace migrate {

void lower_for_small_tables(std::vector<Finding>& findings, const TableRows& rows,
                            long small_table) {
  std::map<std::pair<std::string, std::string>, std::optional<double>> known;
  for (Finding& finding : findings) {
    if (finding.table.empty()) {
      continue;
    }
    auto key = std::make_pair(finding.table_schema, finding.table);
    auto it = known.find(key);
    if (it == known.end()) {
      it = known.emplace(key, rows(finding)).first;
    }
    const std::optional<double>& estimate = it->second;
    if (!estimate || *estimate < 0 || *estimate >= static_cast<double>(small_table)) {
      continue;
    }
    finding.severity = Severity::note;
    finding.detail += fmt::format(
        " (a note: {} has about {:.0f} rows by pg_class.reltuples, under lint-small-table = {})",
        finding.table, *estimate, small_table);
  }
}

}  // namespace migrate
