// The dependency-file parser the builder and the evidence collector share.
#include "toolchain/ClangQueries.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

TEST_CASE("a clang -MD dependency file lists the source and its headers", "[toolchain]") {
  std::string Text = "unit.o: src/main.c \\\n  include/a\\ b.h include/cost$$.h \\\n"
                     "  /usr/include/stdio.h\n";
  std::vector<std::string> Expected = {"src/main.c", "include/a b.h", "include/cost$.h",
                                       "/usr/include/stdio.h"};
  CHECK(parseMakeDependencies(Text) == Expected);
}

TEST_CASE("a dependency rule may start on a continued line", "[toolchain]") {
  std::string Text = "a/very/long/output/name.o: \\\n  main.c\n";
  CHECK(parseMakeDependencies(Text) == std::vector<std::string>{"main.c"});
}

TEST_CASE("text without a rule has no dependencies", "[toolchain]") {
  CHECK(parseMakeDependencies("").empty());
  CHECK(parseMakeDependencies("not a rule\n").empty());
}
