// The replay snapshot: a replay that starts from the database the last one built gives what a
// replay from empty gives, or it is not used. Real SQLite databases, real snapshot files.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/connection.hpp"
#include "db/schema_readers.hpp"
#include "diff/dev_database.hpp"
#include "diff/replay.hpp"
#include "diff/replay_snapshot.hpp"
#include "graph/revision_spec.hpp"
#include "plan/plan.hpp"
#include "schema/schema_dump.hpp"
#include "support/migration_builder.hpp"
#include "support/temp_dir.hpp"

using namespace migrate;
using namespace migrate::test;

namespace {

const std::vector<std::string> kSteps = {std::string(32, 'a'), std::string(32, 'b')};

/// Migration 1 keeps a random number: it tells a database that started from the snapshot
/// (the number of the replay that kept it) from one replayed from empty (a new number).
std::vector<Migration> history(std::size_t count) {
  std::vector<Migration> migrations = {make_migration(
      "1", {}, "CREATE TABLE seed (n INTEGER); INSERT INTO seed VALUES (random());")};
  for (std::size_t i = 2; i <= count; ++i) {
    std::string id = std::to_string(i);
    migrations.push_back(make_migration(id, {{std::to_string(i - 1)}},
                                        "CREATE TABLE t" + id + " (id INTEGER PRIMARY KEY);"));
  }
  return migrations;
}

struct Replayed {
  std::string schema;  ///< the dump, without the development state table
  std::string seed;    ///< migration 1's random number
};

Replayed replay(DevDatabases& dev, const RevisionGraph& graph) {
  std::unique_ptr<DevDatabase> database =
      replayed_database(dev, graph, parse_revision_spec("heads"));
  SchemaReadOptions options;
  options.excluded_tables.emplace_back(kDevStateTable);
  return {dump_schema(read_schema(database->connection(), options)),
          database->connection().query("SELECT n FROM seed").at(0).at(0).value_or("")};
}

/// The replay from empty: no snapshot kept.
Replayed fresh(const RevisionGraph& graph) {
  DevDatabases dev("sqlite", "");
  return replay(dev, graph);
}

/// How many steps the snapshot in `file` holds, from its "steps N" line; 0 when there is none.
std::size_t held(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    return 0;
  }
  std::string text = read_text(file);
  std::size_t at = text.find("\nsteps ");
  return at == std::string::npos ? 0 : std::stoul(text.substr(at + 7));
}

/// A replay of `graph` from `dev` is what one from empty gives, and it did not start from the
/// snapshot that gave `kept` (migration 1 ran again).
void check_from_empty(DevDatabases& dev, const RevisionGraph& graph, const Replayed& kept) {
  Replayed replayed = replay(dev, graph);
  CHECK(replayed.schema == fresh(graph).schema);
  CHECK(replayed.seed != kept.seed);
}

}  // namespace

TEST_CASE("replay snapshot: what encode_snapshot writes, decode_snapshot reads back",
          "[diff][replay_snapshot]") {
  std::string image("SQLite format 3\0\x01\n\xff", 20);
  std::string text = encode_snapshot("build 1\nsqlite", kSteps, image);
  std::optional<SnapshotContents> read = decode_snapshot(text, "build 1\nsqlite");
  REQUIRE(read);
  CHECK(read->steps == kSteps);
  CHECK(read->image == image);
  CHECK(image_intact(*read));

  SECTION("another build's is not read") {
    CHECK_FALSE(decode_snapshot(text, "build 2\nsqlite"));
  }
  SECTION("a changed byte of the image") {
    text.back() ^= 1;
    std::optional<SnapshotContents> changed = decode_snapshot(text, "build 1\nsqlite");
    REQUIRE(changed);
    CHECK_FALSE(image_intact(*changed));
  }
  SECTION("cut short, or longer than written") {
    CHECK_FALSE(decode_snapshot(text.substr(0, text.size() - 1), "build 1\nsqlite"));
    CHECK_FALSE(decode_snapshot(text + "x", "build 1\nsqlite"));
    CHECK_FALSE(decode_snapshot(text.substr(0, 40), "build 1\nsqlite"));
  }
  SECTION("a step count larger than the file") {
    std::size_t at = text.find("steps 2");
    text.replace(at, 7, "steps 99999999999");
    CHECK_FALSE(decode_snapshot(text, "build 1\nsqlite"));
  }
  SECTION("not a snapshot") {
    CHECK_FALSE(decode_snapshot("", "build 1\nsqlite"));
    CHECK_FALSE(decode_snapshot("SQLite format 3", "build 1\nsqlite"));
  }
}

