//===- measure/OutputChecker.cpp - Is the candidate's output right? -------===//
#include "measure/OutputChecker.hpp"

#include "measure/RunHealth.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace autopass {

namespace {

struct Token {
  std::string_view Text;
  size_t Line;
};

/// Splits on whitespace and on punctuation that glues numbers together in
/// typical output ("x=1.5,", "(3, 4)"), so numbers can be compared as numbers.
std::vector<Token> tokenize(std::string_view Text) {
  std::vector<Token> Out;
  size_t Line = 1;
  size_t I = 0;
  auto IsSep = [](char C) {
    return C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\v' || C == '\f' ||
           C == ',' || C == ';' || C == '(' || C == ')' || C == '[' || C == ']' ||
           C == '{' || C == '}' || C == '=' || C == ':' || C == '|';
  };
  while (I < Text.size()) {
    if (IsSep(Text[I])) {
      // Separators are compared too (except whitespace runs), so "1,2" and
      // "1;2" differ.
      char C = Text[I];
      if (C == '\n')
        ++Line;
      if (!(C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\v' || C == '\f'))
        Out.push_back({Text.substr(I, 1), Line});
      ++I;
      continue;
    }
    size_t Start = I;
    while (I < Text.size() && !IsSep(Text[I]))
      ++I;
    Out.push_back({Text.substr(Start, I - Start), Line});
  }
  return Out;
}

std::optional<double> parseNumber(std::string_view Tok) {
  if (Tok.empty())
    return std::nullopt;
  std::string S(Tok);
  char *End = nullptr;
  double D = std::strtod(S.c_str(), &End);
  if (End != S.c_str() + S.size())
    return std::nullopt;
  return D;
}

std::string num(double D) {
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%.6g", D);
  return Buf;
}

} // namespace

std::optional<std::string> compareNumeric(std::string_view Reference, std::string_view Candidate,
                                          double AbsTol, double RelTol) {
  auto R = tokenize(Reference), C = tokenize(Candidate);
  size_t N = std::min(R.size(), C.size());
  for (size_t I = 0; I < N; ++I) {
    if (R[I].Text == C[I].Text)
      continue;
    auto RV = parseNumber(R[I].Text), CV = parseNumber(C[I].Text);
    std::string Where = "token " + std::to_string(I + 1) + " (line " +
                        std::to_string(R[I].Line) + "): reference \"" +
                        std::string(R[I].Text) + "\", candidate \"" + std::string(C[I].Text) +
                        "\"";
    if (!RV || !CV)
      return Where;
    if (std::isnan(*RV) && std::isnan(*CV))
      continue;
    double Diff = std::fabs(*RV - *CV);
    if (Diff <= AbsTol || Diff <= RelTol * std::fabs(*RV))
      continue;
    double Rel = *RV != 0 ? Diff / std::fabs(*RV) : INFINITY;
    return Where + " (abs diff " + num(Diff) + " > abs_tol " + num(AbsTol) + ", rel diff " +
           num(Rel) + " > rel_tol " + num(RelTol) + ")";
  }
  if (R.size() != C.size())
    return "reference has " + std::to_string(R.size()) + " tokens, candidate " +
           std::to_string(C.size());
  return std::nullopt;
}

std::string describeFirstDifference(std::string_view Reference, std::string_view Candidate) {
  auto RL = split(Reference, '\n'), CL = split(Candidate, '\n');
  size_t N = std::min(RL.size(), CL.size());
  auto Clip = [](const std::string &S) { return S.size() > 120 ? S.substr(0, 120) + "..." : S; };
  for (size_t I = 0; I < N; ++I)
    if (RL[I] != CL[I])
      return "line " + std::to_string(I + 1) + ": reference \"" + Clip(RL[I]) +
             "\", candidate \"" + Clip(CL[I]) + "\"";
  return "reference has " + std::to_string(Reference.size()) + " bytes, candidate " +
         std::to_string(Candidate.size());
}

namespace {

CheckResult environmentFailure(std::string Why) {
  return CheckResult{false, std::move(Why), true};
}

/// The spec's checker command on the two outputs. A failure of the machine
/// (the files cannot be written, the checker cannot start or dies of a full
/// disk or the OOM killer) is told apart from the checker's verdict.
CheckResult runChecker(const std::vector<std::string> &Command, const std::string &Reference,
                       const std::string &Candidate, const std::string &ScratchDir) {
  auto Dir = makeTempDirectory(ScratchDir, "check-");
  if (!Dir)
    return environmentFailure("cannot run the checker: " + Dir.message());
  std::string RefPath = joinPath(*Dir, "reference.stdout");
  std::string CandPath = joinPath(*Dir, "candidate.stdout");
  Status Written = writeFile(RefPath, Reference);
  if (Written)
    Written = writeFile(CandPath, Candidate);
  if (!Written) {
    (void)removeAll(*Dir);
    return environmentFailure("cannot write the checker's input files in " + *Dir + ": " +
                              Written.message());
  }
  SubprocessOptions O;
  O.Argv = Command;
  O.Argv.push_back(RefPath);
  O.Argv.push_back(CandPath);
  O.Cwd = *Dir; // inside the run directory, like every subprocess
  O.TimeoutSeconds = 120;
  O.OutputCap = 1u << 16;
  auto R = runSubprocess(O);
  (void)removeAll(*Dir);
  if (!R)
    return environmentFailure("cannot run the checker: " + R.message());
  if (R->succeeded())
    return {};
  std::string Said = std::string(trim(R->Stdout + R->Stderr)).substr(0, 500);
  std::string Verdict = "checker " + shellJoin(Command) + " rejected the output (" +
                        R->describe(120) + "): " + Said;
  // What the checker itself printed on stderr, and how it ended: the
  // candidate's output is in its stdout and must not decide this.
  std::string Env = environmentFailureIn(R->Stderr + "\n" + R->describe(120));
  if (!Env.empty())
    return environmentFailure("checker " + shellJoin(Command) + " failed (" + Env +
                              "), not the output: " + Said);
  return CheckResult{false, Verdict};
}

} // namespace

CheckResult checkOutput(const CheckSpec &Check, const OutputSnapshot &Reference,
                        const OutputSnapshot &Candidate, const std::string &ScratchDir) {
  auto Fail = [](std::string Why) { return CheckResult{false, std::move(Why)}; };
  if (Candidate.ExitCode != Reference.ExitCode)
    return Fail("exit code " + std::to_string(Candidate.ExitCode) + ", the reference exits with " +
                std::to_string(Reference.ExitCode));
  if (Candidate.StdoutTruncated != Reference.StdoutTruncated)
    return Fail("stdout exceeded the capture cap in only one of reference and candidate");
  switch (Check.Kind) {
  case CheckKind::None:
    return {};
  case CheckKind::Exact:
    if (Candidate.Stdout != Reference.Stdout)
      return Fail("stdout differs from the reference: " +
                  describeFirstDifference(Reference.Stdout, Candidate.Stdout));
    return {};
  case CheckKind::Numeric:
    if (auto Diff = compareNumeric(Reference.Stdout, Candidate.Stdout, Check.AbsTol, Check.RelTol))
      return Fail("stdout differs beyond tolerance: " + *Diff);
    return {};
  case CheckKind::Files:
    if (Check.CompareStdout && Candidate.Stdout != Reference.Stdout)
      return Fail("stdout differs from the reference: " +
                  describeFirstDifference(Reference.Stdout, Candidate.Stdout));
    for (const auto &F : Check.Files) {
      auto R = Reference.Files.find(F), C = Candidate.Files.find(F);
      if (C == Candidate.Files.end())
        return Fail("file \"" + F + "\" was not written");
      if (R == Reference.Files.end())
        return Fail("file \"" + F + "\" is missing from the reference");
      if (R->second != C->second)
        return Fail("file \"" + F + "\" differs: " +
                    describeFirstDifference(R->second, C->second));
    }
    return {};
  case CheckKind::Command:
    return runChecker(Check.Command, Reference.Stdout, Candidate.Stdout, ScratchDir);
  }
  return {};
}

} // namespace autopass
