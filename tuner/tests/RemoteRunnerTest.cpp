// The ssh runner's parts that need no ssh server (docs/remote-runners.md):
// the runner section of a spec, the host and folder checks, the ssh command
// line, the measuring helper built here and run directly, and its report
// read back, whole or cut short. The ctest ssh-runner runs it all through
// throwaway sshd servers on 127.0.0.1.
#include "measure/MeasureHelper.hpp"
#include "measure/RemoteReport.hpp"
#include "measure/SshRunner.hpp"
#include "measure/SlurmRunner.hpp"
#include "measure/SshSession.hpp"
#include "spec/ProgramSpec.hpp"
#include "spec/TargetSpec.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include "TempDir.hpp"

#include "InlineSpec.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";
using test::contains;
const auto parse = test::parseLoopSpec;

const std::string GoodReport = "autopass-measure 1\n"
                               "status exit=3 signal=0 timed_out=0 exec_errno=0 wall=0.25 "
                               "user=0.2 sys=0.01 maxrss_kb=1234\n"
                               "blob stdout 6\nhello\n\n"
                               "blob stderr 4\nerr\n\n"
                               "blob file out dir/x.txt 2\nx\n\n"
                               "missing file nope\n"
                               "end\n";
} // namespace

TEST_CASE("runner ssh in a spec: hosts, ssh_config and scratch", "[spec][ssh]") {
  auto S = parse(",\"runner\":{\"kind\":\"ssh\",\"hosts\":[\"board1\",\"pi@10.0.0.7\"],"
                 "\"ssh_config\":\"loop.c\",\"scratch\":\"/var/tmp/tune\"}");
  REQUIRE(S.ok());
  CHECK(S->Runner.Kind == RunnerKind::Ssh);
  CHECK(S->Runner.Hosts == std::vector<std::string>{"board1", "pi@10.0.0.7"});
  CHECK(S->Runner.SshConfig == Data + "/loop/loop.c"); // relative to the spec
  CHECK(S->Runner.RemoteScratch == "/var/tmp/tune");
  auto Again = ProgramSpec::parse(S->toJson(), Data + "/loop/inline.json");
  REQUIRE(Again.ok());
  CHECK(Again->Runner.Hosts == S->Runner.Hosts);
  CHECK(Again->toJson() == S->toJson());

  struct Bad {
    const char *Runner, *Says;
  } Cases[] = {
      {"{\"kind\":\"ssh\"}", "hosts"},
      {"{\"kind\":\"ssh\",\"hosts\":[]}", "non-empty list"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"-oProxyCommand=x\"]}", "runner.hosts[0]"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"a b\"]}", "not a host name"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"ok\",\"x;rm\"]}", "runner.hosts[1]"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"scratch\":\"tmp\"}", "absolute remote folder"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"scratch\":\"/tmp/$(x)\"}", "absolute remote folder"},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"scratch\":\"/tmp/../etc\"}", "no .."},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"ssh_config\":\"missing.cfg\"}", "does not exist"},
      {"{\"kind\":\"qemu\",\"hosts\":[\"b\"]}", "only meaningful with kind \"ssh\""},
      {"{\"kind\":\"local\",\"scratch\":\"/tmp\"}", "only meaningful with kind \"ssh\""},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"qemu\":\"q\"}", "only meaningful with kind \"qemu\""},
  };
  for (const auto &C : Cases) {
    INFO(C.Runner);
    auto R = parse(std::string(",\"runner\":") + C.Runner);
    REQUIRE_FALSE(R.ok());
    CHECK(contains(R.message(), C.Says));
  }
  // check.files are read back from the run's folder, here or on a host.
  for (const char *Name : {"/etc/passwd", "../up.txt", "a/../../b", "new\\nline"}) {
    INFO(Name);
    auto F = parse(std::string(",\"check\":{\"kind\":\"files\",\"files\":[\"") + Name + "\"]}");
    REQUIRE_FALSE(F.ok());
    CHECK(contains(F.message(), "check.files[0]"));
  }
  CHECK(parse(",\"check\":{\"kind\":\"files\",\"files\":[\"out/a.txt\"]}").ok());

  // A local working folder means nothing on the host.
  auto Cwd = parse(",\"runner\":{\"kind\":\"ssh\",\"hosts\":[\"b\"]},\"run\":{\"cwd\":\".\"}");
  REQUIRE_FALSE(Cwd.ok());
  CHECK(contains(Cwd.message(), "run.cwd"));
}

