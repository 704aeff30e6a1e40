// The LLM agents as a strategy, against the scripted mock server: the four
// roles in order, tool calls answered from the evidence, refused proposals
// repaired, malformed replies counted as failed proposals, and a recorded
// session replayed with no server giving the same proposals.
#include "MockOpenAiServer.hpp"

#include "agents/AgentTools.hpp"
#include "agents/LlmAgent.hpp"
#include "agents/PromptTemplate.hpp"
#include "util/Json.hpp"

#include <rapidjson/document.h>

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace autopass;
using namespace autopass::test;

namespace {

KnobCatalog catalog() {
  auto C = KnobCatalog::loadDefault();
  REQUIRE(C.ok());
  return std::move(*C);
}

/// A loop the cost model refused to vectorize, inside a hot function.
EvidenceDigest digest() {
  EvidenceDigest D;
  D.Program = "kernel-test";
  HotRegion Fn;
  Fn.Kind = RegionKind::Function;
  Fn.Name = Fn.Function = "kernel";
  Fn.Weight = 0.9;
  FunctionFeatures F;
  F.Name = "kernel";
  F.Instructions = 120;
  F.Blocks = 9;
  Fn.FnFeatures = F;
  D.Regions.push_back(Fn);

  HotRegion L;
  L.Kind = RegionKind::Loop;
  L.Name = "kernel:L1";
  L.Function = "kernel";
  L.Weight = 0.8;
  LoopFeatures LF;
  LF.Name = "kernel:L1";
  LF.Depth = 2;
  LF.Innermost = true;
  LF.Parent = std::string("kernel:L0");
  LF.Instructions = 37;
  LF.Blocks = 3;
  L.Loop = LF;
  VectorizeDecision V;
  V.Function = "kernel";
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  L.Vectorization.push_back(V);
  D.Regions.push_back(L);
  // The IR tool is offered; the calls below are refused before opt runs.
  IrSource Ir;
  Ir.Opt = "/nonexistent/opt";
  Ir.Pipeline = "default<O3>";
  Ir.Units.push_back({"kernel.c", "/nonexistent/kernel.bc", {"kernel"}});
  D.Ir = Ir;
  return D;
}

SearchSpaceOptions spaceOptions() {
  SearchSpaceOptions O;
  O.Loops.push_back({"kernel:L0", 1, false, std::nullopt});
  O.Loops.push_back({"kernel:L1", 2, true, std::nullopt});
  O.Functions.push_back("kernel");
  return O;
}

/// The tool messages of a request body: call id -> content.
std::map<std::string, std::string> toolResults(const std::string &Body) {
  std::map<std::string, std::string> Out;
  rapidjson::Document D;
  D.Parse(Body.c_str());
  REQUIRE_FALSE(D.HasParseError());
  for (const auto &M : D["messages"].GetArray())
    if (std::string(M["role"].GetString()) == "tool")
      Out[M["tool_call_id"].GetString()] = M["content"].GetString();
  return Out;
}

std::string promptsDir() {
  auto D = findPromptsDirectory();
  REQUIRE(D.ok());
  return *D;
}

/// A JSON string literal of Text (for embedding a reply in a reply).
std::string quoted(const std::string &Text) {
  JsonOut J;
  J.value(Text);
  return J.str();
}

ScriptedReply say(const std::string &Content) {
  return ScriptedReply::json(MockOpenAiServer::completion(Content));
}

ScriptedReply callTool(const std::string &Id, const std::string &Name, const std::string &Args) {
  return ScriptedReply::json(MockOpenAiServer::toolCalls({ToolCall{Id, Name, Args}}));
}

const char *HotspotReply =
    R"({"regions":[{"name":"kernel:L1","reason":"80% of the profile, not vectorized"}]})";
const char *AnalysisReply =
    R"({"bottlenecks":[{"region":"kernel:L1","bottleneck":"scalar loop: the cost model refused vectorization","evidence":"vectorizer remark","falsified_by":"a forced width that does not help"}]})";

const char *ConfigA = R"({"knobs":{"unroll-threshold":600}})";
const char *ConfigBad = R"({"knobs":{"unroll-threshold":600,"bogus-knob":3}})";
const char *ConfigB =
    R"({"knobs":{"unroll-threshold":600},"hints":{"loops":{"kernel:L1":{"vectorize":true,"vectorize_width":8}}}})";
const char *ConfigC = R"({"knobs":{"unroll-threshold":600,"enable-loopinterchange":true}})";

std::string proposal(const char *Config, const char *Why) {
  return std::string(R"({"proposals":[{"config":)") + Config + R"(,"rationale":)" +
         quoted(Why) + "}]}";
}

std::string decision(const std::string &Hash, const char *Action) {
  return R"({"decisions":[{"config":")" + Hash + R"(","action":")" + Action +
         R"(","reason":"by the interval"}]})";
}

