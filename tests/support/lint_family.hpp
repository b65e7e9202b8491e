#pragma once

#include <vector>

#include "lint/finding.hpp"
#include "lint/rule_family.hpp"

namespace migrate::test {

/// The findings of `family`'s rules among `findings`: a family's tests stay about its rules
/// whatever other families say of the same statement.
std::vector<Finding> only_family(std::vector<Finding> findings, const RuleFamily& family);

}  // namespace migrate::test
