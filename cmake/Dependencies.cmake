# Every dependency is a Debian package (see the Makefile's `deps` target); nothing is vendored
# and nothing is downloaded at build time. Each one is found here, once.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)            # reading migration folders in parallel

find_package(fmt REQUIRED)                 # libfmt-dev
find_package(SQLite3 REQUIRED)             # libsqlite3-dev
find_package(CLI11 REQUIRED)               # libcli11-dev
find_package(nlohmann_json REQUIRED)       # nlohmann-json3-dev
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)    # nettle-dev: SHA-256
# libxxhash-dev: XXH3, the checksum that tells a damaged cache file (util/fast_checksum), used
# inline from its header (XXH_INLINE_ALL) in that one file: no library to load at start.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)  # libgit2-dev
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)      # libpq-dev
find_package(ZLIB REQUIRED)                # zlib1g-dev: Flyway's CRC-32 checksums (migrate-adopt)
pkg_check_modules(GRAPHVIZ REQUIRED IMPORTED_TARGET libgvc libcgraph)  # libgraphviz-dev
# libcpp-httplib-dev (migrate-web): Debian builds it as a shared library and ships a pkg-config
# file, not the upstream header-only CMake package (httplib::httplib).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# libpg-query-dev ships no CMake or pkg-config file: PostgreSQL's own parser, found by hand.
# Its static archive (built position-independent) goes into the core library: one shared
# library fewer for the dynamic loader at every start.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query REQUIRED)
add_library(pg_query::pg_query UNKNOWN IMPORTED)
set_target_properties(pg_query::pg_query PROPERTIES
  IMPORTED_LOCATION ${PG_QUERY_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PG_QUERY_INCLUDE_DIR})

if(MIGRATE_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)          # catch2 (v2)
endif()
