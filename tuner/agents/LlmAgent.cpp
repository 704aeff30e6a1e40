//===- agents/LlmAgent.cpp - The LLM agents as a search strategy ----------===//

#include "agents/LlmAgent.hpp"

#include "search/ConfigPolicy.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

namespace autopass {

namespace {

/// The JSON object of a reply: models often wrap it in a ```json fence or a
/// sentence, so the text from the first '{' to the last '}' is parsed.
Result<std::shared_ptr<rapidjson::Document>> replyObject(const std::string &Content) {
  size_t Open = Content.find('{');
  size_t Close = Content.rfind('}');
  if (Open == std::string::npos || Close == std::string::npos || Close < Open)
    return makeError("the reply holds no JSON object");
  auto Doc = parseJsonText(std::string_view(Content).substr(Open, Close - Open + 1), "the reply");
  if (!Doc)
    return Doc.error();
  if (!(*Doc)->IsObject())
    return makeError("the reply is not a JSON object");
  return Doc;
}

/// Members[Key] as a non-empty string, or an error naming Path.Key.
Result<std::string> requiredString(const rapidjson::Value &Obj, const char *Key,
                                   const std::string &Path) {
  auto It = Obj.FindMember(Key);
  if (It == Obj.MemberEnd() || !It->value.IsString() || trim(It->value.GetString()).empty())
    return makeError(Path + "." + Key + ": expected a non-empty string");
  return std::string(It->value.GetString());
}

Result<const rapidjson::Value *> requiredArray(const rapidjson::Value &Obj, const char *Key) {
  auto It = Obj.FindMember(Key);
  if (It == Obj.MemberEnd() || !It->value.IsArray())
    return makeError(std::string("\"") + Key + "\": expected an array");
  return &It->value;
}

std::string outcomeText(const Observation &O) {
  if (O.ok())
    return "ok, speedup " + formatFixed(O.Speedup) + " [" + formatFixed(O.Lo) + ", " + formatFixed(O.Hi) + "]";
  return std::string(outcomeName(O.Kind)) + (O.Reason.empty() ? "" : ": " + O.Reason.substr(0, 200));
}

/// The config without meta, compact: what the model sees and compares.
std::string withoutMeta(CandidateConfig C) {
  C.MetaJson.clear();
  return C.toJson(false);
}

} // namespace

const char *LlmAgent::hotspotSchema() {
  return R"({"regions":[{"name":"<a region name exactly as the digest gives it>","reason":"<why it is worth tuning>"}]}
The array is ranked, most promising first, and holds at least one region.)";
}

const char *LlmAgent::analysisSchema() {
  return R"({"bottlenecks":[{"region":"<a region name from the digest>","bottleneck":"<what limits it>","evidence":"<what in the evidence shows it>","falsified_by":"<what would show it wrong>"}]}
At least one bottleneck.)";
}

const char *LlmAgent::planningSchema() {
  return R"({"proposals":[{"config":{"knobs":{"<knob>":<value>},"pipeline":"<optional>","hints":{"loops":{"<FUNCTION:L<i>>":{"unroll":4}},"functions":{"<function>":{"inline":"always"}},"calls":[{"caller":"<f>","callee":"<g>","inline":"always"}]}},"rationale":"<one sentence tied to the evidence>"}]}
Each config is the complete autopass-config/1 document to build (the "schema" field may be left out): copy the base's settings you want to keep. Leave out layers you do not change. Knob names must come from the catalog, loop and function names from the evidence.)";
}

const char *LlmAgent::evaluationSchema() {
  return R"({"decisions":[{"config":"<the candidate's short hash>","action":"keep|rollback","reason":"<the evidence for the decision>"}]}
Exactly one decision per candidate. Only a candidate that ran correctly can be kept; the best kept candidate becomes the new base.)";
}

