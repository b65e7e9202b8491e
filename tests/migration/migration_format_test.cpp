#include <catch2/catch.hpp>

#include "migration/migration_format.hpp"

using namespace migrate;
using Catch::Contains;
using F = MigrationFormat;

namespace {

/// A single file whose text has the given clues.
FileClues single(std::string name, TextClues text) {
  return {std::move(name), text};
}

constexpr TextClues kBothMarkers{false, true, true, false, false};
constexpr TextClues kUpOnly{false, true, false, false, false};

FormatDetection detect(std::vector<FileClues> files, bool head = false) {
  return detect_format(head, files);
}

}  // namespace

TEST_CASE("migration_format: names, in any case, and which formats are read", "[migration]") {
  for (F format : {F::migrate, F::dbmate, F::golang_migrate, F::goose, F::flyway, F::stem}) {
    CHECK(format_from_name(format_name(format)) == format);
  }
  CHECK(format_name(F::golang_migrate) == "golang-migrate");
  CHECK(format_from_name("DBMate") == F::dbmate);
  CHECK_FALSE(format_from_name("golang_migrate"));
  CHECK_FALSE(format_from_name(""));
  CHECK(readable_format_names() == "migrate, dbmate, golang-migrate, goose, flyway or stem");
}

TEST_CASE(
    "migration_format: an empty down section reverts nothing in dbmate's, goose's and "
    "name-ordered folders",
    "[migration]") {
  CHECK(empty_down_reverts_nothing(F::dbmate));
  CHECK(empty_down_reverts_nothing(F::goose));
  CHECK(empty_down_reverts_nothing(F::stem));  // maragudk/migrate runs the empty file
  CHECK_FALSE(empty_down_reverts_nothing(F::migrate));
  CHECK_FALSE(empty_down_reverts_nothing(F::golang_migrate));
  // Single files are read with dbmate's rules in a dbmate folder, with ours everywhere else.
  CHECK(single_file_rules(F::dbmate) == F::dbmate);
  CHECK(single_file_rules(F::migrate) == F::migrate);
  CHECK(single_file_rules(F::golang_migrate) == F::migrate);
  CHECK(single_file_rules(F::goose) == F::goose);
}

TEST_CASE("migration_format: Flyway's file names", "[migration]") {
  for (const char* name : {"V1__init.sql", "V1.1__more.sql", "V2_10__x.SQL", "V001__x.sql",
                           "U3__undo.sql", "B5__baseline.sql", "R__views.sql", "V1__.sql"}) {
    INFO(name);
    CHECK(flyway_file_name(name));
  }
  for (const char* name : {"V1_init.sql", "v1__init.sql", "Rx__views.sql", "V__x.sql", "Vx__x.sql",
                           "1__x.sql", "V1__init.txt", "R__", "V1.a__x.sql"}) {
    INFO(name);
    CHECK_FALSE(flyway_file_name(name));
  }
}

TEST_CASE("migration_format: an empty folder, or one nothing marks, is ours", "[migration]") {
  CHECK(detect({}).format == F::migrate);
  CHECK(detect({}).reason.empty());
  FormatDetection unknown = detect({single("1_a.sql", {}), {"notes.sql", {}}});
  CHECK(unknown.format == F::migrate);
  CHECK(unknown.reason.empty());
}

TEST_CASE("migration_format: HEAD, or a depends:/replaces: line, makes a folder ours",
          "[migration]") {
  std::vector<FileClues> dbmate_like{single("1_a.sql", kBothMarkers),
                                     single("2_b.sql", kBothMarkers)};
  FormatDetection head = detect(dbmate_like, true);
  CHECK(head.format == F::migrate);
  CHECK(head.reason == "it has a HEAD file, which migrate writes");

  dbmate_like.push_back(single("4_d.sql", {true, true, true, false, false}));
  dbmate_like.push_back(single("3_c.sql", {true, true, true, false, false}));
  FormatDetection depends = detect(dbmate_like);
  CHECK(depends.format == F::migrate);
  CHECK(depends.reason ==
        "3_c.sql has a '-- depends:' or '-- replaces:' line, which only migrate's files have");

  // Beside golang-migrate pairs too: the folder is ours, and ours reads pairs.
  CHECK(detect({{"1_a.up.sql", {}}, {"1_a.down.sql", {}}}, true).format == F::migrate);
}

