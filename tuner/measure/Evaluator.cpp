//===- measure/Evaluator.cpp - Build, check and measure configs -----------===//
#include "measure/Evaluator.hpp"

#include "measure/CodeSize.hpp"
#include "measure/RunHealth.hpp"
#include "measure/RuntimeImage.hpp"
#include "measure/PerfCounter.hpp"
#include "measure/Runner.hpp"
#include "measure/SequentialRule.hpp"
#include "search/ConfigPolicy.hpp"
#include "search/KnobCatalog.hpp"
#include "store/RunDir.hpp"
#include "store/RunManifest.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/ThreadPool.hpp"
#include "util/Time.hpp"

#include <cmath>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <atomic>
#include <unistd.h>

namespace autopass {

namespace {

std::string percent(double Fraction) {
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%.1f%%", Fraction * 100);
  return Buf;
}

/// Classifies a finished run of the candidate; empty when it ran normally.
std::optional<std::pair<EvalStatus, std::string>> runFailure(const SubprocessResult &P,
                                                             double Timeout) {
  if (P.TimedOut)
    return std::make_pair(EvalStatus::TimedOut, P.describe(Timeout));
  if (P.Signal != 0)
    return std::make_pair(EvalStatus::Crashed, P.describe(Timeout));
  return std::nullopt;
}

std::string stderrTail(const SubprocessResult &P) {
  std::string E(trim(P.Stderr));
  if (E.empty())
    return "";
  if (E.size() > 400)
    E = "..." + E.substr(E.size() - 400);
  return "; stderr: " + E;
}

/// Tells a runner that its measurement is over when the scope ends.
struct IdleAfter {
  Runner &On;
  explicit IdleAfter(Runner &On) : On(On) {}
  ~IdleAfter() { On.idle(); }
};
} // namespace

struct Evaluator::Impl {
  ProgramSpec Spec;
  const Toolchain &Tools;
  RunDir &Run;
  MeasurementPlan Plan;
  unsigned Jobs = 1;
  Progress *Prog = nullptr;
  std::unique_ptr<ToolOptionIndex> Options;
  std::unique_ptr<KnobCatalog> Catalog;
  std::unique_ptr<CandidateBuilder> TheBuilder;
  /// One runner per measurement that may run at once (lanes()); the
  /// baseline, confirmations and single evaluations use the first.
  std::vector<std::unique_ptr<Runner>> Lanes;
  Runner *TheRunner = nullptr;
  std::string SpecKey;
  std::map<std::string, EvaluationResult> Finished;
  std::map<std::string, EvaluationResult> FinishedConfirms;
  std::optional<BaselineInfo> Baseline;
  unsigned Resumed = 0;
  /// Once the run must stop, nothing more is built or measured.
  RunHealth Health;

  Impl(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run, const MeasurementPlan &Plan)
      : Spec(Spec), Tools(Tools), Run(Run), Plan(Plan), Health(Run.journal()) {}

  void progress(const std::string &Line) {
    if (Prog)
      Prog->update("[" + Spec.Name + "] " + Line);
  }
  void warn(const std::string &Line) {
    if (Prog)
      Prog->warn(Line);
    else
      std::fprintf(stderr, "warning: %s\n", Line.c_str());
  }
  void journal(std::string_view Type, const std::string &Data) {
    // A failed append stops the run (the journal refuses later events).
    if (Status S = Run.journal().append(Type, Data); !S)
      warn(S.message());
  }
  /// An environment failure: the candidate is not at fault and the run stops.
  void environmentFailed(EvaluationResult &R, const std::string &What, const std::string &Log) {
    R.Status = EvalStatus::EnvFailed;
    R.Reason = "the environment failed (" + What + "), not the candidate: " + Log;
    // The first line of the log says which resource (a host, a disk) failed.
    std::string First = Log.substr(0, std::min(Log.find('\n'), size_t(400)));
    Health.stop(Spec.Name + " " + R.ConfigHash.substr(0, 12) + ": the environment failed (" +
                What + (First.empty() ? "" : ": " + First) + ")");
  }
  /// The result of a config not evaluated (Why: the stopped run's reason).
  EvaluationResult notEvaluated(const CandidateConfig &Config, const std::string &Why) const {
    EvaluationResult R;
    R.ConfigHash = Config.contentHash();
    R.Objective = std::string(objectiveKindName(Spec.Objective.Kind));
    R.Status = EvalStatus::EnvFailed;
    R.Reason = "not evaluated: " + Why;
    return R;
  }

  std::string keyFor(const CandidateConfig &Config) const {
    Hasher H;
    H.add("spec", SpecKey).add("config", Config.contentHash());
    return H.hexDigest();
  }