Result<std::unique_ptr<LlmAgent>> LlmAgent::create(const SearchSpace &Space, EvidenceDigest Digest,
                                                   std::unique_ptr<LlmClient> Client,
                                                   LlmAgentOptions Options) {
  if (!Client)
    return makeError("the llm strategy needs an LLM client");
  std::string Dir = Options.PromptsDir;
  if (Dir.empty()) {
    auto Found = findPromptsDirectory();
    if (!Found)
      return Found.error();
    Dir = *Found;
  }
  auto Prompts = PromptSet::load(Dir);
  if (!Prompts)
    return Prompts.error();
  // Check every template's placeholders now, not in the middle of a run.
  const std::vector<std::pair<const char *, const std::string *>> Roles = {
      {"system.txt", &Prompts->System},     {"hotspot.txt", &Prompts->Hotspot},
      {"analysis.txt", &Prompts->Analysis}, {"planning.txt", &Prompts->Planning},
      {"evaluation.txt", &Prompts->Evaluation}};
  const std::map<std::string, std::set<std::string>> Allowed = {
      {"system.txt", {"program"}},
      {"hotspot.txt", {"program", "digest", "knobs", "schema"}},
      {"analysis.txt", {"program", "digest", "knobs", "schema"}},
      {"planning.txt", {"program", "digest", "analysis", "history", "knobs", "schema", "count", "base"}},
      {"evaluation.txt", {"program", "analysis", "parent", "candidate", "delta", "schema", "history"}}};
  for (const auto &[File, Text] : Roles)
    for (const std::string &P : templatePlaceholders(*Text))
      if (!Allowed.at(File).count(P))
        return makeError(Dir + "/" + File + ": placeholder {{" + P +
                         "}} is not one the tuner fills for this role (see prompts/README.md)");
  return std::unique_ptr<LlmAgent>(new LlmAgent(Space, std::move(Digest), std::move(Client),
                                                std::move(Options), std::move(*Prompts)));
}

LlmAgent::LlmAgent(const SearchSpace &Space, EvidenceDigest DigestIn,
                   std::unique_ptr<LlmClient> ClientIn, LlmAgentOptions OptionsIn,
                   PromptSet PromptsIn)
    : Space(Space), Digest(std::move(DigestIn)), Client(std::move(ClientIn)),
      Options(std::move(OptionsIn)), Prompts(std::move(PromptsIn)),
      Tools(Digest, Space.catalog(), [this] { return historyText(); }) {
  if (Options.Program.empty())
    Options.Program = Digest.Program.empty() ? "(unnamed program)" : Digest.Program;
}

Status LlmAgent::ask(const std::string &Role, std::string UserText,
                     const std::function<Status(const std::string &)> &Validate) {
  bool UseTools = Client->toolsSupported() && !Client->settings().NoTools;
  if (!UseTools)
    UserText += "\n\nThe lookup tools are not available on this server; this is the evidence "
                "they would return (JSON):\n" +
                Tools.inlineEvidence(Options.InlineEvidenceBytes) +
                "\nReply with the JSON object only.";
  auto System = fillTemplate(Prompts.System, {{"program", Options.Program}},
                             Prompts.Directory + "/system.txt");
  if (!System)
    return System.error();

  ChatRequest Request;
  Request.Messages.push_back(ChatMessage::system(*System));
  Request.Messages.push_back(ChatMessage::user(std::move(UserText)));
  Request.JsonResponse = true;
  RepairPolicy Policy;
  Policy.MaxRepairs = Options.MaxRepairs;
  Policy.MaxToolRounds = Options.MaxToolRounds;
  if (UseTools) {
    Request.Tools = AgentTools::specs(Tools.hasIrAfterPass());
    Policy.Tools = [this](const ToolCall &Call) { return Tools.call(Call); };
  }
  bool InlinedAfterDrop = false;
  auto Accept = [&](const ChatReply &Reply) -> Status {
    Status S = Validate(Reply.Content);
    if (S || !Reply.ToolsDropped || InlinedAfterDrop)
      return S;
    // The server refused tools mid-call: hand the evidence over in the
    // repair message instead.
    InlinedAfterDrop = true;
    return makeError(S.message() +
                     "\nThe lookup tools are not available on this server; this is the "
                     "evidence they would return (JSON):\n" +
                     Tools.inlineEvidence(Options.InlineEvidenceBytes));
  };
  RepairOutcome Outcome;
  ++Calls;
  Status S = chatUntilValidImpl(*Client, std::move(Request), Accept, Policy, &Outcome);
  Repairs += static_cast<int>(std::min<size_t>(Outcome.Errors.size(),
                                               static_cast<size_t>(Options.MaxRepairs)));
  if (!S) {
    ++FailedCalls;
    return makeError(Role + " agent: " + S.message());
  }
  return success();
}

