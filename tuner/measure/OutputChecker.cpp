//===- measure/OutputChecker.cpp - Is the candidate's output right? -------===//
#include "measure/OutputChecker.hpp"

#include "measure/RunHealth.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace autopass {

namespace {

/// Splits on whitespace and on punctuation that glues numbers together in
/// typical output ("x=1.5,", "(3, 4)"), so numbers can be compared as numbers.
/// Separators are tokens too (except whitespace runs), so "1,2" and "1;2"
/// differ. A cursor, not a list: outputs of tens of MB are compared without
/// materialising their tokens.
class TokenCursor {
public:
  explicit TokenCursor(std::string_view Text) : Text(Text) {}

  /// The next token, or false at the end; Line is the token's line.
  bool next(std::string_view &Tok) {
    while (I < Text.size() && isSpace(Text[I])) {
      if (Text[I] == '\n')
        ++Line;
      ++I;
    }
    if (I == Text.size())
      return false;
    size_t Start = I++;
    if (!isPunct(Text[Start]))
      while (I < Text.size() && !isSpace(Text[I]) && !isPunct(Text[I]))
        ++I;
    Tok = Text.substr(Start, I - Start);
    return true;
  }
  size_t line() const { return Line; }

private:
  static bool isSpace(char C) {
    return C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\v' || C == '\f';
  }
  static bool isPunct(char C) {
    return C == ',' || C == ';' || C == '(' || C == ')' || C == '[' || C == ']' || C == '{' ||
           C == '}' || C == '=' || C == ':' || C == '|';
  }
  std::string_view Text;
  size_t I = 0;
  size_t Line = 1;
};

std::optional<double> parseNumber(std::string_view Tok) {
  if (Tok.empty())
    return std::nullopt;
  // strtod needs a terminated string; a number token is short, so most
  // tokens are parsed from the stack.
  char Small[64];
  std::string Large;
  const char *Begin = Small;
  if (Tok.size() < sizeof(Small)) {
    std::memcpy(Small, Tok.data(), Tok.size());
    Small[Tok.size()] = '\0';
  } else {
    Large.assign(Tok);
    Begin = Large.c_str();
  }
  char *End = nullptr;
  double D = std::strtod(Begin, &End);
  if (End != Begin + Tok.size())
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
  TokenCursor R(Reference), C(Candidate);
  std::string_view RT, CT;
  size_t Count = 0;
  bool HasR = R.next(RT), HasC = C.next(CT);
  for (; HasR && HasC; HasR = R.next(RT), HasC = C.next(CT)) {
    ++Count;
    if (RT == CT)
      continue;
    auto RV = parseNumber(RT), CV = parseNumber(CT);
    auto Where = [&] {
      return "token " + std::to_string(Count) + " (line " + std::to_string(R.line()) +
             "): reference \"" + std::string(RT) + "\", candidate \"" + std::string(CT) + "\"";
    };
    if (!RV || !CV)
      return Where();
    if (std::isnan(*RV) && std::isnan(*CV))
      continue;
    double Diff = std::fabs(*RV - *CV);
    if (Diff <= AbsTol || Diff <= RelTol * std::fabs(*RV))
      continue;
    double Rel = *RV != 0 ? Diff / std::fabs(*RV) : INFINITY;
    return Where() + " (abs diff " + num(Diff) + " > abs_tol " + num(AbsTol) + ", rel diff " +
           num(Rel) + " > rel_tol " + num(RelTol) + ")";
  }
  if (!HasR && !HasC)
    return std::nullopt;
  size_t RCount = Count + HasR, CCount = Count + HasC;
  while (HasR && R.next(RT))
    ++RCount;
  while (HasC && C.next(CT))
    ++CCount;
  return "reference has " + std::to_string(RCount) + " tokens, candidate " +
         std::to_string(CCount);
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