  /// Builds a config that passes the one policy (search/ConfigPolicy.hpp);
  /// a refused config is never handed to a tool.
  BuildResult buildAllowed(const CandidateConfig &Config) {
    if (Status S = checkConfigAllowed(Config, *Catalog); !S) {
      BuildResult Refused;
      Refused.State = BuildResult::Outcome::Invalid;
      Refused.Log = S.message();
      return Refused;
    }
    return TheBuilder->buildCandidate(Config);
  }

  BuildResult buildLogged(const CandidateConfig &Config, const std::string &Key) {
    if (Status H = Health.check(); !H) {
      BuildResult NotBuilt;
      NotBuilt.Log = "not built: " + H.message();
      return NotBuilt;
    }
    BuildResult B = buildAllowed(Config);
    if (B.State == BuildResult::Outcome::Failed)
      if (std::string Env = environmentFailureIn(B.Log); !Env.empty())
        Health.stop(Spec.Name + " " + Config.shortHash() + ": the environment failed (" + Env +
                    ") while building");
    JsonOut J;
    J.beginObject()
        .field("key", Key)
        .field("config_hash", Config.contentHash())
        .field("state", B.ok() ? "ok" : (B.State == BuildResult::Outcome::Invalid ? "invalid" : "failed"))
        .field("seconds", B.Seconds)
        .field("cached", B.Cached)
        .field("units_rebuilt", static_cast<uint64_t>(B.UnitsRebuilt))
        .field("units_reused", static_cast<uint64_t>(B.UnitsReused))
        .field("binary_hash", B.BinaryHash)
        .field("log", B.Log);
    J.key("commands").values(B.Commands);
    J.endObject();
    journal("build", J.str());
    return B;
  }

  /// Whether Binary loads as the same image as the baseline (RuntimeImage.hpp);
  /// a binary that cannot be read that way is timed.
  bool sameImage(const std::string &Binary) const {
    if (Baseline->ImageHash.empty())
      return false;
    auto Hash = runtimeImageHash(Binary);
    return Hash && *Hash == Baseline->ImageHash;
  }

  /// Correctness check plus interleaved measurement of a built candidate.
  /// When a remote runner loses its connection and reconnects (to the same
  /// host or the next one), the evaluation is measured again from the start
  /// (once): samples from before and after a loss are never compared.
  void measure(Runner &On, const BuildResult &Cand, const MeasurementPlan &P,
               EvaluationResult &R) {
    IdleAfter Done(On);
    const EvaluationResult Start = R;
    bool Moved = false;
    measureOn(On, Cand, P, R, Moved);
    if (!Moved)
      return;
    warn(Spec.Name + " " + R.ConfigHash.substr(0, 12) + ": " + R.Reason +
         "; measuring it again on " + On.where());
    double Lost = R.MeasureSeconds;
    R = Start;
    Moved = false;
    measureOn(On, Cand, P, R, Moved);
    R.MeasureSeconds += Lost;
    if (Moved)
      environmentFailed(R, "the measuring host was lost twice in one evaluation",
                        std::string(R.Reason)); // a copy: environmentFailed sets R.Reason
  }

  /// A run that could not be done: the runner's reconnection (a new host
  /// epoch: Moved), or the environment's failure (the run stops).
  void runFailed(Runner &On, EvaluationResult &R, unsigned Epoch, bool &Moved,
                 const std::string &What, const std::string &Why) {
    if (On.hostEpoch() != Epoch) {
      Moved = true;
      R.Status = EvalStatus::EnvFailed;
      R.Reason = What + ": " + Why;
      return;
    }
    environmentFailed(R, What, Why);
  }

