# migrate: build, test and use it. On a fresh Debian machine the first two commands are:
#
#   make migrate-upgrade    # installs the packages, builds, applies migrations/ to ./migrate.db
#   make test               # builds and runs every test
#
# The migrate-* targets and install-hooks (this repository's own git hooks, run by the tools in
# $(BUILD_DIR)) come from make/migrate.mk, which other projects can include too.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
PREFIX ?= /usr/local

# Debian packages, installed by `make deps` when missing (see scripts/install-deps.sh).
BUILD_PACKAGES := cmake make g++ pkg-config libgit2-dev libcli11-dev libsqlite3-dev libfmt-dev \
                  nettle-dev nlohmann-json3-dev catch2 libpq-dev libpg-query-dev libgraphviz-dev \
                  libcpp-httplib-dev zlib1g-dev libxxhash-dev help2man
# postgresql: the server the tests start a throwaway cluster of (and pg_dump for --backup).
# chromium, chromium-driver: the browser test of migrate-web (headless, through WebDriver).
# python3-sqlalchemy: the README's schema-command example, run by the tests (an ORM's model).
# pre-commit: the framework that runs .pre-commit-hooks.yaml, at Debian's version.
# man-db: reads the installed man pages; dpkg-dev: dpkg-shlibdeps for make package's Depends.
# python3-yaml: reads examples/compose/docker-compose.yml for its test; zsh: runs _migrate.
TEST_PACKAGES := git sqlite3 util-linux bsdutils postgresql postgresql-client libxml2-utils \
                 chromium chromium-driver python3-sqlalchemy pre-commit man-db dpkg-dev \
                 python3-yaml zsh
BENCH_PACKAGES := sqlite3 hyperfine time postgresql postgresql-client graphviz git wrk curl
# clang's libFuzzer and sanitizer runtimes, for `make fuzz` only.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev

# make fuzz: every target of fuzz/ for FUZZ_SECONDS each, built by clang in FUZZ_DIR.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build-deps bench-deps build tools test bench fuzz install install-built uninstall package \
        package-built format clean

all: build

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES) $(TEST_PACKAGES)

# What building needs, not testing (the Dockerfile's build stage).
build-deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

# dbmate (bench a, b, c, g) and squawk-cli (bench l) come from the npm registry, as dbmate does for the
# tests (scripts/install-bench-peers.sh, into $(BUILD_DIR)/bench-npm).
bench-deps:
	@scripts/install-deps.sh $(BENCH_PACKAGES)
	@scripts/install-bench-peers.sh $(BUILD_DIR)

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The executables alone, for the daily targets: a first `make migrate-upgrade` need not wait for
# the test binary.
tools: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target migrate_tools

# The tests run against a throwaway PostgreSQL cluster that this starts, and stops however the
# tests end (scripts/with-postgres.sh), and next to dbmate from the npm registry
# (scripts/install-test-peers.sh). A failed test's output is printed again at the end
# (scripts/show-failed-tests.sh), where a log cut to its last lines still has it.
test: build
	scripts/install-test-peers.sh $(BUILD_DIR)
	rm -f $(BUILD_DIR)/Testing/Temporary/LastTestsFailed.log  # ctest keeps an old one
	cd $(BUILD_DIR) && $(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j$(JOBS) \
	  || { $(CURDIR)/scripts/show-failed-tests.sh $(abspath $(BUILD_DIR)); exit 1; }

bench: build bench-deps
	bench/run.sh $(BUILD_DIR)

# Each fuzz target of fuzz/ run for FUZZ_SECONDS by libFuzzer, over its own corpus (kept in
# FUZZ_DIR/fuzz-corpus/ between runs) and the seeds of fuzz/corpus/; what it finds is kept in
# FUZZ_DIR/fuzz-crashes/. See fuzz/README.md.
fuzz:
	@scripts/install-deps.sh $(BUILD_PACKAGES) $(FUZZ_PACKAGES)
	test -f $(FUZZ_DIR)/CMakeCache.txt || CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGRATE_FUZZ=ON -DMIGRATE_BUILD_TESTS=OFF
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target fuzz_targets
	fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Stripped: the debug symbols (most of each file) stay in $(BUILD_DIR) for a debugger.
install: build install-built

# install's recipe once everything is built (the tests run it: they must not rebuild). CMake's
# list of what it installed is kept in the prefix, for uninstall: the build folder's is
# rewritten by every install and by cpack (with the package's /usr paths).
install-built:
	cmake --install $(BUILD_DIR) --prefix $(PREFIX) --strip
	cp $(BUILD_DIR)/install_manifest.txt $(PREFIX)/share/migrate/installed-files.txt

# Removes exactly what `make install` put in PREFIX (give the same PREFIX).
uninstall:
	@scripts/uninstall.sh $(PREFIX)/share/migrate/installed-files.txt

# A Debian package of what make install installs, under /usr, into PACKAGE_DIR (CPack; see the
# top CMakeLists.txt): $(PACKAGE_DIR)/migrate_<version>_<arch>.deb.
PACKAGE_DIR ?= $(BUILD_DIR)
package: build package-built

package-built:
	cd $(BUILD_DIR) && cpack -G DEB -B $(abspath $(PACKAGE_DIR))

# clang-format the C++ files changed since main (or all of them: make format FILES=all).
format:
	@scripts/format.sh $(FILES)

clean:
	rm -rf $(BUILD_DIR)

# The daily targets, run with the freshly built executables.
MIGRATE := $(BUILD_DIR)/tools/migrate
MIGRATE_PREREQ := tools
include make/migrate.mk