void LlmAgent::start() {
  Started = true;
  if (Digest.Regions.empty()) {
    Notes.push_back("no evidence regions: the hotspot and analysis agents were skipped");
    Analysis = "(no evidence was collected for this program)";
    return;
  }
  const std::set<std::string> Known(Tools.regionNames().begin(), Tools.regionNames().end());
  std::string Digested = Digest.toText(Options.DigestBytes);
  std::string Knobs = AgentTools::catalogText(Space.catalog());

  // Hotspot: rank the regions.
  auto Text = fillTemplate(Prompts.Hotspot,
                           {{"program", Options.Program},
                            {"digest", Digested},
                            {"knobs", Knobs},
                            {"schema", hotspotSchema()}},
                           "hotspot.txt");
  std::vector<std::pair<std::string, std::string>> Ranked;
  Status S = Text ? ask("hotspot", *Text,
                        [&](const std::string &Content) -> Status {
                          auto Doc = replyObject(Content);
                          if (!Doc)
                            return Doc.error();
                          auto Arr = requiredArray(**Doc, "regions");
                          if (!Arr)
                            return Arr.error();
                          std::vector<std::pair<std::string, std::string>> Out;
                          for (rapidjson::SizeType I = 0; I < (*Arr)->Size(); ++I) {
                            const auto &R = (**Arr)[I];
                            std::string Path = "regions[" + std::to_string(I) + "]";
                            if (!R.IsObject())
                              return makeError(Path + ": expected an object");
                            auto Name = requiredString(R, "name", Path);
                            if (!Name)
                              return Name.error();
                            if (!Known.count(*Name))
                              return makeError(Path + ".name: no region named \"" + *Name +
                                               "\" in the evidence; known regions: " +
                                               join(Tools.regionNames(), ", "));
                            auto Reason = requiredString(R, "reason", Path);
                            if (!Reason)
                              return Reason.error();
                            Out.emplace_back(*Name, *Reason);
                          }
                          if (Out.empty())
                            return makeError("\"regions\": expected at least one region");
                          Ranked = std::move(Out);
                          return success();
                        })
                  : Status(Text.error());
  if (S) {
    for (const auto &[Name, Reason] : Ranked) {
      HotRegions.push_back(Name);
      HotspotText += "- " + Name + ": " + Reason + "\n";
    }
  } else {
    Notes.push_back(S.message() + "; every digest region is analysed instead");
    HotRegions = Tools.regionNames();
    HotspotText = "(the hotspot agent failed; all regions of the digest follow)\n";
  }

  // Analysis: bottlenecks of the selected regions.
  Text = fillTemplate(Prompts.Analysis,
                      {{"program", Options.Program},
                       {"digest", HotspotText + "\n" + Digested},
                       {"knobs", Knobs},
                       {"schema", analysisSchema()}},
                      "analysis.txt");
  std::string Found;
  S = Text ? ask("analysis", *Text,
                 [&](const std::string &Content) -> Status {
                   auto Doc = replyObject(Content);
                   if (!Doc)
                     return Doc.error();
                   auto Arr = requiredArray(**Doc, "bottlenecks");
                   if (!Arr)
                     return Arr.error();
                   std::string Out;
                   for (rapidjson::SizeType I = 0; I < (*Arr)->Size(); ++I) {
                     const auto &B = (**Arr)[I];
                     std::string Path = "bottlenecks[" + std::to_string(I) + "]";
                     if (!B.IsObject())
                       return makeError(Path + ": expected an object");
                     auto Region = requiredString(B, "region", Path);
                     if (!Region)
                       return Region.error();
                     if (!Known.count(*Region))
                       return makeError(Path + ".region: no region named \"" + *Region +
                                        "\" in the evidence; known regions: " +
                                        join(Tools.regionNames(), ", "));
                     auto What = requiredString(B, "bottleneck", Path);
                     if (!What)
                       return What.error();
                     Out += "- " + *Region + ": " + *What;
                     auto Ev = B.FindMember("evidence");
                     if (Ev != B.MemberEnd() && Ev->value.IsString())
                       Out += " (evidence: " + std::string(Ev->value.GetString()) + ")";
                     Out += "\n";
                   }
                   if (Out.empty())
                     return makeError("\"bottlenecks\": expected at least one entry");
                   Found = std::move(Out);
                   return success();
                 })
           : Status(Text.error());
  if (S) {
    Analysis = Found;
  } else {
    Notes.push_back(S.message());
    Analysis = "(the analysis agent failed; plan from the evidence)";
  }
}

