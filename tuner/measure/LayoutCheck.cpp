//===- measure/LayoutCheck.cpp - Is a win more than code placement? -------===//
#include "measure/LayoutCheck.hpp"

#include "measure/Evaluator.hpp"
#include "store/RunDir.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"

#include <algorithm>

namespace autopass {

const std::vector<LayoutPerturbation> &defaultLayoutPerturbations() {
  static const std::vector<LayoutPerturbation> Ps = [] {
    LayoutPerturbation Align;
    Align.Name = "align64";
    Align.Description = "functions and loop headers aligned to 64 bytes";
    Align.ExtraCompileFlags = {"-falign-functions=64", "-falign-loops=64"};
    LayoutPerturbation Shift;
    Shift.Name = "shifted";
    Shift.Description = "1040-byte filler linked first, sources in reverse link order, "
                        "2 KiB more environment";
    // 1040 = 16 * 65: a multiple of the default function alignment, not of
    // the 64-byte cache line, so every function moves within its line.
    Shift.PadBytes = 1040;
    Shift.ReverseSources = true;
    Shift.EnvPadBytes = 2048;
    return std::vector<LayoutPerturbation>{Align, Shift};
  }();
  return Ps;
}

namespace {

/// A C file whose only content is top-level assembly: a function-sized
/// block of filler in .text. Nothing references it, nothing optimizes it.
std::string fillerSource(unsigned Bytes) {
  std::string N = std::to_string(Bytes);
  return "/* Written by autopass-tuner (layout check): " + N +
         " bytes of filler linked before the program's code, on the -O3 baseline and the "
         "candidate alike. */\n"
         "__asm__(\".text\\n"
         ".globl autopass_layout_filler\\n"
         "autopass_layout_filler:\\n"
         ".skip " +
         N + "\\n\");\n";
}

bool held(const EvaluationResult &R) { return R.ok() && R.CiLo > 1.0; }

} // namespace

Result<ProgramSpec> perturbedSpec(const ProgramSpec &Spec, const LayoutPerturbation &P,
                                  const std::string &WorkDir) {
  ProgramSpec S = Spec;
  S.CompileFlags.insert(S.CompileFlags.end(), P.ExtraCompileFlags.begin(),
                        P.ExtraCompileFlags.end());
  if (P.ReverseSources)
    std::reverse(S.Sources.begin(), S.Sources.end());
  if (P.PadBytes > 0) {
    // A C++ program links with clang++, which compiles a .c file as C all
    // the same (the driver goes by the extension).
    std::string Filler = joinPath(WorkDir, "layout-filler.c");
    if (Status W = writeFile(Filler, fillerSource(P.PadBytes)); !W)
      return W.error();
    S.Sources.insert(S.Sources.begin(), Filler);
  }
  if (P.EnvPadBytes > 0)
    S.Run.Env["AUTOPASS_LAYOUT_PAD"] = std::string(P.EnvPadBytes, 'x');
  return S;
}

std::string LayoutVerdict::summary() const {
  std::vector<std::string> Parts;
  for (const LayoutTrial &T : Trials) {
    const EvaluationResult &R = T.Result;
    std::string Figure = R.ok() ? formatFixed(R.Speedup) + " [" + formatFixed(R.CiLo) + "," +
                                      formatFixed(R.CiHi) + "]"
                                : std::string(evalStatusName(R.Status));
    Parts.push_back(T.Perturbation + " " + Figure + (T.Held ? " held" : " lost"));
  }
  return join(Parts, "; ");
}

std::string LayoutVerdict::toJson() const {
  JsonOut J;
  J.beginObject().field("survived", Survived).key("trials").beginArray();
  for (const LayoutTrial &T : Trials) {
    J.beginObject().field("perturbation", T.Perturbation).field("held", T.Held);
    J.key("result").raw(T.Result.toJson());
    J.endObject();
  }
  J.endArray().endObject();
  return J.str();
}

Result<LayoutVerdict> checkLayout(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run,
                                  const CandidateConfig &Config, const MeasurementPlan &Plan,
                                  unsigned Jobs, const std::vector<LayoutPerturbation> &Ps,
                                  Progress *Prog) {
  LayoutVerdict V;
  V.Survived = !Ps.empty();
  for (const LayoutPerturbation &P : Ps) {
    std::string Dir = joinPath(joinPath(Run.path(), "layout"), P.Name);
    // Resumable like the run itself: a finished trial is answered from the
    // sub-run's journal.
    auto Sub = RunDir::open(Dir, /*Resume=*/true, /*Quiet=*/true);
    if (!Sub)
      return Sub.error();
    auto S = perturbedSpec(Spec, P, (*Sub)->path());
    if (!S)
      return S.error();
    if (Prog)
      Prog->update(Spec.Name + ": layout check " + P.Name + " (" + P.Description + ")");
    LayoutTrial T;
    T.Perturbation = P.Name;
    auto Eval = Evaluator::create(*S, Tools, **Sub, Plan, Jobs, Prog);
    if (!Eval)
      return Eval.error();
    auto Base = (*Eval)->prepareBaseline();
    if (!Base) {
      T.Result.Status = EvalStatus::BuildFailed;
      T.Result.Reason = "perturbed -O3 baseline: " + Base.message();
    } else {
      T.Result = (*Eval)->confirm(Config, Plan);
    }
    // A trial the machine failed (a lost node, a full disk) says nothing
    // about layout: the check is not done, rather than failed.
    if (T.Result.Status == EvalStatus::EnvFailed) {
      V.Survived = false;
      V.Unmeasured = "layout check " + P.Name + " could not be measured: " + T.Result.Reason;
      V.Trials.push_back(std::move(T));
      return V;
    }
    T.Held = held(T.Result);
    V.Survived = V.Survived && T.Held;
    V.Trials.push_back(std::move(T));
  }
  return V;
}

} // namespace autopass
