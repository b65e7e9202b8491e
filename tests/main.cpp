// The Catch2 runner. Compiled once: it is the slowest file of the tests to build.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
