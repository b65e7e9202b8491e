#pragma once

#include <string_view>

#include "lint/rule_family.hpp"

namespace migrate {

/// Index operations that block writes (or reads) while they run, and how to do them
/// concurrently: CREATE/DROP INDEX, REINDEX, DETACH PARTITION, the PostgreSQL 14.0-14.3
/// CONCURRENTLY bug, wide non-unique indexes.
const RuleFamily& index_rules();

/// How require-concurrent-index-creation's finding begins for a partitioned table, for which
/// PostgreSQL has no CONCURRENTLY (--fix leaves those).
inline constexpr std::string_view kPartitionedIndex = "CREATE INDEX on partitioned table ";

}  // namespace migrate