std::string hashOf(const char *Config) {
  std::string Text = std::string(Config);
  Text.insert(1, R"("schema":"autopass-config/1",)");
  auto C = CandidateConfig::parse(Text, "test");
  REQUIRE(C.ok());
  return C->contentHash();
}

std::string shortOf(const char *Config) { return hashOf(Config).substr(0, 12); }

/// The scripted conversation: hotspot (one tool round), analysis, then
/// three propose/observe iterations; the second proposal names an unknown
/// knob and is repaired, the third reads features first.
void scriptSession(MockOpenAiServer &S) {
  S.enqueue(ScriptedReply::json(MockOpenAiServer::toolCalls(
      {ToolCall{"call_h1", "get_remarks", R"({"region":"kernel:L1"})"},
       ToolCall{"call_h2", "ir_after_pass", R"({"function":"kernel:L1","pass":"LICMPass"})"}})));
  S.enqueue(say(HotspotReply));
  S.enqueue(say(AnalysisReply));
  // Iteration 1.
  S.enqueue(callTool("call_p1", "get_knob_catalog", R"({"category":"unroll"})"));
  S.enqueue(say(proposal(ConfigA, "more unrolling for the scalar loop")));
  S.enqueue(say(decision(shortOf(ConfigA), "keep")));
  // Iteration 2: an unknown knob, repaired.
  S.enqueue(say(proposal(ConfigBad, "a knob that does not exist")));
  S.enqueue(say(proposal(ConfigB, "force width 8 on the refused loop")));
  S.enqueue(say(decision(shortOf(ConfigB), "rollback")));
  // Iteration 3.
  S.enqueue(callTool("call_p3", "get_features", R"({"region":"kernel:L1"})"));
  S.enqueue(say(proposal(ConfigC, "interchange the nest")));
  S.enqueue(say(decision(shortOf(ConfigC), "keep")));
}

Observation measured(const CandidateConfig &C, double Speedup) {
  Observation O;
  O.Config = C;
  O.Kind = Observation::Outcome::Ok;
  O.Speedup = Speedup;
  O.Lo = Speedup - 0.05;
  O.Hi = Speedup + 0.05;
  return O;
}

/// Three iterations with fixed measurements; returns the proposed hashes.
std::vector<std::string> runSession(LlmAgent &Agent) {
  const double Ratios[] = {1.10, 0.90, 1.20};
  std::vector<std::string> Hashes;
  for (double R : Ratios) {
    std::vector<CandidateConfig> Got = Agent.propose(1);
    REQUIRE(Got.size() == 1);
    Hashes.push_back(Got[0].contentHash());
    Agent.observe({measured(Got[0], R)});
  }
  return Hashes;
}

LlmSettings mockSettings(const MockOpenAiServer &S) {
  LlmSettings Settings;
  Settings.BaseUrl = S.baseUrl();
  Settings.Model = "mock-model";
  Settings.RequestTimeoutMs = 5000;
  Settings.ConnectTimeoutMs = 2000;
  Settings.MaxRetries = 0;
  return Settings;
}

std::unique_ptr<LlmAgent> makeAgent(const SearchSpace &Space, std::unique_ptr<LlmClient> Client,
                                    int MaxRepairs = 2) {
  LlmAgentOptions O;
  O.PromptsDir = promptsDir();
  O.MaxRepairs = MaxRepairs;
  auto A = LlmAgent::create(Space, digest(), std::move(Client), O);
  REQUIRE(A.ok());
  return std::move(*A);
}

} // namespace