TEST_CASE("replay snapshot: only the first steps of a replay are held", "[diff][replay_snapshot]") {
  std::vector<std::string> fresh = {"a", "b", "c"};
  CHECK(steps_held({"a", "b"}, fresh) == 2);
  CHECK(steps_held({"a", "b", "c"}, fresh) == 3);
  CHECK(steps_held({}, fresh) == 0);
  CHECK(steps_held({"b"}, fresh) == 0);                 // not from the start
  CHECK(steps_held({"a", "c"}, fresh) == 0);            // a step between came in
  CHECK(steps_held({"a", "b", "c", "d"}, fresh) == 0);  // more than this replay does
}

TEST_CASE("replay snapshot: a step's fingerprint changes with what the executor does",
          "[diff][replay_snapshot]") {
  auto fingerprints = [](const std::vector<Migration>& migrations) {
    RevisionGraph graph(migrations);
    Plan plan;
    for (std::size_t i = 0; i < graph.size(); ++i) {
      plan.steps.push_back(make_step(PlanStep::Kind::apply, graph.at(i), graph.at(i).up, ""));
    }
    return step_fingerprints(plan);
  };
  std::vector<Migration> migrations = history(2);
  std::vector<std::string> before = fingerprints(migrations);
  REQUIRE(before.size() == 2);
  CHECK(before[0] != before[1]);
  CHECK(fingerprints(migrations) == before);
  SECTION("its SQL") {
    migrations[1].up.sql += " ";
  }
  SECTION("its transaction mode") {
    migrations[1].up.options.transaction = false;
  }
  SECTION("its foreign-key switch") {
    migrations[1].up.options.foreign_keys = false;
  }
  std::vector<std::string> after = fingerprints(migrations);
  CHECK(after[0] == before[0]);
  CHECK(after[1] != before[1]);
}

TEST_CASE(
    "replay snapshot: a replay starts from the last one's database and gives what a "
    "replay from empty gives",
    "[diff][replay_snapshot]") {
  TempDir dir;
  std::filesystem::path file = dir / "replay-sqlite";
  DevDatabases first("sqlite", "");
  first.keep_replays_in(file);
  Replayed kept = replay(first, RevisionGraph(history(3)));
  CHECK(held(file) == 3);
  CHECK(kept.schema == fresh(RevisionGraph(history(3))).schema);

  DevDatabases next("sqlite", "");
  next.keep_replays_in(file);
  SECTION("a migration added after them: only it runs") {
    RevisionGraph graph(history(4));
    Replayed replayed = replay(next, graph);
    Replayed from_empty = fresh(graph);
    CHECK(replayed.schema == from_empty.schema);
    CHECK(replayed.seed == kept.seed);  // migration 1 did not run again
    CHECK(from_empty.seed != kept.seed);
    CHECK(held(file) == 4);
  }
  SECTION("the same migrations: nothing runs") {
    Replayed replayed = replay(next, RevisionGraph(history(3)));
    CHECK(replayed.schema == kept.schema);
    CHECK(replayed.seed == kept.seed);
  }
  SECTION("a held migration edited since: replayed from empty") {
    std::vector<Migration> migrations = history(4);
    migrations[1].up.sql = "CREATE TABLE t2 (id INTEGER PRIMARY KEY, name TEXT);";
    RevisionGraph graph(migrations);
    check_from_empty(next, graph, kept);
    CHECK(held(file) == 4);
  }
  SECTION("a migration that runs before held ones now: replayed from empty") {
    // 3 now follows 9, which follows 1: the replay is 1, 9, 2, 3, not 1, 2, 3 and more.
    std::vector<Migration> migrations = history(3);
    migrations.push_back(make_migration("9", {{"1"}}, "CREATE TABLE nine (id INTEGER);"));
    migrations[1].depends = std::vector<MigrationRef>{{*MigrationId::from_digits("9"), "9", 0}};
    RevisionGraph graph(migrations);
    check_from_empty(next, graph, kept);
  }
  SECTION("fewer migrations than held (another branch): replayed from empty") {
    RevisionGraph graph(history(2));
    check_from_empty(next, graph, kept);
    CHECK(held(file) == 2);
  }
  SECTION("a damaged snapshot is not used, and is replaced") {
    std::string text = read_text(file);
    text[text.size() / 2] ^= 0x20;
    write_text(file, text);
    RevisionGraph graph(history(4));
    check_from_empty(next, graph, kept);
    CHECK(held(file) == 4);
  }
  SECTION("another build's snapshot is not used") {
    std::string text = read_text(file);
    text.replace(text.find("settings ") + 9, 1,
                 text[text.find("settings ") + 9] == '0' ? "1" : "0");
    write_text(file, text);
    Replayed replayed = replay(next, RevisionGraph(history(3)));
    CHECK(replayed.seed != kept.seed);
  }
}

