// Knob placement from --help-hidden texts.
#include "toolchain/ToolOptionIndex.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

TEST_CASE("options are read from --help-hidden output", "[toolchain]") {
  const char *OptHelp = "OPTIONS:\n\nGeneral options:\n\n"
                        "  --O3                         - Optimization level 3.\n"
                        "  -S                           - Write output as LLVM assembly\n"
                        "  --unroll-threshold=<uint>    - Threshold\n"
                        "  --shared-opt                 - In both\n"
                        "  --aarch64-authenticated-lr-check-method=<value> - Override\n"
                        "    =none                      -   Do not check\n"
                        "      --polly-ast              - a legacy pass, not an option\n";
  const char *LlcHelp = "  --enable-misched             - Enable the scheduler\n"
                        "  --shared-opt                 - In both\n";
  auto Index = ToolOptionIndex::fromHelpTexts(OptHelp, LlcHelp);
  CHECK(Index.place("unroll-threshold") == KnobPlacement::Opt);
  CHECK(Index.place("enable-misched") == KnobPlacement::Codegen);
  CHECK(Index.place("shared-opt") == KnobPlacement::Both);
  CHECK(Index.place("S") == KnobPlacement::Opt);
  CHECK(Index.place("aarch64-authenticated-lr-check-method") == KnobPlacement::Opt);
  CHECK(Index.place("none") == KnobPlacement::None);
  CHECK(Index.place("polly-ast") == KnobPlacement::None);
  CHECK(Index.place("unrol-threshold") == KnobPlacement::None);
}