TEST_CASE("migration_format: a file without any down marker makes a folder ours", "[migration]") {
  FormatDetection detection = detect({single("1_a.sql", kBothMarkers), single("2_b.sql", kUpOnly)});
  CHECK(detection.format == F::migrate);
  CHECK(detection.reason ==
        "2_b.sql has no '-- migrate:down' line, which dbmate requires and migrate does not");
  // An indented down marker is one dbmate does not see, but it was meant as one: the file is a
  // broken dbmate file, not a sign of ours.
  CHECK(detect(
            {single("1_a.sql", kBothMarkers), single("2_b.sql", {false, true, false, true, false})})
            .format == F::dbmate);
}

TEST_CASE("migration_format: markers at the start of lines, and nothing of ours, is dbmate",
          "[migration]") {
  FormatDetection detection =
      detect({single("20240101000000_a.sql", kBothMarkers), {"README.md", {}}});
  CHECK(detection.format == F::dbmate);
  CHECK_THAT(detection.reason, Contains("'-- migrate:up' and '-- migrate:down' lines"));
}

TEST_CASE("migration_format: golang-migrate pairs, alone or beside single files", "[migration]") {
  FormatDetection pairs = detect({{"000001_a.up.sql", {}}, {"000001_a.down.sql", {}}});
  CHECK(pairs.format == F::golang_migrate);
  CHECK(pairs.reason == "000001_a.down.sql is named as golang-migrate names its files");
  // Mixed with single files (read with our rules, as they always were): still golang-migrate's,
  // unless something says it is ours.
  CHECK(detect({{"1_a.up.sql", {}}, single("2_b.sql", kBothMarkers)}).format == F::golang_migrate);
  CHECK(detect({{"1_a.up.sql", {}}, single("2_b.sql", kUpOnly)}).format == F::migrate);
  // A name that only looks like a half is not one.
  CHECK(detect({{"a.up.sql", {}}}).format == F::migrate);
}

TEST_CASE("migration_format: goose and Flyway folders are recognised", "[migration]") {
  FormatDetection goose = detect({single("00002_b.sql", {false, false, false, false, true}),
                                  single("00001_a.sql", {false, false, false, false, true})});
  CHECK(goose.format == F::goose);
  CHECK(goose.reason == "00001_a.sql has '-- +goose' annotations");
  FormatDetection flyway = detect({{"V2__b.sql", {}}, {"V1__a.sql", {}}});
  CHECK(flyway.format == F::flyway);
  CHECK(flyway.reason == "V1__a.sql is named as Flyway names its migrations");
  // One goose file among dbmate's is a file that fails, not a goose folder.
  CHECK(detect({single("1_a.sql", kBothMarkers),
                single("2_b.sql", {false, false, false, false, true})})
            .format == F::dbmate);
}

TEST_CASE("migration_format: what a file that fails looks like", "[migration]") {
  CHECK_THAT(other_tool_hint({"00001_a.sql", {false, false, false, false, true}}),
             Contains("written for goose"));
  CHECK_THAT(other_tool_hint({"V1__init.sql", {}}), Contains("named as Flyway names"));
  CHECK(other_tool_hint({"0001_a.sql", kBothMarkers}).empty());
  // A name-ordered folder's names that are no golang-migrate half: `format = stem`.
  for (const char* name : {"0001_create_a_up.sql", "0001_create_a_down.sql", "1-accounts.up.sql",
                           "accounts.down.sql"}) {
    INFO(name);
    CHECK_THAT(other_tool_hint({name, {}}), Contains("`format = stem`"));
  }
  // A golang-migrate half fails for its own reasons; a single file of ours is no stem.
  CHECK(other_tool_hint({"0001_create_a.up.sql", {}}).empty());
  CHECK(other_tool_hint({"0001_a.sql", {}}).empty());
}

TEST_CASE("migration_format: a name-ordered folder is never detected: it reads as golang-migrate's",
          "[migration]") {
  // Two up files sharing a version are also two branches' golang-migrate migrations, which
  // migrate-renumber fixes: reading them as stems would change every id the state table holds.
  FormatDetection shared = detect(
      {{"0001_create_a.up.sql", {}}, {"0001_create_b.up.sql", {}}, {"0002_index_a.up.sql", {}}});
  CHECK(shared.format == F::golang_migrate);
  CHECK(detect({{"0001_create_a_up.sql", {}}, {"0001_create_a_down.sql", {}}}).format ==
        F::migrate);
}