std::string LlmAgent::configText(const CandidateConfig &C) const {
  return C.isIdentity() ? std::string("{} (plain -O3)") : withoutMeta(C);
}

std::string LlmAgent::historyText() const {
  std::string Out = "base: " + BaseHash + " speedup " + formatFixed(BaseSpeedup) + " config " +
                    configText(Base) + "\n";
  if (Log.empty())
    return Out + "(nothing measured yet)\n";
  for (const Measured &M : Log)
    Out += "- " + M.Hash + " " + M.Outcome + "; decision: " + M.Decision + "; config " +
           M.Changes + "\n";
  return Out;
}

Result<std::vector<LlmAgent::Proposal>>
LlmAgent::validatePlanning(const std::string &Content, size_t Count,
                           std::vector<Proposal> &Salvage) const {
  Salvage.clear();
  auto Doc = replyObject(Content);
  if (!Doc)
    return Doc.error();
  auto Arr = requiredArray(**Doc, "proposals");
  if (!Arr)
    return Arr.error();
  std::set<std::string> Loops, Functions, ThisReply;
  for (const LoopSite &L : Space.options().Loops)
    Loops.insert(L.LoopName);
  Functions.insert(Space.options().Functions.begin(), Space.options().Functions.end());
  auto knownList = [](const std::set<std::string> &S) {
    return S.empty() ? std::string("none") : join(std::vector<std::string>(S.begin(), S.end()), ", ");
  };

  std::vector<std::string> Errors;
  std::vector<Proposal> Valid;
  for (rapidjson::SizeType I = 0; I < (*Arr)->Size() && I < Count; ++I) {
    const rapidjson::Value &P = (**Arr)[I];
    std::string Path = "proposals[" + std::to_string(I) + "]";
    if (!P.IsObject()) {
      Errors.push_back(Path + ": expected an object");
      continue;
    }
    auto CfgIt = P.FindMember("config");
    if (CfgIt == P.MemberEnd() || !CfgIt->value.IsObject()) {
      Errors.push_back(Path + ".config: expected an object");
      continue;
    }
    auto Rationale = requiredString(P, "rationale", Path);
    if (!Rationale) {
      Errors.push_back(Rationale.message());
      continue;
    }
    // The model may leave out "schema" and may add meta; ours replaces it.
    rapidjson::Document Cfg;
    Cfg.CopyFrom(CfgIt->value, Cfg.GetAllocator());
    Cfg.RemoveMember("meta");
    if (!Cfg.HasMember("schema"))
      Cfg.AddMember("schema", "autopass-config/1", Cfg.GetAllocator());
    auto C = CandidateConfig::parse(compactJson(Cfg), Path + ".config");
    if (!C) {
      Errors.push_back(C.message());
      continue;
    }
    if (Status K = checkConfigAllowed(*C, Space.catalog()); !K) {
      Errors.push_back(Path + ".config: " + K.message() +
                       " (only knobs of the catalog in the prompt exist; passes that write "
                       "files or print are refused)");
      continue;
    }
    std::vector<std::string> NameErrors;
    for (const auto &[Name, H] : C->Loops)
      if (!Loops.count(Name))
        NameErrors.push_back(Path + ".config.hints.loops[\"" + Name + "\"]: no loop named \"" +
                             Name + "\" in this program; known loops: " + knownList(Loops));
    for (const auto &[Name, H] : C->Functions)
      if (!Functions.count(Name))
        NameErrors.push_back(Path + ".config.hints.functions[\"" + Name +
                             "\"]: no function named \"" + Name +
                             "\" among the program's hot functions; known: " +
                             knownList(Functions));
    for (const CallHint &Call : C->Calls)
      if (!Functions.count(Call.Caller))
        NameErrors.push_back(Path + ".config.hints.calls: caller \"" + Call.Caller +
                             "\" is not among the program's hot functions; known: " +
                             knownList(Functions));
    if (!NameErrors.empty()) {
      Errors.push_back(join(NameErrors, "; "));
      continue;
    }
    if (C->Pipeline && Space.options().PipelineAccepted &&
        !Space.options().PipelineAccepted(*C->Pipeline)) {
      Errors.push_back(Path + ".config.pipeline: opt rejects this pipeline text");
      continue;
    }
    if (C->isIdentity()) {
      Errors.push_back(Path + ".config: changes nothing (plain -O3 is measured anyway)");
      continue;
    }
    std::string Hash = C->contentHash();
    if (History.seen(Hash) || InFlight.count(Hash) || ThisReply.count(Hash)) {
      Errors.push_back(Path + ".config: configuration " + C->shortHash() +
                       " was already proposed or measured; propose a different one");
      continue;
    }
    if (History.isTabu(Hash)) {
      Errors.push_back(Path + ".config: configuration " + C->shortHash() + " failed before");
      continue;
    }
    ThisReply.insert(Hash);
    Valid.push_back({std::move(*C), *Rationale});
  }
  Salvage = Valid;
  if (!Errors.empty())
    return makeError(join(Errors, "; "));
  if (Valid.empty())
    return makeError("\"proposals\": expected at least one proposal");
  return Valid;
}

