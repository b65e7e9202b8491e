// A real-world-sized PostgreSQL history on a real server: tests/fixtures/postgres_history, a SaaS
// schema written over six months (accounts, users, projects, tasks, billing, audit, webhooks…) in
// 64 migrations with plpgsql functions in $$ and $tag$ quotes, BEGIN ATOMIC routines, triggers,
// DO blocks, enums that grow with ADD VALUE, views, a materialized view, partial indexes and
// CREATE INDEX CONCURRENTLY in transaction:false sections, and one branch merged back. It goes up
// to head, down to base and up again, and pg_dump --schema-only reads the same both times.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/run_tool.hpp"

using namespace migrate::test;
using Catch::Contains;
using Strings = std::vector<std::string>;

namespace {

/// Copies the history into the project's migrations/; returns its ids, in order.
Strings add_history(const Project& project) {
  Strings ids;
  std::filesystem::path history = source_dir() / "tests" / "fixtures" / "postgres_history";
  for (const auto& entry : std::filesystem::directory_iterator(history)) {
    std::filesystem::copy_file(entry.path(), project.migrations() / entry.path().filename());
    ids.push_back(entry.path().filename().string().substr(0, 12));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

/// The ids up to and including `last`.
Strings ids_through(const Strings& ids, const std::string& last) {
  auto end = std::find(ids.begin(), ids.end(), last);
  REQUIRE(end != ids.end());
  return Strings(ids.begin(), end + 1);
}

/// pg_dump --schema-only, without what differs between two dumps of one schema: the server and
/// pg_dump versions, and the random key of the \restrict and \unrestrict lines (pg_dump 15.14+).
std::string schema_dump(const std::string& url) {
  ProcessResult dump =
      run_process({"pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--dbname", url});
  INFO(dump.err);
  REQUIRE(dump.exit_code == 0);
  std::istringstream in(dump.out);
  std::string text;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("-- Dumped from ") || line.starts_with("-- Dumped by ") ||
        line.starts_with("\\restrict ") || line.starts_with("\\unrestrict ")) {
      continue;
    }
    text += line + "\n";
  }
  return text;
}

/// Empty when the texts are equal, else their first different line (a failure stays readable:
/// a dump of this schema is some 1,800 lines).
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  std::string l, r;
  for (int number = 1;; ++number) {
    bool more_left = static_cast<bool>(std::getline(left, l));
    bool more_right = static_cast<bool>(std::getline(right, r));
    if (!more_left && !more_right) {
      return "";
    }
    if (!more_left || !more_right || l != r) {
      return "line " + std::to_string(number) + ": '" + (more_left ? l : "<end>") + "' then '" +
             (more_right ? r : "<end>") + "'";
    }
  }
}

/// The objects a dump creates, from its "-- Name: …; Type: …; Schema: …" headers.
Strings dumped_objects(const std::string& dump) {
  Strings objects;
  std::istringstream in(dump);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("-- Name: ")) {
      objects.push_back(line.substr(9, line.find("; Schema:") - 9));
    }
  }
  return objects;
}

}  // namespace