TEST_CASE("runner ssh: what it measures and what it refuses", "[spec][ssh]") {
  RunnerSpec Ssh;
  Ssh.Kind = RunnerKind::Ssh;
  Ssh.Hosts = {"board"};
  TargetSpec Arm{"aarch64-linux-gnu", ""};
  // A foreign target is what the ssh runner is for, timings included.
  for (ObjectiveKind K : {ObjectiveKind::Wall, ObjectiveKind::Cpu, ObjectiveKind::Reported,
                          ObjectiveKind::Size}) {
    INFO(objectiveKindName(K));
    CHECK(checkTargetAndRunner(Arm, Ssh, K, "spec").ok());
  }
  for (ObjectiveKind K :
       {ObjectiveKind::Cycles, ObjectiveKind::Instructions, ObjectiveKind::Callgrind}) {
    INFO(objectiveKindName(K));
    Status S = checkTargetAndRunner(Arm, Ssh, K, "spec");
    REQUIRE_FALSE(S.ok());
    CHECK(contains(S.message(), "ssh runner"));
  }
  // runner local with a foreign target points at ssh and qemu.
  Status Local = checkTargetAndRunner(Arm, RunnerSpec{}, ObjectiveKind::Wall, "spec");
  REQUIRE_FALSE(Local.ok());
  CHECK(contains(Local.message(), "\"ssh\""));
}

TEST_CASE("ssh is asked for a batch login with host keys checked", "[ssh]") {
  SshOptions O;
  O.Hosts = {"board"};
  O.ConfigFile = "/etc/autopass/ssh_config";
  SshSession S(O);
  std::vector<std::string> A = S.sshArgv("board");
  REQUIRE(A.size() >= 4);
  CHECK(A.front() == "ssh");
  CHECK(A[A.size() - 2] == "--"); // nothing after -- is read as an option
  CHECK(A.back() == "board");
  auto Has = [&](const std::string &Opt) {
    for (size_t I = 0; I + 1 < A.size(); ++I)
      if (A[I] == "-o" && A[I + 1] == Opt)
        return true;
    return false;
  };
  CHECK(Has("BatchMode=yes"));
  CHECK(Has("StrictHostKeyChecking=yes"));
  CHECK(std::find(A.begin(), A.end(), "/etc/autopass/ssh_config") != A.end());
  CHECK(checkSshHost("ssh://pi@board:2222", "--host").ok());
  CHECK_FALSE(checkSshHost("-F/tmp/x", "--host").ok());
  CHECK_FALSE(checkSshHost("host\nother", "--host").ok());
}

TEST_CASE("a measuring helper report reads back", "[ssh]") {
  auto R = parseRemoteReport(GoodReport);
  REQUIRE(R.ok());
  CHECK(R->Process.ExitCode == 3);
  CHECK(R->Process.WallSeconds == Approx(0.25));
  CHECK(R->Process.UserSeconds + R->Process.SysSeconds == Approx(0.21));
  CHECK(R->Process.MaxRssKb == 1234);
  CHECK(R->Process.Stdout == "hello\n");
  CHECK(R->Process.Stderr == "err\n");
  REQUIRE(R->Files.count("out dir/x.txt") == 1); // names may hold spaces
  CHECK(R->Files.at("out dir/x.txt") == "x\n");
  CHECK(R->Files.count("nope") == 0);
  CHECK_FALSE(R->DiskFull);

  auto Full = parseRemoteReport(
      "autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 sys=0 "
      "maxrss_kb=0 disk_full=1\nblob file big 1\nx\ntruncated file big\nend\n");
  REQUIRE(Full.ok());
  CHECK(Full->DiskFull);
  CHECK(Full->TruncatedFiles == std::vector<std::string>{"big"});

  // Every cut of the report (a connection lost mid-way) is refused.
  for (size_t N = 0; N < GoodReport.size(); ++N) {
    INFO("cut at " << N);
    CHECK_FALSE(parseRemoteReport(GoodReport.substr(0, N)).ok());
  }
  struct Bad {
    std::string Text, Says;
  } Cases[] = {
      {"hello\n", "not a measuring helper report"},
      {"autopass-measure 1\nstatus exit=0\nend\n", "lacks fields"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=nan user=0 "
       "sys=0 maxrss_kb=0\nend\n",
       "not a number"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=-1 user=0 "
       "sys=0 maxrss_kb=0\nend\n",
       "negative"},
      {GoodReport + "more\n", "goes on after its end"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 "
       "sys=0 maxrss_kb=0\nblob file /etc/passwd 1\nx\nend\n",
       "not a relative path"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 "
       "sys=0 maxrss_kb=0\nblob file a/../../x 1\nx\nend\n",
       "not a relative path"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 "
       "sys=0 maxrss_kb=0\ntruncated file ../y\nend\n",
       "not a relative path"},
      {"autopass-measure 1\nstatus wall=1 wall=1 wall=1 wall=1 wall=1 wall=1 wall=1 wall=1\n"
       "end\n",
       "appears twice"},
      {"autopass-measure 1\nstatus exit=2274682720 signal=0 timed_out=0 exec_errno=0 wall=1 "
       "user=0 sys=0 maxrss_kb=0\nend\n",
       "whole number in range"},
      {"autopass-measure 1\nstatus exit=0.5 signal=0 timed_out=0 exec_errno=0 wall=1 "
       "user=0 sys=0 maxrss_kb=0\nend\n",
       "whole number in range"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 "
       "sys=0 maxrss_kb=0\nblob stdout 99999999999\nx\nend\n",
       "bad length"},
      {"autopass-measure 1\nstatus exit=0 signal=0 timed_out=0 exec_errno=0 wall=1 user=0 "
       "sys=0 maxrss_kb=0\nblob secrets 1\nx\nend\n",
       "unknown blob"},
  };
  for (const auto &C : Cases) {
    INFO(C.Text);
    auto B = parseRemoteReport(C.Text);
    REQUIRE_FALSE(B.ok());
    CHECK(contains(B.message(), C.Says));
  }
}

