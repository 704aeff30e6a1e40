// The tuning run end to end, through the tuner binary (`tune`):
//  - only a win that holds up on fresh runs is reported: a candidate that
//    wins its search measurement and loses its confirmation is not, and the
//    same candidate holding its win is (the control);
//  - a strategy that failed before proposing anything (an LLM endpoint that
//    refuses, answers HTTP 500, sends malformed bodies or hangs) fails the
//    run with what happened and a non-zero exit, never "-O3 is best here".
//
// The program reports its own figure (objective "reported"), so the test
// decides what each side measures without timing anything: the -O3 binary
// (the first binary ever run, for the reference output) reports 2, any
// other binary 1 during the search; once the run directory's journal shows
// a confirmation has started, a "fade" program's candidates report 3.
#include "MockOpenAiServer.hpp"
#include "TempDir.hpp"

#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

using namespace autopass;
using namespace autopass::test;

namespace {

const char *ProgramSource = R"(#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 256
static float X[N], Y[N];

static float kernel(int Rounds) {
  float Acc = 0;
  for (int R = 0; R < Rounds; ++R) {
    for (int I = 0; I < N; ++I)
      Y[I] = Y[I] * 0.5f + X[I] * (float)(R & 7);
    Acc += Y[R % N];
  }
  return Acc;
}

static int fileContains(const char *Path, const char *Needle) {
  FILE *F = fopen(Path, "rb");
  if (!F)
    return 0;
  fseek(F, 0, SEEK_END);
  long Size = ftell(F);
  fseek(F, 0, SEEK_SET);
  char *Text = malloc((size_t)Size + 1);
  size_t Got = Text ? fread(Text, 1, (size_t)Size, F) : 0;
  fclose(F);
  if (!Text)
    return 0;
  Text[Got] = 0;
  int Found = strstr(Text, Needle) != NULL;
  free(Text);
  return Found;
}

/* argv[1]: the spec's directory; argv[2]: "fade" or "hold". */
int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  char Self[4096], Path[4096], Base[4096] = "";
  ssize_t Len = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
  if (Len <= 0)
    return 3;
  Self[Len] = 0;
  snprintf(Path, sizeof(Path), "%s/baseline-exe", argv[1]);
  FILE *F = fopen(Path, "r");
  if (F) {
    if (!fgets(Base, sizeof(Base), F))
      Base[0] = 0;
    fclose(F);
  } else {
    F = fopen(Path, "w");
    if (!F)
      return 4;
    fputs(Self, F);
    fclose(F);
    strcpy(Base, Self);
  }
  snprintf(Path, sizeof(Path), "%s/run/journal.jsonl", argv[1]);
  int Confirming = fileContains(Path, "\"type\":\"confirm_start\"");
  double Figure = strcmp(Base, Self) == 0                            ? 2.0
                  : Confirming && strcmp(argv[2], "fade") == 0 ? 3.0
                                                                 : 1.0;
  for (int I = 0; I < N; ++I)
    X[I] = (float)(I % 17) * 0.25f;
  printf("checksum %.3e\nfigure %.1f\n", kernel(50), Figure);
  return 0;
}
)";

/// A program and its spec in a fresh directory; the run directory is
/// DIR/run.
struct ReportingProgram {
  TempDir Dir{"autopass-tune-test-"};
  std::string Spec;
  std::string RunDir;

  explicit ReportingProgram(const std::string &Mode) {
    REQUIRE(writeFile(joinPath(Dir.Path, "prog.c"), ProgramSource).ok());
    Spec = joinPath(Dir.Path, "spec.json");
    RunDir = joinPath(Dir.Path, "run");
    REQUIRE(writeFile(Spec, R"J({"schema":"autopass-program/1","name":"prog",
        "sources":["prog.c"],
        "run":{"args":["{dir}",")J" + Mode + R"J("],"timeout_s":20},
        "check":{"kind":"none"},
        "objective":{"kind":"reported","regex":"figure ([0-9.]+)"}})J")
                .ok());
  }

  SubprocessResult tune(const std::vector<std::string> &Extra) const {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "tune", Spec,          "--run-dir", RunDir,
              "--quiet",          "--profile", "none",     "--warmups", "0",
              "--min-reps",       "2",         "--max-reps", "2",       "--jobs",
              "2"};
    O.Argv.insert(O.Argv.end(), Extra.begin(), Extra.end());
    O.TimeoutSeconds = 300;
    auto R = runSubprocess(O);
    REQUIRE(R.ok());
    return std::move(*R);
  }

  std::shared_ptr<rapidjson::Document> result() const {
    auto D = parseJsonFile(joinPath(RunDir, "results/tune-result.json"));
    REQUIRE(D.ok());
    return *D;
  }
};

