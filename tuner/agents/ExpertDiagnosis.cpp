//===- agents/ExpertDiagnosis.cpp - The expert reads compile diffs --------===//
//
// The expert's decisions that need compiler evidence about a measured
// candidate, from the compile diff against the configuration it was built
// on (evidence/CompileDiff.hpp, agents/EditAttribution.hpp):
//
// - A regression is blamed on the edits whose passes or remarks differ in
//   the places they act on (a loop hint: the loop's function and the loop
//   passes reading its metadata; a knob: the passes it configures; ...).
//   Only those become harmful; the idea's other edits are tried again
//   without them, once. An edit whose place the diff cannot see (no source
//   locations, no record of its function) is unknown: harmful, never
//   cleared. When the diff implicates nothing (or there is no diff), every
//   edit the candidate added is harmful, as without evidence.
// - A measured gain of a candidate that adds loop hints is checked: when
//   LLVM warned that it did not perform every one of them (transform-warning,
//   "loop not unrolled: the optimizer was unable to perform the requested
//   transformation ...") and no pass changed the instruction count of the
//   hinted functions (of the program, when the candidate adds other edits
//   too), the hints did nothing: the gain is a code-layout effect of the
//   changed metadata, and the idea is dropped, not adopted or refined.
//
//===----------------------------------------------------------------------===//

#include "agents/EditAttribution.hpp"
#include "agents/ExpertAgent.hpp"

#include "util/Strings.hpp"

#include <algorithm>