TEST_CASE("the measuring helper, built here, runs a program and reports it", "[ssh][slow]") {
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  auto Spec = parse(",\"runner\":{\"kind\":\"ssh\",\"hosts\":[\"b\"]}");
  REQUIRE(Spec.ok());
  test::TempDir D;
  auto Helper = buildMeasureHelper(*Spec, *Tools, D.Path + "/helper");
  REQUIRE(Helper.ok());
  auto Again = buildMeasureHelper(*Spec, *Tools, D.Path + "/helper");
  REQUIRE(Again.ok());
  CHECK(*Again == *Helper); // reused, not rebuilt

  auto Run = [&](std::vector<std::string> Args) {
    SubprocessOptions O;
    O.Argv = {*Helper};
    O.Argv.insert(O.Argv.end(), Args.begin(), Args.end());
    O.Cwd = D.Path;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    REQUIRE(P->ExitCode == 0);
    auto R = parseRemoteReport(P->Stdout);
    INFO(P->Stdout);
    REQUIRE(R.ok());
    return *R;
  };
  RemoteReport Ok = Run({"--dir", D.Path + "/r1", "--keep-stdout", "--file", "o.txt", "--env",
                         "AUTOPASS_X=42", "--", "/bin/sh", "-c",
                         "echo out $AUTOPASS_X; echo err >&2; echo f > o.txt; exit 4"});
  CHECK(Ok.Process.ExitCode == 4);
  CHECK(Ok.Process.Stdout == "out 42\n");
  CHECK(Ok.Process.Stderr == "err\n");
  CHECK(Ok.Files.at("o.txt") == "f\n");
  CHECK(Ok.Process.WallSeconds > 0);
  CHECK_FALSE(pathExists(D.Path + "/r1")); // the run's folder is removed

  RemoteReport Slow = Run({"--dir", D.Path + "/r2", "--timeout", "0.3", "--", "/bin/sleep", "5"});
  CHECK(Slow.Process.TimedOut);
  CHECK(Slow.Process.Signal == 9);
  CHECK(Slow.Process.WallSeconds < 3);

  RemoteReport Missing = Run({"--dir", D.Path + "/r3", "--", D.Path + "/no-such-binary"});
  CHECK(Missing.ExecErrno == ENOENT);

  // A file that is executable but no program (another architecture's ELF
  // looks the same to execv) fails to start; execvp would hand it to sh.
  REQUIRE(writeFile(D.Path + "/not-a-program", "echo ran > " + D.Path + "/ran\n").ok());
  REQUIRE(::chmod((D.Path + "/not-a-program").c_str(), 0755) == 0);
  RemoteReport NoExec = Run({"--dir", D.Path + "/r5", "--", D.Path + "/not-a-program"});
  CHECK(NoExec.ExecErrno == ENOEXEC);
  CHECK_FALSE(pathExists(D.Path + "/ran"));

  // What the program leaves running in its process group is ended with it.
  RemoteReport Left = Run({"--dir", D.Path + "/r6", "--", "/bin/sh", "-c",
                           "(sleep 1; touch " + D.Path + "/late) & exit 0"});
  CHECK(Left.Process.ExitCode == 0);
  CHECK_FALSE(Left.DiskFull);
  ::usleep(1500 * 1000);
  CHECK_FALSE(pathExists(D.Path + "/late"));

  // Bad usage is exit 2 with a message, never a report.
  SubprocessOptions O;
  O.Argv = {*Helper, "--dir", D.Path + "/r4"};
  auto P = runSubprocess(O);
  REQUIRE(P.ok());
  CHECK(P->ExitCode == 2);
  CHECK(contains(P->Stderr, "autopass-measure:"));
}

