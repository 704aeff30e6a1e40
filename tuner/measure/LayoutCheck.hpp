//===- measure/LayoutCheck.hpp - Is a win more than code placement? -*- C++ -*-===//
//
// A configuration can measure faster than -O3 only because its code lands at
// other addresses: a hot loop that now starts on a cache line, a branch that
// no longer aliases in the predictor. Such a win is real on this machine and
// this binary, and gone after the next unrelated edit or on another CPU.
//
// The layout check re-measures a confirmed winner against -O3 under
// perturbations that move code but do not change what the optimizer does,
// applied to BOTH sides alike:
//
//   align64  every function and every loop header aligned to 64 bytes
//            (-falign-functions=64 -falign-loops=64 on every compile)
//   shifted  a 1040-byte filler linked first (every function moves by an
//            amount that is not a multiple of the cache line), the sources
//            in reverse order (link order), and 2 KiB more environment (the
//            stack moves)
//
// Each perturbation gets a run directory of its own under RUN/layout/NAME
// (its own baseline, reference output and journal, so a killed run resumes
// there too). The win survives when its interval stays above 1 under every
// perturbation; otherwise it is a layout effect, reported as such and never
// as the best configuration.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "measure/EvaluationResult.hpp"
#include "measure/MeasurementPlan.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

class Progress;
class RunDir;
struct Toolchain;

/// A change of code placement applied to the baseline and the candidate alike.
struct LayoutPerturbation {
  std::string Name;
  std::string Description;
  std::vector<std::string> ExtraCompileFlags;
  unsigned PadBytes = 0;       // filler linked before the program's code
  bool ReverseSources = false; // link order
  unsigned EnvPadBytes = 0;    // extra environment (moves the stack)
};

/// The perturbations the tuner applies (align64, shifted).
const std::vector<LayoutPerturbation> &defaultLayoutPerturbations();

/// Spec with P applied. Files it needs (the filler source) are written to
/// WorkDir, which must exist.
Result<ProgramSpec> perturbedSpec(const ProgramSpec &Spec, const LayoutPerturbation &P,
                                  const std::string &WorkDir);

struct LayoutTrial {
  std::string Perturbation;
  EvaluationResult Result;
  /// The interval lies above 1 (same rule as confirmation).
  bool Held = false;
};

struct LayoutVerdict {
  std::vector<LayoutTrial> Trials;
  /// Every perturbation kept the win.
  bool Survived = false;
  /// Non-empty when a trial could not be measured (the machine failed: a
  /// lost node, a full disk): the check is not done, and says nothing
  /// about the candidate.
  std::string Unmeasured;
  /// "align64 1.12 [1.10,1.14] held; shifted 0.99 [0.98,1.01] lost".
  std::string summary() const;
  std::string toJson() const;
};

/// Re-measures Config against -O3 under every perturbation of Ps with Plan
/// (use the confirmation plan). Errors are failures to set the check up
/// (a run directory that cannot be created); a perturbed build that fails is
/// a trial that did not hold.
Result<LayoutVerdict> checkLayout(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run,
                                  const CandidateConfig &Config, const MeasurementPlan &Plan,
                                  unsigned Jobs, const std::vector<LayoutPerturbation> &Ps,
                                  Progress *Prog = nullptr);

} // namespace autopass