TEST_CASE("the LLM agents run three propose/observe iterations with tools, repairs, and "
          "replay",
          "[llmagent]") {
  test::TempDir Dir{"autopass-llmagent-test-"};
  std::string Recording = Dir.Path + "/llm-session.jsonl";
  SearchSpace Space(catalog(), spaceOptions());
  std::vector<std::string> Live;
  std::vector<ReceivedRequest> Seen;
  std::vector<LlmDecision> LiveDecisions;
  {
    MockOpenAiServer Server;
    REQUIRE(Server.ok());
    scriptSession(Server);
    auto Client = makeLlmClient(mockSettings(Server), Recording);
    REQUIRE(Client.ok());
    auto Agent = makeAgent(Space, std::move(*Client));
    Live = runSession(*Agent);
    Seen = Server.requests();
    CHECK(Server.pendingReplies() == 0);

    CHECK(Agent->hotRegions() == std::vector<std::string>{"kernel:L1"});
    CHECK(Agent->analysis().find("cost model refused vectorization") != std::string::npos);
    CHECK(Agent->repairs() == 1);
    CHECK(Agent->failedProposals() == 0);
    // A kept, B rolled back, C kept: C is the base.
    CHECK(Agent->base().contentHash() == hashOf(ConfigC));
    CHECK(Agent->baseSpeedup() == Approx(1.20));
    LiveDecisions = Agent->decisions();
  }
  // The proposals are the scripted configs, the unknown knob's replaced by
  // its correction.
  REQUIRE(Live.size() == 3);
  CHECK(Live[0] == hashOf(ConfigA));
  CHECK(Live[1] == hashOf(ConfigB));
  CHECK(Live[2] == hashOf(ConfigC));
  REQUIRE(LiveDecisions.size() == 3);
  CHECK(LiveDecisions[0].Action == "keep");
  CHECK(LiveDecisions[1].Action == "rollback");
  CHECK(LiveDecisions[2].Action == "keep");

  REQUIRE(Seen.size() == 12);
  // The tool results went back: each follow-up request answers the call
  // with what the tool read from the evidence.
  CHECK(Seen[0].Body.find("\"tools\"") != std::string::npos);
  CHECK(toolResults(Seen[0].Body).empty());
  auto Remarks = toolResults(Seen[1].Body);
  REQUIRE(Remarks.count("call_h1"));
  CHECK(Remarks["call_h1"].find("vectorization is not beneficial") != std::string::npos);
  // The IR tool is declared, and a loop name is refused as a function name.
  CHECK(Seen[0].Body.find("\"ir_after_pass\"") != std::string::npos);
  REQUIRE(Remarks.count("call_h2"));
  CHECK(Remarks["call_h2"].find("error: no function named 'kernel:L1'") == 0);
  auto Catalog = toolResults(Seen[4].Body);
  REQUIRE(Catalog.count("call_p1"));
  CHECK(Catalog["call_p1"].find("- unroll-threshold (") == 0);
  CHECK(Catalog["call_p1"].find("polly") == std::string::npos);
  auto Features = toolResults(Seen[10].Body);
  REQUIRE(Features.count("call_p3"));
  CHECK(Features["call_p3"].find("\"instructions\":37") != std::string::npos);
  // The refused knob came back as a repair message naming it.
  CHECK(Seen[7].Body.find("Your reply was rejected") != std::string::npos);
  CHECK(Seen[7].Body.find("knob bogus-knob: not in the knob catalog") != std::string::npos);
  CHECK(Seen[6].Body.find("Your reply was rejected") == std::string::npos);
  // The analysis and the measurements reach the planner.
  CHECK(Seen[6].Body.find("cost model refused vectorization") != std::string::npos);
  CHECK(Seen[6].Body.find(shortOf(ConfigA) + " ok, speedup 1.100") != std::string::npos);

  // Replay with no server: the same proposals and decisions.
  LlmSettings Offline;
  Offline.ReplayPath = Recording;
  auto Replayed = makeLlmClient(Offline, "");
  REQUIRE(Replayed.ok());
  auto Again = makeAgent(Space, std::move(*Replayed));
  CHECK(runSession(*Again) == Live);
  REQUIRE(Again->decisions().size() == LiveDecisions.size());
  for (size_t I = 0; I < LiveDecisions.size(); ++I)
    CHECK(Again->decisions()[I].Action == LiveDecisions[I].Action);
}

TEST_CASE("malformed planning replies beyond the repair bound are failed proposals",
          "[llmagent]") {
  SearchSpace Space(catalog(), spaceOptions());
  MockOpenAiServer Server;
  REQUIRE(Server.ok());
  Server.enqueue(say(HotspotReply));
  Server.enqueue(say(AnalysisReply));
  // One valid and one invalid proposal, twice: the valid one is kept.
  std::string Mixed = std::string(R"({"proposals":[{"config":)") + ConfigA +
                      R"(,"rationale":"ok"},{"config":{"hints":{"loops":{"nowhere:L9":{"unroll":2}}}},"rationale":"bad loop"}]})";
  Server.enqueue(say(Mixed));
  Server.enqueue(say(Mixed));
  // Then nothing usable at all.
  Server.enqueue(say("I think you should unroll more."));
  Server.enqueue(say("{\"proposals\": [ {\"config\": "));
  auto Client = makeLlmClient(mockSettings(Server), "");
  REQUIRE(Client.ok());
  auto Agent = makeAgent(Space, std::move(*Client), /*MaxRepairs=*/1);

  std::vector<CandidateConfig> First = Agent->propose(2);
  REQUIRE(First.size() == 1);
  CHECK(First[0].contentHash() == hashOf(ConfigA));
  CHECK(Agent->failedProposals() == 1);
  std::vector<ReceivedRequest> Seen = Server.requests();
  REQUIRE(Seen.size() == 4);
  CHECK(Seen[3].Body.find("no loop named \\\"nowhere:L9\\\"") != std::string::npos);

  std::vector<CandidateConfig> Second = Agent->propose(2);
  CHECK(Second.empty());
  CHECK(Agent->failedProposals() == 2);
  CHECK(Server.pendingReplies() == 0);
  REQUIRE_FALSE(Agent->decisions().empty());
  CHECK(Agent->decisions().back().Action == "proposal-failed");
}

