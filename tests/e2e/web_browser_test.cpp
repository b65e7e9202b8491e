// migrate-web in a real browser: Debian's Chromium, headless, driven by chromedriver's WebDriver
// HTTP API (W3C JSON over HTTP). Loads the history, filters it, follows a graph node to its
// migration page, reads the SQL, and saves screenshots under the build directory.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/web_project.hpp"

using namespace migrate::test;
using Catch::Contains;
using nlohmann::json;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kChromedriver = "/usr/bin/chromedriver";
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

std::string base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  std::string out;
  int bits = 0;
  unsigned buffer = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0)
      continue;  // padding and line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/// One chromedriver process and one browser session in it, ended by the destructor.
class Browser {
 public:
  explicit Browser(const std::filesystem::path& profile) : m_port(free_tcp_port()) {
    m_chromedriver.emplace(start_process({kChromedriver, fmt::format("--port={}", m_port)}));
    for (int attempt = 0; attempt < 300 && !ready(); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    json args = {"--headless",
                 "--no-sandbox",
                 "--disable-gpu",
                 "--no-first-run",
                 "--disable-background-networking",
                 "--disable-component-update",
                 "--disable-sync",
                 "--window-size=1280,900",
                 "--user-data-dir=" + profile.string()};
    json capabilities = {{"capabilities",
                          {{"alwaysMatch",
                            {{"browserName", "chrome"},
                             {"goog:chromeOptions", {{"binary", kChromium}, {"args", args}}}}}}}};
    json session = call("POST", "/session", capabilities);
    m_session = session["sessionId"].get<std::string>();
  }

  ~Browser() {
    if (!m_session.empty()) {
      http_request(m_port, "DELETE", "/session/" + m_session);
    }
    m_chromedriver->kill(SIGTERM);
    m_chromedriver->wait();
  }

  /// A WebDriver command of the session; returns its "value", REQUIREs success.
  json command(const std::string& method, const std::string& path,
               const json& body = json::object()) {
    return call(method, "/session/" + m_session + path, body);
  }

  void go(const std::string& url) { command("POST", "/url", {{"url", url}}); }

  /// Runs JavaScript in the page and returns its result.
  json script(const std::string& code) {
    return command("POST", "/execute/sync", {{"script", code}, {"args", json::array()}});
  }

  /// Waits (up to 30 s) for `code` to return something truthy; returns it.
  json wait_for(const std::string& code) {
    for (int attempt = 0; attempt < 300; ++attempt) {
      json value = script(code);
      if (!value.is_null() && value != false && value != json::array() && value != "") {
        return value;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the page never satisfied: " << code << "\npage text: "
                                      << script("return document.body.innerText"));
    return nullptr;
  }

  std::string find(const std::string& css) {
    json element = command("POST", "/element", {{"using", "css selector"}, {"value", css}});
    return element[kElementKey].get<std::string>();
  }

  void type(const std::string& element, const std::string& text) {
    command("POST", "/element/" + element + "/value", {{"text", text}});
  }

  void click(const std::string& element) { command("POST", "/element/" + element + "/click"); }

  void screenshot(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        << base64_decode(command("GET", "/screenshot").get<std::string>());
  }

  /// The text of an open alert, if a script managed to open one.
  std::optional<std::string> alert_text() {
    HttpResponse response = http_request(m_port, "GET", "/session/" + m_session + "/alert/text");
    if (response.status != 200) {
      return std::nullopt;
    }
    return json::parse(response.body)["value"].get<std::string>();
  }

 private:
  bool ready() {
    HttpResponse response = http_request(m_port, "GET", "/status", {}, std::chrono::seconds(2));
    return response.status == 200 && json::parse(response.body)["value"]["ready"] == true;
  }

  json call(const std::string& method, const std::string& path, const json& body) {
    HttpResponse response =
        http_request(m_port, method, path, method == "GET" ? std::string() : body.dump());
    INFO(method << " " << path << " -> " << response.status << " " << response.error << " "
                << response.body);
    REQUIRE(response.status == 200);
    return json::parse(response.body)["value"];
  }

  int m_port;
  std::optional<RunningProcess> m_chromedriver;
  std::string m_session;
};

std::filesystem::path screenshot_dir() {
  return std::filesystem::path(MIGRATE_TOOLS_DIR).parent_path() / "web-screenshots";
}

}  // namespace

TEST_CASE("migrate-web in Chromium: history, filter, graph node to its page, SQL",
          "[e2e][web][browser]") {
  if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kChromedriver)) {
    WARN(
        "SKIPPED: the browser test needs /usr/bin/chromium and "
        "/usr/bin/chromedriver "
        "(apt-get install chromium chromium-driver, or make deps)");
    return;
  }
  WebProject web;
  WebProcess server(web.project.root(), {}, web.options());
  TempDir profile;
  Browser browser(profile.path());
  std::string base = fmt::format("http://127.0.0.1:{}/", server.port());

  // The history: every migration, newest first, and the orphan of dev.
  browser.go(base);
  json ids = browser.wait_for(
      "return [...document.querySelectorAll('#history tbody tr.migration')]"
      ".map(r => r.dataset.id)");
  CHECK(ids == json::array({"0003", "0002", "0001"}));
  CHECK(browser.script("return document.querySelectorAll('#history tr.orphan').length") == 1);
  CHECK(browser.script("return document.querySelector('tr.changed').dataset.id") == "0003");
  // The script title and the author's quotes and angle brackets are text, not markup.
  CHECK(browser.script("return document.querySelector('tr[data-id=\"0002\"] td.title')"
                       ".textContent") == WebProject::kXssTitle);
  CHECK(browser.script("return document.querySelector('tr[data-id=\"0002\"] "
                       "td:nth-child(3)')"
                       ".textContent") == WebProject::kXssAuthor);
  CHECK(browser.script("return document.querySelectorAll('#history script, "
                       "#history b').length") == 0);
  CHECK_FALSE(browser.alert_text());
  CHECK_THAT(browser.script("return document.body.innerText").get<std::string>(),
             Contains("unreachable"));
  // The schema side arrives after: each environment's drift (dev's changes listed), and the
  // tables each migration changes in the last column.
  CHECK(browser.wait_for("const d = document.querySelector('#drift [data-env=\"staging\"]');"
                         "return d && d.textContent") == "staging: no drift");
  CHECK_THAT(browser.script("return document.querySelector('#drift').innerText").get<std::string>(),
             Contains("dev was changed by hand") && Contains("gone"));
  CHECK(browser.wait_for("const c = document.querySelector('tr[data-id=\"0002\"] td.tables');"
                         "return c && c.textContent !== '…' && c.textContent") == "audit");
  browser.screenshot(screenshot_dir() / "history.png");

  // The filter narrows the list: by table name, then by author.
  std::string filter = browser.find("#filter");
  browser.type(filter, "posts");
  CHECK(browser.wait_for("const shown = [...document.querySelectorAll('#history "
                         "tr.migration')]"
                         ".filter(r => !r.hidden).map(r => r.dataset.id);"
                         "return shown.length === 1 ? shown : null") == json::array({"0003"}));
  browser.script(
      "const f = document.querySelector('#filter'); f.value = '';"
      "f.dispatchEvent(new Event('input'))");
  browser.type(filter, "o'brien");
  CHECK(browser.wait_for("const shown = [...document.querySelectorAll('#history "
                         "tr.migration')]"
                         ".filter(r => !r.hidden).map(r => r.dataset.id);"
                         "return shown.length === 1 ? shown : null") == json::array({"0002"}));

  // The graph: clicking a node opens its migration's page, with its SQL.
  browser.go(base + "#/graph");
  browser.wait_for("return document.querySelector('#graph svg g#m0001')");
  browser.click(browser.find("#graph svg g#m0001 circle"));
  CHECK(browser.wait_for("const t = document.querySelector('#title');"
                         "return t && t.textContent") == "Create users.");
  CHECK(browser.script("return location.hash") == "#/m/0001");
  CHECK_THAT(
      browser.script("return document.querySelector('#up-sql').textContent").get<std::string>(),
      Contains("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"));
  CHECK_THAT(
      browser.script("return document.querySelector('#down-sql').textContent").get<std::string>(),
      Contains("DROP TABLE users;"));
  CHECK(browser.script("return document.querySelector('#children a').textContent") == "0002_xss");
  // What it does to the schema: the table added, with its definition after.
  CHECK_THAT(browser
                 .wait_for("const c = document.querySelector('#schema-change .object-change');"
                           "return c && c.innerText")
                 .get<std::string>(),
             Contains("added") && Contains("table users") && Contains("CREATE TABLE"));
  browser.screenshot(screenshot_dir() / "migration.png");

  // The XSS migration's own page shows its title as text too.
  browser.go(base + "#/m/0002");
  CHECK(browser.wait_for("const t = document.querySelector('#title');"
                         "return t && t.textContent !== 'Create users.' && t.textContent") ==
        WebProject::kXssTitle);
  CHECK_FALSE(browser.alert_text());
  CHECK(std::filesystem::file_size(screenshot_dir() / "history.png") > 1000);
}