const std::vector<std::string> RandomSearch = {"--strategy", "random", "--strategy-seed", "1",
                                               "--budget",   "4",      "--batch",         "4",
                                               "--confirm-reps", "2"};

/// The confirmation tests leave the layout check out: they are about fresh
/// runs of the same binaries (the layout check has its own test below).
std::vector<std::string> withoutLayoutCheck(std::vector<std::string> Args) {
  Args.push_back("--no-layout-check");
  return Args;
}

/// Steps that won their search measurement (interval above 1) with a binary
/// that differs from -O3's: the candidates the run must try to confirm.
size_t searchWinners(const rapidjson::Document &Result) {
  size_t N = 0;
  for (const auto &S : Result["steps"].GetArray())
    N += std::string(S["status"].GetString()) == "ok" && S["ci_lo"].IsNumber() &&
         S["ci_lo"].GetDouble() > 1.0;
  return N;
}

/// The run reported no win: -O3 is best, no best config was written.
void checkNothingReported(const rapidjson::Document &D, const ReportingProgram &P,
                          const SubprocessResult &R) {
  CHECK(std::string(D["verdict"].GetString()) == "o3-is-best");
  CHECK(D["best"].IsNull());
  CHECK_FALSE(pathExists(joinPath(P.RunDir, "results/best-config.json")));
  CHECK(R.Stdout.find("-O3 is best here") != std::string::npos);
}

} // namespace

TEST_CASE("a candidate that wins its search measurement and loses its confirmation is not "
          "reported",
          "[tune][slow]") {
  ReportingProgram P("fade");
  SubprocessResult R = P.tune(withoutLayoutCheck(RandomSearch));
  INFO(R.Stdout << R.Stderr);
  REQUIRE(R.ExitCode == 0);
  auto Result = P.result();
  const rapidjson::Document &D = *Result;
  REQUIRE(searchWinners(D) > 0);
  // Every search winner with its own binary was re-measured, and lost.
  REQUIRE(D["confirmations"].Size() > 0);
  for (const auto &C : D["confirmations"].GetArray()) {
    REQUIRE(C["speedup"].IsNumber());
    CHECK(C["speedup"].GetDouble() == Approx(2.0 / 3.0));
  }
  checkNothingReported(D, P, R);
}

TEST_CASE("the same candidate holding its win on fresh runs is reported", "[tune][slow]") {
  ReportingProgram P("hold");
  SubprocessResult R = P.tune(withoutLayoutCheck(RandomSearch));
  INFO(R.Stdout << R.Stderr);
  REQUIRE(R.ExitCode == 0);
  auto Result = P.result();
  const rapidjson::Document &D = *Result;
  REQUIRE(searchWinners(D) > 0);
  CHECK(std::string(D["verdict"].GetString()) == "faster");
  REQUIRE(D["best"].IsObject());
  CHECK(D["best"]["speedup"].GetDouble() == Approx(2.0));
  // A random search's win is exploration's, whole.
  REQUIRE(D["best"].HasMember("gain_origin"));
  CHECK(D["best"]["gain_origin"]["exploration"].GetDouble() == Approx(1.0));
  CHECK(D["best"]["gain_origin"]["evidence"].GetDouble() == 0);
  CHECK(pathExists(joinPath(P.RunDir, "results/best-config.json")));
  CHECK(R.Stdout.find("-O3 is best here") == std::string::npos);
}

