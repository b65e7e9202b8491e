// postgres:// URLs, no server involved: migrate's own parameters (search_path, schema) taken
// out, everything else left for libpq, the parts read as libpq reads them, and errors that
// never show the password.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "db/database_url.hpp"
#include "db/postgres/postgres_url.hpp"
#include "util/error.hpp"

using namespace migrate;

namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

PostgresTarget parse(const std::string& text) {
  return parse_postgres_url(parse_database_url(text, "/"));
}

std::string url_error(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& e) {
    CHECK(e.exit_code() == ExitCode::bad_input);
    return e.what();
  }
  FAIL("no ConfigError for '" << text << "'");
  return {};
}

const std::string kForms =
    " (PostgreSQL URLs look like "
    "postgres://user:password@host:5432/database?sslmode=require&search_path=app)";

}  // namespace

TEST_CASE("postgres_url: a full URL", "[db]") {
  PostgresTarget target = parse(
      "postgres://alice:secret@db.example.com:6543/app?sslmode=require&search_path=app,public");
  CHECK(target.conninfo == "postgres://alice:secret@db.example.com:6543/app?sslmode=require");
  CHECK(target.search_path == std::vector<std::string>{"app", "public"});
  CHECK(target.user == "alice");
  CHECK(target.password == "secret");
  CHECK(target.host == "db.example.com");
  CHECK(target.port == "6543");
  CHECK(target.database == "app");
  CHECK(target.options == Options{{"user", "alice"},
                                  {"password", "secret"},
                                  {"dbname", "app"},
                                  {"host", "db.example.com"},
                                  {"port", "6543"},
                                  {"sslmode", "require"}});
}

TEST_CASE("postgres_url: search_path and schema are migrate's, not libpq's", "[db]") {
  SECTION("search_path first, others kept in order") {
    PostgresTarget target =
        parse("postgresql://u@h/db?search_path=one&sslmode=disable&application_name=ci");
    CHECK(target.conninfo == "postgresql://u@h/db?sslmode=disable&application_name=ci");
    CHECK(target.search_path == std::vector<std::string>{"one"});
  }
  SECTION("search_path in the middle") {
    PostgresTarget target = parse("postgresql://u@h/db?sslmode=disable&search_path=a&port=7");
    CHECK(target.conninfo == "postgresql://u@h/db?sslmode=disable&port=7");
    CHECK(target.search_path == std::vector<std::string>{"a"});
    CHECK(target.port == "7");
  }
  SECTION("the only parameter: no '?' left") {
    PostgresTarget target = parse("postgres://u@h/db?search_path=app");
    CHECK(target.conninfo == "postgres://u@h/db");
    CHECK(target.search_path == std::vector<std::string>{"app"});
  }
  SECTION("schema= (dbmate's other name)") {
    PostgresTarget target = parse("postgres://u@h/db?schema=tenant_1");
    CHECK(target.conninfo == "postgres://u@h/db");
    CHECK(target.search_path == std::vector<std::string>{"tenant_1"});
  }
  SECTION("comma lists, with spaces, %-encoded") {
    CHECK(parse("postgres://u@h/db?search_path=a,b,c").search_path ==
          std::vector<std::string>{"a", "b", "c"});
    CHECK(parse("postgres://u@h/db?search_path=a%2Cb").search_path ==
          std::vector<std::string>{"a", "b"});
    CHECK(parse("postgres://u@h/db?search_path=a%2c%20b").search_path ==
          std::vector<std::string>{"a", "b"});
    CHECK(parse("postgres://u@h/db?search_path=a,,b,").search_path ==
          std::vector<std::string>{"a", "b"});
    CHECK(parse("postgres://u@h/db?search_path=caf%C3%A9").search_path ==
          std::vector<std::string>{"café"});
    CHECK(parse("postgres://u@h/db?search_path=MyApp").search_path ==
          std::vector<std::string>{"MyApp"});
    CHECK(parse("postgres://u@h/db?search_path=100%25").search_path ==
          std::vector<std::string>{"100%"});
    // Longer than a short-string buffer: the names are copied out of the decoded text.
    CHECK(parse("postgres://u@h/db?search_path=a_rather_long_schema_name%2Canother_long_schema_"
                "name,and_a_third_one_that_is_long")
              .search_path == std::vector<std::string>{"a_rather_long_schema_name",
                                                       "another_long_schema_name",
                                                       "and_a_third_one_that_is_long"});
  }
  SECTION("empty, or none") {
    CHECK(parse("postgres://u@h/db?search_path=").search_path.empty());
    CHECK(parse("postgres://u@h/db?search_path=").conninfo == "postgres://u@h/db");
    CHECK(parse("postgres://u@h/db").search_path.empty());
  }
}

