// migrate-web's request handling: an input is the raw bytes of an HTTP request, answered in this
// process by WebServer::respond (the server's own routes, host check and limits; no socket).
// The server shows a small project made once in a temporary folder: three migrations in our
// format, two of them applied to its SQLite database, so /api/status and the rest read real
// state.
//
// Properties: every input whose first line ends within the server's size limit is answered
// (others are dropped unanswered, as a connection is), each status line (an interim 1xx, the
// final one) with a code from 100 to 599; the same request with a Host header naming another
// server spliced in first (after its request line) is refused with a 4xx, never served (DNS
// rebinding); and no request changes anything in the project's folder.
#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/upgrade.hpp"
#include "config/config.hpp"
#include "config/environment.hpp"
#include "fuzz_support.hpp"
#include "output/console.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"
#include "util/temp_folder.hpp"
#include "web/web_server.hpp"

using namespace migrate;
using fuzz::require;

namespace {

struct MigrationFile {
  std::string_view name;
  std::string_view text;
};

constexpr std::array kMigrations = {
    MigrationFile{"202601010900_create_users.sql",
                  "-- Create the users table.\n--\n-- Everyone who can sign in.\n"
                  "-- migrate:up\n"
                  "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n\n"
                  "-- migrate:down\nDROP TABLE users;\n"},
    MigrationFile{"202601011000_create_posts.sql",
                  "-- Create the posts table.\n"
                  "-- depends: 202601010900_create_users\n"
                  "-- migrate:up\n"
                  "CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES "
                  "users, title TEXT);\n\n"
                  "-- migrate:down\nDROP TABLE posts;\n"},
    MigrationFile{"202601021200_index_posts_by_author.sql",
                  "-- Index posts by author.\n"
                  "-- depends: 202601011000_create_posts\n"
                  "-- migrate:up\nCREATE INDEX posts_by_author ON posts (author_id);\n\n"
                  "-- migrate:down\nDROP INDEX posts_by_author;\n"},
};

/// The id the project's database is upgraded to: the last migration stays pending.
constexpr const char* kAppliedUpTo = "202601011000";

/// Host headers that name another server than one on port 80 of this machine (a name that
/// resolves here, another port, another loopback address): each must be refused.
constexpr std::array<std::string_view, 9> kForeignHosts = {
    "evil.example",   "evil.example:80", "localhost.evil.example:80",
    "localhost:8080", "LOCALHOST:81",    "127.0.0.2:80",
    "[::1]:8080",     "0.0.0.0:80",      "[::ffff:127.0.0.1]:80",
};

/// Every entry under `root`, with a regular file's size and every entry's modification time:
/// what any write into the folder changes.
std::vector<std::string> folder_state(const std::filesystem::path& root) {
  std::vector<std::string> state;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    state.push_back(fmt::format("{} {} {}", entry.path().lexically_relative(root).string(),
                                entry.is_regular_file() ? entry.file_size() : 0,
                                entry.last_write_time().time_since_epoch().count()));
  }
  std::sort(state.begin(), state.end());
  return state;
}

/// The project and its server, made once: the folder is removed at exit (after a crash, by the
/// next run's TempFolder).
class ServedProject {
 public:
  ServedProject() {
    write_files();
    m_config = load_config({}, m_environment, root());
    apply_migrations();
    m_server = std::make_unique<WebServer>(WebSource{m_config, &m_environment, m_cwd});
    m_state = folder_state(root());
  }

  const std::filesystem::path& root() const { return m_folder.path(); }
  WebServer& server() { return *m_server; }
  /// The folder as it was made, before any request.
  const std::vector<std::string>& state() const { return m_state; }

 private:
  void write_files() {
    create_new_file(root() / "migrate.conf",
                    "[migrate]\n\tdir = migrations\n\tdatabase = sqlite:app.db\n");
    std::filesystem::create_directory(root() / "migrations");
    for (const MigrationFile& file : kMigrations) {
      create_new_file(root() / "migrations" / file.name, file.text);
    }
  }