TEST_CASE("runner slurm in a spec: options, nodes and refusals", "[spec][slurm]") {
  auto S = parse(",\"runner\":{\"kind\":\"slurm\",\"partition\":\"cpu\",\"account\":\"perf-team\","
                 "\"time_limit\":\"1-02:00:00\",\"constraint\":\"avx512&[rack1|rack2]\","
                 "\"nodes\":4,\"scratch\":\"/local/scratch\",\"queue_timeout_s\":60}");
  REQUIRE(S.ok());
  CHECK(S->Runner.Kind == RunnerKind::Slurm);
  CHECK(S->Runner.Partition == "cpu");
  CHECK(S->Runner.Account == "perf-team");
  CHECK(S->Runner.TimeLimit == "1-02:00:00");
  CHECK(S->Runner.Constraint == "avx512&[rack1|rack2]");
  CHECK(S->Runner.Nodes == 4);
  CHECK(S->Runner.RemoteScratch == "/local/scratch");
  CHECK(S->Runner.QueueTimeoutSeconds == 60);
  auto Again = ProgramSpec::parse(S->toJson(), Data + "/loop/inline.json");
  REQUIRE(Again.ok());
  CHECK(Again->toJson() == S->toJson());

  // srun gets each value as one argument of its own, and a name and comment
  // that a resumed run finds its jobs by.
  auto A = srunArguments(S->Runner, "0123456789ab", "/shared/run/autopass-measure-x");
  CHECK(A.front() == "srun");
  for (const char *Want : {"--exclusive", "-N1", "-n1", "--job-name=autopass-0123456789ab",
                           "--comment=autopass:0123456789ab", "--partition=cpu",
                           "--account=perf-team", "--time=1-02:00:00",
                           "--constraint=avx512&[rack1|rack2]"}) {
    INFO(Want);
    CHECK(std::find(A.begin(), A.end(), Want) != A.end());
  }
  CHECK(A[A.size() - 2] == "/shared/run/autopass-measure-x");
  CHECK(A.back() == "--serve");
  CHECK(slurmRunKey("/a/run/scratch").size() == 12);
  CHECK(slurmRunKey("/a/run/scratch") != slurmRunKey("/b/run/scratch"));

  struct Bad {
    const char *Runner, *Says;
  } Cases[] = {
      {"{\"kind\":\"slurm\",\"partition\":\"-p x\"}", "not a Slurm partition name"},
      {"{\"kind\":\"slurm\",\"account\":\"a;b\"}", "not a Slurm account name"},
      {"{\"kind\":\"slurm\",\"time_limit\":\"soon\"}", "not a Slurm time limit"},
      {"{\"kind\":\"slurm\",\"constraint\":\"a b\"}", "not a Slurm constraint"},
      {"{\"kind\":\"slurm\",\"nodes\":0}", "whole number of nodes"},
      {"{\"kind\":\"slurm\",\"nodes\":2.5}", "whole number of nodes"},
      {"{\"kind\":\"slurm\",\"nodes\":1000}", "whole number of nodes"},
      {"{\"kind\":\"slurm\",\"queue_timeout_s\":-1}", "queue_timeout_s"},
      {"{\"kind\":\"slurm\",\"scratch\":\"rel\"}", "absolute remote folder"},
      {"{\"kind\":\"slurm\",\"hosts\":[\"b\"]}", "only meaningful with kind \"ssh\""},
      {"{\"kind\":\"local\",\"nodes\":2}", "only meaningful with kind \"slurm\""},
      {"{\"kind\":\"ssh\",\"hosts\":[\"b\"],\"partition\":\"p\"}", "partition"},
  };
  for (const auto &C : Cases) {
    INFO(C.Runner);
    auto R = parse(std::string(",\"runner\":") + C.Runner);
    REQUIRE_FALSE(R.ok());
    CHECK(contains(R.message(), C.Says));
  }
  auto Cwd = parse(",\"runner\":{\"kind\":\"slurm\"},\"run\":{\"cwd\":\".\"}");
  REQUIRE_FALSE(Cwd.ok());
  CHECK(contains(Cwd.message(), "run.cwd"));

  // The nodes run this machine's binaries from the shared file system.
  RunnerSpec Slurm;
  Slurm.Kind = RunnerKind::Slurm;
  CHECK(checkTargetAndRunner(TargetSpec{}, Slurm, ObjectiveKind::Wall, "spec").ok());
  Status Foreign = checkTargetAndRunner(TargetSpec{"aarch64-linux-gnu", ""}, Slurm,
                                        ObjectiveKind::Wall, "spec");
  REQUIRE_FALSE(Foreign.ok());
  CHECK(contains(Foreign.message(), "runner \"ssh\""));
  Status Cycles = checkTargetAndRunner(TargetSpec{}, Slurm, ObjectiveKind::Cycles, "spec");
  REQUIRE_FALSE(Cycles.ok());
  CHECK(contains(Cycles.message(), "slurm runner"));
}

