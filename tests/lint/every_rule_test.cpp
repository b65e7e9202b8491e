// Every PostgreSQL rule, one by one: a statement that triggers it, and a suppression with a
// reason that silences it (before the statement, and in the file's header). A new rule
// without an entry here fails the last test. The families' own tests cover the safe forms.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lint/rule_family.hpp"
#include "lint/suppression.hpp"
#include "support/lint_sql.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

struct Example {
  std::string rule;
  std::string sql;  ///< the section's body
  bool transaction = true;
  int server_version = 0;
  bool lock_timeout = true;  ///< the runner sets it (else the timeout rules speak)
  bool statement_timeout = true;
};

const std::vector<Example>& examples() {
  static const std::vector<Example> kExamples = {
      {"adding-field-with-default",
       "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();"},
      {"adding-stored-generated-column",
       "ALTER TABLE users ADD COLUMN total bigint GENERATED ALWAYS AS (1) STORED;"},
      {"adding-auto-increment-column", "ALTER TABLE users ADD COLUMN number bigserial;"},
      {"adding-required-field", "ALTER TABLE users ADD COLUMN active boolean NOT NULL;"},
      {"adding-not-nullable-field", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"},
      {"adding-foreign-key-constraint",
       "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);"},
      {"constraint-missing-not-valid", "ALTER TABLE users ADD CONSTRAINT c CHECK (email <> '');"},
      {"disallowed-unique-constraint",
       "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"},
      {"adding-serial-primary-key-field",
       "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);"},
      {"changing-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;"},
      {"adding-exclusion-constraint",
       "ALTER TABLE bookings ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&);"},
      {"require-concurrent-index-creation", "CREATE INDEX i ON users (email);"},
      {"require-concurrent-index-deletion", "DROP INDEX i;"},
      {"ban-concurrent-index-creation-in-transaction",
       "CREATE INDEX CONCURRENTLY i ON users (email);"},
      {"require-concurrent-reindex", "REINDEX TABLE users;"},
      {"require-concurrent-partition-detach", "ALTER TABLE events DETACH PARTITION events_2024;"},
      {"concurrent-index-pg14-corruption",
       "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);", false, 140002},
      {"index-too-many-columns", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a, b, c, d);",
       false},
      {"transaction-nesting", "BEGIN;\nSELECT 1;\nCOMMIT;"},
      {"ban-uncommitted-transaction", "BEGIN;\nSELECT 1;", false},
      {"prefer-robust-stmts", "CREATE TABLE a (id bigint);\nCREATE TABLE b (id bigint);", false},
      {"require-lock-timeout", "ALTER TABLE users ADD COLUMN note text;", true, 0, false, true},
      {"require-statement-timeout", "ALTER TABLE users ADD COLUMN note text;", true, 0, true,
       false},
      {"enum-value-used-in-same-transaction",
       "ALTER TYPE mood ADD VALUE 'calm';\nUPDATE users SET mood = 'calm';"},
      {"ban-drop-column", "ALTER TABLE users DROP COLUMN email;"},
      {"ban-drop-table", "DROP TABLE users;"},
      {"ban-drop-database", "DROP DATABASE app;"},
      {"ban-drop-not-null", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;"},
      {"renaming-column", "ALTER TABLE users RENAME COLUMN email TO mail;"},
      {"renaming-table", "ALTER TABLE users RENAME TO people;"},
      {"renaming-schema", "ALTER SCHEMA app RENAME TO app2;"},
      {"renaming-enum-value", "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"},
      {"prefer-bigint-over-int", "CREATE TABLE t (id int);"},
      {"prefer-bigint-over-smallint", "CREATE TABLE t (n smallint);"},
      {"prefer-identity", "CREATE TABLE t (id bigserial);"},
      {"prefer-text-field", "CREATE TABLE t (name varchar(40));"},
      {"prefer-timestamp-tz", "CREATE TABLE t (at timestamp);"},
      {"ban-char-field", "CREATE TABLE t (code char(2));"},
      {"adding-json-column", "ALTER TABLE users ADD COLUMN settings json;"},
      {"ban-create-domain-with-constraint", "CREATE DOMAIN positive AS bigint CHECK (VALUE > 0);"},
      {"ban-alter-domain-with-add-constraint",
       "ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0);"},
      {"ban-truncate-cascade", "TRUNCATE users CASCADE;"},
      {"identifier-too-long", "CREATE TABLE " + std::string(70, 'n') + " (id bigint);"},
      {"ban-duplicate-column-assignments", "UPDATE users SET a = 1, a = 2;"},
      {"require-enum-value-ordering", "ALTER TYPE mood ADD VALUE 'happy';"},
  };
  return kExamples;
}

/// The file of a migration whose up section is `body`, with `header` before its marker.
std::string file_of(const std::string& header, const std::string& body) {
  return "-- Example.\n" + header + "-- migrate:up\n" + body + "\n";
}

/// The findings of that file, suppressions applied.
std::vector<Finding> lint_file(const Example& example, const std::string& text) {
  LintContext context;
  context.server_version = example.server_version;
  context.runner_lock_timeout = example.lock_timeout;
  context.runner_statement_timeout = example.statement_timeout;
  int marker = 0;
  for (const Line& line : split_lines(text)) {
    if (line.text == "-- migrate:up") {
      marker = line.number;
    }
  }
  std::string body = text.substr(text.find("-- migrate:up\n") + 14);
  std::vector<Finding> findings = lint_postgres(
      std::string(static_cast<std::size_t>(marker), '\n') + body, example.transaction, context);
  return apply_suppressions(findings, read_suppressions(text, marker + 1), text, "m.sql");
}

bool has(const std::vector<Finding>& findings, const std::string& rule, int line = 0) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.rule->name == rule && (line == 0 || finding.line == line);
  });
}

}  // namespace