  void measureOn(Runner &On, const BuildResult &Cand, const MeasurementPlan &P,
                 EvaluationResult &R, bool &Moved) {
    double T0 = monotonicSeconds();
    unsigned Epoch = On.hostEpoch();
    R.BinaryHash = Cand.BinaryHash;
    R.SameBinaryAsBaseline = Cand.BinaryHash == Baseline->Build.BinaryHash;
    R.SameImageAsBaseline = R.SameBinaryAsBaseline || sameImage(Cand.BinaryPath);
    R.BaselineTextBytes = Baseline->TextBytes;
    auto Size = measureCodeSize(Cand.BinaryPath);
    if (Size)
      R.CandidateTextBytes = Size->TextBytes;
    auto Done = [&] { R.MeasureSeconds = monotonicSeconds() - T0; };
    if (!Size && Spec.Objective.Kind == ObjectiveKind::Size) {
      // A size of 0 would be an infinite win.
      environmentFailed(R, "cannot measure the candidate's code size", Size.message());
      return Done();
    }

    // 1. Correctness, on a native run.
    progress("checking " + R.ConfigHash.substr(0, 12) + " against the -O3 reference");
    auto Check = On.run(Cand.BinaryPath, ObjectiveSpec{});
    if (!Check) {
      // The binary exists; failing to start it (no scratch directory, no
      // fork, a lost host) is the machine's failure.
      runFailed(On, R, Epoch, Moved, "cannot run the candidate", Check.message());
      return Done();
    }
    R.MeasuredOn = On.where();
    if (auto F = runFailure(Check->Process, Spec.Run.TimeoutSeconds)) {
      R.Status = F->first;
      R.Reason = F->second + stderrTail(Check->Process);
      return Done();
    }
    CheckResult C = checkOutput(Spec.Check, Baseline->Reference, Check->Output, Run.scratchDir());
    if (!C.Ok && C.EnvironmentFailed) {
      environmentFailed(R, "checking the output", C.Reason);
      return Done();
    }
    if (!C.Ok) {
      R.Status = EvalStatus::WrongOutput;
      R.Reason = C.Reason;
      return Done();
    }

    // 2. The objective.
    if (P.SkipIdenticalToBaseline && R.SameImageAsBaseline) {
      R.Status = EvalStatus::Ok;
      R.Speedup = R.CiLo = R.CiHi = 1;
      R.Decision = Verdict::NoDifference;
      R.Warning = R.SameBinaryAsBaseline
                      ? "not timed: the binary is byte-identical to the -O3 binary"
                      : "not timed: the loaded image (every allocated section) is identical "
                        "to the -O3 binary's";
      return Done();
    }
    bool Higher = Spec.Objective.Kind == ObjectiveKind::Reported && Spec.Objective.HigherIsBetter;
    if (Spec.Objective.Kind == ObjectiveKind::Size) {
      R.BaselineSamples = {static_cast<double>(R.BaselineTextBytes)};
      R.CandidateSamples = {static_cast<double>(R.CandidateTextBytes)};
    } else {
      bool Deterministic = Spec.Objective.Kind == ObjectiveKind::Callgrind;
      unsigned Warmups = Deterministic ? 0 : P.Warmups;
      unsigned MinReps = Deterministic ? 1 : std::max(1u, P.MinReps);
      unsigned MaxReps = Deterministic ? 1 : std::max(MinReps, P.MaxReps);
      std::mt19937_64 Rng(P.Seed);
      for (unsigned Pair = 0; Pair < Warmups + MaxReps; ++Pair) {
        bool Warm = Pair < Warmups;
        bool BaseFirst = P.RandomizeOrder ? (Rng() & 1) != 0 : Pair % 2 == 0;
        for (int Side = 0; Side < 2; ++Side) {
          bool IsBase = (Side == 0) == BaseFirst;
          const std::string &Bin = IsBase ? Baseline->Build.BinaryPath : Cand.BinaryPath;
          auto Out = On.run(Bin, Spec.Objective, RunOutput::Discard);
          std::string Rep = Warm ? "warm-up " + std::to_string(Pair + 1)
                                 : "repetition " + std::to_string(Pair - Warmups + 1);
          if (!Out) {
            runFailed(On, R, Epoch, Moved,
                      "cannot run the " + std::string(IsBase ? "baseline" : "candidate"),
                      Rep + ": " + Out.message());
            return Done();
          }
          auto F = runFailure(Out->Process, Spec.Run.TimeoutSeconds);
          if (!F && Out->Output.ExitCode != Baseline->Reference.ExitCode)
            F = std::make_pair(EvalStatus::Crashed,
                               "exit code " + std::to_string(Out->Output.ExitCode) +
                                   " (reference: " +
                                   std::to_string(Baseline->Reference.ExitCode) + ")");
          if (F) {
            if (IsBase) {
              R.Status = EvalStatus::Invalid;
              R.Reason = "the -O3 baseline failed in " + Rep + " (" + F->second +
                         "): the measurement is void";
            } else {
              R.Status = F->first;
              R.Reason = F->second + " in " + Rep + stderrTail(Out->Process);
            }
            return Done();
          }
          if (!Out->Value) {
            R.Status = EvalStatus::Invalid;
            R.Reason = std::string(IsBase ? "baseline" : "candidate") + ": " + Out->Problem;
            return Done();
          }
          if (!Warm)
            (IsBase ? R.BaselineSamples : R.CandidateSamples).push_back(*Out->Value);
        }
        if (Warm) {
          progress("measuring " + R.ConfigHash.substr(0, 12) + ": warm-up " +
                   std::to_string(Pair + 1) + "/" + std::to_string(Warmups));
          continue;
        }
        unsigned PairsDone = Pair - Warmups + 1;
        RatioEstimate E = bootstrapSpeedup(R.BaselineSamples, R.CandidateSamples, Higher,
                                           P.Resamples, P.Confidence, P.Seed);
        progress("measuring " + R.ConfigHash.substr(0, 12) + ": pair " + std::to_string(PairsDone) +
                 "/" + std::to_string(MaxReps) + ", speedup " + formatFixed(E.Speedup) + " [" +
                 formatFixed(E.Lo) + ", " + formatFixed(E.Hi) + "]");
        if (auto Why = stopAfterPair(E, PairsDone, MinReps, MaxReps, P)) {
          R.Stopped = *Why;
          break;
        }
      }
    }
    RatioEstimate E = bootstrapSpeedup(R.BaselineSamples, R.CandidateSamples, Higher,
                                       P.Resamples, P.Confidence, P.Seed);
    R.Status = EvalStatus::Ok;
    R.Speedup = E.Speedup;
    R.CiLo = E.Lo;
    R.CiHi = E.Hi;
    R.Decision = verdictFor(E);
    std::vector<std::string> Warnings;
    if (E.relativeHalfWidth() > P.TargetCi && R.Stopped == StopReason::Cap)
      Warnings.push_back("noise too high to decide within the target: interval +/-" +
                         percent(E.relativeHalfWidth()) + " after " +
                         std::to_string(R.CandidateSamples.size()) + " pairs (target +/-" +
                         percent(P.TargetCi) + ")");
    double Spread = relativeMad(R.BaselineSamples);
    if (Spread > P.NoiseWarning)
      Warnings.push_back("baseline spread " + percent(Spread) +
                         " (MAD/median) is high: the machine is noisy (other load? try "
                         "--pin-cpu)");
    R.Warning = join(Warnings, "; ");
    Done();
  }