TEST_CASE("duplicates and no-op configs are refused and repaired", "[llmagent]") {
  SearchSpace Space(catalog(), spaceOptions());
  MockOpenAiServer Server;
  REQUIRE(Server.ok());
  Server.enqueue(say(HotspotReply));
  Server.enqueue(say(AnalysisReply));
  Server.enqueue(say(proposal(ConfigA, "first")));
  Server.enqueue(say(decision(shortOf(ConfigA), "rollback")));
  Server.enqueue(say(proposal(ConfigA, "the same again")));
  Server.enqueue(say(proposal("{}", "nothing")));
  Server.enqueue(say(proposal(ConfigC, "something new")));
  auto Client = makeLlmClient(mockSettings(Server), "");
  REQUIRE(Client.ok());
  auto Agent = makeAgent(Space, std::move(*Client));
  auto First = Agent->propose(1);
  REQUIRE(First.size() == 1);
  Agent->observe({measured(First[0], 0.97)});
  auto Second = Agent->propose(1);
  REQUIRE(Second.size() == 1);
  CHECK(Second[0].contentHash() == hashOf(ConfigC));
  CHECK(Agent->repairs() == 2);
  auto Seen = Server.requests();
  REQUIRE(Seen.size() == 7);
  CHECK(Seen[5].Body.find("was already proposed or measured") != std::string::npos);
  CHECK(Seen[6].Body.find("changes nothing") != std::string::npos);
  // The base stayed -O3: A was rolled back.
  CHECK(Agent->base().isIdentity());
}

TEST_CASE("a server without tool calling gets the evidence inline", "[llmagent]") {
  SearchSpace Space(catalog(), spaceOptions());
  MockOpenAiServer Server;
  REQUIRE(Server.ok());
  Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"tools is not supported by this model"}})", 400));
  Server.enqueue(say(HotspotReply));
  Server.enqueue(say(AnalysisReply));
  auto Client = makeLlmClient(mockSettings(Server), "");
  REQUIRE(Client.ok());
  auto Agent = makeAgent(Space, std::move(*Client));
  Server.enqueue(say(proposal(ConfigA, "first")));
  auto Got = Agent->propose(1);
  REQUIRE(Got.size() == 1);
  auto Seen = Server.requests();
  REQUIRE(Seen.size() == 4);
  CHECK(Seen[1].Body.find("\"tools\"") == std::string::npos);
  // After the server refused tools, the next role's prompt carries the
  // evidence the tools would have returned.
  CHECK(Seen[2].Body.find("lookup tools are not available") != std::string::npos);
  CHECK(Seen[2].Body.find("vectorization is not beneficial") != std::string::npos);
  CHECK(Agent->hotRegions() == std::vector<std::string>{"kernel:L1"});
}

TEST_CASE("prompt templates: placeholders filled, unknown ones refused", "[llmagent]") {
  auto T = fillTemplate("a {{x}} b {{ y }}", {{"x", "1"}, {"y", "{{x}}"}}, "t.txt");
  REQUIRE(T.ok());
  CHECK(*T == "a 1 b {{x}}");
  auto Missing = fillTemplate("a {{histroy}}", {{"history", ""}}, "planning.txt");
  REQUIRE_FALSE(Missing.ok());
  CHECK(Missing.message().find("planning.txt: placeholder {{histroy}}") != std::string::npos);
  auto Open = fillTemplate("a {{x", {{"x", ""}}, "t.txt");
  CHECK_FALSE(Open.ok());

  // A template naming a placeholder its role does not fill is refused when
  // the agent is created, before any LLM call.
  test::TempDir Dir{"autopass-llmagent-test-"};
  for (const char *F : {"system.txt", "hotspot.txt", "analysis.txt", "planning.txt",
                        "evaluation.txt"}) {
    std::ofstream Out(Dir.Path + "/" + F);
    Out << (std::string(F) == "evaluation.txt" ? "{{candidate}} {{budget}}" : "text {{program}}");
  }
  SearchSpace Space(catalog(), spaceOptions());
  LlmSettings S;
  S.Model = "m";
  S.BaseUrl = "http://127.0.0.1:9/v1";
  auto Client = makeLlmClient(S, "");
  REQUIRE(Client.ok());
  LlmAgentOptions O;
  O.PromptsDir = Dir.Path;
  auto A = LlmAgent::create(Space, digest(), std::move(*Client), O);
  REQUIRE_FALSE(A.ok());
  CHECK(A.message().find("evaluation.txt: placeholder {{budget}}") != std::string::npos);
}