std::vector<CandidateConfig> LlmAgent::propose(size_t Count) {
  std::vector<CandidateConfig> Out;
  ProposeFailure.clear();
  if (Count == 0)
    return Out;
  if (!Started)
    start();
  auto Text = fillTemplate(Prompts.Planning,
                           {{"program", Options.Program},
                            {"digest", Digest.toText(Options.DigestBytes)},
                            {"analysis", Analysis},
                            {"history", historyText()},
                            {"base", BaseHash + " " + configText(Base)},
                            {"knobs", AgentTools::catalogText(Space.catalog())},
                            {"count", std::to_string(Count)},
                            {"schema", planningSchema()}},
                           "planning.txt");
  std::vector<Proposal> Accepted, Salvage;
  Status S = Text ? ask("planning", *Text,
                        [&](const std::string &Content) -> Status {
                          auto V = validatePlanning(Content, Count, Salvage);
                          if (!V)
                            return V.error();
                          Accepted = std::move(*V);
                          return success();
                        })
                  : Status(Text.error());
  if (!S) {
    ++FailedProposals;
    Notes.push_back(S.message());
    Decisions.push_back({"", "proposal-failed", S.message()});
    // What was valid in the last reply is still worth measuring.
    Accepted = Salvage;
    if (Accepted.empty())
      ProposeFailure = S.message() + " (" + std::to_string(FailedCalls) + " of " +
                       std::to_string(Calls) + " LLM calls of this run failed)";
  }
  for (Proposal &P : Accepted) {
    JsonOut Meta;
    // "idea" is what the run's progress lines and reports show per step.
    std::string Idea = P.Rationale.size() > 80 ? P.Rationale.substr(0, 77) + "..." : P.Rationale;
    Meta.beginObject()
        .field("origin", "llm")
        .field("idea", Idea)
        .field("rationale", P.Rationale)
        .endObject();
    P.Config.MetaJson = Meta.str();
    std::string Hash = P.Config.contentHash();
    History.markSeen(Hash);
    Out.push_back(P.Config);
    InFlight[Hash] = std::move(P);
  }
  return Out;
}

std::string LlmAgent::deltaText(const CandidateConfig &C) const {
  std::vector<std::string> Lines;
  for (const auto &[Name, V] : C.Knobs) {
    auto It = Base.Knobs.find(Name);
    if (It == Base.Knobs.end())
      Lines.push_back("knob " + Name + " set to " + knobValueText(V));
    else if (!(It->second == V))
      Lines.push_back("knob " + Name + " " + knobValueText(It->second) + " -> " + knobValueText(V));
  }
  for (const auto &[Name, V] : Base.Knobs)
    if (!C.Knobs.count(Name))
      Lines.push_back("knob " + Name + " reset (was " + knobValueText(V) + ")");
  if (C.Pipeline != Base.Pipeline)
    Lines.push_back("pipeline " + (C.Pipeline ? "set to " + *C.Pipeline : std::string("reset")));
  for (const auto &[Name, H] : C.Loops) {
    auto It = Base.Loops.find(Name);
    if (It == Base.Loops.end() || !(It->second == H))
      Lines.push_back("loop hints of " + Name + " changed");
  }
  for (const auto &[Name, H] : Base.Loops)
    if (!C.Loops.count(Name))
      Lines.push_back("loop hints of " + Name + " removed");
  for (const auto &[Name, H] : C.Functions) {
    auto It = Base.Functions.find(Name);
    if (It == Base.Functions.end() || !(It->second == H))
      Lines.push_back("function hints of " + Name + " changed");
  }
  if (!(C.Calls == Base.Calls))
    Lines.push_back("call-site hints changed");
  if (Lines.empty())
    Lines.push_back("no difference in the configuration");
  return join(Lines, "; ");
}