TEST_CASE("an LLM that never answers fails the run with what happened", "[tune][slow]") {
  ReportingProgram P("hold");
  MockOpenAiServer Server;
  REQUIRE(Server.ok());
  std::string Url = Server.baseUrl();
  std::string Expected;
  std::vector<std::string> Timeout = {"--llm-timeout", "30"};
  SECTION("no server") {
    Server.stop(); // nothing listens on the port any more: connections are refused
    Expected = "cannot connect";
  }
  SECTION("HTTP 500") {
    for (int I = 0; I < 3; ++I)
      Server.enqueue(
          ScriptedReply::json(R"({"error":{"message":"the model is overloaded"}})", 500));
    Expected = "HTTP 500: the model is overloaded";
  }
  SECTION("malformed bodies") {
    for (int I = 0; I < 3; ++I)
      Server.enqueue(ScriptedReply::json("<html>gateway</html>"));
    Expected = "the body is not a chat completion";
  }
  SECTION("a hang") {
    for (int I = 0; I < 3; ++I) {
      ScriptedReply Hang = ScriptedReply::json(MockOpenAiServer::completion("{}"));
      Hang.Delay = std::chrono::milliseconds(60000);
      Server.enqueue(Hang);
    }
    Timeout = {"--llm-timeout", "1"};
    Expected = "no reply within 1000 ms";
  }
  std::vector<std::string> Args = {"--strategy", "llm", "--llm-base-url", Url, "--llm-model",
                                   "mock-model", "--llm-retries", "0", "--budget", "2"};
  Args.insert(Args.end(), Timeout.begin(), Timeout.end());
  SubprocessResult R = P.tune(Args);
  INFO(R.Stdout << R.Stderr);
  CHECK(R.ExitCode == 1);
  CHECK(R.Stderr.find("the llm strategy proposed no candidate: planning agent: LLM " + Url +
                      "/chat/completions") != std::string::npos);
  CHECK(R.Stderr.find(Expected) != std::string::npos);
  CHECK(R.Stderr.find("LLM calls of this run failed") != std::string::npos);
  CHECK(R.Stdout.find("-O3 is best here") == std::string::npos);
  CHECK_FALSE(pathExists(joinPath(P.RunDir, "results/tune-result.json")));
  auto Journal = readFile(joinPath(P.RunDir, "journal.jsonl"));
  REQUIRE(Journal.ok());
  CHECK(Journal->find("\"type\":\"tune-failed\"") != std::string::npos);
  CHECK(Journal->find("\"type\":\"tune-step\"") == std::string::npos);
}

TEST_CASE("a win tied to one baseline binary is a layout effect, not reported", "[tune][slow]") {
  // In "hold" mode only the very -O3 binary the run built first reports 2;
  // every other binary reports 1, so the candidate wins search and
  // confirmation. The layout check rebuilds -O3 and the candidate under
  // perturbed code placement: there the baseline is another binary, the win
  // is gone, and the run must say so instead of reporting it.
  ReportingProgram P("hold");
  SubprocessResult R = P.tune(RandomSearch);
  INFO(R.Stdout << R.Stderr);
  REQUIRE(R.ExitCode == 0);
  auto Result = P.result();
  const rapidjson::Document &D = *Result;
  REQUIRE(searchWinners(D) > 0);
  REQUIRE(D["confirmations"].Size() > 0);
  CHECK(D["confirmations"][0]["speedup"].GetDouble() == Approx(2.0));
  CHECK(D["layout_check"].GetBool());
  REQUIRE(D["layout_checks"].Size() > 0);
  for (const auto &C : D["layout_checks"].GetArray()) {
    CHECK_FALSE(C["verdict"]["survived"].GetBool());
    REQUIRE(C["verdict"]["trials"].Size() == 2);
  }
  CHECK(D["layout_rejected"].GetInt() == static_cast<int>(D["layout_checks"].Size()));
  checkNothingReported(D, P, R);
  CHECK(R.Stdout.find("layout effect, not portable") != std::string::npos);
}
