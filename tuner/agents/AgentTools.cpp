//===- agents/AgentTools.cpp - What the LLM agents may look up ------------===//

#include "agents/AgentTools.hpp"

#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <rapidjson/document.h>

namespace autopass {

namespace {

/// The argument Key of a call (null when absent), or an error text for the
/// model.
Result<const rapidjson::Value *> argument(const ToolCall &Call, const char *Key,
                                          std::shared_ptr<rapidjson::Document> &Holder) {
  std::string_view Args = trim(Call.ArgumentsJson);
  if (Args.empty())
    Args = "{}";
  auto Doc = parseJsonText(Args, "arguments of " + Call.Name);
  if (!Doc)
    return makeError("error: the arguments are not JSON (" + Doc.message() + ")");
  if (!(*Doc)->IsObject())
    return makeError("error: the arguments must be a JSON object");
  Holder = std::move(*Doc);
  auto It = Holder->FindMember(Key);
  if (It == Holder->MemberEnd() || It->value.IsNull())
    return static_cast<const rapidjson::Value *>(nullptr);
  return &It->value;
}

/// The string argument Key of a call, or an error text for the model.
Result<std::string> stringArgument(const ToolCall &Call, const char *Key, bool Required) {
  std::shared_ptr<rapidjson::Document> Holder;
  auto V = argument(Call, Key, Holder);
  if (!V)
    return V.error();
  if (!*V) {
    if (Required)
      return makeError(std::string("error: missing string argument \"") + Key + "\"");
    return std::string();
  }
  if (!(*V)->IsString())
    return makeError(std::string("error: argument \"") + Key + "\" must be a string");
  return std::string((*V)->GetString());
}

/// The optional integer argument Key of a call within [Min, Max] (Default
/// when absent), or an error text for the model.
Result<int64_t> integerArgument(const ToolCall &Call, const char *Key, int64_t Default,
                                int64_t Min, int64_t Max) {
  std::shared_ptr<rapidjson::Document> Holder;
  auto V = argument(Call, Key, Holder);
  if (!V)
    return V.error();
  if (!*V)
    return Default;
  if (!(*V)->IsInt64() || (*V)->GetInt64() < Min || (*V)->GetInt64() > Max)
    return makeError(std::string("error: argument \"") + Key + "\" must be an integer from " +
                     std::to_string(Min) + " to " + std::to_string(Max));
  return (*V)->GetInt64();
}

} // namespace

AgentTools::AgentTools(const EvidenceDigest &Digest, const KnobCatalog &Catalog,
                       std::function<std::string()> Measurements)
    : Catalog(Catalog), Measurements(std::move(Measurements)) {
  if (Digest.Ir)
    Ir = std::make_unique<IrAfterPass>(*Digest.Ir);
  auto Doc = parseJsonText(Digest.toJson(false), "evidence digest");
  if (!Doc || !(*Doc)->IsObject())
    return;
  const rapidjson::Value &D = **Doc;
  if (auto R = D.FindMember("regions"); R != D.MemberEnd() && R->value.IsArray())
    for (const rapidjson::Value &Region : R->value.GetArray()) {
      auto N = Region.FindMember("name");
      if (N == Region.MemberEnd() || !N->value.IsString())
        continue;
      std::string Name = N->value.GetString();
      if (!RegionJson.count(Name))
        Names.push_back(Name);
      RegionJson[Name] = compactJson(Region);
    }
  if (auto P = D.FindMember("passes"); P != D.MemberEnd())
    PassesJson = compactJson(P->value);
}

std::vector<ToolSpec> AgentTools::specs(bool WithIrAfterPass) {
  auto regionArg = [](const char *What) {
    return std::string(R"({"type":"object","properties":{"region":{"type":"string","description":")") +
           What + R"("}},"required":["region"]})";
  };
  std::vector<ToolSpec> Specs = {
      {"get_remarks",
       "Optimization remarks for a hot region (function name or loop name FUNCTION:L<i>): "
       "remark counts, inlining decisions with cost and threshold, vectorizer verdicts "
       "with reasons, notable remark messages.",
       regionArg("a region name exactly as the digest gives it")},
      {"get_features",
       "Static features of a region: instruction and block counts, instruction mix, "
       "calls, and for loops depth, trip count, memory access strides.",
       regionArg("a region name exactly as the digest gives it")},
      {"get_pass_deltas",
       "Per-pass effects inside one function (runs, runs that changed it, instruction "
       "delta); the program-wide pass summary when the function has none.",
       R"({"type":"object","properties":{"function":{"type":"string"}},"required":["function"]})"},
      {"get_measurements",
       "Every configuration measured so far in this run: its hash, what it changes, the "
       "speedup over -O3 with its interval, its outcome and the decision taken.",
       R"({"type":"object","properties":{}})"},
      {"get_knob_catalog",
       "The tunable LLVM options: name, type, domain, default and meaning; optionally "
       "only one category.",
       R"({"type":"object","properties":{"category":{"type":"string"}}})"},
  };
  if (WithIrAfterPass)
    Specs.push_back(
        {"ir_after_pass",
         "The LLVM IR of one function right after one pass of the pipeline the evidence was "
         "collected with (-O3), debug info stripped, truncated to max_chars (default 6000). "
         "The pass is a class name as the per-pass records give it (LoopVectorizePass, "
         "InstCombinePass, LICMPass) or a pipeline name (loop-vectorize, instcombine). A "
         "pass that runs several times on the function gives its last run unless occurrence "
         "(1-based) says otherwise. A loop pass shows only the loop. Runs opt: ask for what "
         "you need.",
         R"({"type":"object","properties":{)"
         R"("function":{"type":"string","description":"a function defined in the program, IR name"},)"
         R"("pass":{"type":"string","description":"LoopVectorizePass or loop-vectorize style"},)"
         R"("occurrence":{"type":"integer","minimum":1,"description":"which run of the pass; default the last"},)"
         R"("max_chars":{"type":"integer","minimum":500,"maximum":20000}},)"
         R"("required":["function","pass"]})"});
  return Specs;
}

