#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/pg_node.hpp"

namespace migrate {

/// A qualified name as libpg_query lists it (`[String…]`: a domain's, a type's, a dropped
/// table's) written with dots: `app.order_status`.
std::string qualified_name(const std::vector<PgNode>& names);

/// Its last part, the object's own name without its schema; empty for an empty list.
std::string_view last_name(const std::vector<PgNode>& names);

}  // namespace migrate
