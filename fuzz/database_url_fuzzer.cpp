// Database URLs: every engine's parser (sqlite:, postgres://, what libpq reads), and redaction.
// Input: a byte choosing the form, then either a whole URL, or the parts of a PostgreSQL URL
// (user, password, host and path, query; one a line) that this target puts together.
//
// Properties: nothing the URL produces for output (DatabaseUrl::redacted(), redact_url(), the
// message of a URL that is refused) changes when only the letters of its password do, so none
// of the password reaches it, whole or in part; and a whole URL's password, as libpq reads it,
// does not appear there either. Bad input is a ConfigError, never another exception.
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "db/database_url.hpp"
#include "db/engine.hpp"
#include "db/postgres/postgres_url.hpp"
#include "fuzz_support.hpp"
#include "util/error.hpp"

using namespace migrate;
using fuzz::require;

namespace {

/// Whether `text` shows `password`: the password's bytes, anywhere.
bool shows(std::string_view text, std::string_view password) {
  return text.find(password) != std::string_view::npos;
}

/// What the URL gives for output: redacted twice over, and the messages of its refusals, each
/// a text of its own (joined, the end of one and the start of the next could spell a password
/// by chance). Fills `password` with what libpq read as the password, when it read the URL.
std::vector<std::string> outputs_of(const std::string& text, std::string& password) {
  std::vector<std::string> out = {redact_url(text)};
  try {
    DatabaseUrl url = parse_database_url(text, "/fuzz");
    out.push_back(url.redacted());
    if (url.engine != nullptr && url.engine->name == "postgresql") {
      password = parse_postgres_url(url).password;
    }
  } catch (const ConfigError& e) {
    out.emplace_back(e.what());
  }
  return out;
}

/// The outputs as one text, for a finding's report.
std::string report(const std::string& text, const std::vector<std::string>& out) {
  return fmt::format("{}\n=>\n{}", text, fmt::join(out, "\n"));
}

/// A URL as the fuzzer wrote it: its password is whatever libpq reads. Checked when that cannot
/// be found elsewhere in the URL by chance: long enough, there once, and with no percent-encoding
/// anywhere (whose decoded bytes could be another part's).
void check_whole(const std::string& text) {
  std::string password;
  std::vector<std::string> out = outputs_of(text, password);
  // Not a password holding '*': the stars that stand for a password would show it by chance
  // ("u:***" of user "...u" and password "u:***" read alike).
  bool telling = password.size() >= 4 && text.find('%') == std::string::npos &&
                 password.find('*') == std::string::npos &&
                 text.find(password) == text.rfind(password);
  if (telling) {
    for (const std::string& output : out) {
      require(!shows(output, password), "a password reaches the output", report(text, out));
    }
  }
}

/// A password from the fuzzer's bytes: letters, digits and %XX escapes of any byte; in the
/// authority also the characters that end a host or a user name there ('/', '?', '#', '@',
/// ':'), which libpq reads otherwise. No '&' or space: in a parameter they end it.
std::string password_of(std::string_view bytes, bool authority) {
  static constexpr std::string_view kPlain = "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr std::string_view kHostEnds = "/?#@:";
  std::string password;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte < 0x20 && i + 1 < bytes.size()) {  // an escape of the next byte
      password += fmt::format("%{:02X}", static_cast<unsigned char>(bytes[++i]));
    } else if (authority && byte >= 0xF0) {
      password += kHostEnds[byte % kHostEnds.size()];
    } else {
      password += kPlain[byte % kPlain.size()];
    }
  }
  return password;
}

/// The same password with each of its letters moved on (g..z, G..Z, around): the URL reads
/// alike to every parser, as letters decide nothing in it, so anything the output shows of
/// the password differs.
std::string another_password(std::string password) {
  for (char& c : password) {
    if (c >= 'g' && c <= 'z') {
      c = c == 'z' ? 'g' : static_cast<char>(c + 1);
    } else if (c >= 'G' && c <= 'Z') {
      c = c == 'Z' ? 'G' : static_cast<char>(c + 1);
    }
  }
  return password;
}

/// A PostgreSQL URL put together from the fuzzer's parts around `password`: in the authority
/// (`user:password@`), as a `password=` parameter, or both.
std::string built_url(const std::string& user, const std::string& host_and_path,
                      const std::string& query, const std::string& password, std::size_t where) {
  std::string text = "postgres://" + user;
  if (where != 1) {
    text += ":" + password;
  }
  text += "@" + host_and_path;
  if (where != 0) {
    text += (host_and_path.find('?') == std::string::npos ? "?" : "&") + ("password=" + password);
  }
  return query.empty() ? text : text + "&" + query;
}

/// The output of a built URL must not change when only its password's letters do: nothing of
/// the password reaches it, whole or in part.
void check_built(fuzz::FuzzInput& input, std::size_t where) {
  std::string user(input.part("\n"));
  std::string password_bytes(input.part("\n"));
  std::string host_and_path(input.part("\n"));
  std::string query(input.rest());
  // A password in both places holds no host end: the parameter would end at it.
  std::string password = password_of(password_bytes, where == 0);
  std::string rest = user + host_and_path + query;
  // libpq reads a password in the authority up to its first '@' or '/' (the rest is host and
  // path to it): that part counts too.
  std::string read_part = password.substr(0, password.find_first_of("@/"));
  for (const std::string& shown : {password, read_part}) {
    if (!shown.empty() && (shows(rest, shown) || shows(rest, another_password(shown)))) {
      return;  // written elsewhere too: hiding it there is no leak, and differs with the letters
    }
  }
  std::string text = built_url(user, host_and_path, query, password, where);
  std::string other = built_url(user, host_and_path, query, another_password(password), where);
  std::string read;
  std::vector<std::string> out = outputs_of(text, read);
  require(out == outputs_of(other, read), "the output shows something of the password",
          report(text, out));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput input(data, size);
  std::size_t form = input.choose(4);
  if (form == 3) {
    check_whole(std::string(input.rest()));
  } else {
    check_built(input, form);
  }
  (void)url_with_database(input.rest(), "fuzz_dev");
  return 0;
}
