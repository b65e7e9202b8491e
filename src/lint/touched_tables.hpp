#pragma once

#include <set>
#include <string>
#include <string_view>

namespace migrate {

/// The tables a piece of SQL names after CREATE/ALTER/DROP TABLE, CREATE INDEX … ON, INSERT
/// INTO, UPDATE, DELETE FROM, TRUNCATE and REFERENCES: lower-cased, without schema or quotes.
/// A cheap textual look, not a parse: enough to warn that two branches change the same table.
std::set<std::string> touched_tables(std::string_view sql);

}  // namespace migrate