TEST_CASE("replay snapshot: a step that fails on the snapshot is run again from empty",
          "[diff][replay_snapshot]") {
  // A snapshot whose image is not what its steps say (no seed table): migration 2 fails on it,
  // and only a replay from empty can say whether that is the migrations' fault.
  TempDir dir;
  std::filesystem::path file = dir / "replay-sqlite";
  std::filesystem::path other = dir / "other";
  std::vector<Migration> migrations = history(1);
  {
    DevDatabases dev("sqlite", "");
    dev.keep_replays_in(file);
    replay(dev, RevisionGraph(migrations));
    DevDatabases elsewhere("sqlite", "");
    elsewhere.keep_replays_in(other);
    replayed_database(elsewhere,
                      RevisionGraph({make_migration("1", {}, "CREATE TABLE unrelated (x);")}),
                      parse_revision_spec("heads"));
  }
  std::string held_text = read_text(file);
  std::string other_text = read_text(other);
  write_text(file, held_text.substr(0, held_text.find("\nimage ")) +
                       other_text.substr(other_text.find("\nimage ")));
  REQUIRE(held(file) == 1);
  migrations.push_back(
      make_migration("2", {{"1"}}, "INSERT INTO seed VALUES (1); CREATE TABLE t2 (id INTEGER);"));
  RevisionGraph graph(migrations);
  DevDatabases dev("sqlite", "");
  dev.keep_replays_in(file);
  CHECK(replay(dev, graph).schema == fresh(graph).schema);
  CHECK(held(file) == 2);  // the fresh replay was kept

  SECTION("and a step that fails from empty too is the migrations' error") {
    migrations.push_back(make_migration("3", {{"2"}}, "INSERT INTO nowhere VALUES (1);"));
    RevisionGraph failing(migrations);
    DevDatabases again("sqlite", "");
    again.keep_replays_in(file);
    CHECK_THROWS_WITH(replay(again, failing), Catch::Contains("nowhere"));
  }
}

TEST_CASE("replay snapshot: none is kept while the connection holds what the image does not",
          "[diff][replay_snapshot]") {
  // From empty, a TEMP table of migration 1 is what a later unqualified name finds first, and
  // a TEMP trigger fires in later migrations: a snapshot of main alone would replay otherwise.
  TempDir dir;
  std::filesystem::path file = dir / "replay-sqlite";
  std::vector<Migration> migrations = history(2);
  SECTION("a TEMP table") {
    migrations[1].up.sql += " CREATE TEMP TABLE archive AS SELECT * FROM seed;";
  }
  SECTION("a TEMP trigger") {
    migrations[1].up.sql +=
        " CREATE TEMP TRIGGER count_seed AFTER INSERT ON seed BEGIN SELECT 1; END;";
  }
  SECTION("an attached database") {
    migrations[1].up.sql += " ATTACH DATABASE ':memory:' AS side;";
  }
  DevDatabases dev("sqlite", "");
  dev.keep_replays_in(file);
  replay(dev, RevisionGraph(migrations));
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("replay snapshot: none is kept after a PRAGMA, which changes the connection",
          "[diff][replay_snapshot]") {
  TempDir dir;
  std::filesystem::path file = dir / "replay-sqlite";
  std::vector<Migration> migrations = history(2);
  migrations[1].up.sql += " PRAGMA recursive_triggers = ON;";
  DevDatabases dev("sqlite", "");
  dev.keep_replays_in(file);
  replay(dev, RevisionGraph(migrations));
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("replay snapshot: none is kept of a database larger than the limit",
          "[diff][replay_snapshot]") {
  TempDir dir;
  std::filesystem::path file = dir / "replay-sqlite";
  std::vector<Migration> migrations = history(2);
  migrations[1].up.sql +=
      fmt::format(" CREATE TABLE big (b BLOB); INSERT INTO big VALUES (zeroblob({}));",
                  ReplaySnapshot::kLargestImage + 1);
  DevDatabases dev("sqlite", "");
  dev.keep_replays_in(file);
  replay(dev, RevisionGraph(migrations));
  CHECK_FALSE(std::filesystem::exists(file));
  migrations.pop_back();  // the same without it: kept
  replay(dev, RevisionGraph(migrations));
  CHECK(held(file) == 1);
}