  EvaluationResult evaluateBuilt(const CandidateConfig &Config, const BuildResult &B,
                                 const MeasurementPlan &P, Runner &On) {
    EvaluationResult R;
    R.ConfigHash = Config.contentHash();
    R.Objective = std::string(objectiveKindName(Spec.Objective.Kind));
    R.BuildSeconds = B.Seconds;
    R.CachedBuild = B.Cached;
    R.BuildWarnings = B.Warnings;
    if (!B.ok()) {
      R.Status = B.State == BuildResult::Outcome::Invalid ? EvalStatus::Invalid
                                                           : EvalStatus::BuildFailed;
      R.Reason = B.Log;
      std::string Env = R.Status == EvalStatus::BuildFailed ? environmentFailureIn(B.Log) : "";
      if (!Env.empty())
        environmentFailed(R, Env, B.Log);
      else if (Status H = Health.check(); !H && R.Status == EvalStatus::BuildFailed)
        R = notEvaluated(Config, H.message()); // not built, or built while the run broke
      return R;
    }
    if (Status H = Health.check(); !H)
      return notEvaluated(Config, H.message());
    measure(On, B, P, R);
    return R;
  }

  void record(const char *Type, const std::string &Key, const EvaluationResult &R) {
    JsonOut J;
    J.beginObject().field("key", Key).key("result").raw(R.toJson()).endObject();
    journal(Type, J.str());
    if (!R.Warning.empty())
      warn(Spec.Name + " " + R.ConfigHash.substr(0, 12) + ": " + R.Warning);
  }

  void startEvaluation(const CandidateConfig &Config, const std::string &Key, const char *Type) {
    std::string ConfigFile;
    if (auto F = Run.saveConfig(Config))
      ConfigFile = *F;
    else
      warn(F.message());
    JsonOut J;
    J.beginObject()
        .field("key", Key)
        .field("config_hash", Config.contentHash())
        .field("config_file", ConfigFile)
        .endObject();
    journal(Type, J.str());
  }

  Status loadReference(BaselineInfo &Info) {
    std::string Dir = Run.referenceDir();
    auto Meta = parseJsonFile(joinPath(Dir, "meta.json"));
    if (!Meta)
      return Meta.error();
    const auto &M = **Meta;
    if (!M.IsObject() || !M.HasMember("binary_hash") || !M["binary_hash"].IsString() ||
        Info.Build.BinaryHash != M["binary_hash"].GetString() || !M.HasMember("exit_code") ||
        !M["exit_code"].IsInt())
      return makeError("reference belongs to another binary");
    auto Stdout = readFile(joinPath(Dir, "stdout"));
    if (!Stdout)
      return Stdout.error();
    Info.Reference.Stdout = *Stdout;
    Info.Reference.ExitCode = M["exit_code"].GetInt();
    Info.Reference.StdoutTruncated =
        M.HasMember("stdout_truncated") && M["stdout_truncated"].IsBool() &&
        M["stdout_truncated"].GetBool();
    if (M.HasMember("seconds") && M["seconds"].IsNumber())
      Info.ReferenceSeconds = M["seconds"].GetDouble();
    for (const auto &F : Spec.Check.Files)
      if (auto Content = readFile(joinPath(joinPath(Dir, "files"), F)))
        Info.Reference.Files[F] = *Content;
    return success();
  }

