// Database URLs: every engine's parser (sqlite:, postgres://, what libpq reads), and redaction.
// Input: a byte choosing the form, then either a whole URL, or the parts of a PostgreSQL URL
// (user, password, host and path, query; one a line) that this target puts together.
//
// Properties: the password, as libpq reads it from the URL, never appears in anything the URL
// produces for output: DatabaseUrl::redacted(), redact_url(), and the message of a URL that is
// refused. Bad input is a ConfigError, never another exception.
#include <filesystem>
#include <string>

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

/// What the URL gives for output, as one text: redacted twice over, and the messages of its
/// refusals. Fills `password` with what libpq read as the password, when it read the URL.
std::string outputs_of(const std::string& text, std::string& password) {
  std::string out = redact_url(text) + "\n";
  try {
    DatabaseUrl url = parse_database_url(text, "/fuzz");
    out += url.redacted() + "\n";
    if (url.engine != nullptr && url.engine->name == "postgresql") {
      password = parse_postgres_url(url).password;
    }
  } catch (const ConfigError& e) {
    out += e.what();
  }
  return out;
}

/// A URL as the fuzzer wrote it: its password is whatever libpq reads. Checked when that cannot
/// be found elsewhere in the URL by chance: long enough, there once, and with no percent-encoding
/// anywhere (whose decoded bytes could be another part's).
void check_whole(const std::string& text) {
  std::string password;
  std::string out = outputs_of(text, password);
  bool telling = password.size() >= 4 && text.find('%') == std::string::npos &&
                 text.find(password) == text.rfind(password);
  if (telling) {
    require(!shows(out, password), "a password reaches the output", text + "\n=>\n" + out);
  }
}

/// A password made of letters and digits from the fuzzer's bytes: what no URL syntax reads
/// otherwise, so libpq must read exactly it.
std::string plain_password(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string password = "Pw";
  for (char c : bytes) {
    password += kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
  }
  return password + "Qz";
}

/// A PostgreSQL URL put together from the fuzzer's parts around a plain password, in the
/// authority (`user:password@`), as a `password=` parameter, or both.
void check_built(fuzz::FuzzInput& input, std::size_t where) {
  std::string user(input.part("\n"));
  std::string password = plain_password(input.part("\n"));
  std::string host_and_path(input.part("\n"));
  std::string query(input.rest());
  if (shows(user + host_and_path + query, password)) {
    return;  // the fuzzer wrote it elsewhere too
  }
  std::string text = "postgres://" + user;
  if (where != 1) {
    text += ":" + password;
  }
  text += "@" + host_and_path;
  if (where != 0) {
    text += (host_and_path.find('?') == std::string::npos ? "?" : "&") + ("password=" + password);
  }
  if (!query.empty()) {
    text += "&" + query;
  }
  std::string read;
  std::string out = outputs_of(text, read);
  require(!shows(out, password), "a password reaches the output", text + "\n=>\n" + out);
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
  try {
    (void)url_with_database(input.rest(), "fuzz_dev");
  } catch (const Error& e) {
    require(false, "url_with_database threw", e.what());
  }
  return 0;
}
