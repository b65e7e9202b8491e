#include "lint/rules_misc.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lint/pg_names.hpp"

namespace migrate {

namespace {

enum Rule : std::size_t {
  kCreateDomain,
  kAlterDomain,
  kTruncateCascade,
  kTooLong,
  kDuplicateColumn,
  kEnumOrdering,
};

constexpr std::array<RuleInfo, 6> kRules = {{
    {"ban-create-domain-with-constraint", Severity::warning, "a domain with a CHECK or NOT NULL",
     "A domain's constraint is checked against every column of every table that uses the "
     "domain: changing it later scans them all under lock, and there is no NOT VALID step for "
     "its columns as there is for a table's.",
     "Keep the domain bare and put the constraint on each table, where it can be added "
     "without blocking:\n"
     "CREATE DOMAIN email AS text;\n"
     "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email ~ '@') NOT VALID;\n"
     "-- then, in a later migration:\n"
     "ALTER TABLE users VALIDATE CONSTRAINT users_email_check;"},
    {"ban-alter-domain-with-add-constraint", Severity::warning, "adding a constraint to a domain",
     "PostgreSQL checks the new constraint against every column that uses the domain, in every "
     "table, and blocks writes to them while it reads them all.",
     "Constrain the tables' columns instead, NOT VALID first and validated after:\n"
     "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email ~ '@') NOT VALID;\n"
     "-- then, in a later migration:\n"
     "ALTER TABLE users VALIDATE CONSTRAINT users_email_check;"},
    {"ban-truncate-cascade", Severity::error, "TRUNCATE … CASCADE",
     "CASCADE also empties every table with a foreign key to the truncated ones, and the "
     "tables referencing those, without naming them: rows are lost from tables the migration "
     "never mentions.",
     "Name every table to empty, without CASCADE (PostgreSQL refuses if one is missing):\n"
     "TRUNCATE orders, order_items;"},
    {"identifier-too-long", Severity::warning, "a name longer than 63 bytes",
     "PostgreSQL keeps only the first 63 bytes of a name, with no more than a NOTICE: the "
     "catalog, schema dumps and error messages show a name the migration never wrote, code "
     "that looks the full name up as text finds nothing, and two long names sharing their "
     "first 63 bytes collide.",
     "Choose a name of at most 63 bytes:\n"
     "-- migrate:up transaction:false\n"
     "CREATE INDEX CONCURRENTLY orders_account_created_idx ON orders (account_id, created_at);"},
    {"ban-duplicate-column-assignments", Severity::error, "a column named twice",
     "PostgreSQL refuses a column assigned or defined twice in one statement (\"multiple "
     "assignments to same column\", \"column specified more than once\"): the migration fails "
     "when it runs.",
     "Name each column once:\n"
     "UPDATE users SET name = 'x', email = 'y' WHERE id = 1;"},
    {"require-enum-value-ordering", Severity::warning,
     "ALTER TYPE … ADD VALUE without BEFORE or AFTER",
     "An enum sorts in the order of its values, not alphabetically: ORDER BY, <, > and max() "
     "on the column use it. A value added without BEFORE or AFTER goes last, so code that "
     "sorts or compares the enum (a status that only moves forward) sees it after every "
     "other, wherever it belongs.",
     "Say where the value goes:\n"
     "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'packed' AFTER 'paid';"},
}};

// --- domains ---------------------------------------------------------------------------------

void check_create_domain(const LintStatement& statement, std::vector<Finding>& findings) {
  const PgNode& domain = *statement.node;
  // A DEFAULT is in the same list and constrains nothing.
  bool constrained = std::ranges::any_of(domain.list("constraints"), [](const PgNode& c) {
    return c.text("contype") == "CONSTR_CHECK" || c.text("contype") == "CONSTR_NOTNULL";
  });
  if (constrained) {
    report(findings, kRules[kCreateDomain], statement,
           fmt::format("domain {} has a constraint: changing it later checks every column "
                       "using it",
                       qualified_name(domain.list("domainname"))));
  }
}

/// Whether the domain called `name` was created earlier in the section: no column uses it yet.
bool domain_created_earlier(const LintContext& context, const std::string& name) {
  return std::ranges::any_of(context.before(), [&](const LintStatement& earlier) {
    return earlier.node->is("CreateDomainStmt") &&
           qualified_name(earlier.node->list("domainname")) == name;
  });
}

void check_alter_domain(const LintStatement& statement, const LintContext& context,
                        std::vector<Finding>& findings) {
  const PgNode& alter = *statement.node;
  std::string_view subtype = alter.text("subtype");
  std::string name = qualified_name(alter.list("typeName"));
  // 'C' is ADD CONSTRAINT, 'O' SET NOT NULL: both check every column of the domain.
  if ((subtype != "C" && subtype != "O") || domain_created_earlier(context, name)) {
    return;
  }
  const PgNode* constraint = alter.field("def");
  if (constraint && constraint->flag("skip_validation")) {
    report(findings, kRules[kAlterDomain], statement,
           fmt::format("constraint added NOT VALID to domain {}: validating it later still "
                       "scans every column using it",
                       name));
    findings.back().severity = Severity::note;
    return;
  }
  report(findings, kRules[kAlterDomain], statement,
         fmt::format("{} added to domain {}: every column using it is checked, blocking writes",
                     subtype == "O" ? "NOT NULL" : "constraint", name));
}

// --- enums -----------------------------------------------------------------------------------

/// ADD VALUE with no neighbour (newValNeighbor absent; RENAME VALUE has oldVal), on an enum not
/// created earlier in the section: its CREATE TYPE could list the value where it belongs.
void check_enum_value(const LintStatement& statement, const LintContext& context,
                      std::vector<Finding>& findings) {
  const PgNode& alter = *statement.node;
  if (!alter.text("oldVal").empty() || alter.field("newValNeighbor") != nullptr) {
    return;
  }
  std::string name = qualified_name(alter.list("typeName"));
  bool created_earlier = std::ranges::any_of(context.before(), [&](const LintStatement& earlier) {
    return earlier.node->is("CreateEnumStmt") &&
           qualified_name(earlier.node->list("typeName")) == name;
  });
  if (!created_earlier) {
    report(findings, kRules[kEnumOrdering], statement,
           fmt::format("value '{}' added last to enum {}: it sorts after every other value",
                       alter.text("newVal"), name));
  }
}

// --- TRUNCATE --------------------------------------------------------------------------------

void check_truncate(const LintStatement& statement, std::vector<Finding>& findings) {
  const PgNode& truncate = *statement.node;
  if (truncate.text("behavior") != "DROP_CASCADE") {
    return;
  }
  std::vector<std::string> tables;
  for (const PgNode& table : truncate.list("relations")) {
    tables.push_back(table_name(table));
  }
  report(findings, kRules[kTruncateCascade], statement,
         fmt::format("TRUNCATE {} CASCADE also empties every table that references {}",
                     fmt::join(tables, ", "), tables.size() == 1 ? "it" : "them"));
}

// --- names over 63 bytes ---------------------------------------------------------------------

constexpr std::size_t kMaxName = 63;  // NAMEDATALEN - 1

/// The length of the UTF-8 character that starts with `byte`.
std::size_t utf8_length(unsigned char byte) {
  return byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
}

bool identifier_byte(unsigned char byte) {
  return std::isalnum(byte) || byte == '_' || byte == '$' || byte >= 0x80;
}

bool ascii_iequal(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

/// Whether `name`, a name of the parse tree, was cut: libpg_query truncates names as the
/// server does (to 63 bytes, at a character boundary), so the tree only shows a name at the
/// limit. It was cut when the statement's text has it going on past the limit.
bool truncated(std::string_view name, std::string_view sql) {
  if (name.size() + 3 < kMaxName || name.size() > kMaxName) {
    return false;
  }
  for (std::size_t at = 0; at + name.size() < sql.size(); ++at) {
    if (!ascii_iequal(sql.substr(at, name.size()), name)) {
      continue;
    }
    auto next = static_cast<unsigned char>(sql[at + name.size()]);
    if (name.size() == kMaxName ? identifier_byte(next)
                                : next >= 0x80 && name.size() + utf8_length(next) > kMaxName) {
      return true;
    }
  }
  return false;
}

/// Every string of the tree: names, and literals too, which the text never shows going on past
/// their end (a quote follows), so that only names are reported.
void collect_strings(const PgNode& node, std::vector<std::string_view>& strings) {
  if (node.type == PgNode::Type::string) {
    strings.push_back(node.string);
  }
  for (const auto& [key, value] : node.members) {
    collect_strings(value, strings);
  }
  for (const PgNode& item : node.items) {
    collect_strings(item, strings);
  }
}

void check_name_lengths(const LintStatement& statement, std::vector<Finding>& findings) {
  std::vector<std::string_view> strings;
  collect_strings(*statement.node, strings);
  std::vector<std::string_view> reported;
  for (std::string_view name : strings) {
    if (std::ranges::find(reported, name) == reported.end() && truncated(name, statement.sql)) {
      reported.push_back(name);
      report(findings, kRules[kTooLong], statement,
             fmt::format("a name longer than 63 bytes: PostgreSQL cuts it to {}", name));
    }
  }
}

// --- a column named twice --------------------------------------------------------------------

/// One naming of a column: `partial` when it assigns a part only (`a[1]`, `a.field`), which
/// PostgreSQL allows several of.
struct ColumnUse {
  std::string_view name;
  bool partial = false;
};

/// The columns named twice, in order of their first use; a column assigned only in parts is
/// fine.
std::vector<std::string_view> duplicates(const std::vector<ColumnUse>& uses) {
  std::map<std::string_view, std::pair<int, bool>> seen;  // count, a whole assignment
  std::vector<std::string_view> order;
  for (const ColumnUse& use : uses) {
    auto [it, added] = seen.try_emplace(use.name, 0, false);
    if (added) {
      order.push_back(use.name);
    }
    it->second.first++;
    it->second.second = it->second.second || !use.partial;
  }
  std::erase_if(order, [&](std::string_view name) {
    return name.empty() || seen[name].first < 2 || !seen[name].second;
  });
  return order;
}

/// ResTargets that assign (UPDATE SET, INSERT's columns).
std::vector<ColumnUse> assigned(const std::vector<PgNode>& targets) {
  std::vector<ColumnUse> uses;
  for (const PgNode& target : targets) {
    uses.push_back({target.text("name"), !target.list("indirection").empty()});
  }
  return uses;
}

/// The column names a query's output gets where PostgreSQL is sure of them: an alias, a
/// column's own name, a function's name. Others ("?column?", casts) are left out.
std::vector<ColumnUse> output_names(const PgNode& query) {
  const PgNode* select = &query;
  while (select->field("larg") != nullptr) {  // UNION and the like: the first query names them
    select = select->field("larg");
  }
  std::vector<ColumnUse> uses;
  for (const PgNode& target : select->list("targetList")) {
    std::string_view name = target.text("name");
    const PgNode* value = target.field("val");
    if (name.empty() && value && value->is("ColumnRef")) {
      const std::vector<PgNode>& fields = value->list("fields");
      name = fields.empty() ? std::string_view() : fields.back().as_text();  // A_Star: empty
    } else if (name.empty() && value && value->is("FuncCall")) {
      const std::vector<PgNode>& function = value->list("funcname");
      name = function.empty() ? std::string_view() : function.back().as_text();
    }
    uses.push_back({name});
  }
  return uses;
}

std::vector<ColumnUse> named(const std::vector<PgNode>& names) {
  std::vector<ColumnUse> uses;
  for (const PgNode& name : names) {
    uses.push_back({name.as_text()});
  }
  return uses;
}

/// The column namings of a statement that PostgreSQL refuses to repeat: definitions (a
/// table's or a view's columns) or assignments.
struct ColumnUses {
  std::vector<ColumnUse> uses;
  bool defines = true;
};

ColumnUses column_uses(const PgNode& node) {
  if (node.is("CreateStmt")) {
    ColumnUses columns;
    for (const PgNode& element : node.list("tableElts")) {
      if (element.is("ColumnDef")) {
        columns.uses.push_back({element.text("colname")});
      }
    }
    return columns;
  }
  const PgNode* query = node.field("query");
  if (node.is("CreateTableAsStmt") || node.is("ViewStmt")) {
    const PgNode* into = node.field("into");
    const std::vector<PgNode>& names = into ? into->list("colNames") : node.list("aliases");
    if (!names.empty()) {
      return {named(names)};
    }
    return {query ? output_names(*query) : std::vector<ColumnUse>{}};
  }
  if (node.is("SelectStmt") && node.field("intoClause") != nullptr) {
    return {output_names(node)};
  }
  if (node.is("UpdateStmt")) {
    return {assigned(node.list("targetList")), false};
  }
  if (node.is("InsertStmt")) {
    return {assigned(node.list("cols")), false};
  }
  return {};
}

void report_duplicates(const LintStatement& statement, const ColumnUses& columns,
                       std::vector<Finding>& findings) {
  for (std::string_view name : duplicates(columns.uses)) {
    report(findings, kRules[kDuplicateColumn], statement,
           columns.defines ? fmt::format("column {} is defined more than once", name)
                           : fmt::format("column {} is assigned more than once", name));
  }
}

void check_duplicate_columns(const LintStatement& statement, std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  report_duplicates(statement, column_uses(node), findings);
  if (const PgNode* conflict = node.field("onConflictClause")) {  // INSERT … DO UPDATE SET
    report_duplicates(statement, {assigned(conflict->list("targetList")), false}, findings);
  }
  for (const PgNode& clause : node.list("mergeWhenClauses")) {  // MERGE's INSERT and UPDATE
    report_duplicates(statement, {assigned(clause.list("targetList")), false}, findings);
  }
}

void check(const LintStatement& statement, const LintContext& context,
           std::vector<Finding>& findings) {
  const PgNode& node = *statement.node;
  if (node.is("CreateDomainStmt")) {
    check_create_domain(statement, findings);
  } else if (node.is("AlterDomainStmt")) {
    check_alter_domain(statement, context, findings);
  } else if (node.is("TruncateStmt")) {
    check_truncate(statement, findings);
  } else if (node.is("AlterEnumStmt")) {
    check_enum_value(statement, context, findings);
  }
  check_duplicate_columns(statement, findings);
  check_name_lengths(statement, findings);
}

}  // namespace

const RuleFamily& misc_rules() {
  static const RuleFamily kFamily{"misc", kRules, check};
  return kFamily;
}

}  // namespace migrate