TEST_CASE("every rule: triggered by its example, silenced by a suppression with a reason",
          "[lint]") {
  for (const Example& example : examples()) {
    INFO(example.rule << ": " << example.sql);
    std::string plain = file_of("", example.sql);
    std::vector<Finding> findings = lint_file(example, plain);
    REQUIRE(has(findings, example.rule));
    const Finding& found = *std::find_if(findings.begin(), findings.end(), [&](const Finding& f) {
      return f.rule->name == example.rule;
    });

    // Before its statement: the comment goes on the line above the finding's.
    std::vector<Line> lines = split_lines(plain);
    std::string before;
    for (const Line& line : lines) {
      if (line.number == found.line) {
        before += "-- migrate:lint ignore=" + example.rule + " reason=\"tested\"\n";
      }
      before += std::string(line.text) + "\n";
    }
    std::vector<Finding> silenced = lint_file(example, before);
    CHECK_FALSE(has(silenced, example.rule, found.line + 1));  // its statement moved down one
    CHECK_FALSE(has(silenced, "unused-ignore"));
    CHECK_FALSE(has(silenced, "ignore-without-reason"));

    // In the header: the whole file.
    std::vector<Finding> whole = lint_file(
        example,
        file_of("-- migrate:lint ignore=" + example.rule + " reason=\"tested\"\n", example.sql));
    CHECK_FALSE(has(whole, example.rule));
    CHECK_FALSE(has(whole, "unused-ignore"));
  }
}

TEST_CASE("every rule: each registered PostgreSQL rule has an example here", "[lint]") {
  for (const RuleFamily& family : rule_families()) {
    if (family.name == "suppression" || family.name == "sqlite") {
      continue;  // their own tests (suppression_test, the SQLite family's)
    }
    for (const RuleInfo& rule : family.rules) {
      INFO(rule.name);
      CHECK(std::any_of(examples().begin(), examples().end(),
                        [&](const Example& example) { return example.rule == rule.name; }));
      CHECK_FALSE(rule.why.empty());
      CHECK_FALSE(rule.safe.empty());
      CHECK_FALSE(rule.message.empty());
    }
  }
}

namespace {

/// One section of a rule's safe recipe: its SQL, and whether it runs in a transaction.
struct RecipePart {
  std::string sql;
  bool transaction = true;
};

/// The SQL of a rule's safe way (after a line of prose that ends with ":"), cut into the
/// sections it names: another such line of prose starts one, as does a `-- migrate:up …`
/// marker (with its options), and a `-- then, in a later migration …` or `-- the next
/// migration` comment.
std::vector<RecipePart> recipe_parts(std::string_view safe) {
  std::vector<RecipePart> parts{{}};
  bool in_sql = false;
  for (const Line& line : split_lines(safe)) {
    std::string_view text = trim(line.text);
    if (!text.starts_with("--") && text.ends_with(":")) {  // prose: SQL of its own follows
      in_sql = true;
      if (!trim(parts.back().sql).empty()) {
        parts.push_back({});
      }
      continue;
    }
    if (!in_sql) {
      continue;
    }
    bool marker = text.starts_with("-- migrate:up");
    if (marker || text.starts_with("-- then, in a later migration") ||
        text.starts_with("-- the next migration")) {
      if (!trim(parts.back().sql).empty()) {
        parts.push_back({});
      }
      parts.back().transaction = !(marker && text.find("transaction:false") != text.npos);
      continue;
    }
    parts.back().sql += std::string(line.text) + "\n";
  }
  return parts;
}

}  // namespace

TEST_CASE("every rule: the safe way each rule shows passes its own rule, and has no errors",
          "[lint]") {
  for (const RuleFamily& family : rule_families()) {
    if (family.name == "suppression" || family.name == "sqlite") {
      continue;
    }
    for (const RuleInfo& rule : family.rules) {
      for (const RecipePart& part : recipe_parts(rule.safe)) {
        INFO(rule.name << ", the section:\n" << part.sql);
        std::vector<Finding> findings;
        try {  // the runner's timeouts on, suppressions applied
          findings = lint_file({std::string(rule.name), part.sql, part.transaction},
                               file_of("", part.sql));
        } catch (const Error& e) {
          FAIL_CHECK("does not parse: " << e.what());
          continue;
        }
        for (const Finding& finding : findings) {
          INFO(finding.rule->name << " at line " << finding.line << ": " << finding.detail);
          CHECK(finding.rule->name != rule.name);
          CHECK(finding.severity != Severity::error);
        }
      }
    }
  }
}
