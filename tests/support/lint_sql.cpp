#include "support/lint_sql.hpp"

#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "db/open_database.hpp"
#include "lint/linter.hpp"
#include "support/lint_family.hpp"

namespace migrate::test {

std::vector<Finding> lint_postgres(std::string_view sql, bool transaction, LintContext context) {
  const Dialect& dialect = engine_for_scheme("postgres")->dialect();
  return lint_section(dialect, {"m.sql", sql, 1, transaction}, context);
}

std::vector<Finding> lint_sqlite(std::string_view before, std::string_view sql, bool transaction,
                                 bool foreign_keys, LintContext context) {
  std::unique_ptr<Connection> database =
      open_database(parse_database_url("sqlite::memory:", "."), {});
  if (!before.empty()) {
    database->execute(before);
  }
  return lint_section(database->dialect(),
                      {"m.sql", sql, 1, transaction, foreign_keys, database.get()}, context);
}

std::vector<Finding> lint_only(const RuleFamily& family, std::string_view sql, bool transaction,
                               LintContext context) {
  return only_family(lint_postgres(sql, transaction, std::move(context)), family);
}

std::vector<std::string> rule_names(const std::vector<Finding>& findings) {
  std::vector<std::string> names;
  for (const Finding& finding : findings) {
    names.emplace_back(finding.rule->name);
  }
  return names;
}

}  // namespace migrate::test