  /// With migrate-upgrade itself, so the state table is the one the tool writes.
  void apply_migrations() {
    auto close = [](std::FILE* file) { std::fclose(file); };
    std::unique_ptr<std::FILE, decltype(close)> null(std::fopen("/dev/null", "w"), close);
    require(null != nullptr, "cannot open /dev/null");
    Console console("migrate", null.get(), null.get(), false, Verbosity::quiet);
    SystemClock clock;
    Context context{.config = m_config,
                    .console = console,
                    .clock = clock,
                    .environment = m_environment,
                    .cwd = m_cwd};
    ExitCode code = run_upgrade(context, {.target = kAppliedUpTo});
    require(code == ExitCode::success, "the fuzz project's database could not be upgraded");
  }

  TempFolder m_folder{"migrate-fuzz-web"};
  MapEnvironment m_environment{{}};  // nothing from the process's environment
  /// The process's: the tools read paths relative to it (display_path), never the project's.
  std::filesystem::path m_cwd = std::filesystem::current_path();
  Config m_config;
  std::unique_ptr<WebServer> m_server;
  std::vector<std::string> m_state;
};

ServedProject& served() {
  static ServedProject project = [] {
    try {
      return ServedProject();
    } catch (const std::exception& e) {  // ours (IoError, ConfigError) or std::filesystem's
      require(false, "the fuzz project could not be made", e.what());
      throw;
    }
  }();
  return project;
}

/// The codes of a response's status lines: the interim (1xx) ones, then the final one. Each
/// must be well formed and from 100 to 599.
std::vector<int> statuses(std::string_view response, std::string_view request) {
  std::vector<int> codes;
  for (;;) {
    constexpr std::string_view kVersion = "HTTP/1.1 ";
    bool well_formed = response.starts_with(kVersion) && response.size() >= kVersion.size() + 4 &&
                       response[kVersion.size() + 3] == ' ';
    int code = 0;
    for (std::size_t i = 0; well_formed && i < 3; ++i) {
      char digit = response[kVersion.size() + i];
      well_formed = digit >= '0' && digit <= '9';
      code = code * 10 + (digit - '0');
    }
    require(well_formed && code >= 100 && code <= 599, "a response without a valid status line",
            fmt::format("request:\n{}\nresponse:\n{}", request, response));
    codes.push_back(code);
    std::size_t end = response.find("\r\n\r\n");
    if (code >= 200 || end == std::string_view::npos) {
      return codes;
    }
    response.remove_prefix(end + 4);  // an interim response: its headers end it
  }
}

/// `request` with `Host: host` after its first line, so that it is the request's first Host
/// header, the one the server reads.
std::string with_host_first(std::string_view request, std::string_view host) {
  std::size_t line_end = request.find('\n');
  std::size_t first = line_end == std::string_view::npos ? request.size() : line_end + 1;
  std::string spliced(request.substr(0, first));
  if (line_end == std::string_view::npos) {
    spliced += "\r\n";
  }
  return spliced + fmt::format("Host: {}\r\n", host) + std::string(request.substr(first));
}

/// Whether the server answers `request` at all: not when its first line does not end within
/// the bytes a request may have (httplib then reads no request line, and the connection ends).
bool answerable(std::string_view request) {
  std::size_t max_bytes = RequestLimits{}.max_bytes;  // the server's: default limits
  if (request.size() < max_bytes) {
    return !request.empty();
  }
  std::size_t line_end = request.find('\n');
  return line_end != std::string_view::npos && line_end < max_bytes;
}

/// Answers `request` and checks its status lines; returns the final status (0: no answer).
int answer(std::string_view request) {
  std::string response = served().server().respond(request);
  if (!answerable(request)) {
    require(response.empty(), "a request without a request line was answered", response);
    return 0;
  }
  require(!response.empty(), "a request went unanswered", request);
  return statuses(response, request).back();
}

void require_folder_unchanged(std::string_view request) {
  require(folder_state(served().root()) == served().state(),
          "a request changed the project's folder", request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view request(reinterpret_cast<const char*>(data), size);
  answer(request);
  require_folder_unchanged(request);
  std::string forged = with_host_first(request, kForeignHosts[size % kForeignHosts.size()]);
  int status = answer(forged);
  require(status == 0 || (status >= 400 && status <= 499),
          "a request with a foreign Host was not refused", forged);
  require_folder_unchanged(forged);
  return 0;
}
