#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "migration/migration_dir.hpp"
#include "migration/parse_cache.hpp"
#include "support/temp_dir.hpp"
#include "util/error.hpp"
#include "util/file_stamp.hpp"

using namespace migrate;
using migrate::test::read_text;
using migrate::test::TempDir;
using migrate::test::write_text;

namespace {

/// Every field, so that one the cache forgets shows up here.
void check_same_refs(const std::vector<MigrationRef>& a, const std::vector<MigrationRef>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id.text() == b[i].id.text());
    CHECK(a[i].text == b[i].text);
    CHECK(a[i].line == b[i].line);
  }
}

void check_same_section(const Section& a, const Section& b) {
  CHECK(a.sql == b.sql);
  CHECK(a.unread == b.unread);
  CHECK(a.unread_blank == b.unread_blank);
  CHECK(a.options == b.options);
  CHECK(a.file == b.file);
  CHECK(a.first_line == b.first_line);
}

void check_same(const Migration& a, const Migration& b) {
  INFO(a.file);
  CHECK(a.id.text() == b.id.text());
  CHECK(a.slug == b.slug);
  CHECK(a.file == b.file);
  CHECK(a.doc == b.doc);
  REQUIRE(a.depends.has_value() == b.depends.has_value());
  if (a.depends) {
    check_same_refs(*a.depends, *b.depends);
  }
  check_same_refs(a.replaces, b.replaces);
  check_same_section(a.up, b.up);
  REQUIRE(a.down.has_value() == b.down.has_value());
  if (a.down) {
    check_same_section(*a.down, *b.down);
  }
  CHECK(a.checksum == b.checksum);
  CHECK(a.format == b.format);
  CHECK(a.id.named() == b.id.named());
  CHECK(a.repeatable == b.repeatable);
}

/// A folder with every shape of migration the parser produces: doc lines, explicit and
/// implicit parents, a squash, section options, no down section, a golang-migrate pair (its
/// down section in another file) and one without its down file.
std::vector<Migration> varied_migrations(const TempDir& dir) {
  write_text(dir / "0001_users.sql",
             "-- Create users.\n--\n-- With a second paragraph.\n-- migrate:up\n"
             "CREATE TABLE users (id INTEGER);\n-- migrate:down\nDROP TABLE users;\n");
  write_text(dir / "0002_posts.sql",
             "-- depends: 0001_users\n-- migrate:up transaction:false\nCREATE TABLE posts (id "
             "INTEGER);\n\n-- migrate:down foreign_keys:off\nDROP TABLE posts;\n");
  write_text(dir / "0003_squash.sql",
             "-- Squash.\n-- depends: 0001 0002_posts\n-- replaces: 0001_users, 0002\n"
             "-- migrate:up\nSELECT 1;\n");
  write_text(dir / "000004_tags.up.sql", "CREATE TABLE tags (id INTEGER);\n");
  write_text(dir / "000004_tags.down.sql", "DROP TABLE tags;\n");
  write_text(dir / "000005_seed.up.sql", "-- Seed.\nINSERT INTO tags VALUES (1);\n");
  return read_migration_dir(dir.path());
}

/// The folder's files with content ids (as git gives blob ids), counting the reads.
std::vector<FolderFile> counted_files(const TempDir& dir, std::atomic<int>& reads) {
  std::vector<FolderFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::filesystem::path path = entry.path();
    files.push_back({path,
                     [path, &reads] {
                       ++reads;
                       return read_text(path);
                     },
                     "id-of-" + read_text(path)});
  }
  return files;
}

}  // namespace

TEST_CASE("parse_cache: every field of every shape of migration survives encode and decode",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> migrations = varied_migrations(dir);
  REQUIRE(migrations.size() == 5);
  TempDir flyway;  // a Flyway repeatable: its id a name
  write_text(flyway / "R__views.sql", "CREATE VIEW v AS SELECT 1;\n");
  std::vector<Migration> repeatable = read_migration_dir(flyway.path());
  REQUIRE(repeatable.size() == 1);
  REQUIRE(repeatable.front().repeatable);
  migrations.push_back(repeatable.front());
  for (const Migration& migration : migrations) {
    for (TextClues clues : {TextClues{}, TextClues{true, false, true, false, true},
                            TextClues{false, true, false, true, false}}) {
      std::optional<ParsedFile> back = ParseCache::decode(ParseCache::encode({migration, clues}));
      REQUIRE(back);
      check_same(back->migration, migration);
      CHECK(back->clues == clues);
    }
  }
}

