// The README is the user's manual: what it says about packages, files and installing must be
// true of this repository.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/postgres.hpp"
#include "support/project.hpp"
#include "support/temp_dir.hpp"

using namespace migrate::test;
using Catch::Contains;

namespace {

std::string readme() {
  return read_text(source_dir() / "README.md");
}

/// The words of a `NAME := …` list in the Makefile, with its continuation lines.
std::vector<std::string> makefile_list(const std::string& name) {
  std::string makefile = read_text(source_dir() / "Makefile");
  std::size_t start = makefile.find(name + " :=");
  REQUIRE(start != std::string::npos);
  std::size_t end = start;
  do {
    end = makefile.find('\n', end + 1);
  } while (end != std::string::npos && makefile[end - 1] == '\\');
  std::string text = makefile.substr(start + name.size() + 3, end - start - name.size() - 3);
  std::vector<std::string> words;
  std::regex word(R"([a-z0-9][a-z0-9.+-]*)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator();
       ++it) {
    words.push_back(it->str());
  }
  return words;
}

/// Whether `word` appears in `text` as a whole word (not inside a longer package name).
bool names_word(const std::string& text, const std::string& word) {
  auto part_of_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  };
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    bool starts = at == 0 || !part_of_name(text[at - 1]);
    std::size_t end = at + word.size();
    bool ends = end == text.size() || !part_of_name(text[end]);
    if (starts && ends) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("readme: every package the Makefile installs is named", "[e2e][readme]") {
  std::string text = readme();
  for (const char* list : {"BUILD_PACKAGES", "TEST_PACKAGES", "BENCH_PACKAGES"}) {
    for (const std::string& package : makefile_list(list)) {
      INFO(list << ": " << package);
      CHECK(names_word(text, package));
    }
  }
}

TEST_CASE("readme: every file it names exists, and nothing is 'not built yet'", "[e2e][readme]") {
  std::string text = readme();
  CHECK_THAT(text, !Contains("ot built yet"));
  // Paths in backticks or links that look like files of this repository.
  std::regex path(
      R"([`(]((?:[a-z_]+/)*[A-Za-z_-]+\.(?:md|sh|mk|yaml|cpp|hpp|sql)|[a-z]+/[a-z_./-]*[a-z]/?)[`)])");
  std::set<std::string> missing;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), path); it != std::sregex_iterator();
       ++it) {
    std::string name = (*it)[1].str();
    bool example = name.starts_with("app/") || name.starts_with("migrations/2026") ||
                   name.starts_with("db/") || name.starts_with("lib/") ||
                   name.starts_with("origin/") || name.find("/**") != std::string::npos;
    if (!example && !std::filesystem::exists(source_dir() / name)) {
      missing.insert(name);
    }
  }
  CHECK(missing == std::set<std::string>{});
}

