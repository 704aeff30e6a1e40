//===- spec/ProgramSpec.cpp - One program to tune -------------------------===//
#include "spec/ProgramSpec.hpp"

#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <regex>

namespace autopass {

namespace {
constexpr const char *SchemaName = "autopass-program/1";

std::string replaceAll(std::string Text, const std::string &From, const std::string &To) {
  size_t Pos = 0;
  while ((Pos = Text.find(From, Pos)) != std::string::npos) {
    Text.replace(Pos, From.size(), To);
    Pos += To.size();
  }
  return Text;
}
/// The single-file form: `sources` and the flags every unit shares.
Status parseSourcesAndFlags(const JsonObject &R, ProgramSpec &Spec) {
  auto Sources = R.optStringArray("sources");
  if (!Sources)
    return Sources.error();
  if (!*Sources || (*Sources)->empty())
    return R.error("sources", "required: a non-empty array of C/C++ source paths");
  for (size_t I = 0; I < (*Sources)->size(); ++I) {
    const std::string &Src = (**Sources)[I];
    std::string Field = "sources[" + std::to_string(I) + "]";
    if (!isCSource(Src) && !isCxxSource(Src))
      return R.error(Field, "expected a C (.c) or C++ (.cc .cpp .cxx .C) source, got \"" +
                                Src + "\"");
    std::string Abs = absolutePath(Src, Spec.Dir);
    if (!pathExists(Abs))
      return R.error(Field, "file not found: " + Abs);
    Spec.Sources.push_back(Abs);
  }

  auto readFlags = [&](const char *Key, std::vector<std::string> &Out) -> Status {
    auto Flags = R.optStringArray(Key);
    if (!Flags)
      return Flags.error();
    if (*Flags)
      Out = **Flags;
    return success();
  };
  if (Status S = readFlags("compile_flags", Spec.CompileFlags); !S)
    return S.error();
  if (Status S = readFlags("link_flags", Spec.LinkFlags); !S)
    return S.error();
  if (Status S = readFlags("target_flags", Spec.TargetFlags); !S)
    return S.error();
  // Optimization levels belong to the tuner: a -O flag in the shared flags
  // would make "baseline = -O3" false.
  for (const char *Key : {"compile_flags", "target_flags"}) {
    const auto &Flags = std::string(Key) == "compile_flags" ? Spec.CompileFlags : Spec.TargetFlags;
    for (size_t I = 0; I < Flags.size(); ++I)
      if (startsWith(Flags[I], "-O") || Flags[I] == "-c" || Flags[I] == "-o")
        return R.error(std::string(Key) + "[" + std::to_string(I) + "]",
                       "\"" + Flags[I] + "\" is chosen by the tuner; remove it");
  }

  return success();
}

/// `target` and `runner`; a project build chooses its own target flags.
Status parseTargetAndRunner(const JsonObject &R, ProgramSpec &Spec) {
  auto Target = R.optObject("target");
  if (!Target)
    return Target.error();
  if (*Target) {
    if (Spec.Build)
      return R.error("target", "not allowed with \"build\": the project's build gives each "
                               "unit its target flags (build.units)");
    auto T = parseTargetSection(**Target);
    if (!T)
      return T.error();
    Spec.Target = std::move(*T);
    // One place names the target: a second --target or -mcpu would let the
    // two disagree.
    for (size_t I = 0; I < Spec.TargetFlags.size(); ++I) {
      const std::string &F = Spec.TargetFlags[I];
      if (startsWith(F, "--target") || F == "-target" || startsWith(F, "-mcpu") ||
          startsWith(F, "--sysroot"))
        return R.error("target_flags[" + std::to_string(I) + "]",
                       "\"" + F + "\" conflicts with the \"target\" section; remove it");
    }
  }
  auto Runner = R.optObject("runner");
  if (!Runner)
    return Runner.error();
  if (*Runner) {
    auto Run = parseRunnerSection(**Runner);
    if (!Run)
      return Run.error();
    Spec.Runner = std::move(*Run);
    // Paths are relative to the spec's directory, like every path of a spec
    // (the runs themselves start in a scratch directory). A qemu given by
    // name alone is looked up on PATH.
    if (!Spec.Runner.Sysroot.empty())
      Spec.Runner.Sysroot = absolutePath(Spec.Runner.Sysroot, Spec.Dir);
    if (Spec.Runner.QemuProgram.find('/') != std::string::npos)
      Spec.Runner.QemuProgram = absolutePath(Spec.Runner.QemuProgram, Spec.Dir);
    if (!Spec.Runner.SshConfig.empty())
      Spec.Runner.SshConfig = absolutePath(Spec.Runner.SshConfig, Spec.Dir);
  }
  return success();
}

} // namespace

// qemu-user reads QEMU_* variables from its environment: QEMU_LOG_FILENAME
// writes a file anywhere, QEMU_GDB opens a port, QEMU_SET_ENV and QEMU_CPU
// change what runs. The program's environment must not reach qemu itself.
Status checkRunnerEnvironment(const ProgramSpec &Spec) {
  if (Spec.Runner.Kind == RunnerKind::Ssh) {
    // A local folder means nothing on the host: each run there gets a fresh one.
    if (!Spec.Run.Cwd.empty())
      return makeError(Spec.SpecPath + ": run.cwd names a folder of this machine; runner "
                       "\"ssh\" runs each run in a fresh folder on the host (docs/remote-runners.md)");
    if (!Spec.Runner.SshConfig.empty() && !pathExists(Spec.Runner.SshConfig))
      return makeError(Spec.SpecPath + ": runner.ssh_config " + Spec.Runner.SshConfig +
                       " does not exist");
    return success();
  }
  if (Spec.Runner.Kind == RunnerKind::Slurm && !Spec.Run.Cwd.empty())
    return makeError(Spec.SpecPath + ": run.cwd: runner \"slurm\" runs each run in a fresh "
                     "folder on its node (docs/cluster.md)");
  if (Spec.Runner.Kind != RunnerKind::Qemu)
    return success();
  for (const auto &[K, V] : Spec.Run.Env)
    if (startsWith(K, "QEMU_"))
      return makeError(Spec.SpecPath + ": run.env." + K + ": variables QEMU_* configure "
                       "qemu itself, not the program, and are refused with runner \"qemu\"");
  return success();
}

bool isRunFolderPath(std::string_view Name) {
  // Read back from the run's folder (here or on a remote host) and stored
  // under the run directory: a relative name inside the folder.
  if (Name.empty() || Name[0] == '/' || Name == ".." || startsWith(Name, "../") ||
      Name.find("/../") != std::string_view::npos || endsWith(Name, "/.."))
    return false;
  for (char C : Name)
    if (static_cast<unsigned char>(C) < 0x20 || C == 0x7f)
      return false;
  return true;
}

std::vector<std::string> ProgramSpec::targetFlags() const {
  std::vector<std::string> Flags = Target.driverFlags();
  Flags.insert(Flags.end(), TargetFlags.begin(), TargetFlags.end());
  return Flags;
}

std::string_view checkKindName(CheckKind K) {
  switch (K) {
  case CheckKind::Exact: return "exact";
  case CheckKind::Numeric: return "numeric";
  case CheckKind::Files: return "files";
  case CheckKind::Command: return "command";
  case CheckKind::None: return "none";
  }
  return "exact";
}

std::string_view objectiveKindName(ObjectiveKind K) {
  switch (K) {
  case ObjectiveKind::Wall: return "wall";
  case ObjectiveKind::Cpu: return "cpu";
  case ObjectiveKind::Size: return "size";
  case ObjectiveKind::Cycles: return "cycles";
  case ObjectiveKind::Instructions: return "instructions";
  case ObjectiveKind::Callgrind: return "callgrind";
  case ObjectiveKind::Reported: return "reported";
  }
  return "wall";
}

std::optional<ObjectiveKind> parseObjectiveKind(std::string_view Name) {
  for (ObjectiveKind K : {ObjectiveKind::Wall, ObjectiveKind::Cpu, ObjectiveKind::Size,
                          ObjectiveKind::Cycles, ObjectiveKind::Instructions,
                          ObjectiveKind::Callgrind, ObjectiveKind::Reported})
    if (objectiveKindName(K) == Name)
      return K;
  return std::nullopt;
}

bool isCxxSource(const std::string &Path) {
  return endsWith(Path, ".cc") || endsWith(Path, ".cpp") || endsWith(Path, ".cxx") ||
         endsWith(Path, ".C") || endsWith(Path, ".c++");
}

bool isCSource(const std::string &Path) { return endsWith(Path, ".c"); }

bool ProgramSpec::hasCxx() const {
  for (const auto &S : Sources)
    if (isCxxSource(S))
      return true;
  return false;
}

Result<ProgramSpec> ProgramSpec::load(const std::string &Path) {
  std::string Abs = absolutePath(Path);
  auto Text = readFile(Abs);
  if (!Text)
    return makeError(Path + ": cannot read the program spec: " + Text.message());
  return parse(*Text, Abs);
}

Result<ProgramSpec> ProgramSpec::parse(std::string_view Text, const std::string &SpecPath) {
  auto Doc = parseJsonText(Text, SpecPath);
  if (!Doc)
    return Doc.error();
  auto Root = JsonObject::from(**Doc, SpecPath, "");
  if (!Root)
    return Root.error();
  const JsonObject &R = *Root;
  if (Status S = R.checkKeys({"schema", "name", "sources", "compile_flags", "link_flags",
                              "target_flags", "target", "runner", "run", "check", "objective",
                              "meta", "build"});
      !S)
    return S.error();

  ProgramSpec Spec;
  Spec.SpecPath = absolutePath(SpecPath);
  Spec.Dir = parentPath(Spec.SpecPath);

  auto Schema = R.getString("schema");
  if (!Schema)
    return Schema.error();
  if (*Schema != SchemaName)
    return R.error("schema", std::string("expected \"") + SchemaName + "\", got \"" +
                                 *Schema + "\"");

  auto Name = R.optString("name");
  if (!Name)
    return Name.error();
  Spec.Name = Name->value_or(fileStem(Spec.SpecPath));
  if (Spec.Name.empty() || Spec.Name.find('/') != std::string::npos)
    return R.error("name", "expected a non-empty name without '/'");

  auto Build = R.optObject("build");
  if (!Build)
    return Build.error();
  if (*Build) {
    // The project's build chooses sources and flags per unit.
    for (const char *Key : {"sources", "compile_flags", "link_flags", "target_flags"})
      if (R.has(Key))
        return R.error(Key, "not allowed with \"build\": the project's build gives each "
                            "unit its sources and flags (build.units)");
    auto Project = parseProjectBuild(**Build, Spec.Dir);
    if (!Project)
      return Project.error();
    Spec.Build = std::move(*Project);
    for (const BuildUnit &U : Spec.Build->Units)
      Spec.Sources.push_back(U.File);
  } else if (Status S = parseSourcesAndFlags(R, Spec); !S) {
    return S.error();
  }

  auto Run = R.optObject("run");
  if (!Run)
    return Run.error();
  if (*Run) {
    const JsonObject &O = **Run;
    if (Status S = O.checkKeys({"args", "stdin", "env", "timeout_s", "cwd"}); !S)
      return S.error();
    auto Args = O.optStringArray("args");
    if (!Args)
      return Args.error();
    if (*Args)
      for (const auto &A : **Args)
        Spec.Run.Args.push_back(replaceAll(A, "{dir}", Spec.Dir));
    auto Stdin = O.optString("stdin");
    if (!Stdin)
      return Stdin.error();
    if (*Stdin) {
      Spec.Run.StdinPath = absolutePath(**Stdin, Spec.Dir);
      if (!pathExists(Spec.Run.StdinPath))
        return O.error("stdin", "file not found: " + Spec.Run.StdinPath);
    }
    auto Env = O.optStringMap("env");
    if (!Env)
      return Env.error();
    if (*Env)
      Spec.Run.Env = **Env;
    auto Timeout = O.optNumber("timeout_s");
    if (!Timeout)
      return Timeout.error();
    if (*Timeout) {
      // A day is far beyond any run worth measuring repeatedly; the bound
      // keeps typos (and the *100 of callgrind runs) far from overflow.
      if (!(**Timeout > 0) || **Timeout > MaxRunTimeoutSeconds)
        return O.error("timeout_s", "expected a number of seconds > 0 and at most " +
                                        formatFixed(MaxRunTimeoutSeconds, 0) + " (one day)");
      Spec.Run.TimeoutSeconds = **Timeout;
    }
    auto Cwd = O.optString("cwd");
    if (!Cwd)
      return Cwd.error();
    if (*Cwd) {
      Spec.Run.Cwd = absolutePath(**Cwd, Spec.Dir);
      if (!isDirectory(Spec.Run.Cwd))
        return O.error("cwd", "expected an existing directory, not found: " + Spec.Run.Cwd);
    }
  }

  if (Status S = parseTargetAndRunner(R, Spec); !S)
    return S.error();

  auto Check = R.optObject("check");
  if (!Check)
    return Check.error();
  if (*Check) {
    const JsonObject &O = **Check;
    if (Status S = O.checkKeys({"kind", "abs_tol", "rel_tol", "files", "stdout", "command"}); !S)
      return S.error();
    auto Kind = O.optString("kind");
    if (!Kind)
      return Kind.error();
    std::string K = Kind->value_or("exact");
    if (K == "exact")
      Spec.Check.Kind = CheckKind::Exact;
    else if (K == "numeric")
      Spec.Check.Kind = CheckKind::Numeric;
    else if (K == "files")
      Spec.Check.Kind = CheckKind::Files;
    else if (K == "command")
      Spec.Check.Kind = CheckKind::Command;
    else if (K == "none")
      Spec.Check.Kind = CheckKind::None;
    else
      return O.error("kind", "expected one of exact, numeric, files, command, none; got \"" +
                                 K + "\"");
    for (const char *Tol : {"abs_tol", "rel_tol"}) {
      auto V = O.optNumber(Tol);
      if (!V)
        return V.error();
      if (*V && (**V < 0))
        return O.error(Tol, "expected a number >= 0");
      if (*V && Spec.Check.Kind != CheckKind::Numeric)
        return O.error(Tol, "only meaningful with kind \"numeric\"");
      (std::string(Tol) == "abs_tol" ? Spec.Check.AbsTol : Spec.Check.RelTol) = V->value_or(0);
    }
    auto Files = O.optStringArray("files");
    if (!Files)
      return Files.error();
    if (Spec.Check.Kind == CheckKind::Files) {
      if (!*Files || (*Files)->empty())
        return O.error("files", "kind \"files\" needs a non-empty array of file names");
      for (size_t I = 0; I < (*Files)->size(); ++I) {
        const std::string &F = (**Files)[I];
        if (!isRunFolderPath(F))
          return makeError(O.source() + ": field " + O.path("files") + "[" +
                           std::to_string(I) + "]: expected a relative path inside the run's "
                           "folder (no leading /, no .., no control characters), got \"" +
                           F + "\"");
      }
      Spec.Check.Files = **Files;
    } else if (*Files) {
      return O.error("files", "only meaningful with kind \"files\"");
    }
    auto Stdout = O.optBool("stdout");
    if (!Stdout)
      return Stdout.error();
    Spec.Check.CompareStdout = Stdout->value_or(true);
    auto Command = O.optStringArray("command");
    if (!Command)
      return Command.error();
    if (Spec.Check.Kind == CheckKind::Command) {
      if (!*Command || (*Command)->empty())
        return O.error("command", "kind \"command\" needs a non-empty array (program and arguments)");
      Spec.Check.Command = **Command;
      // A relative checker path is relative to the spec, like every path.
      std::string &Prog = Spec.Check.Command[0];
      if (Prog.find('/') != std::string::npos)
        Prog = absolutePath(Prog, Spec.Dir);
    } else if (*Command) {
      return O.error("command", "only meaningful with kind \"command\"");
    }
  }

  auto Objective = R.optObject("objective");
  if (!Objective)
    return Objective.error();
  if (*Objective) {
    const JsonObject &O = **Objective;
    if (Status S = O.checkKeys({"kind", "regex", "better"}); !S)
      return S.error();
    auto Kind = O.optString("kind");
    if (!Kind)
      return Kind.error();
    auto K = parseObjectiveKind(Kind->value_or("wall"));
    if (!K)
      return O.error("kind", "expected one of wall, cpu, size, cycles, instructions, "
                             "callgrind, reported; got \"" + **Kind + "\"");
    Spec.Objective.Kind = *K;
    auto Regex = O.optString("regex");
    if (!Regex)
      return Regex.error();
    if (*K == ObjectiveKind::Reported) {
      if (!*Regex)
        return O.error("regex", "kind \"reported\" needs a regex whose first group is the figure");
      try {
        std::regex Re(**Regex, std::regex::ECMAScript);
        if (Re.mark_count() < 1)
          return O.error("regex", "expected a regex with a capture group (the figure)");
      } catch (const std::regex_error &E) {
        return O.error("regex", std::string("invalid ECMAScript regex: ") + E.what());
      }
      Spec.Objective.Regex = **Regex;
    } else if (*Regex) {
      return O.error("regex", "only meaningful with kind \"reported\"");
    }
    auto Better = O.optString("better");
    if (!Better)
      return Better.error();
    if (*Better) {
      if (**Better != "lower" && **Better != "higher")
        return O.error("better", "expected \"lower\" or \"higher\", got \"" + **Better + "\"");
      if (*K != ObjectiveKind::Reported)
        return O.error("better", "only meaningful with kind \"reported\"");
      Spec.Objective.HigherIsBetter = **Better == "higher";
    }
  }
  if (Status S = checkTargetAndRunner(Spec.Target, Spec.Runner, Spec.Objective.Kind,
                                      SpecPath + ": runner");
      !S)
    return S.error();
  if (Status S = checkRunnerEnvironment(Spec); !S)
    return S.error();
  return Spec;
}

std::string ProgramSpec::toJson() const {
  JsonOut J;
  J.beginObject().field("schema", SchemaName).field("name", Name);
  if (Build) {
    J.key("build");
    writeProjectBuild(J, *Build);
  } else {
    J.key("sources").values(Sources);
    J.key("compile_flags").values(CompileFlags);
    J.key("link_flags").values(LinkFlags);
    J.key("target_flags").values(TargetFlags);
  }
  if (!Target.isHost()) {
    J.key("target").beginObject().field("triple", Target.Triple);
    if (!Target.Cpu.empty())
      J.field("cpu", Target.Cpu);
    J.endObject();
  }
  if (Runner.Kind != RunnerKind::Local) {
    J.key("runner").beginObject().field("kind", std::string(runnerKindName(Runner.Kind)));
    if (!Runner.QemuProgram.empty())
      J.field("qemu", Runner.QemuProgram);
    if (!Runner.Sysroot.empty())
      J.field("sysroot", Runner.Sysroot);
    if (Runner.Kind == RunnerKind::Ssh) {
      J.key("hosts").values(Runner.Hosts);
      if (!Runner.SshConfig.empty())
        J.field("ssh_config", Runner.SshConfig);
      if (!Runner.RemoteScratch.empty())
        J.field("scratch", Runner.RemoteScratch);
    }
    if (Runner.Kind == RunnerKind::Slurm) {
      for (const auto &[Key, Value] :
           {std::pair<const char *, const std::string &>{"partition", Runner.Partition},
            {"account", Runner.Account},
            {"time_limit", Runner.TimeLimit},
            {"constraint", Runner.Constraint},
            {"scratch", Runner.RemoteScratch}})
        if (!Value.empty())
          J.field(Key, Value);
      J.field("nodes", static_cast<int64_t>(Runner.Nodes));
      J.field("queue_timeout_s", Runner.QueueTimeoutSeconds);
    }
    J.endObject();
  }
  J.key("run").beginObject();
  J.key("args").values(Run.Args);
  if (!Run.StdinPath.empty())
    J.field("stdin", Run.StdinPath);
  J.key("env").beginObject();
  for (const auto &[K, V] : Run.Env)
    J.field(K, V);
  J.endObject();
  J.field("timeout_s", Run.TimeoutSeconds);
  if (!Run.Cwd.empty())
    J.field("cwd", Run.Cwd);
  J.endObject();
  J.key("check").beginObject().field("kind", std::string(checkKindName(Check.Kind)));
  if (Check.Kind == CheckKind::Numeric)
    J.field("abs_tol", Check.AbsTol).field("rel_tol", Check.RelTol);
  if (Check.Kind == CheckKind::Files) {
    J.key("files").values(Check.Files);
    J.field("stdout", Check.CompareStdout);
  }
  if (Check.Kind == CheckKind::Command)
    J.key("command").values(Check.Command);
  J.endObject();
  J.key("objective").beginObject().field("kind", std::string(objectiveKindName(Objective.Kind)));
  if (Objective.Kind == ObjectiveKind::Reported)
    J.field("regex", Objective.Regex).field("better", Objective.HigherIsBetter ? "higher" : "lower");
  J.endObject();
  J.endObject();
  return J.str();
}

} // namespace autopass