TEST_CASE("parse_cache: sections read from the migration's own file share its path",
          "[migration][parse_cache]") {
  TempDir dir;
  // One path for a migration and its sections (SharedPath), parsed or decoded: a copy each was
  // a tenth of reading a large folder. A golang-migrate down file keeps its own.
  for (const Migration& migration : varied_migrations(dir)) {
    std::optional<ParsedFile> back = ParseCache::decode(ParseCache::encode({migration, {}}));
    REQUIRE(back);
    for (const Migration* m : std::vector<const Migration*>{&migration, &back->migration}) {
      INFO(m->file);
      CHECK(&m->up.file.get() == &m->file.get());
      if (m->down && m->down->file == m->file) {
        CHECK(&m->down->file.get() == &m->file.get());
      }
    }
  }
}

TEST_CASE("parse_cache: an outline survives encode and decode, knowing what was blank",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> migrations = varied_migrations(dir);
  // A down file left unread knows nothing of its blankness; an outline of it keeps that.
  std::vector<Migration> no_downs = read_migration_dir(dir.path(), {}, {}, nullptr, false);
  migrations.insert(migrations.end(), no_downs.begin(), no_downs.end());
  for (const Migration& migration : migrations) {
    Migration outline = migration.outline();
    CHECK(outline.up.unread);
    CHECK(outline.up.sql.empty());
    CHECK(outline.up.blank() == migration.up.blank());
    CHECK(outline.checksum == migration.checksum);
    if (migration.down && !migration.down->unread) {
      CHECK(outline.down->blank() == migration.down->blank());
      CHECK(outline.reversible() == migration.reversible());
    } else if (migration.down) {
      CHECK_THROWS_AS(outline.down->blank(), std::logic_error);
    }
    std::optional<ParsedFile> back = ParseCache::decode(ParseCache::encode({outline, {}}));
    REQUIRE(back);
    check_same(back->migration, outline);
  }
}

TEST_CASE("parse_cache: a folder read as outlines through a cache, then from it",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> whole = varied_migrations(dir);
  // Older than two seconds, so the stamps are trusted (ReadStart::racy).
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::filesystem::last_write_time(
        entry.path(), std::filesystem::last_write_time(entry.path()) - std::chrono::seconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // ctime, which no one sets back
  TempDir elsewhere;
  std::filesystem::path file = elsewhere / "outlines";
  ParseCache first;
  std::vector<Migration> cold = read_migration_dir(dir.path(), {}, {}, nullptr, true, &first);
  CHECK(first.kept_count() == 0);
  first.save(file);
  ParseCache cache = ParseCache::load(file);
  std::vector<Migration> warm = read_migration_dir(dir.path(), {}, {}, nullptr, true, &cache);
  CHECK(cache.kept_count() == whole.size());
  REQUIRE(cold.size() == whole.size());
  REQUIRE(warm.size() == whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    check_same(cold[i], whole[i].outline());
    check_same(warm[i], whole[i].outline());
  }
  // An outline in the cache is never what a reader that wants the text gets.
  std::vector<FolderFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::filesystem::path path = entry.path();
    files.push_back({path, [path] { return read_text(path); }, stamp_of(path)->text()});
  }
  std::vector<Migration> read = read_migration_files(files, {}, &cache);
  REQUIRE(read.size() == whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    check_same(read[i], whole[i]);
  }
}

TEST_CASE("parse_cache: a name-ordered folder's migration keeps its stem id, a name or a number",
          "[migration][parse_cache]") {
  TempDir dir;
  write_text(dir / "1_create_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  write_text(dir / "1_create_a.down.sql", "DROP TABLE a;\n");
  write_text(dir / "1.up.sql", "SELECT 1;\n");
  std::vector<Migration> migrations =
      read_migration_dir(dir.path(), FormatChoice{MigrationFormat::stem, "test"});
  REQUIRE(migrations.size() == 2);
  CHECK_FALSE(migrations[0].id.named());  // 1: a number, as the state table reads it back
  CHECK(migrations[1].id.named());
  for (const Migration& migration : migrations) {
    std::optional<ParsedFile> back = ParseCache::decode(ParseCache::encode({migration, {}}));
    REQUIRE(back);
    check_same(back->migration, migration);
    CHECK(back->migration.id.named() == migration.id.named());
    CHECK(back->migration.id == migration.id);
  }
}

TEST_CASE("parse_cache: bytes that are cut short or too long do not decode",
          "[migration][parse_cache]") {
  TempDir dir;
  for (const Migration& migration : varied_migrations(dir)) {
    std::string bytes = ParseCache::encode({migration, {}});
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      INFO(migration.file << " cut to " << size << " bytes");
      CHECK_FALSE(ParseCache::decode(std::string_view(bytes).substr(0, size)));
    }
    CHECK_FALSE(ParseCache::decode(bytes + "x"));
  }
}