void LlmAgent::applyRule(const Observation &O, const std::string &Why) {
  // The measured rule the expert uses: keep only what beats the base with
  // confidence.
  bool Keep = O.ok() && O.Lo > std::max(1.0, BaseSpeedup) && O.Speedup > BaseSpeedup;
  std::string Hash = O.Config.shortHash();
  Decisions.push_back({Hash, Keep ? "keep" : "rollback", Why});
  for (Measured &M : Log)
    if (M.Hash == Hash)
      M.Decision = std::string(Keep ? "kept" : "rolled back") + " (" + Why + ")";
  if (Keep) {
    Base = O.Config;
    Base.MetaJson.clear();
    BaseHash = Hash;
    BaseSpeedup = O.Speedup;
  }
}

void LlmAgent::evaluate(const std::vector<Observation> &Ours) {
  // Failed candidates are rolled back without asking: there is nothing to
  // weigh, and a question costs tokens.
  std::vector<const Observation *> Ask;
  for (const Observation &O : Ours) {
    if (O.ok()) {
      Ask.push_back(&O);
      continue;
    }
    History.recordFailure(Space, O.Config, O.Reason);
    applyRule(O, "failed: " + std::string(outcomeName(O.Kind)));
  }
  if (Ask.empty())
    return;

  std::string Candidates, Delta;
  std::map<std::string, const Observation *> ByHash;
  for (const Observation *O : Ask) {
    std::string H = O->Config.shortHash();
    ByHash[H] = O;
    auto P = InFlight.find(O->Config.contentHash());
    Candidates += "- " + H + ": " + outcomeText(*O) + "\n  config " + configText(O->Config) +
                  "\n  rationale: " + (P != InFlight.end() ? P->second.Rationale : "") + "\n";
    Delta += "- " + H + ": " + deltaText(O->Config) + "\n";
    if (DiffSource) {
      auto Diff = DiffSource(O->Config, Base);
      if (Diff) {
        std::string Text = Diff->render(6);
        Delta += "  compiler differences against the parent:\n";
        for (const std::string &Line : split(Text, '\n'))
          if (!Line.empty())
            Delta += "    " + Line + "\n";
      } else {
        Delta += "  (compile diff unavailable: " + Diff.message() + ")\n";
      }
    }
  }
  if (!DiffSource)
    Delta += "(per-pass records and remarks are collected for -O3 only; the differences above "
             "are those of the configurations)\n";
  auto Text = fillTemplate(Prompts.Evaluation,
                           {{"program", Options.Program},
                            {"analysis", Analysis},
                            {"parent", BaseHash + ": speedup " + formatFixed(BaseSpeedup) +
                                           "\n  config " + configText(Base)},
                            {"candidate", Candidates},
                            {"delta", Delta},
                            {"history", historyText()},
                            {"schema", evaluationSchema()}},
                           "evaluation.txt");
  std::vector<LlmDecision> Got;
  Status S = Text ? ask("evaluation", *Text,
                        [&](const std::string &Content) -> Status {
                          auto Doc = replyObject(Content);
                          if (!Doc)
                            return Doc.error();
                          auto Arr = requiredArray(**Doc, "decisions");
                          if (!Arr)
                            return Arr.error();
                          std::vector<LlmDecision> Out;
                          std::set<std::string> Decided;
                          for (rapidjson::SizeType I = 0; I < (*Arr)->Size(); ++I) {
                            const auto &D = (**Arr)[I];
                            std::string Path = "decisions[" + std::to_string(I) + "]";
                            if (!D.IsObject())
                              return makeError(Path + ": expected an object");
                            auto Cfg = requiredString(D, "config", Path);
                            if (!Cfg)
                              return Cfg.error();
                            if (!ByHash.count(*Cfg))
                              return makeError(Path + ".config: \"" + *Cfg +
                                               "\" is not one of the candidates");
                            if (!Decided.insert(*Cfg).second)
                              return makeError(Path + ".config: " + *Cfg + " decided twice");
                            auto Action = requiredString(D, "action", Path);
                            if (!Action)
                              return Action.error();
                            if (*Action != "keep" && *Action != "rollback")
                              return makeError(Path + ".action: expected \"keep\" or "
                                               "\"rollback\"");
                            auto Reason = requiredString(D, "reason", Path);
                            if (!Reason)
                              return Reason.error();
                            Out.push_back({*Cfg, *Action, *Reason});
                          }
                          for (const auto &[H, O] : ByHash)
                            if (!Decided.count(H))
                              return makeError("\"decisions\": no decision for candidate " + H);
                          Got = std::move(Out);
                          return success();
                        })
                  : Status(Text.error());
  if (!S) {
    Notes.push_back(S.message() + "; decided by the measured rule instead");
    for (const Observation *O : Ask)
      applyRule(*O, "evaluation agent failed; measured rule");
    return;
  }
  // The best kept candidate (by measured ratio) becomes the base.
  const Observation *NewBase = nullptr;
  for (const LlmDecision &D : Got) {
    const Observation *O = ByHash.at(D.Config);
    Decisions.push_back(D);
    for (Measured &M : Log)
      if (M.Hash == D.Config)
        M.Decision = (D.Action == "keep" ? "kept: " : "rolled back: ") + D.Reason;
    if (D.Action == "keep" && (!NewBase || O->Speedup > NewBase->Speedup))
      NewBase = O;
  }
  if (NewBase) {
    Base = NewBase->Config;
    Base.MetaJson.clear();
    BaseHash = NewBase->Config.shortHash();
    BaseSpeedup = NewBase->Speedup;
  }
}

