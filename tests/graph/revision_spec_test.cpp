#include <catch2/catch.hpp>

#include "graph/revision_graph.hpp"
#include "graph/revision_spec.hpp"
#include "support/migration_builder.hpp"
#include "util/error.hpp"

using namespace migrate;
using Catch::Contains;
using Catch::StartsWith;
using migrate::test::make_migration;

namespace {

using Ids = std::vector<std::string>;

Migration named(std::string_view id, std::string slug,
                std::optional<std::vector<std::string>> depends = std::nullopt) {
  Migration m = make_migration(id, std::move(depends));
  m.slug = std::move(slug);
  m.file = "migrations/" + m.stem() + ".sql";
  return m;
}

/// 202611201010_create_users ─ 202611201020_add_email ─ 202611211423_add_phone
RevisionGraph linear() {
  return RevisionGraph({named("202611201010", "create_users"), named("202611201020", "add_email"),
                        named("202611211423", "add_phone")});
}

/// 202611201010 ─ 202611201020 ─ 202611211423 (head)
///             └─ 202612010900 (head)
RevisionGraph two_heads() {
  return RevisionGraph({named("202611201010", "create_users"), named("202611201020", "add_email"),
                        named("202611211423", "add_phone"),
                        named("202612010900", "orders", Ids{"202611201010"})});
}

Ids resolve(const RevisionGraph& graph, std::string_view text) {
  Ids out;
  for (std::size_t i : resolve_revision(graph, parse_revision_spec(text))) {
    out.push_back(graph.at(i).id.text());
  }
  return out;
}

std::string resolve_error(const RevisionGraph& graph, std::string_view text) {
  try {
    resolve_revision(graph, parse_revision_spec(text));
  } catch (const GraphError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no GraphError for " << text);
  return {};
}

std::string usage_error(std::string_view text) {
  try {
    parse_revision_spec(text);
  } catch (const UsageError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no UsageError for '" << text << "'");
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing

TEST_CASE("revision: parse the keywords", "[graph]") {
  CHECK(parse_revision_spec("head").kind == RevisionSpec::Kind::head);
  CHECK(parse_revision_spec("heads").kind == RevisionSpec::Kind::heads);
  CHECK(parse_revision_spec("base").kind == RevisionSpec::Kind::base);
  CHECK(parse_revision_spec(" head ").kind == RevisionSpec::Kind::head);
  CHECK(parse_revision_spec(" head ").text == " head ");
}

TEST_CASE("revision: parse -N and +N", "[graph]") {
  RevisionSpec spec = parse_revision_spec("-1");
  CHECK(spec.kind == RevisionSpec::Kind::relative);
  CHECK(spec.steps == -1);
  spec = parse_revision_spec("+3");
  CHECK(spec.kind == RevisionSpec::Kind::relative);
  CHECK(spec.steps == 3);
  spec = parse_revision_spec("-12");
  CHECK(spec.steps == -12);
  CHECK(spec.text == "-12");
}

TEST_CASE("revision: parse refs with and without ~N", "[graph]") {
  RevisionSpec spec = parse_revision_spec("202611211423");
  CHECK(spec.kind == RevisionSpec::Kind::ref);
  CHECK(spec.ref == "202611211423");
  CHECK(spec.steps == 0);
  spec = parse_revision_spec("202611211423~2");
  CHECK(spec.kind == RevisionSpec::Kind::ref);
  CHECK(spec.ref == "202611211423");
  CHECK(spec.steps == 2);
  spec = parse_revision_spec("202611211423_add_phone~");
  CHECK(spec.ref == "202611211423_add_phone");
  CHECK(spec.steps == 1);  // as git: "~" is "~1"
}

TEST_CASE("revision: malformed specifiers are usage errors", "[graph]") {
  CHECK_THAT(usage_error(""), StartsWith("an empty revision"));
  CHECK_THAT(usage_error("   "), StartsWith("an empty revision"));
  CHECK(usage_error("~2") == "revision '~2' has nothing before '~'");
  CHECK(usage_error("1~x") == "revision '1~x': 'x' is not a count");
  CHECK(usage_error("1~2~3") == "revision '1~2~3': '2~3' is not a count");
  CHECK(usage_error("1~-1") == "revision '1~-1': '-1' is not a count");
  CHECK(usage_error("1~+1") == "revision '1~+1': '+1' is not a count");
  CHECK(usage_error("-99999999999999") ==
        "revision '-99999999999999': '99999999999999' is not a count");
}

// ---------------------------------------------------------------------------------------------
// Resolving

TEST_CASE("revision: head, heads and base", "[graph]") {
  RevisionGraph graph = linear();
  CHECK(resolve(graph, "head") == Ids{"202611211423"});
  CHECK(resolve(graph, "heads") == Ids{"202611211423"});
  CHECK(resolve(graph, "base").empty());
  RevisionGraph branched = two_heads();
  CHECK(resolve(branched, "heads") == Ids{"202611211423", "202612010900"});
  CHECK(resolve(branched, "base").empty());
  RevisionGraph empty({});
  CHECK(resolve(empty, "head").empty());
  CHECK(resolve(empty, "heads").empty());
}

TEST_CASE("revision: head with several heads fails, naming them", "[graph]") {
  std::string message = resolve_error(two_heads(), "head");
  CHECK(message ==
        "there are 2 heads: 202611211423_add_phone, 202612010900_orders. Name one of "
        "them, use 'heads' for all, or join them with migrate-merge");
}

TEST_CASE("revision: head with many heads lists five and the count", "[graph]") {
  std::vector<Migration> migrations{make_migration("1")};
  for (int i = 2; i <= 8; ++i) {
    migrations.push_back(make_migration(std::to_string(i), Ids{"1"}));
  }
  std::string message = resolve_error(RevisionGraph(migrations), "head");
  CHECK_THAT(message, StartsWith("there are 7 heads: 2_m2, 3_m3, 4_m4, 5_m5, 6_m6, … (7 in all)."));
}

TEST_CASE("revision: a full id, a unique prefix, a file stem", "[graph]") {
  RevisionGraph graph = linear();
  CHECK(resolve(graph, "202611201020") == Ids{"202611201020"});
  CHECK(resolve(graph, "2026112114") == Ids{"202611211423"});
  CHECK(resolve(graph, "20261120101") == Ids{"202611201010"});
  CHECK(resolve(graph, "202611201020_add_email") == Ids{"202611201020"});
  CHECK(resolve_ref(graph, "202611201010_create_users") == 0);
  CHECK(resolve_ref(graph, "202611211423") == 2);
}

TEST_CASE("revision: ids match as numbers first, then as prefixes", "[graph]") {
  RevisionGraph graph({make_migration("000001"), make_migration("000002"), make_migration("000010"),
                       make_migration("000011")});
  CHECK(resolve(graph, "1") == Ids{"000001"});  // the number 1, not the prefix "1"
  CHECK(resolve(graph, "10") == Ids{"000010"});
  CHECK(resolve(graph, "000002") == Ids{"000002"});
  CHECK(resolve(graph, "00001") == Ids{"000001"});  // numerically 1
  CHECK(resolve(graph, "000001_m000001") == Ids{"000001"});
}

TEST_CASE("revision: an ambiguous prefix names the candidates", "[graph]") {
  std::string message = resolve_error(linear(), "2026112010");
  CHECK(message ==
        "revision '2026112010' is ambiguous: it starts 202611201010_create_users, "
        "202611201020_add_email. Write more digits, or the whole file stem");
  CHECK_THAT(resolve_error(linear(), "2026"), Contains("202611211423_add_phone"));
}

TEST_CASE("revision: unknown revisions", "[graph]") {
  RevisionGraph graph = linear();
  for (std::string_view text : {"202611201030", "3", "202611201020_add_mail", "add_email", "tip",
                                "202611201010x", "-", "202611201020~0x"}) {
    INFO(text);
    std::string message;
    try {
      message = resolve_error(graph, text);
    } catch (const UsageError& e) {
      message = "usage: " + std::string(e.what());
    }
    if (text == "202611201020~0x") {
      CHECK_THAT(message, StartsWith("usage: "));
      continue;
    }
    CHECK_THAT(message, StartsWith("unknown revision '"));
    CHECK_THAT(message, Contains("head, heads, base, -N, +N, <id>~N"));
  }
  CHECK_THAT(resolve_error(graph, "202611201020_add_mail"),
             StartsWith("unknown revision '202611201020_add_mail': no migration has that id"));
}

TEST_CASE("revision: <id>~N follows first parents", "[graph]") {
  RevisionGraph graph = linear();
  CHECK(resolve(graph, "202611211423~0") == Ids{"202611211423"});
  CHECK(resolve(graph, "202611211423~1") == Ids{"202611201020"});
  CHECK(resolve(graph, "202611211423~") == Ids{"202611201020"});
  CHECK(resolve(graph, "202611211423~2") == Ids{"202611201010"});
  CHECK(resolve(graph, "202611211423_add_phone~2") == Ids{"202611201010"});
  CHECK(resolve(graph, "2026112114~1") == Ids{"202611201020"});

  // a merge: ~1 is its first parent as written
  RevisionGraph merge({make_migration("1"), make_migration("2", Ids{"1"}),
                       make_migration("3", Ids{"1"}), make_migration("4", Ids{"3", "2"})});
  CHECK(resolve(merge, "4~1") == Ids{"3"});
  CHECK(resolve(merge, "4~2") == Ids{"1"});
}

TEST_CASE("revision: <id>~N past the root fails, naming the root", "[graph]") {
  std::string message = resolve_error(linear(), "202611211423~3");
  CHECK(message ==
        "revision '202611211423~3' goes past the first migration "
        "(202611201010_create_users has no parent)");
  CHECK_THAT(resolve_error(linear(), "202611201010~1"), StartsWith("revision '202611201010~1' "
                                                                   "goes past the first"));
}

TEST_CASE("revision: relative specifiers need the database", "[graph]") {
  try {
    resolve_revision(linear(), parse_revision_spec("-1"));
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    CHECK(std::string(e.what()) == "'-1' is relative to the database's state here");
  }
}

TEST_CASE("revision: Flyway versions: a dotted prefix stops at whole parts, 1_2 is 1.2",
          "[graph][flyway]") {
  std::vector<Migration> migrations;
  for (const char* version : {"1", "1.2", "1.10", "1.10.3"}) {
    Migration m;
    m.id = *MigrationId::from_text(version);
    m.slug = "v";
    migrations.push_back(std::move(m));
  }
  RevisionGraph graph(std::move(migrations));
  CHECK(resolve(graph, "1.2") == Ids{"1.2"});
  CHECK(resolve(graph, "1_2") == Ids{"1.2"});
  CHECK(resolve(graph, "1.10") == Ids{"1.10"});
  CHECK(resolve(graph, "1.10.3") == Ids{"1.10.3"});
  // 1.1 is no version here: not a prefix of 1.10 (parts are whole).
  CHECK_THROWS_WITH(resolve(graph, "1.1"), Catch::Contains("unknown revision '1.1'"));
  CHECK_THROWS_WITH(resolve(graph, "1_1"), Catch::Contains("unknown revision '1_1'"));
}

TEST_CASE("revision: a name-ordered folder's stems, whole or a unique prefix", "[graph]") {
  std::vector<Migration> migrations;
  for (const char* stem : {"0001_create_a", "0001_create_b", "0002_index_a", "1-accounts"}) {
    Migration m;
    m.id = MigrationId::from_row(stem);
    m.format = MigrationFormat::stem;
    migrations.push_back(std::move(m));
  }
  RevisionGraph graph(std::move(migrations));
  CHECK(resolve(graph, "0001_create_b") == Ids{"0001_create_b"});
  CHECK(resolve(graph, "0002") == Ids{"0002_index_a"});
  CHECK(resolve(graph, "1-acc") == Ids{"1-accounts"});
  CHECK(resolve(graph, "0002_index_a~2") == Ids{"0001_create_a"});
  CHECK(resolve_error(graph, "0001") ==
        "revision '0001' is ambiguous: it starts 0001_create_a, 0001_create_b. Write more digits, "
        "or the whole file stem");
  CHECK_THAT(resolve_error(graph, "0001_create"), Contains("is ambiguous"));
  CHECK_THAT(resolve_error(graph, "0003"), StartsWith("unknown revision '0003'"));
  CHECK_THAT(resolve_error(graph, "create_a"), StartsWith("unknown revision 'create_a'"));
}

TEST_CASE("revision: an id that is a name (a Flyway baseline's B5) resolves", "[graph]") {
  Migration baseline = make_migration("1");
  baseline.id = MigrationId::from_name("B5");
  baseline.file = "migrations/B5__base.sql";
  baseline.format = MigrationFormat::flyway;
  baseline.depends.emplace();
  RevisionGraph graph({make_migration("1"), baseline});
  CHECK(resolve_revision(graph, parse_revision_spec("B5")) == std::vector<std::size_t>{1});
  CHECK(resolve_revision(graph, parse_revision_spec("B5__base")) == std::vector<std::size_t>{1});
}