TEST_CASE("parse_cache: saved, loaded, and found by key, unused entries are dropped",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> migrations = varied_migrations(dir);
  std::filesystem::path file = dir / "cache";
  {
    ParseCache cache;
    cache.store("a", {migrations[0], {}});
    cache.store("b", {migrations[1], {}});
    CHECK(cache.worth_saving());
    cache.save(file);
  }
  ParseCache loaded = ParseCache::load(file);
  REQUIRE(loaded.find("a"));
  check_same(loaded.find("a")->migration, migrations[0]);
  check_same(loaded.find("b")->migration, migrations[1]);
  CHECK_FALSE(loaded.find("c"));
  // Saved again after a run that used only "a" and parsed "c": "b" is gone.
  loaded.keep("a");
  loaded.store("c", {migrations[2], {}});
  loaded.save(file);
  ParseCache again = ParseCache::load(file);
  CHECK(again.find("a"));
  CHECK_FALSE(again.find("b"));
  REQUIRE(again.find("c"));
  check_same(again.find("c")->migration, migrations[2]);
}

TEST_CASE("parse_cache: a missing, damaged or foreign file loads as an empty cache",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> migrations = varied_migrations(dir);
  std::filesystem::path file = dir / "cache";
  CHECK_FALSE(ParseCache::load(file).find("a"));  // none yet

  ParseCache cache;
  cache.store("a", {migrations[0], {}});
  cache.save(file);
  const std::string good = read_text(file);
  REQUIRE(ParseCache::load(file).find("a"));

  SECTION("a byte changed anywhere") {
    for (std::size_t at : {std::size_t{0}, good.size() / 2, good.size() - 1}) {
      std::string damaged = good;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
      write_text(file, damaged);
      INFO("byte " << at);
      CHECK_FALSE(ParseCache::load(file).find("a"));
    }
  }
  SECTION("cut short") {
    write_text(file, good.substr(0, good.size() - 10));
    CHECK_FALSE(ParseCache::load(file).find("a"));
    write_text(file, "");
    CHECK_FALSE(ParseCache::load(file).find("a"));
  }
  SECTION("written by a parser with another fingerprint") {
    std::string other = good;
    std::size_t space = other.find(' ', std::string_view("migrate parse cache").size() + 1);
    REQUIRE(space != std::string::npos);
    other[space + 1] = other[space + 1] == '0' ? '1' : '0';
    write_text(file, other);
    CHECK_FALSE(ParseCache::load(file).find("a"));
  }
  SECTION("a folder where the file should be") {
    std::filesystem::remove(file);
    std::filesystem::create_directories(file);
    CHECK_FALSE(ParseCache::load(file).find("a"));
  }
}

TEST_CASE("parse_cache: read_migration_files reads a file again only when its content changed",
          "[migration][parse_cache]") {
  TempDir dir;
  std::vector<Migration> uncached = varied_migrations(dir);
  std::atomic<int> reads = 0;
  ParseCache cache;

  std::vector<Migration> first = read_migration_files(counted_files(dir, reads), {}, &cache);
  CHECK(reads == 6);  // every file once
  CHECK(cache.worth_saving());

  reads = 0;
  std::vector<Migration> second = read_migration_files(counted_files(dir, reads), {}, &cache);
  CHECK(reads == 0);
  REQUIRE(second.size() == uncached.size());
  for (std::size_t i = 0; i < uncached.size(); ++i) {
    check_same(first[i], uncached[i]);
    check_same(second[i], uncached[i]);
  }

  // New content is a new id: that file (and only it) is read, and its new text is what counts.
  write_text(dir / "0002_posts.sql", "-- depends: 0001\n-- migrate:up\nSELECT 2;\n");
  reads = 0;
  std::vector<Migration> third = read_migration_files(counted_files(dir, reads), {}, &cache);
  CHECK(reads == 1);
  CHECK(third[1].up.sql == "SELECT 2;");

  // The half of a pair changed: the pair is read again.
  write_text(dir / "000004_tags.down.sql", "DROP TABLE tags; -- now\n");
  reads = 0;
  std::vector<Migration> fourth = read_migration_files(counted_files(dir, reads), {}, &cache);
  CHECK(reads == 2);
  CHECK(fourth[3].down->sql == "DROP TABLE tags; -- now");
}

