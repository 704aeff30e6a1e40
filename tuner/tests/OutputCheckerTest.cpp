// Output checks against the -O3 reference: exact, numeric tolerance token by
// token, files, and a checker command.
#include "measure/OutputChecker.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
OutputSnapshot out(const std::string &Stdout) {
  OutputSnapshot S;
  S.Stdout = Stdout;
  return S;
}
} // namespace

TEST_CASE("numeric comparison honours absolute and relative tolerances", "[check]") {
  CHECK_FALSE(compareNumeric("x = 1.0000 y = 2", "x = 1.0000 y = 2", 0, 0));
  CHECK_FALSE(compareNumeric("energy 1.000000", "energy 1.0000005", 0, 1e-6));
  auto Far = compareNumeric("energy 1.000000", "energy 1.00001", 0, 1e-6);
  REQUIRE(Far);
  CHECK(Far->find("token 2") != std::string::npos);
  CHECK(Far->find("rel_tol") != std::string::npos);
  CHECK_FALSE(compareNumeric("0.0", "1e-12", 1e-9, 0));
  CHECK(compareNumeric("0.0", "1e-6", 1e-9, 1e-3));
  // Numbers glued to punctuation are still compared as numbers.
  CHECK_FALSE(compareNumeric("(1.5,2.5)", "(1.5000001,2.5)", 0, 1e-6));
  // Words must match exactly, and so must the number of tokens.
  CHECK(compareNumeric("sum 3", "total 3", 1, 1));
  CHECK(compareNumeric("1 2 3", "1 2", 0, 0));
  CHECK(compareNumeric("nan", "1", 0, 1));
  CHECK_FALSE(compareNumeric("nan", "nan", 0, 0));
}

TEST_CASE("check kinds", "[check]") {
  CheckSpec Exact;
  CHECK(checkOutput(Exact, out("a\nb\n"), out("a\nb\n"), "/tmp").Ok);
  CheckResult Diff = checkOutput(Exact, out("a\nb\n"), out("a\nc\n"), "/tmp");
  CHECK_FALSE(Diff.Ok);
  CHECK(Diff.Reason.find("line 2") != std::string::npos);

  CheckSpec Numeric;
  Numeric.Kind = CheckKind::Numeric;
  Numeric.RelTol = 1e-3;
  CHECK(checkOutput(Numeric, out("t 14.393\n"), out("t 14.3931\n"), "/tmp").Ok);
  CHECK_FALSE(checkOutput(Numeric, out("t 14.393\n"), out("t 14.37\n"), "/tmp").Ok);

  OutputSnapshot Bad = out("a\nb\n");
  Bad.ExitCode = 1;
  CheckResult Exit = checkOutput(Exact, out("a\nb\n"), Bad, "/tmp");
  CHECK_FALSE(Exit.Ok);
  CHECK(Exit.Reason.find("exit code 1") != std::string::npos);

  CheckSpec Files;
  Files.Kind = CheckKind::Files;
  Files.Files = {"out.pgm"};
  OutputSnapshot R = out("ok\n"), C = out("ok\n");
  R.Files["out.pgm"] = "P5 1 1 255 x";
  C.Files["out.pgm"] = "P5 1 1 255 x";
  CHECK(checkOutput(Files, R, C, "/tmp").Ok);
  C.Files["out.pgm"] = "P5 1 1 255 y";
  CheckResult FileDiff = checkOutput(Files, R, C, "/tmp");
  CHECK_FALSE(FileDiff.Ok);
  CHECK(FileDiff.Reason.find("out.pgm") != std::string::npos);
  C.Files.clear();
  CHECK_FALSE(checkOutput(Files, R, C, "/tmp").Ok);

  CheckSpec Command;
  Command.Kind = CheckKind::Command;
  Command.Command = {"cmp", "-s"};
  CHECK(checkOutput(Command, out("same"), out("same"), "/tmp").Ok);
  CheckResult Rejected = checkOutput(Command, out("same"), out("other"), "/tmp");
  CHECK_FALSE(Rejected.Ok);
  CHECK(Rejected.Reason.find("checker") != std::string::npos);
}