namespace {

/// `make TARGET VARIABLES…` in this repository, for the build the tests run: the recipes of
/// install, uninstall and package without the build they depend on, which must not run in the
/// middle of the tests.
ProcessResult make_here(const std::vector<std::string>& arguments) {
  std::filesystem::path build = tool_path("migrate").parent_path().parent_path();
  std::vector<std::string> argv = {"make", "-s", "-C", source_dir().string(),
                                   "BUILD_DIR=" + build.string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv);
}

/// Every object the process loaded, as LD_DEBUG=files names it on stderr ("calling init: PATH").
std::set<std::string> loaded_files(const std::string& err) {
  std::set<std::string> files;
  std::regex init(R"(calling init: (\S+))");
  for (auto it = std::sregex_iterator(err.begin(), err.end(), init); it != std::sregex_iterator();
       ++it) {
    files.insert((*it)[1].str());
  }
  return files;
}

/// What examples/compose/docker-compose.yml says the `migrations` service runs, read by a YAML
/// parser: image, command, DATABASE_URL, volumes, and the conditions it and `app` wait for.
std::vector<std::string> compose_migrations_service() {
  ProcessResult read =
      run_process({"python3", "-c",
                   "import sys, yaml\n"
                   "c = yaml.safe_load(open(sys.argv[1]))\n"
                   "m = c['services']['migrations']\n"
                   "print(m['image']); print(' '.join(m['command']))\n"
                   "print(m['environment']['DATABASE_URL']); print(' '.join(m['volumes']))\n"
                   "print(m['depends_on']['db']['condition'])\n"
                   "print(c['services']['app']['depends_on']['migrations']['condition'])\n",
                   (source_dir() / "examples" / "compose" / "docker-compose.yml").string()});
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  std::vector<std::string> lines = lines_of(read.out);
  REQUIRE(lines.size() == 6);
  return lines;
}

/// The container image's runtime stage, without a container engine: the files the Dockerfile's
/// script copies out of an install at `prefix` are all the tools load, and they run the compose
/// example's `migrations` service against the test's PostgreSQL.
void check_container_runtime(const std::filesystem::path& prefix) {
  // The Dockerfile installs and copies with the very commands this test runs, and runs as a
  // user that is not root.
  std::string dockerfile = read_text(source_dir() / "Dockerfile");
  CHECK_THAT(dockerfile, Contains("make install-built PREFIX=/usr/local") &&
                             Contains("scripts/runtime-files.sh /usr/local /runtime") &&
                             Contains("COPY --from=build /runtime/ /") &&
                             Contains("USER migrate") && Contains("ENTRYPOINT [\"migrate\"]") &&
                             Contains("directory = /work"));
  TempDir runtime;
  ProcessResult copied = run_process({(source_dir() / "scripts" / "runtime-files.sh").string(),
                                      prefix.string(), runtime.path().string()});
  INFO(copied.out << copied.err);
  REQUIRE(copied.exit_code == 0);
  std::filesystem::path bin = runtime.path().string() + (prefix / "bin").string();
  std::filesystem::path libraries = runtime / "usr" / "lib" / "x86_64-linux-gnu";
  REQUIRE(std::filesystem::exists(bin / "migrate-upgrade"));
  CHECK_FALSE(std::filesystem::exists(runtime.path().string() + (prefix / "share").string()));

  // The runtime's own loader, told to look in the runtime only (its cache and the system's
  // folders come last): every library of every executable, module and plugin is found there.
  std::filesystem::path loader = libraries / "ld-linux-x86-64.so.2";
  REQUIRE(std::filesystem::exists(loader));
  int elf_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(runtime.path())) {
    std::string name = entry.path().filename().string();
    bool elf = entry.is_regular_file() && !entry.is_symlink() &&
               (entry.path().parent_path() == bin || name.find(".so") != std::string::npos) &&
               name.find("ld-linux") == std::string::npos;
    if (!elf) {
      continue;
    }
    ++elf_files;
    ProcessResult list = run_process({loader.string(), "--inhibit-cache", "--library-path",
                                      libraries.string(), "--list", entry.path().string()});
    INFO(entry.path() << "\n" << list.out << list.err);
    CHECK(list.exit_code == 0);
    std::regex found(R"(=> (\S+))");
    for (auto it = std::sregex_iterator(list.out.begin(), list.out.end(), found);
         it != std::sregex_iterator(); ++it) {
      CHECK((*it)[1].str().starts_with(runtime.path().string()));
    }
  }
  CHECK(elf_files > 20);

  // The compose example's migrations service: its command and DATABASE_URL, the host `db` and
  // its database and user made the test's, over the examples' migrations/ mounted at /work.
  std::vector<std::string> service = compose_migrations_service();
  CHECK(service[0] == "migrate");
  CHECK(service[3] == "./migrations:/work/migrations:ro");
  CHECK(service[4] == "service_healthy");
  // Healthy once it answers over TCP: its socket answers while the image sets it up.
  CHECK_THAT(read_text(source_dir() / "examples" / "compose" / "docker-compose.yml"),
             Contains(R"("pg_isready", "-h", "127.0.0.1")"));
  CHECK(service[5] == "service_completed_successfully");
  std::smatch url;
  REQUIRE(
      std::regex_match(service[2], url, std::regex(R"(postgres://(\w+):([^@]+)@db:5432/(\w+))")));
  PostgresRole role("compose");
  PostgresDatabase database;
  database.exec("ALTER ROLE " + role.quoted() + " LOGIN PASSWORD '" + url[2].str() + "'");
  database.exec("ALTER DATABASE " + database.name() + " OWNER TO " + role.quoted());
  std::string test_url = "postgres://" + role.name() + ":" + url[2].str() + "@" +
                         postgres_tcp_host_port() + "/" + database.name();
  TempDir work;
  std::filesystem::copy(source_dir() / "examples" / "compose" / "migrations", work / "migrations");
  std::vector<std::string> command = {(bin / "migrate").string()};
  std::istringstream words(service[1]);
  for (std::string word; words >> word;) {
    command.push_back(word);
  }
  std::map<std::string, std::string> image_env = {
      {"DATABASE_URL", test_url},
      {"LD_LIBRARY_PATH", libraries.string()},
      {"GVBINDIR", (libraries / "graphviz").string()},  // where the image has its plugins
      {"LD_DEBUG", "files"}};
  ProcessResult upgrade = run_process(command, {.cwd = work.path(), .env = image_env});
  INFO(upgrade.out << upgrade.err.substr(0, 2000));
  CHECK(upgrade.exit_code == 0);
  CHECK(database.relations() == std::vector<std::string>{"schema_migrations", "users"});
  std::set<std::string> loaded = loaded_files(upgrade.err);
  CHECK(loaded.contains((libraries / "libpq.so.5").string()));
  for (const std::string& file : loaded) {
    INFO(file);
    CHECK((file.starts_with(runtime.path().string()) || file == "/lib64/ld-linux-x86-64.so.2"));
  }
  // Graphviz's plugins came along: its dot layout draws SVG in the image, from the runtime's
  // plugin folder (GVBINDIR: where the image has them, Debian's own path).
  ProcessResult graph =
      run_process({(bin / "migrate").string(), "graph", "--layout", "dot", "--output", "g.svg"},
                  {.cwd = work.path(), .env = image_env});
  INFO(graph.err.substr(0, 2000));
  CHECK(graph.exit_code == 0);
  CHECK_THAT(read_text(work / "g.svg"), Contains("<svg"));
  std::set<std::string> graph_loaded = loaded_files(graph.err);
  CHECK(graph_loaded.contains((libraries / "graphviz" / "libgvplugin_dot_layout.so.6").string()));
  for (const std::string& file : graph_loaded) {
    INFO(file);
    CHECK((file.starts_with(runtime.path().string()) || file == "/lib64/ld-linux-x86-64.so.2"));
  }
}
}  // namespace