  Status saveReference(const BaselineInfo &Info) {
    std::string Dir = Run.referenceDir();
    if (Status S = writeFileAtomically(joinPath(Dir, "stdout"), Info.Reference.Stdout); !S)
      return S;
    for (const auto &[Name, Content] : Info.Reference.Files) {
      std::string Path = joinPath(joinPath(Dir, "files"), Name);
      if (Status S = makeDirectories(parentPath(Path)); !S)
        return S;
      if (Status S = writeFileAtomically(Path, Content); !S)
        return S;
    }
    JsonOut J;
    J.beginObject()
        .field("binary_hash", Info.Build.BinaryHash)
        .field("exit_code", Info.Reference.ExitCode)
        .field("stdout_truncated", Info.Reference.StdoutTruncated)
        .field("seconds", Info.ReferenceSeconds)
        .endObject();
    return writeFileAtomically(joinPath(Dir, "meta.json"), prettyJson(J.str()));
  }
};

Evaluator::Evaluator() = default;
Evaluator::~Evaluator() = default;

Result<std::unique_ptr<Evaluator>> Evaluator::create(const ProgramSpec &Spec,
                                                     const Toolchain &Tools, RunDir &Run,
                                                     const MeasurementPlan &Plan, unsigned Jobs,
                                                     Progress *Prog) {
  std::unique_ptr<Evaluator> E(new Evaluator());
  E->P = std::make_unique<Impl>(Spec, Tools, Run, Plan);
  Impl &I = *E->P;
  I.Jobs = std::max(1u, Jobs);
  I.Prog = Prog;

  // The directory is bound to this spec, its sources, the objective and the
  // measurement settings; a resume with other ones would mix two runs.
  auto Manifest = RunManifest::describe(Spec, Plan);
  if (!Manifest)
    return Manifest.error();
  if (Status S = bindRunDirectory(Run.path(), Run.resumed(), *Manifest); !S)
    return S.error();

  // Objectives that need something from the machine are checked up front.
  if (Spec.Objective.Kind == ObjectiveKind::Cycles || Spec.Objective.Kind == ObjectiveKind::Instructions)
    if (Status S = PerfCounter::probe(Spec.Objective.Kind == ObjectiveKind::Cycles
                                          ? PerfEvent::Cycles
                                          : PerfEvent::Instructions);
        !S)
      return S.error();
  if (Spec.Objective.Kind == ObjectiveKind::Callgrind && findProgram("valgrind").empty())
    return makeError("objective callgrind needs valgrind, which is not in PATH "
                     "(Debian package valgrind)");

  auto Catalog = KnobCatalog::loadDefault();
  if (!Catalog)
    return Catalog.error();
  I.Catalog = std::make_unique<KnobCatalog>(std::move(*Catalog));
  auto Index = ToolOptionIndex::build(Tools);
  if (!Index)
    return Index.error();
  I.Options = std::make_unique<ToolOptionIndex>(std::move(*Index));
  I.TheBuilder = makeCandidateBuilder(I.Spec, Tools, *I.Options, Run.cache());
  auto Lanes = makeRunners(I.Spec, Tools, Run.scratchDir(), Plan.PinCpu,
                          [&I](const std::string &Line) { I.warn(Line); });
  if (!Lanes)
    return Lanes.error();
  I.Lanes = std::move(*Lanes);
  I.TheRunner = I.Lanes.front().get();

  std::string SpecJson = I.Spec.toJson();
  // The key of its evaluations leaves out what cannot change a result: how
  // many Slurm nodes measure at once, how long one may wait for them, whose
  // account pays and how long an allocation lasts (a run resumed with fewer
  // nodes finds what it finished; the partition and constraint, which pick
  // the hardware, stay in).
  ProgramSpec Keyed = I.Spec;
  Keyed.Runner.Nodes = 1;
  Keyed.Runner.QueueTimeoutSeconds = RunnerSpec{}.QueueTimeoutSeconds;
  Keyed.Runner.Account.clear();
  Keyed.Runner.TimeLimit.clear();
  Hasher H;
  H.add("spec", Keyed.toJson()).add("objective", objectiveKindName(I.Spec.Objective.Kind));
  I.SpecKey = H.hexDigest();

  // Finished evaluations of earlier sessions in this run directory.
  for (const auto &Event : Run.journal().events()) {
    bool IsEval = Event.Type == "eval_done", IsConfirm = Event.Type == "confirm_done";
    if (!IsEval && !IsConfirm)
      continue;
    const auto &D = Event.data();
    if (!D.HasMember("key") || !D["key"].IsString() || !D.HasMember("result"))
      continue;
    auto R = EvaluationResult::fromJson(D["result"], Run.journal().path());
    if (!R)
      continue;
    if (R->Status == EvalStatus::EnvFailed)
      continue; // the machine's failure, not the config's: evaluated again
    R->FromJournal = true;
    (IsEval ? I.Finished : I.FinishedConfirms)[D["key"].GetString()] = std::move(*R);
  }

  JsonOut J;
  J.beginObject()
      .field("spec_key", I.SpecKey)
      .key("spec")
      .raw(SpecJson)
      .field("objective", std::string(objectiveKindName(I.Spec.Objective.Kind)))
      .key("plan")
      .raw(planJson(Plan))
      .field("jobs", static_cast<int64_t>(I.Jobs))
      .key("tools")
      .beginObject()
      .field("clang", Tools.ClangVersion)
      .field("opt", Tools.OptVersion)
      .field("plugin", Tools.Plugin)
      .endObject()
      .field("resumed", Run.resumed())
      .field("finished_evaluations", static_cast<int64_t>(I.Finished.size()))
      .field("pid", static_cast<int64_t>(::getpid()))
      .endObject();
  I.journal("run_start", J.str());
  return E;
}

Status Evaluator::health() const { return P->Health.check(); }

const ProgramSpec &Evaluator::spec() const { return P->Spec; }
const MeasurementPlan &Evaluator::plan() const { return P->Plan; }
unsigned Evaluator::jobs() const { return P->Jobs; }
unsigned Evaluator::lanes() const { return static_cast<unsigned>(P->Lanes.size()); }
unsigned Evaluator::resumedEvaluations() const { return P->Resumed; }

Result<BaselineInfo> Evaluator::prepareBaseline() {
  Impl &I = *P;
  if (I.Baseline)
    return *I.Baseline;
  I.progress("building the -O3 baseline");
  BaselineInfo Info;
  Info.Build = I.TheBuilder->buildBaseline();
  {
    JsonOut J;
    J.beginObject()
        .field("ok", Info.Build.ok())
        .field("content_hash", Info.Build.ContentHash)
        .field("binary_hash", Info.Build.BinaryHash)
        .field("seconds", Info.Build.Seconds)
        .field("cached", Info.Build.Cached)
        .field("log", Info.Build.Log);
    J.key("commands").values(Info.Build.Commands);
    J.endObject();
    I.journal("baseline_build", J.str());
  }
  if (!Info.Build.ok())
    return makeError(I.Spec.SpecPath + ": the -O3 baseline does not build: " + Info.Build.Log);
  auto Size = measureCodeSize(Info.Build.BinaryPath);
  if (Size)
    Info.TextBytes = Size->TextBytes;
  else if (I.Spec.Objective.Kind == ObjectiveKind::Size)
    return makeError(I.Spec.SpecPath + ": cannot measure the -O3 baseline's code size: " +
                     Size.message());
  // Whatever named the target (the target section, or a --target hidden in
  // the flags or a unit's compile command), a binary for another
  // architecture is never timed here: run at all, it would run under an
  // emulator (binfmt_misc), and its times would be reported as speedups.
  if (Size && I.Spec.Objective.Kind != ObjectiveKind::Size &&
      I.Spec.Runner.Kind != RunnerKind::Ssh && hostElfMachine() != 0 &&
      Size->Machine != hostElfMachine())
    return makeError(I.Spec.SpecPath + ": the -O3 baseline is built for another architecture "
                     "(ELF machine " + std::to_string(Size->Machine) + ", this machine's is " +
                     std::to_string(hostElfMachine()) + ") and the objective depends on time; "
                     "name the target in the spec's \"target\" section and measure it with "
                     "runner qemu and objective size (docs/cross-targets.md)");
  if (auto Image = runtimeImageHash(Info.Build.BinaryPath))
    Info.ImageHash = *Image;

  if (I.loadReference(Info)) {
    I.progress("reusing the recorded -O3 reference output");
  } else {
    I.progress("running the -O3 baseline for the reference output");
    IdleAfter Done(*I.TheRunner);
    unsigned Epoch = I.TheRunner->hostEpoch();
    auto Out = I.TheRunner->run(Info.Build.BinaryPath, ObjectiveSpec{});
    if (!Out && I.TheRunner->hostEpoch() != Epoch) {
      I.warn(Out.message());
      Out = I.TheRunner->run(Info.Build.BinaryPath, ObjectiveSpec{});
    }
    if (!Out)
      return makeError(I.Spec.SpecPath + ": cannot run the baseline: " + Out.message());
    if (Out->Process.TimedOut || Out->Process.Signal)
      return makeError(I.Spec.SpecPath + ": the -O3 baseline itself fails (" +
                       Out->Process.describe(I.Spec.Run.TimeoutSeconds) + ")" +
                       stderrTail(Out->Process) + "; fix the spec (run.args, run.timeout_s)");
    Info.Reference = Out->Output;
    Info.ReferenceSeconds = Out->Process.WallSeconds;
    if (Out->Process.ExitCode != 0)
      I.warn(I.Spec.Name + ": the -O3 baseline exits with code " +
             std::to_string(Out->Process.ExitCode) + "; candidates must do the same");
    if (Out->Output.StdoutTruncated)
      I.warn(I.Spec.Name + ": the baseline's stdout exceeded the 64 MiB capture cap");
    for (const auto &F : I.Spec.Check.Files)
      if (!Info.Reference.Files.count(F))
        return makeError(I.Spec.SpecPath + ": field check.files: the baseline did not write \"" +
                         F + "\"");
    if (Status S = I.saveReference(Info); !S)
      return S.error();
  }
  {
    JsonOut J;
    J.beginObject()
        .field("binary_hash", Info.Build.BinaryHash)
        .field("exit_code", Info.Reference.ExitCode)
        .field("seconds", Info.ReferenceSeconds)
        .field("stdout_bytes", static_cast<uint64_t>(Info.Reference.Stdout.size()))
        .field("text_bytes", Info.TextBytes)
        .endObject();
    I.journal("reference", J.str());
  }
  I.Baseline = Info;
  return Info;
}

BuildResult Evaluator::build(const CandidateConfig &Config) {
  return P->buildLogged(Config, P->keyFor(Config));
}

Result<std::vector<std::string>> Evaluator::rebuildCommands(const CandidateConfig &Config,
                                                           const std::string &ConfigPath,
                                                           const std::string &OutDir) {
  if (Status S = checkConfigAllowed(Config, *P->Catalog); !S)
    return S.error();
  return P->TheBuilder->rebuildCommands(Config, ConfigPath, OutDir);
}

EvaluationResult Evaluator::evaluate(const CandidateConfig &Config) {
  return evaluateBatch({Config}).front();
}

std::vector<EvaluationResult> Evaluator::evaluateBatch(const std::vector<CandidateConfig> &Configs) {
  Impl &I = *P;
  std::vector<EvaluationResult> Results(Configs.size());
  if (Status H = I.Health.check(); !H) {
    for (size_t K = 0; K < Configs.size(); ++K)
      Results[K] = I.notEvaluated(Configs[K], H.message());
    return Results;
  }
  std::vector<size_t> Todo;
  std::set<std::string> Seen;
  for (size_t K = 0; K < Configs.size(); ++K) {
    std::string Key = I.keyFor(Configs[K]);
    auto It = I.Finished.find(Key);
    if (It != I.Finished.end()) {
      Results[K] = It->second;
      ++I.Resumed;
      continue;
    }
    if (Seen.insert(Key).second)
      Todo.push_back(K);
  }
  if (!Todo.empty() && !I.Baseline) {
    auto B = prepareBaseline();
    if (!B) {
      for (size_t K : Todo) {
        Results[K].ConfigHash = Configs[K].contentHash();
        Results[K].Status = EvalStatus::Invalid;
        Results[K].Reason = B.message();
      }
      return Results;
    }
  }
  // Builds in parallel, then checks and measurements: one at a time, or
  // one per lane (runner slurm's nodes).
  std::vector<BuildResult> Builds(Todo.size());
  for (size_t K : Todo)
    I.startEvaluation(Configs[K], I.keyFor(Configs[K]), "eval_start");
  std::atomic<size_t> Built{0};
  parallelFor(Todo.size(), I.Jobs, [&](size_t N) {
    Builds[N] = I.buildLogged(Configs[Todo[N]], I.keyFor(Configs[Todo[N]]));
    I.progress("built " + std::to_string(++Built) + "/" + std::to_string(Todo.size()) +
               " candidates");
  });
  // Each measurement takes a lane (one, or runner slurm's nodes) and
  // gives it back; only this thread's callers see the results, all of them
  // journaled here, under one lock.
  std::mutex Lock;
  std::vector<Runner *> Free;
  for (auto &L : I.Lanes)
    Free.push_back(L.get());
  parallelFor(Todo.size(), static_cast<unsigned>(I.Lanes.size()), [&](size_t N) {
    Runner *On;
    {
      std::lock_guard<std::mutex> G(Lock);
      On = Free.back();
      Free.pop_back();
    }
    size_t K = Todo[N];
    std::string Key = I.keyFor(Configs[K]);
    EvaluationResult R = I.evaluateBuilt(Configs[K], Builds[N], I.Plan, *On);
    std::lock_guard<std::mutex> G(Lock);
    I.record("eval_done", Key, R);
    I.Finished[Key] = R;
    Results[K] = R;
    Free.push_back(On);
  });
  // Duplicates within the batch share the result.
  for (size_t K = 0; K < Configs.size(); ++K)
    if (Results[K].ConfigHash.empty())
      Results[K] = I.Finished[I.keyFor(Configs[K])];
  if (I.Prog)
    I.Prog->clear();
  return Results;
}

EvaluationResult Evaluator::confirm(const CandidateConfig &Config,
                                    const MeasurementPlan &ConfirmPlan) {
  Impl &I = *P;
  Hasher H;
  H.add("eval", I.keyFor(Config)).add("plan", planJson(ConfirmPlan));
  std::string Key = H.hexDigest();
  auto It = I.FinishedConfirms.find(Key);
  if (It != I.FinishedConfirms.end()) {
    ++I.Resumed;
    return It->second;
  }
  if (Status H = I.Health.check(); !H)
    return I.notEvaluated(Config, H.message());
  EvaluationResult R;
  R.ConfigHash = Config.contentHash();
  if (!I.Baseline) {
    auto B = prepareBaseline();
    if (!B) {
      R.Status = EvalStatus::Invalid;
      R.Reason = B.message();
      return R;
    }
  }
  I.startEvaluation(Config, Key, "confirm_start");
  BuildResult B = I.buildLogged(Config, Key);
  R = I.evaluateBuilt(Config, B, ConfirmPlan, *I.TheRunner);
  I.record("confirm_done", Key, R);
  I.FinishedConfirms[Key] = R;
  if (I.Prog)
    I.Prog->clear();
  return R;
}

EvaluationResult Evaluator::evaluateBinary(const BuildResult &Built, const std::string &Label,
                                           const MeasurementPlan &Plan) {
  Impl &I = *P;
  EvaluationResult R;
  R.ConfigHash = Label;
  R.Objective = std::string(objectiveKindName(I.Spec.Objective.Kind));
  R.BuildSeconds = Built.Seconds;
  R.CachedBuild = Built.Cached;
  if (!I.Baseline) {
    auto B = prepareBaseline();
    if (!B) {
      R.Reason = B.message();
      return R;
    }
  }
  Hasher H;
  H.add("external", Label).add("binary", Built.BinaryHash).add("plan", planJson(Plan));
  std::string Key = H.hexDigest();
  {
    JsonOut J;
    J.beginObject().field("key", Key).field("label", Label).field("binary_hash", Built.BinaryHash);
    J.key("commands").values(Built.Commands);
    J.endObject();
    I.journal("external_start", J.str());
  }
  if (!Built.ok()) {
    R.Status = Built.State == BuildResult::Outcome::Invalid ? EvalStatus::Invalid
                                                             : EvalStatus::BuildFailed;
    R.Reason = Built.Log;
  } else {
    I.measure(*I.TheRunner, Built, Plan, R);
  }
  I.record("external_done", Key, R);
  if (I.Prog)
    I.Prog->clear();
  return R;
}

Result<BaselineSeries> Evaluator::sampleBaseline(unsigned Runs) {
  Impl &I = *P;
  if (!I.Baseline) {
    auto B = prepareBaseline();
    if (!B)
      return B.error();
  }
  BaselineSeries S;
  bool Measured = I.Spec.Objective.Kind != ObjectiveKind::Size;
  unsigned Total = (Measured ? I.Plan.Warmups : 0) + Runs;
  IdleAfter Done(*I.TheRunner);
  unsigned Epoch = I.TheRunner->hostEpoch();
  bool Moved = false;
  for (unsigned K = 0; K < Total; ++K) {
    if (!Measured) {
      S.Samples.push_back(static_cast<double>(I.Baseline->TextBytes));
      continue;
    }
    I.progress("baseline run " + std::to_string(K + 1) + "/" + std::to_string(Total));
    auto Out = I.TheRunner->run(I.Baseline->Build.BinaryPath, I.Spec.Objective,
                                RunOutput::Discard);
    if (!Out && !Moved && I.TheRunner->hostEpoch() != Epoch) {
      // Another host: its series starts over (samples of two machines never mix).
      I.warn(Out.message());
      Moved = true;
      S.Samples.clear();
      K = static_cast<unsigned>(-1);
      continue;
    }
    if (!Out)
      return Out.error();
    if (auto F = runFailure(Out->Process, I.Spec.Run.TimeoutSeconds))
      return makeError(I.Spec.Name + ": the -O3 baseline failed: " + F->second);
    if (!Out->Value)
      return makeError(I.Spec.Name + ": " + Out->Problem);
    if (K >= I.Plan.Warmups)
      S.Samples.push_back(*Out->Value);
  }
  S.Median = median(S.Samples);
  S.RelMad = relativeMad(S.Samples);
  S.RelRange = relativeRange(S.Samples);
  JsonOut J;
  J.beginObject().key("samples").values(S.Samples).field("median", S.Median)
      .field("rel_mad", S.RelMad).field("rel_range", S.RelRange).endObject();
  I.journal("baseline_series", J.str());
  if (I.Prog)
    I.Prog->clear();
  return S;
}

} // namespace autopass