TEST_CASE("the measuring helper serves requests on its stdin", "[slurm][slow]") {
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  auto Spec = parse("");
  REQUIRE(Spec.ok());
  test::TempDir D;
  auto Helper = buildMeasureHelper(*Spec, *Tools, D.Path + "/helper");
  REQUIRE(Helper.ok());
  auto Frame = [](std::vector<std::string> Args) {
    std::string F = "run " + std::to_string(Args.size()) + "\n";
    for (const auto &A : Args)
      F += std::to_string(A.size()) + "\n" + A;
    return F;
  };
  // Three requests, then the end of stdin: two reports and an error, exit 0.
  std::string In = Frame({"--dir", D.Path + "/s1", "--keep-stdout", "--", "/bin/echo", "a b"}) +
                   Frame({"--dir", D.Path + "/s2", "--", D.Path + "/missing"}) +
                   Frame({"--dir", "/proc/autopass-cannot/x", "--", "/bin/true"});
  REQUIRE(writeFile(D.Path + "/requests", In).ok());
  SubprocessOptions O;
  O.Argv = {*Helper, "--serve"};
  O.StdinPath = D.Path + "/requests";
  O.TimeoutSeconds = 30;
  auto P = runSubprocess(O);
  REQUIRE(P.ok());
  CHECK(P->ExitCode == 0);
  std::string Out = P->Stdout;
  INFO(Out);
  REQUIRE(startsWith(Out, "autopass-measure serve 1 node="));
  size_t At = Out.find('\n') + 1;
  auto Next = [&](const std::string &Kind) {
    size_t Nl = Out.find('\n', At);
    REQUIRE(Nl != std::string::npos);
    std::string Header = Out.substr(At, Nl - At);
    REQUIRE(startsWith(Header, Kind + " "));
    size_t Len = std::stoul(Header.substr(Kind.size() + 1));
    REQUIRE(Nl + 1 + Len + 1 <= Out.size());
    CHECK(Out[Nl + 1 + Len] == '\n'); // every frame ends with a newline
    At = Nl + 1 + Len + 1;
    return Out.substr(Nl + 1, Len);
  };
  auto First = parseRemoteReport(Next("report"));
  REQUIRE(First.ok());
  CHECK(First->Process.Stdout == "a b\n");
  auto Second = parseRemoteReport(Next("report"));
  REQUIRE(Second.ok());
  CHECK(Second->ExecErrno == ENOENT);
  CHECK(contains(Next("error"), "cannot create /proc/autopass-cannot/x"));
  CHECK(At == Out.size());

  // A request cut short, or garbage, ends the helper with exit 2.
  for (std::string Bad : {std::string("run 3\n5\nab"), std::string("hello\n"),
                          std::string("run -1\n"), std::string("run 1\n99999999999\n")}) {
    INFO(Bad);
    REQUIRE(writeFile(D.Path + "/bad", Bad).ok());
    O.StdinPath = D.Path + "/bad";
    auto B = runSubprocess(O);
    REQUIRE(B.ok());
    CHECK(B->ExitCode == 2);
    CHECK(B->Stdout.find("report") == std::string::npos);
  }
}
