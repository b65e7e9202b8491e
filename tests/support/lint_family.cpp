#include "support/lint_family.hpp"

#include <algorithm>

namespace migrate::test {

std::vector<Finding> only_family(std::vector<Finding> findings, const RuleFamily& family) {
  std::erase_if(findings, [&](const Finding& finding) {
    return std::ranges::none_of(family.rules,
                                [&](const RuleInfo& rule) { return &rule == finding.rule; });
  });
  return findings;
}

}  // namespace migrate::test