void LlmAgent::observe(const std::vector<Observation> &Results) {
  std::vector<Observation> Ours;
  for (const Observation &O : Results) {
    std::string Hash = O.Config.contentHash();
    History.markSeen(Hash);
    Measured M;
    M.Hash = O.Config.shortHash();
    M.Changes = configText(O.Config);
    M.Outcome = outcomeText(O);
    M.Decision = InFlight.count(Hash) ? "pending" : "measured (not proposed by this agent)";
    Log.push_back(std::move(M));
    if (InFlight.count(Hash))
      Ours.push_back(O);
  }
  if (!Ours.empty())
    evaluate(Ours);
  for (const Observation &O : Ours)
    InFlight.erase(O.Config.contentHash());
}

std::string LlmAgent::startNote() const {
  return "LLM agents on " + Client->settings().describe();
}

std::vector<StrategyDecision> LlmAgent::decisionLog() const {
  std::vector<StrategyDecision> Out;
  Out.reserve(Decisions.size());
  for (const LlmDecision &D : Decisions)
    Out.push_back({"config", D.Config, D.Action, D.Reason});
  return Out;
}

std::vector<std::string> LlmAgent::finalNotes() const {
  std::vector<std::string> Out;
  for (const std::string &N : Notes)
    Out.push_back("llm: " + N);
  const TokenUsage &U = Client->usage();
  Out.push_back("llm: " + std::to_string(U.TotalTokens) + " tokens" +
                (U.Estimated ? " (estimated)" : "") + ", " + std::to_string(Repairs) +
                " repaired replies, " + std::to_string(FailedProposals) + " failed proposals" +
                (Options.SessionPath.empty() ? "" : "; session in " + Options.SessionPath));
  return Out;
}

Result<std::unique_ptr<Strategy>> makeLlmStrategy(const StrategyContext &Context) {
  if (!Context.Llm)
    return makeError("the llm strategy needs an LLM endpoint (--llm-base-url, --llm-model)");
  LlmAgentOptions Options;
  Options.Program = Context.Program;
  if (!Context.RunDir.empty())
    Options.SessionPath = Context.RunDir + "/llm-session.jsonl";
  // Every exchange is recorded in the run directory; --llm-replay reruns it
  // with no server.
  auto Client = makeLlmClient(*Context.Llm, Options.SessionPath);
  if (!Client)
    return Client.error();
  auto Agent = LlmAgent::create(Context.Space, Context.Digest ? *Context.Digest : EvidenceDigest(),
                                std::move(*Client), std::move(Options));
  if (!Agent)
    return Agent.error();
  (*Agent)->setCompileDiffSource(Context.DiffSource);
  return std::unique_ptr<Strategy>(std::move(*Agent));
}

} // namespace autopass
