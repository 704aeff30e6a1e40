// The -O3 pipeline text the pipeline layer starts from depends on the
// target: opt ran without -mtriple, so a tune for aarch64-linux-gnu started
// from (and compared its winner with) the host's pipeline, which lacks
// AArch64's loop-idiom-vectorize.
#include "driver/TuningRun.hpp"
#include "spec/TargetSpec.hpp"
#include "toolchain/Toolchain.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
bool hasPass(const std::string &Pipeline, const std::string &Pass) {
  return Pipeline.find(Pass) != std::string::npos;
}
} // namespace

TEST_CASE("the -O3 pipeline text is the target's", "[target][pipeline]") {
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  TargetSpec Arm{"aarch64-linux-gnu", ""};
  CHECK(Arm.toolFlags() == std::vector<std::string>{"-mtriple=aarch64-linux-gnu"});
  auto ArmText = o3PipelineText(*Tools, Arm);
  REQUIRE(ArmText.ok());
  CHECK(hasPass(*ArmText, "loop-idiom-vectorize"));

  TargetSpec ArmCpu{"aarch64-linux-gnu", "neoverse-n1"};
  CHECK(ArmCpu.toolFlags() ==
        std::vector<std::string>{"-mtriple=aarch64-linux-gnu", "-mcpu=neoverse-n1"});
  auto ArmCpuText = o3PipelineText(*Tools, ArmCpu);
  REQUIRE(ArmCpuText.ok());
  CHECK(hasPass(*ArmCpuText, "loop-idiom-vectorize"));

  auto X86Text = o3PipelineText(*Tools, TargetSpec{"x86_64-linux-gnu", ""});
  REQUIRE(X86Text.ok());
  CHECK_FALSE(X86Text->empty());
  CHECK_FALSE(hasPass(*X86Text, "loop-idiom-vectorize"));

  // The host's (no triple) is the x86-64 one on an x86-64 machine.
  TargetSpec Host;
  CHECK(Host.toolFlags().empty());
  if (Host.archName() == "x86_64") {
    auto HostText = o3PipelineText(*Tools, Host);
    REQUIRE(HostText.ok());
    CHECK(*HostText == *X86Text);
  }
}