// One test case for install, uninstall, the container's files and package: each rewrites the build
// folder's install_manifest.txt, which two tests at once would race for.
TEST_CASE("readme: make install PREFIX=… puts working executables there, uninstall takes them",
          "[e2e][readme]") {
  TempDir prefix;
  ProcessResult install = make_here({"install-built", "PREFIX=" + prefix.path().string()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  for (const char* tool : {"migrate", "migrate-upgrade", "migrate-redo", "migrate-web"}) {
    INFO(tool);
    ProcessResult version = run_process({(prefix / "bin" / tool).string(), "--version"});
    CHECK(version.exit_code == 0);
  }
  // Stripped, libraries too: the debug symbols stay in the build folder.
  for (std::filesystem::path file :
       {prefix / "bin" / "migrate-upgrade", prefix / "lib" / "migrate" / "libmigrate.so",
        prefix / "lib" / "migrate" / "libmigrate-postgres.so",
        prefix / "lib" / "migrate" / "libmigrate-postgres-sql.so",
        prefix / "lib" / "migrate" / "libmigrate-sqlite.so"}) {
    INFO(file);
    ProcessResult sections = run_process({"readelf", "-S", file.string()});
    CHECK(sections.exit_code == 0);
    CHECK_THAT(sections.out, !Catch::Contains(".debug_info") && Catch::Contains(".text"));
  }
  // The dispatcher finds the tools beside it.
  Project project;
  project.add("0001_a.sql", migration_text("CREATE TABLE a (x INT);", "DROP TABLE a;"));
  ProcessResult up = run_process({(prefix / "bin" / "migrate").string(), "up"},
                                 {.cwd = project.root(), .env = {{"LD_DEBUG", "files"}}});
  INFO(up.err);
  CHECK(up.exit_code == 0);
  CHECK_THAT(up.err,
             Catch::Contains((prefix / "lib" / "migrate" / "libmigrate-sqlite.so").string()));
  // The installed tools load the installed modules, not the build folder's.
  PostgresDatabase database;
  ProcessResult on_postgres =
      run_process({(prefix / "bin" / "migrate-upgrade").string(), "--database", database.url()},
                  {.cwd = project.root(), .env = {{"LD_DEBUG", "files"}}});
  CHECK(on_postgres.exit_code == 0);
  CHECK_THAT(on_postgres.err,
             Catch::Contains((prefix / "lib" / "migrate" / "libmigrate-postgres.so").string()));
  CHECK(database.applied_ids() == std::vector<std::string>{"0001"});

  // A man page for every tool, made from its --help, and the file formats' pages.
  std::map<std::string, std::string> man_env = {{"MANPATH", (prefix / "share" / "man").string()},
                                                {"MANWIDTH", "100"}};
  auto man = [&](const std::vector<std::string>& args) {  // spaces as written, not justified
    std::vector<std::string> argv = {"man", "-P", "cat"};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult page = run_process(argv, {.env = man_env});
    page.out = std::regex_replace(page.out, std::regex(" +"), " ");
    return page;
  };
  for (const auto& entry : std::filesystem::directory_iterator(prefix / "bin")) {
    std::string tool = entry.path().filename().string();
    INFO(tool);
    ProcessResult page = man({tool});
    CHECK(page.exit_code == 0);
    CHECK_THAT(page.out, Catch::Contains(tool + " - ") && Catch::Contains("SEE ALSO"));
  }
  ProcessResult upgrade_page =
      run_process({"man", "-P", "cat", "migrate-upgrade"}, {.env = man_env});
  CHECK_THAT(upgrade_page.out, Catch::Contains("migrate-upgrade - apply pending migrations") &&
                                   Catch::Contains("--dry-run"));
  ProcessResult conf_page =
      run_process({"man", "-P", "cat", "5", "migrate.conf"}, {.env = man_env});
  CHECK(conf_page.exit_code == 0);
  CHECK_THAT(conf_page.out, Catch::Contains("[migrate]") && Catch::Contains("schema-command"));
  ProcessResult files_page = man({"5", "migrate-files"});
  CHECK(files_page.exit_code == 0);
  CHECK_THAT(files_page.out, Catch::Contains("-- migrate:up"));

  // Completion for bash (under every tool's name, as bash-completion loads it) and zsh.
  CHECK(std::filesystem::exists(prefix / "share" / "bash-completion" / "completions" /
                                "migrate-upgrade"));
  CHECK(std::filesystem::exists(prefix / "share" / "zsh" / "site-functions" / "_migrate"));

  // The Make targets and the hooks, for other projects: a fresh project includes the
  // installed migrate.mk and runs the installed tools through it.
  CHECK(std::filesystem::exists(prefix / "share" / "migrate" / "hooks" / "pre-commit"));
  Project other;
  other.add("0001_b.sql", migration_text("CREATE TABLE b (x INT);", "DROP TABLE b;"));
  write_text(other.root() / "Makefile",
             "include " + (prefix / "share" / "migrate" / "migrate.mk").string() + "\n");
  ProcessResult made = run_process(
      {"make", "-s", "migrate-upgrade", "MIGRATE=" + (prefix / "bin" / "migrate").string()},
      {.cwd = other.root()});
  INFO(made.out << made.err);
  CHECK(made.exit_code == 0);
  CHECK_THAT(made.out, Catch::Contains("0001_b"));

  check_container_runtime(prefix.path());

  // make uninstall takes back exactly what was installed: no file is left, nor migrate's own
  // folders.
  ProcessResult uninstall = make_here({"uninstall", "PREFIX=" + prefix.path().string()});
  INFO(uninstall.out << uninstall.err);
  CHECK(uninstall.exit_code == 0);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(prefix.path())) {
    left.push_back(std::filesystem::relative(entry.path(), prefix.path()).string());
  }
  std::sort(left.begin(), left.end());
  // bin/, lib/ and share/ stay: they may have been there before.
  CHECK(left == std::vector<std::string>{"bin", "lib", "share", "share/bash-completion",
                                         "share/bash-completion/completions", "share/man",
                                         "share/man/man1", "share/man/man5", "share/zsh",
                                         "share/zsh/site-functions",
                                         "share/zsh/vendor-completions"});

  // make package: a .deb of the same files under /usr, its dependencies declared, that works
  // unpacked into an empty root (dpkg-deb -x: no chroot needed).
  TempDir packages;
  ProcessResult package = make_here({"package-built", "PACKAGE_DIR=" + packages.path().string()});
  INFO(package.out << package.err);
  REQUIRE(package.exit_code == 0);
  std::filesystem::path deb = packages / "migrate_0.1.0_amd64.deb";
  REQUIRE(std::filesystem::exists(deb));
  ProcessResult control = run_process({"dpkg-deb", "-f", deb.string(), "Depends"});
  CHECK_THAT(control.out, Catch::Contains("libsqlite3-0") && Catch::Contains("libpq5") &&
                              Catch::Contains("libgit2"));
  TempDir root;
  REQUIRE(run_process({"dpkg-deb", "-x", deb.string(), root.path().string()}).exit_code == 0);
  ProcessResult version = run_process({(root / "usr" / "bin" / "migrate").string(), "--version"});
  CHECK(version.out == "migrate 0.1.0\n");
  Project packaged;
  packaged.add("0001_c.sql", migration_text("CREATE TABLE c (x INT);", "DROP TABLE c;"));
  ProcessResult packaged_up = run_process({(root / "usr" / "bin" / "migrate").string(), "up"},
                                          {.cwd = packaged.root(), .env = {{"LD_DEBUG", "files"}}});
  CHECK(packaged_up.exit_code == 0);
  CHECK_THAT(packaged_up.err,
             Catch::Contains((root / "usr" / "lib" / "migrate" / "libmigrate-sqlite.so").string()));
  CHECK(std::filesystem::exists(root / "usr" / "share" / "man" / "man1" / "migrate-upgrade.1"));
}