TEST_CASE("parse_cache: a file that does not parse is never remembered",
          "[migration][parse_cache]") {
  TempDir dir;
  write_text(dir / "0001_bad.sql", "-- depends: nothing-like-an-id\nSELECT 1;\n");
  std::atomic<int> reads = 0;
  ParseCache cache;
  for (int run = 0; run < 2; ++run) {
    CHECK_THROWS_AS(read_migration_files(counted_files(dir, reads), {}, &cache), ParseError);
  }
  CHECK(reads == 2);  // read and refused both times
  CHECK_FALSE(cache.worth_saving());
}

TEST_CASE("parse_cache: rewritten when a run parsed or dropped a share of it, not for one file",
          "[migration][parse_cache]") {
  TempDir dir;
  Migration migration = varied_migrations(dir).front();
  std::filesystem::path file = dir / "cache";
  {
    ParseCache cache;
    for (int i = 0; i < 1000; ++i) {
      cache.store(std::to_string(i), {migration, {}});
    }
    CHECK(cache.worth_saving());  // a first run: everything is new
    cache.save(file);
  }
  ParseCache cache = ParseCache::load(file);
  auto keep_first = [&](int count) {
    for (int i = 0; i < count; ++i) {
      cache.keep(std::to_string(i));
    }
  };
  SECTION("every entry used, nothing new") {
    keep_first(1000);
    CHECK_FALSE(cache.worth_saving());
  }
  SECTION("one migration added: parsed again next time rather than rewriting the file") {
    keep_first(1000);
    cache.store("new", {migration, {}});
    CHECK_FALSE(cache.worth_saving());
  }
  SECTION("a few percent new") {
    keep_first(1000);
    for (int i = 0; i < 20; ++i) {
      cache.store("new " + std::to_string(i), {migration, {}});
    }
    CHECK(cache.worth_saving());
  }
  SECTION("a few percent no longer used (squashed and pruned)") {
    keep_first(980);
    CHECK(cache.worth_saving());
  }
}

TEST_CASE("parse_cache: a file remembered with one format's rules is read again for another",
          "[migration][parse_cache]") {
  TempDir dir;
  write_text(dir / "20240101000000_seed.sql",
             "-- migrate:up\nINSERT INTO t VALUES (1);\n-- migrate:down\n");
  std::atomic<int> reads = 0;
  ParseCache cache;
  // Detected as dbmate's: its clues come from the one read.
  std::vector<Migration> first = read_migration_files(counted_files(dir, reads), {}, &cache);
  CHECK(reads == 1);
  CHECK(first[0].format == MigrationFormat::dbmate);
  CHECK(first[0].reversible());
  // Detected again from the remembered clues: nothing read.
  reads = 0;
  CHECK(read_migration_files(counted_files(dir, reads), {}, &cache)[0].format ==
        MigrationFormat::dbmate);
  CHECK(reads == 0);
  // With a HEAD file it is ours: the remembered dbmate reading is not served.
  reads = 0;
  std::vector<Migration> ours = read_migration_files(counted_files(dir, reads), {true}, &cache);
  CHECK(reads == 1);
  CHECK(ours[0].format == MigrationFormat::migrate);
  CHECK_FALSE(ours[0].reversible());
  reads = 0;
  FolderFormat chosen{false, FormatChoice{MigrationFormat::migrate, "--format migrate"}};
  CHECK(read_migration_files(counted_files(dir, reads), chosen, &cache)[0].format ==
        MigrationFormat::migrate);
  CHECK(reads == 0);
}

TEST_CASE(
    "parse_cache: a goose file with ENVSUB is never remembered, so never served expanded "
    "for another environment",
    "[migration][parse_cache]") {
  TempDir dir;
  write_text(dir / "00001_plain.sql", "-- +goose Up\nCREATE TABLE a (x int);\n");
  write_text(dir / "00002_env.sql",
             "-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE ${NAME} (x int);\n");
  std::atomic<int> reads = 0;
  ParseCache cache;
  auto as = [](std::string value) {
    return GooseSettings{[value](std::string_view) -> std::optional<std::string> { return value; }};
  };
  std::vector<Migration> first =
      read_migration_files(counted_files(dir, reads), {}, &cache, as("alice"));
  CHECK(first[1].up.sql == "CREATE TABLE alice (x int);");
  reads = 0;
  std::vector<Migration> second =
      read_migration_files(counted_files(dir, reads), {}, &cache, as("bob"));
  CHECK(reads == 1);  // the plain file came from the cache, the ENVSUB one was read again
  CHECK(second[1].up.sql == "CREATE TABLE bob (x int);");
  CHECK(second[1].checksum == first[1].checksum);
}
