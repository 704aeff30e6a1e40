// spec/TargetSpec.hpp: the `target` and `runner` sections of a program spec,
// their flags, and the rules of their combination with the objective.
#include "spec/ProgramSpec.hpp"
#include "spec/TargetSpec.hpp"

#include "InlineSpec.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";
using test::contains;
const auto parse = test::parseLoopSpec;

const char *CrossQemuSize = ",\"target\":{\"triple\":\"aarch64-linux-gnu\",\"cpu\":\"neoverse-n1\"},"
                            "\"runner\":{\"kind\":\"qemu\"},\"objective\":{\"kind\":\"size\"}";
} // namespace

TEST_CASE("a cross target reaches the target flags and the runner's launch prefix", "[spec][target]") {
  auto S = parse(CrossQemuSize);
  REQUIRE(S.ok());
  CHECK(S->Target.Triple == "aarch64-linux-gnu");
  CHECK(S->Target.Cpu == "neoverse-n1");
  CHECK(S->Target.archName() == "aarch64");
  CHECK(S->Runner.Kind == RunnerKind::Qemu);
  CHECK(S->targetFlags() ==
        std::vector<std::string>{"--target=aarch64-linux-gnu", "-mcpu=neoverse-n1"});
  CHECK(S->Runner.launchPrefix(S->Target) ==
        std::vector<std::string>{"qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"});

  // The spec's JSON (recorded and hashed) carries both sections, and reads back.
  auto Again = ProgramSpec::parse(S->toJson(), Data + "/loop/inline.json");
  REQUIRE(Again.ok());
  CHECK(Again->targetFlags() == S->targetFlags());
  CHECK(Again->Runner.Kind == RunnerKind::Qemu);
}

TEST_CASE("a host spec keeps its flags, JSON and local runner unchanged", "[spec][target]") {
  auto S = parse(",\"target_flags\":[\"-march=x86-64-v2\"]");
  REQUIRE(S.ok());
  CHECK(S->Target.isHost());
  CHECK_FALSE(S->Target.isForeign());
  CHECK(S->Runner.Kind == RunnerKind::Local);
  CHECK(S->targetFlags() == std::vector<std::string>{"-march=x86-64-v2"});
  CHECK(S->Runner.launchPrefix(S->Target).empty());
  CHECK_FALSE(contains(S->toJson(), "\"target\""));
  CHECK_FALSE(contains(S->toJson(), "\"runner\""));
}

TEST_CASE("runner qemu takes its program and sysroot from the spec", "[spec][target]") {
  auto S = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},\"runner\":{\"kind\":\"qemu\","
                 "\"qemu\":\"/opt/qemu/bin/qemu-aarch64\",\"sysroot\":\"/srv/arm64-root\"},"
                 "\"objective\":{\"kind\":\"size\"}");
  REQUIRE(S.ok());
  CHECK(S->Runner.launchPrefix(S->Target) ==
        std::vector<std::string>{"/opt/qemu/bin/qemu-aarch64", "-L", "/srv/arm64-root"});
}

TEST_CASE("target and runner errors name the field and what was expected", "[spec][target]") {
  auto NoTriple = parse(",\"target\":{\"cpu\":\"cortex-a72\"}");
  REQUIRE_FALSE(NoTriple.ok());
  CHECK(contains(NoTriple.message(), "inline.json"));
  CHECK(contains(NoTriple.message(), "target.triple"));
  CHECK(contains(NoTriple.message(), "required"));

  auto BadArch = parse(",\"target\":{\"triple\":\"vax11-unknown-none\"}");
  REQUIRE_FALSE(BadArch.ok());
  CHECK(contains(BadArch.message(), "target.triple"));
  CHECK(contains(BadArch.message(), "no architecture LLVM knows"));

  auto BadCpu = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\",\"cpu\":\"\"},"
                      "\"runner\":{\"kind\":\"qemu\"},\"objective\":{\"kind\":\"size\"}");
  REQUIRE_FALSE(BadCpu.ok());
  CHECK(contains(BadCpu.message(), "target.cpu"));

  auto UnknownKey = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\",\"sysroot\":\"/x\"}");
  REQUIRE_FALSE(UnknownKey.ok());
  CHECK(contains(UnknownKey.message(), "target.sysroot"));

  auto BadKind = parse(",\"runner\":{\"kind\":\"docker\"}");
  REQUIRE_FALSE(BadKind.ok());
  CHECK(contains(BadKind.message(), "runner.kind"));
  CHECK(contains(BadKind.message(), "\"local\", \"qemu\", \"ssh\" or \"slurm\""));

  auto SysrootLocal = parse(",\"runner\":{\"kind\":\"local\",\"sysroot\":\"/x\"}");
  REQUIRE_FALSE(SysrootLocal.ok());
  CHECK(contains(SysrootLocal.message(), "runner.sysroot"));
  CHECK(contains(SysrootLocal.message(), "only meaningful with kind \"qemu\""));

  auto Twice = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},\"target_flags\":"
                     "[\"--target=riscv64-linux-gnu\"],\"runner\":{\"kind\":\"qemu\"},"
                     "\"objective\":{\"kind\":\"size\"}");
  REQUIRE_FALSE(Twice.ok());
  CHECK(contains(Twice.message(), "target_flags[0]"));
  CHECK(contains(Twice.message(), "conflicts with the \"target\" section"));
}

