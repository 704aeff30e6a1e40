//===- agents/AgentTools.cpp - What the LLM agents may look up ------------===//

#include "agents/AgentTools.hpp"

#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace autopass {

namespace {

std::string compact(const rapidjson::Value &V) {
  rapidjson::StringBuffer B;
  rapidjson::Writer<rapidjson::StringBuffer> W(B);
  V.Accept(W);
  return B.GetString();
}

/// The string argument Key of a call, or an error text for the model.
Result<std::string> stringArgument(const ToolCall &Call, const char *Key, bool Required) {
  std::string_view Args = trim(Call.ArgumentsJson);
  if (Args.empty())
    Args = "{}";
  auto Doc = parseJsonText(Args, "arguments of " + Call.Name);
  if (!Doc)
    return makeError("error: the arguments are not JSON (" + Doc.message() + ")");
  if (!(*Doc)->IsObject())
    return makeError("error: the arguments must be a JSON object");
  auto It = (*Doc)->FindMember(Key);
  if (It == (*Doc)->MemberEnd() || It->value.IsNull()) {
    if (Required)
      return makeError(std::string("error: missing string argument \"") + Key + "\"");
    return std::string();
  }
  if (!It->value.IsString())
    return makeError(std::string("error: argument \"") + Key + "\" must be a string");
  return std::string(It->value.GetString());
}

} // namespace

AgentTools::AgentTools(const EvidenceDigest &Digest, const KnobCatalog &Catalog,
                       std::function<std::string()> Measurements)
    : Catalog(Catalog), Measurements(std::move(Measurements)) {
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
      RegionJson[Name] = compact(Region);
    }
  if (auto P = D.FindMember("passes"); P != D.MemberEnd())
    PassesJson = compact(P->value);
}

std::vector<ToolSpec> AgentTools::specs() {
  auto regionArg = [](const char *What) {
    return std::string(R"({"type":"object","properties":{"region":{"type":"string","description":")") +
           What + R"("}},"required":["region"]})";
  };
  return {
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
  return compact(Out);
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
    return compact(V);
  }() + ",\"note\":\"no per-function pass records for this function; program-wide summary " +
         "follows\",\"program_passes\":" + (PassesJson.empty() ? "[]" : PassesJson) + "}";
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
