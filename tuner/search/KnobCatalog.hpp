//===- search/KnobCatalog.hpp - The LLVM options the tuner may set -*- C++ -*-===//
//
// Layer 1 of the search space: the catalog of LLVM command-line options that
// matter for speed (tuner/data/knobs-llvmN.json, one per LLVM major version
// N, schema `autopass-knobs/1`, docs/knobs.md). Each entry says what values
// make sense, LLVM's default, which tool consumes it (opt or llc) and, in one
// line, what it does, so strategies can sample it and agents can reason
// about it.
//
// The catalog is data, and data can be wrong for the installed LLVM: the
// tuner checks it against `opt --help-hidden` / `llc --help-hidden` and drops
// (and reports) every option the tools do not know, so nothing is ever passed
// blindly. Running the tools is the toolchain stage's job; this file holds
// the pure parsing and checking.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "util/Result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

enum class KnobType { Bool, Int, Float, Enum };
/// Which tool's command line takes the option (clang takes every one as
/// -mllvm): optimizer options go to opt, code-generation options to llc.
enum class KnobTool { Opt, Llc, Both };

std::string_view knobTypeName(KnobType T);
std::string_view knobToolName(KnobTool T);

struct KnobSpec {
  std::string Name;
  KnobType Type = KnobType::Bool;
  /// Int and Float domains (Float uses the double fields).
  int64_t MinInt = 0;
  int64_t MaxInt = 0;
  double MinFloat = 0;
  double MaxFloat = 0;
  /// Sample values scaled logarithmically between min and max.
  bool LogScale = false;
  /// Enum: the allowed values. Int/Float: optional good sample values.
  std::vector<KnobValue> Values;
  /// LLVM's default; empty when LLVM decides by itself unless the option is
  /// given (e.g. unroll-threshold depends on the optimization level).
  std::optional<KnobValue> Default;
  KnobTool Where = KnobTool::Opt;
  std::string Category;
  std::string Meaning;
  /// Other knobs that must hold these values for this one to have an
  /// effect (e.g. polly-tiling requires polly=true).
  std::map<std::string, KnobValue> Requires;
  /// The option changes which passes `default<O3>` builds (e.g. it adds
  /// loop-interchange), so it has no effect under an explicit `pipeline`
  /// that was printed without it.
  bool ShapesPipeline = false;
  /// LLVM architecture names (as llvm::Triple spells them: "x86_64",
  /// "aarch64") of the back ends the option belongs to; empty: every target.
  /// llc accepts an x86 option whatever the target, but it changes nothing
  /// for AArch64, so the search leaves it out there.
  std::vector<std::string> Arches;

  bool forOpt() const { return Where != KnobTool::Llc; }
  bool forLlc() const { return Where != KnobTool::Opt; }
  /// The domain in words, e.g. "int 0..5000 (log)", "one of: a, b".
  std::string domainText() const;
};

/// An option of the catalog that the installed tools do not accept.
struct MissingKnob {
  std::string Name;
  std::string Tool; // "opt" or "llc"
};

class KnobCatalog {
public:
  static Result<KnobCatalog> parse(std::string_view JsonText, std::string_view SourceName);
  static Result<KnobCatalog> load(const std::string &Path);
  /// Loads defaultFileName() from the first data directory that has it.
  static Result<KnobCatalog> loadDefault();
  /// The data directories searched, in order: $AUTOPASS_DATA_DIR, the source
  /// tree's tuner/data, the installed share/autopass.
  static std::vector<std::string> dataDirectories();
  /// The first dataDirectories() entry holding Name, as a path; empty when
  /// none does (Tried then lists the paths looked at, for the message).
  static std::string findDataFile(const std::string &Name, std::vector<std::string> &Tried);
  /// The catalog of the LLVM the tuner was built against
  /// ("knobs-llvm19.json", "knobs-llvm22.json"): the tools it drives by
  /// default, and the only ones its plugin loads into.
  static std::string defaultFileName();
  /// The catalog file name for LLVM major version \p LlvmMajor.
  static std::string fileNameFor(unsigned LlvmMajor);

  const std::vector<KnobSpec> &knobs() const { return Knobs; }
  const KnobSpec *find(std::string_view Name) const;
  /// Categories in first-appearance order.
  std::vector<std::string> categories() const;

  /// Checks that Name is in the (active) catalog and V is in its domain.
  Status validate(std::string_view Name, const KnobValue &V) const;
  /// validate() for every knob of a configuration.
  Status validateKnobs(const CandidateConfig &C) const;

  /// Drops every knob that a tool it applies to does not accept; returns
  /// the dropped ones (also kept in missing()) so the caller can report them.
  std::vector<MissingKnob> checkAgainst(const std::function<bool(std::string_view)> &OptAccepts,
                                        const std::function<bool(std::string_view)> &LlcAccepts);
  const std::vector<MissingKnob> &missing() const { return Missing; }

  /// Drops every knob whose `arch` list does not name Arch (the target's
  /// architecture, "x86_64", "aarch64"); returns the dropped names.
  std::vector<std::string> keepForArch(std::string_view Arch);

  /// "-NAME=VALUE" arguments for opt (Tool=Opt) or llc (Tool=Llc) from a
  /// configuration's knobs; Both yields "-mllvm -NAME=VALUE" pairs for
  /// clang. Knobs not in the catalog are left out (validateKnobs reports
  /// them).
  std::vector<std::string> commandLineArgs(const CandidateConfig &C, KnobTool Tool) const;

  /// The JSON source the catalog came from (for messages).
  const std::string &source() const { return Source; }

private:
  std::vector<KnobSpec> Knobs;
  std::vector<MissingKnob> Missing;
  std::string Source;
};

/// The option names (without dashes) that a tool's `--help-hidden` output
/// lists, e.g. "unroll-threshold" from "  --unroll-threshold=<uint> - ...".
std::set<std::string> parseHelpOptionNames(std::string_view HelpText);

/// A plain-text table of the catalog for `autopass-tuner knobs`, followed by
/// the options dropped by checkAgainst().
std::string renderKnobTable(const KnobCatalog &Catalog);

} // namespace autopass
