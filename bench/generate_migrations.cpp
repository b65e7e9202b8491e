//===- generate_migrations: a synthetic migration folder for `make bench` -===//
//
//   generate_migrations --count N --out DIR [--merges K]
//
// Writes N migrations (files named and formatted by libmigrate's MigrationWriter) plus
// DIR/HEAD. Each normal migration creates a table with a few columns (one a foreign key to an
// ancestor's table), an index, inserts two rows, and has a down section. Ids are UTC minute
// timestamps, 17 minutes apart, starting 2024-01-01 00:00.
//
// --merges K adds K merge points, spread evenly: after a fork migration P, branch A (two
// migrations, the first implicitly depending on P) and branch B (one migration with
// `depends: P`), then a merge migration with `depends: A2 B1` and an up that runs nothing.
// The set stays a DAG with a single head. The N migrations include the 4 per merge point.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "migration/migration.hpp"
#include "migration/migration_dir.hpp"
#include "migration/migration_writer.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace {

using migrate::Migration;
using migrate::MigrationId;
using migrate::MigrationRef;

/// The id of the i-th migration: a valid YYYYMMDDHHMM timestamp, as migrate-create writes.
MigrationId id_at(int i) {
  using namespace std::chrono;
  sys_time<minutes> time = sys_days(year{2024} / January / 1) + minutes(17L * i);
  return *MigrationId::from_digits(migrate::format_id_timestamp(time, /*seconds=*/false));
}

const char* const kNouns[] = {"customers", "orders",    "invoices", "products", "shipments",
                              "payments",  "addresses", "sessions", "reviews",  "coupons"};

MigrationRef ref_to(const Migration& m) {
  return MigrationRef{m.id, m.stem(), 0};
}

/// A migration creating `table`, with a foreign key to `parent_table` (none when empty).
Migration table_migration(int i, const std::string& table, const std::string& parent_table) {
  Migration m;
  m.id = id_at(i);
  m.slug = migrate::make_slug("create " + table);
  m.doc = {fmt::format("Create the {} table.", table), "",
           "Synthetic workload for bench/: a table, an index and two rows."};
  std::string parent_column =
      parent_table.empty() ? std::string()
                           : fmt::format("  parent_id INTEGER REFERENCES {} (id),\n", parent_table);
  m.up.sql = fmt::format(
      "CREATE TABLE {0} (\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  name TEXT NOT NULL,\n"
      "  amount INTEGER NOT NULL DEFAULT 0,\n"
      "{1}"
      "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))\n"
      ");\n"
      "CREATE INDEX {0}_name ON {0} (name);\n"
      "INSERT INTO {0} (name, amount) VALUES ('first {2}', {2});\n"
      "INSERT INTO {0} (name, amount) VALUES ('second {2}', {3});",
      table, parent_column, i, 2 * i);
  m.down = migrate::Section{};
  m.down->sql = fmt::format("DROP INDEX {0}_name;\nDROP TABLE {0};", table);
  return m;
}

/// A merge migration joining `a` and `b`; it runs nothing.
Migration merge_migration(int i, const Migration& a, const Migration& b) {
  Migration m;
  m.id = id_at(i);
  m.slug = migrate::make_slug(fmt::format("merge {} and {}", a.id.text(), b.id.text()));
  m.doc = {fmt::format("Merge {} and {}.", a.stem(), b.stem())};
  m.depends = std::vector<MigrationRef>{ref_to(a), ref_to(b)};
  m.up.sql = "-- Nothing to run: joins two branches.";
  m.down = migrate::Section{};
  m.down->sql = "-- Nothing to revert.";
  return m;
}

std::vector<Migration> generate(int count, int merges) {
  // Merge point k occupies the 4 slots from 1 + k*(count-1)/merges (count-1 >= 4*merges, so
  // they neither overlap nor run past the end, and slot 0 is always a plain root to fork from).
  std::vector<bool> block_start(count, false);
  for (int k = 0; k < merges; ++k) {
    block_start[1 + static_cast<long long>(k) * (count - 1) / merges] = true;
  }
  std::vector<Migration> out;
  out.reserve(count);
  std::string last_table;  // the newest table on the path to the current head
  auto table_name = [](int i) { return fmt::format("{}_{:06}", kNouns[i % std::size(kNouns)], i); };
  for (int i = 0; i < count;) {
    if (!block_start[i]) {
      std::string table = table_name(i);
      out.push_back(table_migration(i, table, last_table));
      last_table = table;
      ++i;
      continue;
    }
    const Migration fork = out.back();
    std::string a1_table = table_name(i), a2_table = table_name(i + 1),
                b1_table = table_name(i + 2);
    out.push_back(table_migration(i, a1_table, last_table));  // implicitly depends on fork
    out.push_back(table_migration(i + 1, a2_table, a1_table));
    Migration b1 = table_migration(i + 2, b1_table, last_table);
    b1.depends = std::vector<MigrationRef>{ref_to(fork)};
    out.push_back(b1);
    out.push_back(merge_migration(i + 3, out[out.size() - 2], out.back()));  // joins a2 and b1
    last_table = a2_table;
    i += 4;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Write N synthetic migrations into a folder, for the benchmarks.",
               "generate_migrations");
  int count = 0;
  int merges = 0;
  std::string out_dir;
  app.add_option("--count", count, "How many migrations (merge points included)")
      ->required()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--out", out_dir, "Folder to write into (created; must hold no .sql file)")
      ->required();
  app.add_option("--merges", merges, "Merge points: two sibling branches joined by a merge")
      ->check(CLI::Range(0, 250000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help; else bad usage, as the tools
  }
  if (merges > 0 && count - 1 < 4 * merges) {
    fmt::print(stderr, "generate_migrations: --merges {} needs --count of at least {}\n", merges,
               4 * merges + 1);
    return 2;
  }
  try {
    std::filesystem::path dir(out_dir);
    std::filesystem::create_directories(dir);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".sql") {
        fmt::print(stderr,
                   "generate_migrations: {} already holds migrations ({}); use an empty "
                   "folder\n",
                   dir.string(), entry.path().filename().string());
        return 2;
      }
    }
    std::vector<Migration> migrations = generate(count, merges);
    for (const Migration& m : migrations) {
      migrate::create_new_file(dir / migrate::migration_file_name(m.id, m.slug),
                               migrate::write_migration(m));
    }
    migrate::write_head_file(dir, migrations.back().stem());
    fmt::print("{} migrations ({} merge points) in {}\n", migrations.size(), merges, dir.string());
  } catch (const std::exception& e) {
    fmt::print(stderr, "generate_migrations: {}\n", e.what());
    return 1;
  }
  return 0;
}