namespace autopass {

Result<CompileDiff> ExpertAgent::compileDiff(const Pending &P, const CandidateConfig &Candidate) {
  auto Parent = Space.toConfig(P.Parent);
  if (!Parent)
    return makeError("the parent configuration: " + Parent.message());
  return DiffSource(Candidate, *Parent);
}

void ExpertAgent::rollBack(const Pending &P, const CandidateConfig &Candidate,
                           const std::string &Measured) {
  std::string Why = "regression: " + Measured + " below the base's " + formatFixed(BaseSpeedup, 3);
  std::vector<EditTarget> New = newEdits(Space, P.Parent, P.Point);
  std::vector<const EditTarget *> Responsible, Unknown, Innocent;
  std::vector<std::string> Evidence, Gaps;
  if (DiffSource && !New.empty()) {
    Result<CompileDiff> D = compileDiff(P, Candidate);
    if (!D) {
      Why += "; no compile diff (" + D.message() + "): every edit it added is marked harmful";
    } else {
      for (const EditTarget &T : New) {
        if (!T.Observable) {
          Responsible.push_back(&T);
          Evidence.push_back(T.Atom + ": a code-generation option, which opt's records "
                                      "cannot clear");
          continue;
        }
        if (std::string Gap = attributionGap(T, *D); !Gap.empty()) {
          Unknown.push_back(&T);
          Gaps.push_back(T.Atom + " (" + Gap + ")");
          continue;
        }
        std::vector<std::string> Effects = effectsOf(T, *D);
        if (Effects.empty()) {
          Innocent.push_back(&T);
          continue;
        }
        Responsible.push_back(&T);
        Evidence.push_back(T.Atom + ": " + join(Effects, "; "));
      }
      if (!Gaps.empty())
        Why += "; effect unknown, marked harmful: " + join(Gaps, ", ");
      if (Responsible.empty() && Unknown.empty())
        Why += D->empty() ? "; the compile diff shows no pass or remark difference (a "
                            "code-layout effect?): every edit it added is marked harmful"
                          : "; the compile diff implicates none of its edits (" +
                                std::string(trim(D->render(2))) +
                                "): every edit it added is marked harmful";
      else if (!Responsible.empty())
        Why += "; the compile diff implicates " + join(Evidence, " | ");
      for (const TransformWarning &W : D->Warnings)
        Why += "; LLVM warned: " + W.str();
    }
  }

  // Edits whose effect is unknown are never cleared.
  Responsible.insert(Responsible.end(), Unknown.begin(), Unknown.end());
  if (Responsible.empty()) {
    for (const EditTarget &T : New)
      HarmfulAtoms.insert(T.Atom);
  } else {
    for (const EditTarget *T : Responsible)
      HarmfulAtoms.insert(T->Atom);
  }

  // The edits the diff did not implicate are tried again without the
  // responsible ones, once per idea (never a retry of a retry).
  if (!Responsible.empty() && !Innocent.empty() &&
      P.IdeaId.find("/without:") == std::string::npos && Retried.insert(P.IdeaId).second) {
    std::vector<std::string> Dropped, KeptAtoms;
    for (const EditTarget *T : Responsible)
      Dropped.push_back(T->Atom);
    ExpertIdea Retry;
    for (const EditTarget *T : Innocent) {
      KeptAtoms.push_back(T->Atom);
      Retry.Delta = merge(Retry.Delta, T->Single);
      if (T->Single.RawPipeline)
        Retry.Delta.RawPipeline = T->Single.RawPipeline;
    }
    auto Orig = std::find_if(Ideas.begin(), Ideas.end(),
                             [&](const ExpertIdea &E) { return E.Id == P.IdeaId; });
    Retry.Id = P.IdeaId + "/without:" + join(Dropped, ",");
    Retry.Rule = "retry-unimplicated";
    Retry.Region = Orig != Ideas.end() ? Orig->Region : "";
    Retry.Priority = Orig != Ideas.end() ? Orig->Priority : 0;
    Retry.Rationale =
        "the edits of " + P.IdeaId + " that the compile diff did not implicate in its regression";
    Why += "; not implicated: " + join(KeptAtoms, ", ") + ", retried as " + Retry.Id;
    Ideas.insert(Ideas.begin() + static_cast<std::ptrdiff_t>(NextIdea), std::move(Retry));
  }

  Rejected[P.IdeaId] = Why;
  Decisions.push_back({P.IdeaId, "rolled back", Why});
}

std::optional<std::string> ExpertAgent::unperformedHints(const Pending &P,
                                                         const CandidateConfig &Candidate,
                                                         std::string &Note) {
  if (!DiffSource)
    return std::nullopt;
  std::vector<EditTarget> New = newEdits(Space, P.Parent, P.Point);
  std::vector<const EditTarget *> Hints;
  for (const EditTarget &T : New)
    if (T.K == EditTarget::Kind::LoopHint)
      Hints.push_back(&T);
  if (Hints.empty())
    return std::nullopt;

  Result<CompileDiff> D = compileDiff(P, Candidate);
  if (!D) {
    Note = "; its loop hints were not checked (no compile diff: " + D.message() + ")";
    return std::nullopt;
  }
  std::vector<std::string> Said, Atoms;
  std::vector<std::string> Functions;
  for (const EditTarget *T : Hints) {
    std::vector<const TransformWarning *> W = warningsAbout(*T, *D);
    if (W.empty()) {
      std::string Gap = attributionGap(*T, *D);
      Note = Gap.empty() ? "; LLVM performed its loop hints"
                         : "; whether LLVM performed " + T->Atom + " is unknown (" + Gap + ")";
      return std::nullopt;
    }
    Atoms.push_back(T->Atom);
    for (const TransformWarning *One : W)
      if (std::find(Said.begin(), Said.end(), One->str()) == Said.end())
        Said.push_back(One->str());
    if (std::find(Functions.begin(), Functions.end(), T->Function) == Functions.end())
      Functions.push_back(T->Function);
  }
  for (const std::string &F : Functions)
    if (D->instructionsDifferIn(F)) {
      Note = "; LLVM warned it did not perform " + join(Atoms, ", ") +
             ", but passes changed the instructions of " + F;
      return std::nullopt;
    }
  if (Hints.size() < New.size() && D->instructionsDiffer()) {
    Note = "; LLVM warned it did not perform " + join(Atoms, ", ") +
           ", but its other edits changed the program's instructions";
    return std::nullopt;
  }
  return "LLVM did not perform " + join(Atoms, ", ") + " (" + join(Said, "; ") +
         ") and no pass changed the instruction count of " + join(Functions, ", ");
}

} // namespace autopass
