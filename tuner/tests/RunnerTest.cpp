// measure/Runner.hpp: a checked run keeps what the program prints, a
// measured run does not (its stdout goes to /dev/null), except when the
// objective is a figure the program prints.
#include "measure/Runner.hpp"
#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
ProgramSpec shellSpec(const std::string &Script) {
  ProgramSpec S;
  S.Name = "shell";
  S.Run.Args = {"-c", Script};
  S.Run.TimeoutSeconds = 120;
  S.Check.Kind = CheckKind::Exact;
  return S;
}
} // namespace

TEST_CASE("a measured run does not keep a large output; a checked run does", "[runner]") {
  test::TempDir D;
  // 8 MB of numbers, like a program dumping its results.
  ProgramSpec Spec = shellSpec("yes 0.123456789 | head -c 8000000");
  LocalRunner R(Spec, D.Path, std::nullopt);

  auto Checked = R.run("/bin/sh", ObjectiveSpec{}, RunOutput::Keep);
  REQUIRE(Checked.ok());
  CHECK(Checked->Output.ExitCode == 0);
  CHECK(Checked->Output.Stdout.size() == 8000000u);
  CHECK(Checked->Output.Stdout.compare(0, 12, "0.123456789\n") == 0);

  auto Measured = R.run("/bin/sh", ObjectiveSpec{}, RunOutput::Discard);
  REQUIRE(Measured.ok());
  CHECK(Measured->Output.ExitCode == 0);
  CHECK(Measured->Output.Stdout.empty());
  CHECK(Measured->Process.Stdout.empty());
  CHECK_FALSE(Measured->Output.StdoutTruncated);
  REQUIRE(Measured->Value.has_value());
  CHECK(*Measured->Value > 0);
}

TEST_CASE("a measured run still reads a figure the program prints", "[runner]") {
  test::TempDir D;
  ProgramSpec Spec = shellSpec("echo 'checksum 17'; echo 'throughput 42.5 MB/s'");
  LocalRunner R(Spec, D.Path, std::nullopt);
  ObjectiveSpec Reported;
  Reported.Kind = ObjectiveKind::Reported;
  Reported.Regex = "throughput ([0-9.]+)";
  auto Measured = R.run("/bin/sh", Reported, RunOutput::Discard);
  REQUIRE(Measured.ok());
  REQUIRE(Measured->Value.has_value());
  CHECK(*Measured->Value == 42.5);
  CHECK(Measured->Output.Stdout.empty()); // nothing kept for the check
}

TEST_CASE("a measured run's exit code is still seen", "[runner]") {
  test::TempDir D;
  ProgramSpec Spec = shellSpec("yes x | head -c 100000; exit 3");
  LocalRunner R(Spec, D.Path, std::nullopt);
  auto Measured = R.run("/bin/sh", ObjectiveSpec{}, RunOutput::Discard);
  REQUIRE(Measured.ok());
  CHECK(Measured->Output.ExitCode == 3);
}
