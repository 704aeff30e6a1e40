//===- agents/AgentTools.hpp - What the LLM agents may look up --*- C++ -*-===//
//
// The tools offered to the LLM agents through OpenAI tool calling. Every tool
// is a read-only view of evidence the tuner already holds (the evidence
// digest, the knob catalog, the measurements so far). One tool,
// ir_after_pass, runs a command: opt on the evidence's own front-end
// bitcode with the evidence's pipeline (IrAfterPass), for a function and a
// pass that must be names the evidence or the pipeline gives; nothing else a
// model asks for reaches outside the run. Arguments are untrusted JSON and
// are checked; every problem comes back to the model as text rather than
// failing the run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/ChatTypes.hpp"
#include "evidence/EvidenceDigest.hpp"
#include "evidence/IrAfterPass.hpp"
#include "search/KnobCatalog.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace autopass {

class AgentTools {
public:
  /// Measurements returns the configurations measured so far as text; it is
  /// called each time get_measurements is.
  AgentTools(const EvidenceDigest &Digest, const KnobCatalog &Catalog,
             std::function<std::string()> Measurements);

  /// The tool declarations sent with a request; ir_after_pass only when
  /// the evidence can produce IR (hasIrAfterPass()).
  static std::vector<ToolSpec> specs(bool WithIrAfterPass = false);

  /// Answers one call (never throws, never fails: errors are the answer).
  std::string call(const ToolCall &Call) const;

  std::string getRemarks(const std::string &Region) const;
  std::string getFeatures(const std::string &Region) const;
  std::string getPassDeltas(const std::string &Function) const;
  std::string getKnobCatalog(const std::string &Category) const;
  /// The IR of Function after Pass (Occurrence 0: its last run), at most
  /// MaxChars; an "error: ..." text when refused or unavailable.
  std::string irAfterPass(const std::string &Function, const std::string &Pass,
                          int64_t Occurrence = 0, size_t MaxChars = DefaultIrChars) const;
  bool hasIrAfterPass() const { return Ir != nullptr; }

  static constexpr size_t DefaultIrChars = 6000;

  /// The knob catalog as the planning prompt shows it: one line per knob.
  static std::string catalogText(const KnobCatalog &Catalog, const std::string &Category = "");

  /// What the tools would return, inline, for servers without tool calling:
  /// the digest's regions as JSON, heaviest first, at most MaxBytes.
  std::string inlineEvidence(size_t MaxBytes) const;

  /// Region names known to the digest (loops and functions).
  const std::vector<std::string> &regionNames() const { return Names; }

private:
  std::string regionSubset(const std::string &Region,
                           std::initializer_list<const char *> Keys) const;

  const KnobCatalog &Catalog;
  std::function<std::string()> Measurements;
  /// Region name -> the compact JSON of the digest's region object, and the
  /// program-wide pass summary; computed once from EvidenceDigest::toJson.
  std::map<std::string, std::string> RegionJson;
  std::vector<std::string> Names;
  std::string PassesJson;
  /// Null when the digest has no IR source (evidence from files, no
  /// bitcode); its answers are cached, hence a pointer from const calls.
  std::unique_ptr<IrAfterPass> Ir;
};

} // namespace autopass