std::string AgentTools::call(const ToolCall &Call) const {
  if (Call.Name == "get_remarks" || Call.Name == "get_features") {
    auto Region = stringArgument(Call, "region", true);
    if (!Region)
      return Region.message();
    return Call.Name == "get_remarks" ? getRemarks(*Region) : getFeatures(*Region);
  }
  if (Call.Name == "get_pass_deltas") {
    auto Fn = stringArgument(Call, "function", true);
    if (!Fn)
      return Fn.message();
    return getPassDeltas(*Fn);
  }
  if (Call.Name == "get_measurements")
    return Measurements ? Measurements() : "no measurements yet";
  if (Call.Name == "get_knob_catalog") {
    auto Cat = stringArgument(Call, "category", false);
    if (!Cat)
      return Cat.message();
    return getKnobCatalog(*Cat);
  }
  if (Call.Name == "ir_after_pass") {
    auto Fn = stringArgument(Call, "function", true);
    if (!Fn)
      return Fn.message();
    auto Pass = stringArgument(Call, "pass", true);
    if (!Pass)
      return Pass.message();
    auto Occurrence = integerArgument(Call, "occurrence", 0, 1, 100000);
    if (!Occurrence)
      return Occurrence.message();
    auto MaxChars = integerArgument(Call, "max_chars", static_cast<int64_t>(DefaultIrChars), 500, 20000);
    if (!MaxChars)
      return MaxChars.message();
    return irAfterPass(*Fn, *Pass, *Occurrence, static_cast<size_t>(*MaxChars));
  }
  return "error: unknown tool '" + Call.Name + "'";
}

std::string AgentTools::regionSubset(const std::string &Region,
                                     std::initializer_list<const char *> Keys) const {
  auto It = RegionJson.find(Region);
  if (It == RegionJson.end())
    return "error: no region named '" + Region + "' in the evidence; known regions: " +
           (Names.empty() ? std::string("none") : join(Names, ", "));
  auto Doc = parseJsonText(It->second, "region");
  if (!Doc)
    return "error: " + Doc.message();
  rapidjson::Document Out;
  Out.SetObject();
  auto &A = Out.GetAllocator();
  for (const char *K : Keys) {
    auto M = (*Doc)->FindMember(K);
    if (M != (*Doc)->MemberEnd())
      Out.AddMember(rapidjson::Value(K, A), rapidjson::Value(M->value, A), A);
  }
  return compactJson(Out);
}

std::string AgentTools::getRemarks(const std::string &Region) const {
  return regionSubset(Region, {"name", "function", "remark_counts", "inlining", "vectorization",
                               "remarks"});
}

std::string AgentTools::getFeatures(const std::string &Region) const {
  return regionSubset(Region, {"name", "kind", "function", "weight", "inclusive_weight",
                               "weight_basis", "features"});
}

std::string AgentTools::getPassDeltas(const std::string &Function) const {
  auto It = RegionJson.find(Function);
  // An empty per-function list says nothing: fall back to the program's.
  if (It != RegionJson.end() && It->second.find("\"pass_effects\"") != std::string::npos &&
      It->second.find("\"pass_effects\":[]") == std::string::npos)
    return regionSubset(Function, {"name", "pass_effects"});
  return "{\"function\":" + [&] {
    rapidjson::Value V(rapidjson::StringRef(Function.data(), Function.size()));
    return compactJson(V);
  }() + ",\"note\":\"no per-function pass records for this function; program-wide summary " +
         "follows\",\"program_passes\":" + (PassesJson.empty() ? "[]" : PassesJson) + "}";
}

std::string AgentTools::irAfterPass(const std::string &Function, const std::string &Pass,
                                    int64_t Occurrence, size_t MaxChars) const {
  if (!Ir)
    return "error: the IR after a pass is not available in this run (the evidence has no "
           "front-end bitcode to rerun the pipeline on)";
  auto Text = Ir->irAfter(Function, Pass, Occurrence, MaxChars);
  return Text ? *Text : Text.message();
}

std::string AgentTools::catalogText(const KnobCatalog &Catalog, const std::string &Category) {
  std::string Out;
  for (const KnobSpec &K : Catalog.knobs()) {
    if (!Category.empty() && K.Category != Category)
      continue;
    Out += "- " + K.Name + " (" + K.domainText();
    if (K.Default)
      Out += ", default " + knobValueText(*K.Default);
    Out += ", " + K.Category + "): " + K.Meaning + "\n";
  }
  return Out;
}

std::string AgentTools::getKnobCatalog(const std::string &Category) const {
  std::string Text = catalogText(Catalog, Category);
  if (Text.empty())
    return "error: no knobs in category '" + Category + "'; categories: " +
           join(Catalog.categories(), ", ");
  return Text;
}

std::string AgentTools::inlineEvidence(size_t MaxBytes) const {
  std::string Out = "{\"regions\":[";
  bool First = true;
  for (const std::string &N : Names) {
    const std::string &R = RegionJson.at(N);
    if (Out.size() + R.size() + 64 > MaxBytes)
      break;
    Out += (First ? "" : ",") + R;
    First = false;
  }
  Out += "]";
  if (!PassesJson.empty() && Out.size() + PassesJson.size() + 32 <= MaxBytes)
    Out += ",\"passes\":" + PassesJson;
  return Out + "}";
}

} // namespace autopass