TEST_CASE("a checker failing on a full disk is the environment's failure", "[check]") {
  CheckSpec Command;
  Command.Kind = CheckKind::Command;
  // A checker that needs a scratch file on a full disk: writing to
  // /dev/full fails with ENOSPC, and the shell reports it.
  Command.Command = {"bash", "-c", "echo scratch > /dev/full && cmp -s \"$1\" \"$2\"", "checker"};
  CheckResult Full = checkOutput(Command, out("same"), out("same"), "/tmp");
  CHECK_FALSE(Full.Ok);
  CHECK(Full.EnvironmentFailed);
  CHECK(Full.Reason.find("No space left on device") != std::string::npos);

  // Killed by the system (SIGKILL, the OOM killer's signal).
  Command.Command = {"sh", "-c", "kill -9 $$", "checker"};
  CheckResult Killed = checkOutput(Command, out("same"), out("same"), "/tmp");
  CHECK_FALSE(Killed.Ok);
  CHECK(Killed.EnvironmentFailed);

  // No scratch directory: the checker's input files cannot be written.
  Command.Command = {"cmp", "-s"};
  CheckResult NoDir = checkOutput(Command, out("same"), out("same"), "/dev/null/nowhere");
  CHECK_FALSE(NoDir.Ok);
  CHECK(NoDir.EnvironmentFailed);

  // The checker's own verdict stays the output's fault, even when the
  // candidate's output (the checker's stdout here) names a full disk.
  Command.Command = {"sh", "-c", "cat \"$2\"; exit 1", "checker"};
  CheckResult Wrong =
      checkOutput(Command, out("same"), out("No space left on device"), "/tmp");
  CHECK_FALSE(Wrong.Ok);
  CHECK_FALSE(Wrong.EnvironmentFailed);
  CHECK(Wrong.Reason.find("rejected the output") != std::string::npos);
}

TEST_CASE("numeric comparison of outputs of tens of MB", "[check]") {
  // 2.5 million numbers (about 25 MB); the candidate differs in the last
  // digits of every number, within tolerance, and then in one place beyond.
  std::string Ref, Cand;
  const size_t Lines = 500000;
  Ref.reserve(Lines * 52);
  Cand.reserve(Lines * 52);
  for (size_t I = 0; I < Lines; ++I) {
    std::string N = std::to_string(I);
    Ref += "x=" + N + ".1234567, " + N + ".5, (1.25; 2.5) |" + N + "\n";
    Cand += "x=" + N + ".1234568, " + N + ".5, (1.25; 2.5) |" + N + "\n";
  }
  REQUIRE(Ref.size() > 20000000u);
  CHECK_FALSE(compareNumeric(Ref, Cand, 0, 1e-6).has_value());

  // One number beyond tolerance, near the end: named by token and line.
  std::string Bad = Cand;
  size_t At = Bad.rfind("(1.25");
  REQUIRE(At != std::string::npos);
  Bad.replace(At, 5, "(1.26");
  auto Diff = compareNumeric(Ref, Bad, 0, 1e-6);
  REQUIRE(Diff.has_value());
  CHECK(Diff->find("line " + std::to_string(Lines) + ")") != std::string::npos);
  CHECK(Diff->find("reference \"1.25\", candidate \"1.26\"") != std::string::npos);

  // A missing last line: the counts of both sides.
  std::string Short = Cand.substr(0, Cand.rfind("x="));
  auto Count = compareNumeric(Ref, Short, 0, 1e-6);
  REQUIRE(Count.has_value());
  CHECK(Count->find("reference has " + std::to_string(Lines * 13) + " tokens, candidate " +
                    std::to_string((Lines - 1) * 13)) != std::string::npos);
}

TEST_CASE("numeric comparison: token positions and long tokens", "[check]") {
  auto D = compareNumeric("a 1\nb 2\nc 3", "a 1\nb 2\nc 4", 0, 0);
  REQUIRE(D.has_value());
  CHECK(D->find("token 6 (line 3)") != std::string::npos);
  // A number longer than the parser's stack buffer still parses.
  std::string Long = "1." + std::string(100, '0') + "1";
  std::string Long2 = "1." + std::string(100, '0') + "2";
  CHECK_FALSE(compareNumeric(Long, Long2, 1e-9, 0).has_value());
  CHECK(compareNumeric("1.0", "1.0x", 1, 1).has_value());
}