TEST_CASE("a foreign target without a runner that can run it is refused", "[spec][target]") {
  auto S = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},\"objective\":{\"kind\":\"size\"}");
  REQUIRE_FALSE(S.ok());
  CHECK(contains(S.message(), "inline.json"));
  CHECK(contains(S.message(), "cannot run on this"));
  CHECK(contains(S.message(), "runner \"ssh\""));
  CHECK(contains(S.message(), "or \"qemu\""));
}

TEST_CASE("runner qemu refuses every objective that depends on time", "[spec][target]") {
  for (const char *Kind : {"wall", "cpu", "cycles", "instructions", "callgrind"}) {
    auto S = parse(std::string(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},"
                               "\"runner\":{\"kind\":\"qemu\"},\"objective\":{\"kind\":\"") +
                   Kind + "\"}");
    INFO(Kind);
    REQUIRE_FALSE(S.ok());
    CHECK(contains(S.message(), "inline.json"));
    CHECK(contains(S.message(), std::string("objective \"") + Kind + "\""));
    CHECK(contains(S.message(), "use objective \"size\""));
  }
  // The default objective (wall) is refused too.
  auto Default = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},\"runner\":{\"kind\":\"qemu\"}");
  REQUIRE_FALSE(Default.ok());
  CHECK(contains(Default.message(), "objective \"wall\""));

  // The same rule holds after command-line overrides.
  TargetSpec Arm{"aarch64-linux-gnu", ""};
  RunnerSpec Qemu;
  Qemu.Kind = RunnerKind::Qemu;
  Status Wall = checkTargetAndRunner(Arm, Qemu, ObjectiveKind::Wall, "--objective");
  REQUIRE_FALSE(Wall.ok());
  CHECK(contains(Wall.message(), "--objective"));
  CHECK(contains(Wall.message(), "emulated"));
  CHECK(checkTargetAndRunner(Arm, Qemu, ObjectiveKind::Size, "--objective").ok());
}

TEST_CASE("checkTriple accepts known architectures only", "[spec][target]") {
  CHECK(checkTriple("aarch64-linux-gnu", "--target").ok());
  CHECK(checkTriple("x86_64-linux-gnu", "--target").ok());
  Status Bad = checkTriple("pdp11", "--target");
  REQUIRE_FALSE(Bad.ok());
  CHECK(contains(Bad.message(), "--target"));
  CHECK(contains(Bad.message(), "pdp11"));
  CHECK_FALSE(checkTriple("", "--target").ok());
}

TEST_CASE("runner paths are relative to the spec; QEMU_* in run.env is refused",
          "[spec][target]") {
  auto S = parse(",\"target\":{\"triple\":\"aarch64-linux-gnu\"},\"runner\":{\"kind\":\"qemu\","
                 "\"qemu\":\"tools/qemu-aarch64\",\"sysroot\":\"rootfs\"},"
                 "\"objective\":{\"kind\":\"size\"}");
  REQUIRE(S.ok());
  CHECK(S->Runner.launchPrefix(S->Target) ==
        std::vector<std::string>{Data + "/loop/tools/qemu-aarch64", "-L", Data + "/loop/rootfs"});

  auto Env = parse(std::string(CrossQemuSize) +
                   ",\"run\":{\"env\":{\"QEMU_LOG_FILENAME\":\"/tmp/x\"}}");
  REQUIRE_FALSE(Env.ok());
  CHECK(contains(Env.message(), "run.env.QEMU_LOG_FILENAME"));
  CHECK(contains(Env.message(), "inline.json"));
  // Under runner local the variable is the program's own business.
  CHECK(parse(",\"run\":{\"env\":{\"QEMU_LOG_FILENAME\":\"/tmp/x\"}}").ok());
}
