//===- evidence/IrAfterPass.hpp - IR of a function after one pass -*- C++ -*-===//
//
// The evidence collector keeps per-pass instruction counts, not IR. When an
// agent wants to read the IR of one function right after one pass of the
// real pipeline, this class reruns the optimization of the unit that
// defines it, from the collector's front-end bitcode, with the same opt
// command as the collector's step 3 plus opt's own printing options:
//
//   opt -relocation-model=R [-load-pass-plugin=P] -passes=PIPELINE [knobs]
//       -print-pass-numbers -filter-print-funcs=F -disable-output U.bc
//                      (which passes run on F, by class name and ordinal)
//   opt ... -print-after-pass-number=N -filter-print-funcs=F -disable-output U.bc
//                      (a class name, as the per-pass records give it)
//   opt ... -print-after=NAME -filter-print-funcs=F -disable-output U.bc
//                      (a pipeline name such as loop-vectorize)
//
// LLVM 19 numbers only the passes that pass the -filter-print-funcs filter,
// so the listing and the dump are both filtered by the same function.
// Names come from untrusted input (an LLM): a function must be one the
// features of the program name, a pass one that runs on it (or a name of
// the pipeline text); anything else is refused before opt runs. Every opt
// is a subprocess without a shell and with a time limit; answers are
// cached for the life of the object. The IR is stripped of debug-info noise
// and bounded in size.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// What it takes to rerun the evidence's optimization: the collector fills
/// it (EvidenceDigest::Ir) from step 3's command.
struct IrSource {
  struct Unit {
    std::string Source;                 // as the spec names it
    std::string Bitcode;                // front-end output, in the work dir
    std::vector<std::string> Functions; // defined here (from its features)
  };
  std::string Opt;
  std::string Plugin; // loaded when the pipeline needs it, else ""
  std::string RelocationModel;
  std::string Pipeline; // the builder's, without the introspection element
  std::vector<std::string> OptKnobs; // -name=value, as step 3 passes them
  std::string Cwd;                   // the spec's directory
  std::string Label;                 // "the -O3 pipeline", "config 1a2b3c4d5e6f"
  std::vector<Unit> Units;
};

/// One " Running pass N CLASS on UNIT" line of -print-pass-numbers.
struct PassRun {
  int64_t Number = 0;
  std::string Pass; // class name, e.g. LoopVectorizePass
  std::string Unit; // "saxpy", "[module]", "(saxpy)", "loop %x in function saxpy"
};
std::vector<PassRun> parsePassNumbers(std::string_view OptStderr);

/// One "; *** IR Dump After [N-]CLASS on UNIT ***" section of opt's output.
struct IrDump {
  std::string Pass; // class name, without the "N-" prefix
  int64_t Number = 0; // 0 when opt printed none
  std::string Unit;
  std::string Body; // the IR lines after the header
};
std::vector<IrDump> splitIrDumps(std::string_view OptStderr);

/// Drops debug-info noise: ", !dbg !N" attachments and the #dbg_* records
/// (and llvm.dbg.* calls of the old format).
std::string stripDebugInfo(std::string_view Ir);

/// At most MaxChars of Ir, cut at a line end, with a marker line saying how
/// much was left out when it was cut.
std::string boundIrText(std::string_view Ir, size_t MaxChars);

/// The pass names of a pipeline text ("function<eager-inv>(instcombine<...>)"
/// gives function, instcombine), parameters left out.
std::vector<std::string> pipelinePassNames(std::string_view Pipeline);

class IrAfterPass {
public:
  explicit IrAfterPass(IrSource Source, double TimeoutSeconds = 120);

  /// The IR of Function right after Pass (a class name from the pass
  /// records, e.g. LoopVectorizePass, or a pipeline name, e.g.
  /// loop-vectorize): its Occurrence-th run on the function (1-based; 0 is
  /// the last), stripped of debug info, at most MaxChars, after a header
  /// line saying which run it is. Errors are texts meant for the model.
  Result<std::string> irAfter(const std::string &Function, const std::string &Pass,
                              int64_t Occurrence = 0, size_t MaxChars = 6000);

  /// Whether Function is defined in one of the units.
  bool knowsFunction(const std::string &Function) const;
  const IrSource &source() const { return Source; }

private:
  Result<const std::vector<PassRun> *> passesOn(size_t UnitIndex, const std::string &Function);
  Result<std::string> runOpt(const std::vector<std::string> &Extra, const std::string &Bitcode,
                             const std::string &What) const;
  std::vector<std::string> baseArgv() const;

  IrSource Source;
  double TimeoutSeconds;
  std::map<std::string, size_t> UnitOf; // function -> index of its unit
  std::map<std::string, std::vector<PassRun>> Listings; // unit/function -> passes
  std::map<std::string, std::string> Answers;           // request -> answer
  std::vector<std::string> PipelineNames;
};

} // namespace autopass