TEST_CASE("postgres_url: libpq's parameters are kept", "[db]") {
  SECTION("a unix socket in host=, and port=") {
    PostgresTarget target = parse("postgresql:///app?host=/run/pg%20sock&port=5433&schema=s");
    CHECK(target.conninfo == "postgresql:///app?host=/run/pg%20sock&port=5433");
    CHECK(target.host == "/run/pg sock");
    CHECK(target.port == "5433");
    CHECK(target.database == "app");
    CHECK(target.user.empty());
    CHECK(target.password.empty());
    CHECK(target.search_path == std::vector<std::string>{"s"});
    CHECK(target.options == Options{{"dbname", "app"}, {"host", "/run/pg sock"}, {"port", "5433"}});
  }
  SECTION("host= in the query overrides the one before the path") {
    PostgresTarget target = parse("postgres://u@ignored/app?host=/tmp");
    CHECK(target.host == "/tmp");
  }
  SECTION("sslmode, connect_timeout, options") {
    PostgresTarget target = parse(
        "postgres://u@h/db?sslmode=verify-full&connect_timeout=3&options=-c%20lock_timeout%3D5s");
    CHECK(target.conninfo ==
          "postgres://u@h/db?sslmode=verify-full&connect_timeout=3&options=-c%20lock_timeout%3D5s");
    CHECK(target.options == Options{{"user", "u"},
                                    {"connect_timeout", "3"},
                                    {"dbname", "db"},
                                    {"host", "h"},
                                    {"options", "-c lock_timeout=5s"},
                                    {"sslmode", "verify-full"}});
  }
  SECTION("a password in the query") {
    PostgresTarget target = parse("postgres://u@h/db?password=p%40ss");
    CHECK(target.password == "p@ss");
  }
}

TEST_CASE("postgres_url: user, password, host, port and database as libpq reads them", "[db]") {
  SECTION("%-encoded user and password") {
    PostgresTarget target = parse("postgres://al%20ice:s%40cr%3Aet%2F@h:5432/my%20db");
    CHECK(target.user == "al ice");
    CHECK(target.password == "s@cr:et/");
    CHECK(target.database == "my db");
    CHECK(target.host == "h");
    CHECK(target.port == "5432");
  }
  SECTION("IPv6 host") {
    PostgresTarget target = parse("postgres://u:p@[::1]:5433/db");
    CHECK(target.host == "::1");
    CHECK(target.port == "5433");
  }
  SECTION("several hosts") {
    PostgresTarget target = parse("postgresql://u@h1:5432,h2:5433/db?target_session_attrs=any");
    CHECK(target.host == "h1,h2");
    CHECK(target.port == "5432,5433");
  }
  SECTION("nothing but the scheme: libpq's defaults apply when connecting") {
    PostgresTarget target = parse("postgres://");
    CHECK(target.conninfo == "postgres://");
    CHECK(target.user.empty());
    CHECK(target.database.empty());
    CHECK(target.host.empty());
    CHECK(target.port.empty());
    CHECK(target.options.empty());
  }
}

