//===- search/GainLineage.cpp - Where a configuration's gain came from -----===//

#include "search/GainLineage.hpp"

#include "util/Json.hpp"

#include <cmath>

namespace autopass {

const char *gainOriginName(GainOriginKind K) {
  switch (K) {
  case GainOriginKind::Evidence:
    return "evidence";
  case GainOriginKind::Exploration:
    return "exploration";
  case GainOriginKind::Llm:
    return "llm";
  case GainOriginKind::Other:
    return "other";
  }
  return "other";
}

GainOriginKind originOfRule(const std::string &Rule) {
  if (Rule == "explore" || Rule == "search")
    return GainOriginKind::Exploration;
  if (Rule.rfind("llm", 0) == 0)
    return GainOriginKind::Llm;
  if (Rule.empty() || Rule == "external" || Rule == "unknown")
    return GainOriginKind::Other;
  // The table's rules and the expert's own follow-ups of them ("refine",
  // "retry-unimplicated") act on what the evidence showed.
  return GainOriginKind::Evidence;
}

void writeLineage(JsonOut &J, const std::vector<GainStep> &Steps) {
  J.key("lineage").beginArray();
  for (const GainStep &S : Steps)
    J.beginObject()
        .field("rule", S.Rule)
        .field("idea", S.Idea)
        .field("from", S.From)
        .field("to", S.To)
        .endObject();
  J.endArray();
}

namespace {

bool positiveRatio(const rapidjson::Value &V) {
  return V.IsNumber() && std::isfinite(V.GetDouble()) && V.GetDouble() > 0;
}

Result<std::vector<GainStep>> readLineage(const rapidjson::Value &Meta) {
  std::vector<GainStep> Out;
  if (!Meta.HasMember("lineage"))
    return Out;
  const rapidjson::Value &L = Meta["lineage"];
  if (!L.IsArray())
    return makeError("meta: lineage: expected an array");
  for (rapidjson::SizeType I = 0; I < L.Size(); ++I) {
    const rapidjson::Value &S = L[I];
    std::string Where = "meta: lineage[" + std::to_string(I) + "]";
    if (!S.IsObject() || !S.HasMember("rule") || !S["rule"].IsString() ||
        !S.HasMember("from") || !positiveRatio(S["from"]) || !S.HasMember("to") ||
        !positiveRatio(S["to"]))
      return makeError(Where + ": expected {\"rule\": string, \"from\": ratio > 0, \"to\": ratio > 0}");
    GainStep G;
    G.Rule = S["rule"].GetString();
    if (S.HasMember("idea") && S["idea"].IsString())
      G.Idea = S["idea"].GetString();
    G.From = S["from"].GetDouble();
    G.To = S["to"].GetDouble();
    Out.push_back(std::move(G));
  }
  return Out;
}

/// The candidate's own step, from its meta (or its strategy, without one).
GainStep ownStep(const rapidjson::Value *Meta, const std::string &Strategy, double Speedup) {
  GainStep Own;
  Own.To = Speedup;
  if (Meta && Meta->HasMember("rule") && (*Meta)["rule"].IsString())
    Own.Rule = (*Meta)["rule"].GetString();
  else if (Meta && Meta->HasMember("origin") && (*Meta)["origin"].IsString() &&
           std::string((*Meta)["origin"].GetString()) == "llm")
    Own.Rule = "llm";
  else if (Strategy == "random" || Strategy == "greedy" || Strategy == "genetic")
    Own.Rule = "search";
  if (Meta && Meta->HasMember("idea") && (*Meta)["idea"].IsString())
    Own.Idea = (*Meta)["idea"].GetString();
  if (Meta && Meta->HasMember("parent_speedup") && positiveRatio((*Meta)["parent_speedup"]))
    Own.From = (*Meta)["parent_speedup"].GetDouble();
  return Own;
}

} // namespace

Result<GainOrigin> gainOrigin(const std::string &MetaJson, const std::string &Strategy,
                              double SearchSpeedup) {
  GainOrigin G;
  rapidjson::Document Meta;
  const rapidjson::Value *M = nullptr;
  if (!MetaJson.empty()) {
    if (Status S = parseJsonInto(Meta, MetaJson, "meta"); !S)
      return S.error();
    if (!Meta.IsObject())
      return makeError("meta: expected an object");
    M = &Meta;
    auto Steps = readLineage(Meta);
    if (!Steps)
      return Steps.error();
    G.Steps = std::move(*Steps);
  }
  G.Steps.push_back(ownStep(M, Strategy, SearchSpeedup));

  double Total = 0;
  for (const GainStep &S : G.Steps)
    Total += std::max(0.0, std::log(S.To / S.From));
  if (Total <= 0)
    return G;
  for (const GainStep &S : G.Steps) {
    double Share = std::max(0.0, std::log(S.To / S.From)) / Total;
    switch (originOfRule(S.Rule)) {
    case GainOriginKind::Evidence:
      G.Evidence += Share;
      break;
    case GainOriginKind::Exploration:
      G.Exploration += Share;
      break;
    case GainOriginKind::Llm:
      G.Llm += Share;
      break;
    case GainOriginKind::Other:
      G.Other += Share;
      break;
    }
  }
  return G;
}

std::string gainOriginJson(const GainOrigin &G) {
  JsonOut J;
  J.beginObject()
      .field("evidence", G.Evidence)
      .field("exploration", G.Exploration)
      .field("llm", G.Llm)
      .field("other", G.Other);
  J.key("steps").beginArray();
  for (const GainStep &S : G.Steps)
    J.beginObject()
        .field("rule", S.Rule)
        .field("origin", std::string(gainOriginName(originOfRule(S.Rule))))
        .field("idea", S.Idea)
        .field("from", S.From)
        .field("to", S.To)
        .endObject();
  J.endArray();
  J.endObject();
  return J.str();
}

} // namespace autopass