TEST_CASE("postgres: a 64-migration history goes up, down to base and up again to the same schema",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  const Strings ids = add_history(project);
  REQUIRE(ids.size() >= 60);
  auto run = [&](std::string_view tool, Strings args) {
    args.insert(args.begin(), {"--database", db.url()});
    return project.run(tool, args);
  };

  // Up to head, each migration in its own transaction, or statement by statement.
  ProcessResult up = run("migrate-upgrade", {});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Contains(std::to_string(ids.size()) + " applied"));
  CHECK(db.applied_ids() == ids);
  // The transaction:false sections ran to their end, and their progress says so.
  CHECK(db.rows("SELECT id, statements_done, statements_total FROM schema_migrations "
                "WHERE statements_total IS NOT NULL ORDER BY id") ==
        Rows{{"202502241000", "1", "1"},
             {"202503191400", "2", "2"},
             {"202504081500", "2", "2"},
             {"202505201500", "1", "1"},
             {"202505261000", "1", "1"}});
  const std::string dump_a = schema_dump(db.url());
  CHECK_THAT(dump_a, Contains("CREATE MATERIALIZED VIEW public.account_usage"));

  // Down to base: nothing is left but the state table.
  ProcessResult down = run("migrate-downgrade", {"base"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Contains(std::to_string(ids.size()) + " reverted"));
  CHECK(db.applied_ids().empty());
  CHECK(db.relations() == Strings{"schema_migrations"});
  CHECK(dumped_objects(schema_dump(db.url())) ==
        Strings{"schema_migrations; Type: TABLE",
                "schema_migrations schema_migrations_pkey; Type: CONSTRAINT"});

  // All of it in one transaction is refused, before anything runs: CREATE INDEX CONCURRENTLY
  // cannot run in a transaction block.
  ProcessResult refused = run("migrate-upgrade", {"--single-transaction"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("--single-transaction cannot include "
                                   "202502241000_index_comments_by_author: its section is "
                                   "transaction:false"));
  CHECK(db.applied_ids().empty());

  // In one transaction, an enum value added by one migration cannot be used by the next: the
  // server refuses, and everything is rolled back.
  ProcessResult unsafe = run("migrate-upgrade", {"--single-transaction", "202502191000"});
  CHECK(unsafe.exit_code == 1);
  CHECK_THAT(unsafe.err, Contains("202502191000_require_enterprise_seat_minimum"));
  CHECK_THAT(unsafe.err, Contains("(SQLSTATE 55P04)"));
  CHECK_THAT(unsafe.err, Contains("Everything was rolled back"));
  CHECK(db.applied_ids().empty());
  CHECK(db.relations() == Strings{"schema_migrations"});

  // Up again: in one transaction up to the ADD VALUE (unused there), then the rest.
  ProcessResult first = run("migrate-upgrade", {"--single-transaction", "202502181400"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(db.applied_ids() == ids_through(ids, "202502181400"));
  ProcessResult rest = run("migrate-upgrade", {});
  INFO(rest.out << rest.err);
  REQUIRE(rest.exit_code == 0);
  CHECK(db.applied_ids() == ids);
  const std::string dump_b = schema_dump(db.url());
  CHECK(first_difference(dump_a, dump_b) == "");

  ProcessResult current = run("migrate-current", {"--check"});
  CHECK(current.exit_code == 0);
  CHECK_THAT(current.out, Contains("202506161000_create_task_dependencies (head)"));
}

TEST_CASE("postgres: at the history's head, its triggers, routines, enums and indexes work",
          "[e2e][postgres]") {
  PostgresDatabase db;
  Project project;
  add_history(project);
  auto upgrade = [&](Strings args) {
    args.insert(args.begin(), {"--database", db.url()});
    ProcessResult result = project.run("migrate-upgrade", args);
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
  };

  // A database restored from the old app has users.confirmed: the DO block of
  // 202502251500_add_email_verified_at_to_users backfills from it and drops it.
  upgrade({"202502241000"});
  db.exec("ALTER TABLE users ADD COLUMN confirmed boolean NOT NULL DEFAULT false");
  db.exec("INSERT INTO users (email, confirmed) VALUES ('old@example.com', true)");
  upgrade({});
  CHECK(db.column("SELECT email_verified_at = created_at FROM users") == Strings{"t"});
  CHECK(db.column("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' "
                  "AND column_name = 'confirmed'") == Strings{"0"});

  // Enums with the values later migrations added (AFTER, BEFORE, IF NOT EXISTS).
  CHECK(db.column("SELECT enum_range(NULL::account_plan)::text") ==
        Strings{"{free,team,business,enterprise}"});
  CHECK(db.column("SELECT enum_range(NULL::project_status)::text") ==
        Strings{"{active,paused,done,archived}"});
  CHECK(db.column("SELECT enum_range(NULL::invoice_status)::text") ==
        Strings{"{draft,open,paid,uncollectible,void}"});
  CHECK(db.column("SELECT enum_range(NULL::notification_kind)::text") ==
        Strings{"{mention,assignment,due_soon,comment_reply}"});

  // A new account gets its default labels from a trigger (E'Won\'t fix' in a $labels$ body).
  db.exec("INSERT INTO accounts (name, slug, plan) VALUES ('Acme', 'acme', 'enterprise')");
  CHECK(db.column("SELECT name FROM labels ORDER BY name") ==
        Strings{"Bug", "Feature", "Won't fix"});
  CHECK_THROWS_WITH(db.exec("INSERT INTO subscriptions (account_id, plan, seats) "
                            "SELECT id, 'enterprise', 5 FROM accounts"),
                    Contains("subscriptions_enterprise_seats"));
  db.exec("INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com')");
  db.exec(
      "INSERT INTO memberships (account_id, user_id, role) SELECT a.id, u.id, 'owner' "
      "FROM accounts AS a, users AS u WHERE u.email = 'ada@example.com'");
  db.exec("INSERT INTO projects (account_id, name) SELECT id, 'Launch' FROM accounts");
  db.exec(
      "INSERT INTO tasks (project_id, title, position, assignee_id, updated_at) "
      "SELECT p.id, 'Write docs', 1, u.id, '2000-01-01' FROM projects AS p, users AS u "
      "WHERE u.email = 'ada@example.com'");
  db.exec(
      "INSERT INTO tasks (project_id, title, position, status) "
      "SELECT id, 'Ship it', 2, 'done' FROM projects");

  // set_updated_at() (BEFORE UPDATE) moves updated_at; the audit trigger, version 2, logs only
  // the columns an update changed (the title, and the generated search vector with it).
  db.exec("UPDATE tasks SET title = 'Write the docs' WHERE title = 'Write docs'");
  CHECK(db.column("SELECT updated_at > '2001-01-01' FROM tasks WHERE title = 'Write the docs'") ==
        Strings{"t"});
  CHECK(db.column("SELECT string_agg(k, ',' ORDER BY k) FROM audit_log, "
                  "jsonb_object_keys(new_row) AS k WHERE table_name = 'tasks' "
                  "AND action = 'UPDATE'") == Strings{"search,title"});
  CHECK(db.column("SELECT count(*) FROM tasks WHERE search @@ to_tsquery('simple', 'docs')") ==
        Strings{"1"});

  // Notification triggers: an assignment, and a comment by someone else on the task.
  db.exec(
      "INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'Looks good; ship' "
      "FROM tasks AS t, users AS u WHERE t.title = 'Write the docs' "
      "AND u.email = 'bob@example.com'");
  CHECK(db.rows("SELECT kind::text, coalesce(payload ->> 'subject', payload ->> 'title') "
                "FROM notifications ORDER BY id") ==
        Rows{{"assignment", "Write docs"}, {"comment_reply", "Re: 'Write the docs'"}});

  // The BEGIN ATOMIC function and procedure.
  CHECK(db.column("SELECT prosqlbody IS NOT NULL FROM pg_proc WHERE proname = 'open_task_count'") ==
        Strings{"t"});
  CHECK(db.column("SELECT open_task_count(id) FROM projects") == Strings{"1"});
  CHECK(db.column("SELECT count(*) FROM project_overview") == Strings{"1"});
  db.exec("CALL archive_project(" + db.column("SELECT id FROM projects").at(0) + ")");
  CHECK(db.rows("SELECT status::text, (archived_at IS NOT NULL)::text FROM projects") ==
        Rows{{"archived", "true"}});
  CHECK(db.column("SELECT open_task_count(id) FROM projects") == Strings{"0"});
  CHECK(db.column("SELECT count(*) FROM project_overview") == Strings{"0"});

  // Billing: the numbering function, the generated total, the view recreated around the
  // currency's type change.
  db.exec(
      "INSERT INTO invoices (account_id, number, status, subtotal_cents, tax_cents) "
      "SELECT id, next_invoice_number(id, '2025-03-01'), 'open', 10000, 2100 FROM accounts");
  CHECK(db.rows("SELECT number, total_cents::text, currency FROM open_invoices") ==
        Rows{{"INV-1-2025-0001", "12100", "EUR"}});
  CHECK(db.column("SELECT data_type FROM information_schema.columns "
                  "WHERE table_name = 'open_invoices' AND column_name = 'currency'") ==
        Strings{"text"});

  // The materialized view refreshes CONCURRENTLY through its function.
  db.exec("SELECT refresh_account_usage()");
  CHECK(db.rows("SELECT members::text, projects::text, tasks::text FROM account_usage") ==
        Rows{{"1", "1", "2"}});

  // The function behind the nested /* /* */ */ comment.
  CHECK(db.column("SELECT purge_audit_log()") == Strings{"0"});

  // The renamed column, and the quoted identifiers with semicolons and their E'' comment.
  CHECK(db.column("SELECT column_name FROM information_schema.columns "
                  "WHERE table_name = 'tasks' AND column_name LIKE 'due%'") == Strings{"due_on"});
  CHECK(db.column("SELECT column_name FROM information_schema.columns "
                  "WHERE table_name = 'legacy_customers' AND ordinal_position <= 2 "
                  "ORDER BY ordinal_position") == Strings{"customer;ref", "name; display"});
  CHECK(db.column("SELECT col_description('legacy_customers'::regclass, 1)") ==
        Strings{"The CRM's key, e.g. 'C-0042;EU'; unique."});

  // Partial indexes, built CONCURRENTLY or not, all valid.
  CHECK(
      db.column("SELECT indexdef FROM pg_indexes WHERE indexname = 'tasks_open_by_assignee_idx'") ==
      Strings{"CREATE INDEX tasks_open_by_assignee_idx ON public.tasks USING btree (assignee_id, "
              "due_on) WHERE ((status <> 'done'::task_status) AND (assignee_id IS NOT NULL))"});
  CHECK(db.column("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_key'") ==
        Strings{"CREATE UNIQUE INDEX users_email_key ON public.users USING btree (lower(email)) "
                "WHERE (deleted_at IS NULL)"});
  CHECK(db.column("SELECT count(*) FROM pg_index WHERE NOT indisvalid OR NOT indisready") ==
        Strings{"0"});
}

TEST_CASE("postgres history: its pg_dump, reformatted or not, is the schema its migrations build",
          "[e2e][postgres][diff]") {
  Project project;
  PostgresDatabase db;
  add_history(project);
  // Development databases on the test cluster.
  write_text(project.root() / "migrate.conf",
             "[migrate]\n\tdev-database = " + postgres_admin_url() + "\n");
  ProcessResult up = project.run("migrate-upgrade", {"--database", db.url()});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  ProcessResult dump = run_process({"pg_dump", "--schema-only", "--no-owner", db.url()});
  REQUIRE(dump.exit_code == 0);
  std::string sql;
  std::istringstream lines(dump.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("\\")) {  // psql's meta-commands (\restrict): not SQL
      sql += line + "\n";
    }
  }
  write_text(project.root() / "dump.sql", sql);
  ProcessResult same = project.run(
      "migrate-diff", {"--database", db.url(), "--check", "migrations@head", "dump.sql"});
  INFO(same.err);
  CHECK(same.exit_code == 0);
  // Spelled otherwise in its tables (function bodies are text the catalog keeps as written):
  // other white space, other keyword case, int for integer, and the statements reordered.
  std::string other;
  bool in_table = false;
  std::istringstream dumped(sql);
  for (std::string line; std::getline(dumped, line);) {
    if (line.starts_with("CREATE TABLE ")) {
      in_table = true;
      line = "create   table " + line.substr(13);
    } else if (in_table && line.starts_with("    ")) {
      line = "\t " + line.substr(4);
      for (const char* word : {" integer,", " integer NOT"}) {
        if (std::size_t at = line.find(word); at != std::string::npos) {
          line.replace(at, 8, " int");
        }
      }
    } else if (line.starts_with(")")) {
      in_table = false;
    }
    other += line + "\n";
  }
  REQUIRE(other != sql);
  // And its tables in the reverse order (each CREATE TABLE needs only types and functions made
  // before the first; their keys, defaults and identities come after all of them).
  std::vector<std::string> tables;
  std::string rest;
  std::size_t first_table = std::string::npos;
  std::istringstream respelled(other);
  std::string block;
  for (std::string line; std::getline(respelled, line);) {
    if (line.starts_with("create   table ") || !block.empty()) {
      block += line + "\n";
      if (line.starts_with(")")) {
        if (first_table == std::string::npos) {
          first_table = rest.size();
        }
        tables.push_back(block);
        block.clear();
      }
      continue;
    }
    rest += line + "\n";
  }
  REQUIRE(tables.size() > 10);
  std::string reversed;
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    reversed += *it;
  }
  other = rest.substr(0, first_table) + reversed + rest.substr(first_table);
  write_text(project.root() / "reformatted.sql", other);
  ProcessResult reformatted = project.run(
      "migrate-diff", {"--database", db.url(), "--check", "migrations@head", "reformatted.sql"});
  INFO(reformatted.err);
  CHECK(reformatted.exit_code == 0);
  // And a real difference is seen: the history one migration short.
  CHECK(
      project
          .run("migrate-diff", {"--database", db.url(), "--check", "migrations@head~1", "dump.sql"})
          .exit_code == 3);
}