TEST_CASE("postgres_url: what libpq refuses is a ConfigError, password hidden", "[db]") {
  SECTION("an unknown parameter") {
    std::string message = url_error("postgres://alice:secret@h/db?search_path=app&colour=blue");
    CHECK(message ==
          "bad database URL 'postgres://alice:***@h/db?search_path=app&colour=blue': "
          "invalid URI query parameter: \"colour\"" +
              kForms);
  }
  SECTION("an unknown parameter next to password=") {
    std::string message = url_error("postgres://alice@h/db?password=secret&colour=blue");
    CHECK(message ==
          "bad database URL 'postgres://alice@h/db?password=***&colour=blue': invalid URI query "
          "parameter: \"colour\"" +
              kForms);
  }
  SECTION("a bad %-escape in the password is not quoted back") {
    std::string message = url_error("postgres://alice:se%zzcret@h/db");
    CHECK(message ==
          "bad database URL 'postgres://alice:***@h/db': invalid percent-encoded "
          "token: \"***\"" +
              kForms);
    CHECK(message.find("cret") == std::string::npos);
  }
  SECTION("a bad %-escape in password=") {
    std::string message = url_error("postgres://alice@h/db?password=se%zzcret&sslmode=disable");
    CHECK(message.find("cret") == std::string::npos);
    CHECK(message ==
          "bad database URL 'postgres://alice@h/db?password=***&sslmode=disable': "
          "invalid percent-encoded token: \"***\"" +
              kForms);
  }
  SECTION("a bad %-escape elsewhere is quoted") {
    std::string message = url_error("postgres://alice:secret@h/d%zzb");
    CHECK(message ==
          "bad database URL 'postgres://alice:***@h/d%zzb': invalid percent-encoded "
          "token: \"d%zzb\"" +
              kForms);
  }
  SECTION("a password that holds '/' or '?' is refused before libpq reads a host out of it") {
    // Found by fuzz/database_url_fuzzer: libpq read "c:secretpw@h" as a query parameter and
    // quoted it; "u:pa/ss@h" makes host "u" and port "pa", which messages show.
    for (const char* written : {"postgres://a:b/x?c:secretpw@h", "postgres://u:se/cretpw@h/db",
                                "postgres://u:se?cretpw@h/db", "postgres://u:1234/secretpw@h"}) {
      INFO(written);
      std::string message = url_error(written);
      CHECK(message.find("cretpw") == std::string::npos);
      CHECK_THAT(message, Catch::Contains("percent-encode them ('/' as %2F, '?' as %3F"));
    }
  }
  SECTION("a user name that holds '?' or '#' is refused: the password libpq read would differ") {
    // Found by fuzz/database_url_fuzzer: libpq reads the user and password up to the first '@';
    // a '?' before it was taken for the query, and search_path cut out of the password.
    for (const char* written : {"postgres://us?er&search_path=a:secretpw@h/db",
                                "postgres://us#er:secretpw@h/db", "postgres://a?b@h/db"}) {
      INFO(written);
      std::string message = url_error(written);
      CHECK(message.find("secretpw") == std::string::npos);
      CHECK_THAT(message, Catch::Contains("percent-encode them ('/' as %2F, '?' as %3F"));
    }
    // An '@' in the query of a URL without user information is nobody's password.
    CHECK(parse("postgres://h/db?search_path=a@b").search_path == std::vector<std::string>{"a@b"});
  }
  SECTION("a password that holds an '@' is refused: libpq would end it at the '@'") {
    // Found by fuzz/database_url_fuzzer: libpq read the password up to the first '@' and
    // quoted it in its message ("wiV%00"), which the host also held, so it was not hidden.
    for (const char* written : {"postgres://:wiV%00@@^wiV%00h", "postgres://u:se@cretpw@h/db",
                                "postgres://u:se@cretpw@@h:5432/db"}) {
      INFO(written);
      std::string message = url_error(written);
      CHECK(message.find(":wiV") == std::string::npos);
      CHECK(message.find("\"wiV") == std::string::npos);
      CHECK(message.find("cretpw") == std::string::npos);
      CHECK_THAT(message, Catch::Contains("holds an '@', where libpq would end it: "
                                          "percent-encode it as %40"));
    }
    // A user name with an '@' (no password) is refused alike: libpq would read another host.
    CHECK_THAT(url_error("postgres://u@ser@h/db"), Catch::Contains("percent-encode it as %40"));
    PostgresTarget target = parse("postgres://u:se%40cret@h/db?application_name=x@y");
    CHECK(target.password == "se@cret");
    CHECK(target.host == "h");
  }
  SECTION("search_path cut out of the query does not turn a later '@' into a user's") {
    // Found by fuzz/database_url_fuzzer: a '/' in search_path's value was the first after the
    // host, so the '@' after it was a parameter's; without search_path, libpq read everything
    // before that '@' (here "h?application_name=x") as user and password.
    std::string message = url_error("postgres://h?search_path=a/b&application_name=x:secretpw@y");
    CHECK(message.find("secretpw") == std::string::npos);
    CHECK_THAT(message, Catch::Contains("percent-encode them"));
    // With a path, the '/' after the host stays: nothing changes.
    CHECK(parse("postgres://h/db?search_path=a/b&application_name=x@y").search_path ==
          std::vector<std::string>{"a/b"});
  }
  SECTION("a port, then an '@' in the query, is no password") {
    CHECK(parse("postgres://h:5432/db?search_path=a@b").search_path ==
          std::vector<std::string>{"a@b"});
    // With a user and password before the host too (review: these were refused, the password's
    // colon taken for the port's).
    PostgresTarget target = parse("postgres://u:pw@h:5432/db?application_name=x@y");
    CHECK(target.user == "u");
    CHECK(target.password == "pw");
    CHECK(target.host == "h");
    CHECK(parse("postgres://u:pw@h/db?search_path=a@b").search_path ==
          std::vector<std::string>{"a@b"});
  }
  SECTION("a password= parameter named with %-escapes is hidden too") {
    std::string message = url_error("postgres://h/db?pass%77ord=hunter2secret&nosuch=1");
    CHECK(message.find("hunter2secret") == std::string::npos);
    CHECK_THAT(message, Catch::Contains("pass%77ord=***"));
  }
  SECTION("what libpq quotes percent-decoded is not shown: it may be a password's") {
    std::string message = url_error("postgres://h:5432/db?password=x&fo%6Fbar=1");
    CHECK_THAT(message, Catch::Contains("invalid URI query parameter: \"***\""));
  }
  SECTION("the URL libpq quotes is the one it read, without migrate's parameters") {
    // Found by fuzz/database_url_fuzzer: an '@' in search_path made the URL as given end its
    // password later than the URL libpq read and quoted whole.
    std::string message = url_error("postgres://u:secretpw@[::1]x/db?search_path=a@b");
    CHECK(message.find("secretpw") == std::string::npos);
  }
  SECTION("a parameter without a value") {
    std::string message = url_error("postgres://alice:secret@h/db?sslmode");
    CHECK(message ==
          "bad database URL 'postgres://alice:***@h/db?sslmode': missing key/value "
          "separator \"=\" in URI query parameter: \"sslmode\"" +
              kForms);
  }
}
