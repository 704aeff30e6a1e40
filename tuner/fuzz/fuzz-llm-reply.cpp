//===- fuzz/fuzz-llm-reply.cpp - What an LLM endpoint may send back --------===//
//
// Everything a model or an OpenAI-compatible server says is untrusted. The
// first byte chooses what the rest of the input is:
//  - even: the HTTP body of every /chat/completions reply (decodeChatReply,
//    tool calls and their arguments, the message content);
//  - odd: the message content of every reply, wrapped in a well-formed
//    completion (the roles' JSON schemas, CandidateConfig::parse through
//    the planning role, the knob catalog and name checks).
// The body also goes through decodeChatReply and serverErrorMessage alone.
// The LlmAgent runs its four roles in-process against a transport that
// answers every request with that body: no network, no subprocess (no
// pipeline check with opt, no IR tool).
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "agents/ChatTypes.hpp"
#include "agents/LlmAgent.hpp"
#include "agents/LlmClient.hpp"
#include "agents/LlmTransport.hpp"
#include "search/KnobCatalog.hpp"
#include "search/SearchSpace.hpp"
#include "util/Json.hpp"

#include <memory>
#include <string>

using namespace autopass;

namespace {

/// Answers every request with the same body, status 200.
class FixedReplyTransport : public LlmTransport {
public:
  explicit FixedReplyTransport(std::string Body) : Body(std::move(Body)) {}
  Result<HttpResponse> post(const HttpRequest &) override {
    HttpResponse R;
    R.Status = 200;
    R.Body = Body;
    R.Headers["content-type"] = "application/json";
    return R;
  }

private:
  std::string Body;
};

std::string completionBody(std::string_view Content) {
  JsonOut J;
  J.beginObject().field("id", "fuzz").field("object", "chat.completion").field("model", "fuzz");
  J.key("choices").beginArray().beginObject().field("index", 0).key("message").beginObject();
  J.field("role", "assistant").field("content", Content).endObject();
  J.field("finish_reason", "stop").endObject().endArray().endObject();
  return J.str();
}

/// A program with one hot function and a two-loop nest, as in the tests.
EvidenceDigest digest() {
  EvidenceDigest D;
  D.Program = "fuzz";
  HotRegion Fn;
  Fn.Kind = RegionKind::Function;
  Fn.Name = Fn.Function = "kernel";
  Fn.Weight = 0.9;
  D.Regions.push_back(Fn);
  HotRegion L;
  L.Kind = RegionKind::Loop;
  L.Name = "kernel:L1";
  L.Function = "kernel";
  L.Weight = 0.8;
  D.Regions.push_back(L);
  return D;
}

const KnobCatalog &catalog() {
  static const KnobCatalog C = [] {
    auto Loaded = KnobCatalog::loadDefault();
    fuzz::fuzzInvariant(Loaded.ok(), "the knob catalog loads");
    return std::move(*Loaded);
  }();
  return C;
}

SearchSpace &space() {
  static SearchSpace S = [] {
    SearchSpaceOptions O;
    O.Loops.push_back({"kernel:L0", 1, false, std::nullopt});
    O.Loops.push_back({"kernel:L1", 2, true, std::nullopt});
    O.Functions.push_back("kernel");
    return SearchSpace(catalog(), std::move(O));
  }();
  return S;
}

void runAgent(std::string Body) {
  LlmSettings Settings;
  Settings.BaseUrl = "http://fuzz.invalid/v1";
  Settings.Model = "fuzz";
  Settings.MaxRetries = 0;
  auto Client = std::make_unique<LlmClient>(
      Settings, std::make_unique<FixedReplyTransport>(std::move(Body)));
  LlmAgentOptions Options;
  Options.MaxRepairs = 1;
  Options.MaxToolRounds = 2;
  auto Agent = LlmAgent::create(space(), digest(), std::move(Client), Options);
  fuzz::fuzzInvariant(Agent.ok(), "the agent is created");
  for (int Round = 0; Round < 2; ++Round) {
    std::vector<CandidateConfig> Proposed = (*Agent)->propose(2);
    std::vector<Observation> Results;
    double Ratio = 1.05;
    for (const CandidateConfig &C : Proposed) {
      Observation O;
      O.Config = C;
      O.Speedup = Ratio;
      O.Lo = Ratio - 0.02;
      O.Hi = Ratio + 0.02;
      Ratio -= 0.1;
      Results.push_back(std::move(O));
    }
    (*Agent)->observe(Results);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  std::string_view Rest = fuzz::bytes(Data + 1, Size - 1);
  bool ContentOnly = Data[0] & 1;
  std::string Body = ContentOnly ? completionBody(Rest) : std::string(Rest);
  (void)decodeChatReply(Body);
  (void)serverErrorMessage(Body);
  runAgent(std::move(Body));
  return 0;
}
