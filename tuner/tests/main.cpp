// The Catch2 entry point for autopass-unit-tests; each tests/*.cpp adds cases.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