TEST_CASE("agent tools answer from the evidence and report bad arguments", "[llmagent]") {
  KnobCatalog Cat = catalog();
  EvidenceDigest D = digest();
  AgentTools Tools(D, Cat, [] { return std::string("two configs"); });
  CHECK(Tools.call({"1", "get_remarks", R"({"region":"kernel:L1"})"}).find("cost-model") !=
        std::string::npos);
  CHECK(Tools.call({"2", "get_features", R"({"region":"kernel"})"}).find("\"instructions\":120") !=
        std::string::npos);
  CHECK(Tools.call({"3", "get_remarks", R"({"region":"nope"})"}).find("no region named 'nope'") !=
        std::string::npos);
  CHECK(Tools.call({"4", "get_features", "not json"}).rfind("error:", 0) == 0);
  CHECK(Tools.call({"5", "get_features", R"({"region":3})"}).find("must be a string") !=
        std::string::npos);
  CHECK(Tools.call({"6", "get_measurements", ""}) == "two configs");
  std::string Vec = Tools.call({"7", "get_knob_catalog", R"({"category":"vectorize"})"});
  CHECK(Vec.find("force-vector-width") != std::string::npos);
  CHECK(Vec.find("unroll-threshold") == std::string::npos);
  CHECK(Tools.call({"8", "get_knob_catalog", R"({"category":"nope"})"}).rfind("error:", 0) == 0);
  CHECK(Tools.call({"9", "get_pass_deltas", R"({"function":"kernel"})"}).find("program_passes") !=
        std::string::npos);
  CHECK(Tools.regionNames() == std::vector<std::string>{"kernel", "kernel:L1"});
}

TEST_CASE("the evaluation role sees the candidate's compile diff against its parent",
          "[llmagent]") {
  SearchSpace Space(catalog(), spaceOptions());
  MockOpenAiServer Server;
  REQUIRE(Server.ok());
  Server.enqueue(say(HotspotReply));
  Server.enqueue(say(AnalysisReply));
  Server.enqueue(say(proposal(ConfigA, "more unrolling")));
  Server.enqueue(say(decision(shortOf(ConfigA), "rollback")));
  auto Client = makeLlmClient(mockSettings(Server), "");
  REQUIRE(Client.ok());
  auto Agent = makeAgent(Space, std::move(*Client));
  std::vector<std::pair<std::string, bool>> Asked; // candidate hash, parent is -O3
  Agent->setCompileDiffSource([&](const CandidateConfig &Candidate,
                                  const CandidateConfig &Parent) -> Result<CompileDiff> {
    Asked.push_back({Candidate.contentHash(), Parent.isIdentity()});
    CompileDiff D;
    FunctionPassDelta F;
    F.Function = "kernel";
    F.Pass = "LoopUnrollPass";
    F.Parent = {"LoopUnrollPass", 1, 1, 12};
    F.Candidate = {"LoopUnrollPass", 1, 1, 352};
    D.Functions.push_back(F);
    return D;
  });
  auto First = Agent->propose(1);
  REQUIRE(First.size() == 1);
  Agent->observe({measured(First[0], 0.92)});
  REQUIRE(Asked.size() == 1);
  CHECK(Asked[0].first == hashOf(ConfigA));
  CHECK(Asked[0].second);
  auto Seen = Server.requests();
  REQUIRE(Seen.size() == 4);
  const std::string &Evaluation = Seen[3].Body;
  CHECK(Evaluation.find("compiler differences against the parent") != std::string::npos);
  CHECK(Evaluation.find("LoopUnrollPass in kernel") != std::string::npos);
  CHECK(Evaluation.find("collected for -O3 only") == std::string::npos);
  CHECK(Agent->decisions().back().Action == "rollback");
}
