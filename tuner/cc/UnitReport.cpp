//===- cc/UnitReport.cpp - Which hints matched in which unit --------------===//
#include "cc/UnitReport.hpp"

#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <map>
#include <set>

namespace autopass {

namespace {

/// Reads [{"kind":..,"name":..,("reason":..)}] arrays; Path names the field.
Status readHintArray(const rapidjson::Value &Doc, const char *Key, const std::string &Source,
                     bool WithReason, std::vector<UnmatchedHint> &Out) {
  auto It = Doc.FindMember(Key);
  if (It == Doc.MemberEnd() || !It->value.IsArray())
    return makeError(Source + ": field " + Key + ": expected an array of hints");
  size_t Index = 0;
  for (const auto &E : It->value.GetArray()) {
    std::string Where = Source + ": field " + Key + "[" + std::to_string(Index++) + "]";
    if (!E.IsObject())
      return makeError(Where + ": expected an object");
    auto Kind = E.FindMember("kind");
    auto Name = E.FindMember("name");
    if (Kind == E.MemberEnd() || !Kind->value.IsString() || Name == E.MemberEnd() ||
        !Name->value.IsString())
      return makeError(Where + ": expected string fields \"kind\" and \"name\"");
    UnmatchedHint H{{Kind->value.GetString(), Name->value.GetString()}, ""};
    if (WithReason) {
      auto Reason = E.FindMember("reason");
      if (Reason == E.MemberEnd() || !Reason->value.IsString())
        return makeError(Where + ": expected a string field \"reason\"");
      H.Reason = Reason->value.GetString();
    }
    Out.push_back(std::move(H));
  }
  return success();
}

std::string stringMember(const rapidjson::Value &Doc, const char *Key) {
  auto It = Doc.FindMember(Key);
  return It != Doc.MemberEnd() && It->value.IsString() ? It->value.GetString() : "";
}

/// The plugin's reasons speak of "this module"; at link the subject is the
/// whole program.
bool isNotDefinedReason(const std::string &Reason) {
  return Reason.find("is not defined in this module") != std::string::npos;
}

/// What a unit must define for the hint to match: "function 'f'" for loop
/// and function hints, "caller 'f'" for call hints.
std::string definedSubject(const HintName &H) {
  if (H.Kind == "loop")
    return "function '" + H.Name.substr(0, H.Name.rfind(":L")) + "'";
  if (H.Kind == "call")
    return "caller '" + H.Name.substr(0, H.Name.find("->")) + "'";
  return "function '" + H.Name + "'";
}

} // namespace

std::vector<HintName> hintNames(const CandidateConfig &Config) {
  std::vector<HintName> Names;
  for (const auto &Entry : Config.Loops)
    Names.push_back({"loop", Entry.first});
  for (const auto &Entry : Config.Functions)
    Names.push_back({"function", Entry.first});
  for (const CallHint &C : Config.Calls) {
    std::string Name = C.Caller + "->" + C.Callee;
    if (C.Index)
      Name += "#" + std::to_string(*C.Index);
    Names.push_back({"call", Name});
  }
  return Names;
}

std::string UnitReport::toJson() const {
  JsonOut J;
  J.beginObject();
  J.field("schema", Schema);
  J.field("config", ConfigPath);
  J.field("config_hash", ConfigHash);
  J.field("source", Source);
  J.field("route", Route);
  J.key("matched").beginArray();
  for (const HintName &H : Matched)
    J.beginObject().field("kind", H.Kind).field("name", H.Name).endObject();
  J.endArray();
  J.key("unmatched").beginArray();
  for (const UnmatchedHint &U : Unmatched)
    J.beginObject()
        .field("kind", U.Hint.Kind)
        .field("name", U.Hint.Name)
        .field("reason", U.Reason)
        .endObject();
  J.endArray();
  J.endObject();
  return prettyJson(J.str()) + "\n";
}

Result<UnitReport> UnitReport::parse(const std::string &Text, const std::string &SourceName) {
  auto Doc = parseJsonText(Text, SourceName);
  if (!Doc)
    return Doc.error();
  const rapidjson::Value &D = **Doc;
  if (!D.IsObject())
    return makeError(SourceName + ": expected an object");
  if (stringMember(D, "schema") != Schema)
    return makeError(SourceName + ": field schema: expected \"" + Schema + "\"");
  UnitReport R;
  R.ConfigPath = stringMember(D, "config");
  R.ConfigHash = stringMember(D, "config_hash");
  R.Source = stringMember(D, "source");
  R.Route = stringMember(D, "route");
  if (R.ConfigHash.empty())
    return makeError(SourceName + ": field config_hash: expected a non-empty string");
  std::vector<UnmatchedHint> Matched;
  if (Status S = readHintArray(D, "matched", SourceName, false, Matched); !S)
    return S.error();
  for (auto &M : Matched)
    R.Matched.push_back(std::move(M.Hint));
  if (Status S = readHintArray(D, "unmatched", SourceName, true, R.Unmatched); !S)
    return S.error();
  return R;
}

Result<UnitReport> UnitReport::load(const std::string &Path) {
  auto Text = readFile(Path);
  if (!Text)
    return Text.error();
  return parse(*Text, Path);
}

std::string unitReportPathFor(const std::string &Output) { return Output + ".autopass.json"; }

SplitDiagnostics splitHintWarnings(const std::string &Stderr, const std::string &ConfigPath) {
  SplitDiagnostics Out;
  const std::string Prefix = "autopass: warning: " + ConfigPath + ": ";
  const std::string Middle = " hint '";
  const std::string Matched = "' matched nothing: ";
  size_t Pos = 0;
  while (Pos < Stderr.size()) {
    size_t End = Stderr.find('\n', Pos);
    size_t Next = End == std::string::npos ? Stderr.size() : End + 1;
    std::string Line = Stderr.substr(Pos, (End == std::string::npos ? Stderr.size() : End) - Pos);
    Pos = Next;
    if (startsWith(Line, Prefix)) {
      std::string Body = Line.substr(Prefix.size());
      size_t KindEnd = Body.find(Middle);
      size_t NameEnd = Body.rfind(Matched);
      if (KindEnd != std::string::npos && NameEnd != std::string::npos &&
          NameEnd > KindEnd + Middle.size()) {
        std::string Kind = Body.substr(0, KindEnd);
        if (Kind == "loop" || Kind == "function" || Kind == "call") {
          size_t NameStart = KindEnd + Middle.size();
          Out.Unmatched.push_back({{Kind, Body.substr(NameStart, NameEnd - NameStart)},
                                   Body.substr(NameEnd + Matched.size())});
          continue;
        }
      }
    }
    Out.Rest += Line;
    if (End != std::string::npos)
      Out.Rest += '\n';
  }
  return Out;
}

Status readHintsReport(const std::string &Path, UnitReport &Report) {
  auto Doc = parseJsonFile(Path);
  if (!Doc)
    return Doc.error();
  const rapidjson::Value &D = **Doc;
  if (!D.IsObject() || stringMember(D, "schema") != "autopass-hints-report/1")
    return makeError(Path + ": field schema: expected \"autopass-hints-report/1\"");
  // Applied call entries carry caller/callee/index instead of a name.
  auto Applied = D.FindMember("applied");
  if (Applied == D.MemberEnd() || !Applied->value.IsArray())
    return makeError(Path + ": field applied: expected an array");
  for (const auto &E : Applied->value.GetArray()) {
    if (!E.IsObject())
      return makeError(Path + ": field applied: expected objects");
    std::string Kind = stringMember(E, "kind");
    std::string Name = stringMember(E, "name");
    if (Kind == "call") {
      Name = stringMember(E, "caller") + "->" + stringMember(E, "callee");
      auto Index = E.FindMember("index");
      if (Index != E.MemberEnd() && Index->value.IsInt64())
        Name += "#" + std::to_string(Index->value.GetInt64());
    }
    Report.Matched.push_back({Kind, Name});
  }
  return readHintArray(D, "unmatched", Path, true, Report.Unmatched);
}

void completeMatched(const CandidateConfig &Config, UnitReport &Report) {
  std::set<HintName> Missed;
  for (const UnmatchedHint &U : Report.Unmatched)
    Missed.insert(U.Hint);
  Report.Matched.clear();
  for (const HintName &H : hintNames(Config))
    if (!Missed.count(H))
      Report.Matched.push_back(H);
}

std::vector<std::string> unmatchedAtLink(const CandidateConfig &Config,
                                         const std::string &ConfigPath,
                                         const std::vector<UnitReport> &Units,
                                         const std::vector<std::string> &Unknown,
                                         const std::string &Output) {
  std::vector<std::string> Messages;
  if (Units.empty())
    return Messages;
  std::set<HintName> Matched;
  // The most telling reason per hint: one from a unit that defines the
  // function (a loop index out of range, no such call) beats "not defined".
  std::map<HintName, std::string> Reasons;
  for (const UnitReport &U : Units) {
    Matched.insert(U.Matched.begin(), U.Matched.end());
    for (const UnmatchedHint &H : U.Unmatched) {
      auto It = Reasons.find(H.Hint);
      if (It == Reasons.end() || (isNotDefinedReason(It->second) && !isNotDefinedReason(H.Reason)))
        Reasons[H.Hint] =
            isNotDefinedReason(H.Reason) ? H.Reason : fileName(U.Source) + ": " + H.Reason;
    }
  }
  std::string Target = Output.empty() ? "the output" : Output;
  for (const HintName &H : hintNames(Config)) {
    if (Matched.count(H))
      continue;
    std::string Reason = Reasons.count(H) ? Reasons[H] : "no unit reported it";
    if (isNotDefinedReason(Reason))
      Reason = "no unit defines " + definedSubject(H);
    std::string M = "autopass-cc: warning: " + ConfigPath + ": " + H.Kind + " hint '" + H.Name +
                    "' matched nothing in the " + std::to_string(Units.size()) +
                    " unit(s) linked into " + Target + ": " + Reason;
    if (!Unknown.empty())
      M += " (not known for " + std::to_string(Unknown.size()) +
           " input(s) not compiled by autopass-cc with this configuration: " + join(Unknown, ", ") +
           ")";
    Messages.push_back(std::move(M));
  }
  return Messages;
}

} // namespace autopass
