//===- tests/LlmClientTest.cpp - The LLM client against a scripted server -===//
//
// Every test talks HTTP to MockOpenAiServer on 127.0.0.1 through the real
// curl transport. Waiting between retries goes through an injected sleep
// that only records, so the tests assert the waits without taking them;
// the only real waits are the short timeouts of the timeout tests.
//
//===----------------------------------------------------------------------===//
#include "MockOpenAiServer.hpp"

#include "agents/LlmClient.hpp"
#include "agents/LlmTransportCurl.hpp"
#include "agents/LlmTransportRecording.hpp"
#include "agents/LlmTransportReplay.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace autopass;
using namespace autopass::test;

namespace {

const char *const Key = "sk-test-SECRET-0123456789abcdef";
constexpr std::time_t FixedNow = 1700000000; // 2023-11-14T22:13:20Z

/// A file the test just wrote, as text (a failure to read fails the test).
std::string readText(const std::string &Path) {
  auto Text = readFile(Path);
  REQUIRE(Text.ok());
  return *Text;
}

/// The settings and hooks a test client uses; Slept collects the waits.
struct Harness {
  MockOpenAiServer Server;
  std::vector<int64_t> Slept;
  LlmSettings Settings;

  Harness() {
    REQUIRE(Server.ok());
    Settings.BaseUrl = Server.baseUrl();
    Settings.Model = "mock-model";
    Settings.ApiKey = Key;
    Settings.ApiKeySource = "AUTOPASS_API_KEY";
    Settings.RequestTimeoutMs = 5000;
    Settings.ConnectTimeoutMs = 2000;
    Settings.MaxRetries = 3;
    Settings.BackoffBaseMs = 100;
    Settings.BackoffMaxMs = 1000;
  }

  LlmClientHooks hooks() {
    LlmClientHooks H;
    H.Sleep = [this](std::chrono::milliseconds D) { Slept.push_back(D.count()); };
    H.Now = [] { return FixedNow; };
    return H;
  }

  LlmClient client() {
    return LlmClient(Settings, std::make_unique<CurlTransport>(), hooks());
  }
};

ChatRequest simpleRequest(const std::string &Question = "say hi") {
  ChatRequest R;
  R.Messages.push_back(ChatMessage::system("You are a test."));
  R.Messages.push_back(ChatMessage::user(Question));
  return R;
}

rapidjson::Document parse(const std::string &Text) {
  rapidjson::Document D;
  D.Parse(Text.c_str());
  REQUIRE_FALSE(D.HasParseError());
  return D;
}

// --- The scripted tuning session used by the loop and replay tests. -------

struct Decision {
  std::string Knob;
  int64_t Value = 0;
  bool operator==(const Decision &O) const {
    return Knob == O.Knob && Value == O.Value;
  }
};

/// The knob catalog of this test: anything else is refused.
Result<Decision> validateDecision(const ChatReply &Reply) {
  rapidjson::Document D;
  D.Parse(Reply.Content.c_str());
  if (D.HasParseError() || !D.IsObject())
    return makeError("the reply is not a JSON object");
  if (!D.HasMember("knob") || !D["knob"].IsString())
    return makeError("field 'knob': expected a string");
  if (!D.HasMember("value") || !D["value"].IsInt64())
    return makeError("field 'value': expected an integer");
  std::string Knob = D["knob"].GetString();
  if (Knob != "unroll-threshold" && Knob != "inline-threshold")
    return makeError("field 'knob': unknown knob '" + Knob + "'");
  return Decision{Knob, D["value"].GetInt64()};
}

std::vector<ToolSpec> sessionTools() {
  ToolSpec Remarks{"get_remarks", "Optimization remarks of a region",
                   R"({"type":"object","properties":{"region":{"type":"string"}},"required":["region"]})"};
  ToolSpec Features{"get_features", "Features of a function",
                    R"({"type":"object","properties":{"function":{"type":"string"}}})"};
  return {Remarks, Features};
}

/// Deterministic stand-ins for the compiler-evidence tools.
std::string answerTool(const ToolCall &Call) {
  if (Call.Name == "get_remarks")
    return "remarks for " + Call.ArgumentsJson + ": loop not unrolled";
  return "features for " + Call.ArgumentsJson + ": depth 2";
}

/// What the mock says in three iterations: two tool calls, then a decision;
/// in the second iteration the first decision names an unknown knob and is
/// repaired.
void scriptSession(MockOpenAiServer &S) {
  for (int It = 0; It < 3; ++It) {
    std::string N = std::to_string(It);
    S.enqueue(ScriptedReply::json(MockOpenAiServer::toolCalls(
        {{"call_r" + N, "get_remarks", R"({"region":"main:L)" + N + R"("})"}})));
    S.enqueue(ScriptedReply::json(MockOpenAiServer::toolCalls(
        {{"call_f" + N, "get_features", R"({"function":"main"})"}})));
    if (It == 1)
      S.enqueue(ScriptedReply::json(MockOpenAiServer::completion(
          R"({"knob":"bogus-knob","value":1})")));
    S.enqueue(ScriptedReply::json(MockOpenAiServer::completion(
        R"({"knob":"unroll-threshold","value":)" + std::to_string(100 * (It + 1)) +
        "}")));
  }
}

struct SessionResult {
  std::vector<Decision> Decisions;
  std::vector<ChatReply> Finals;
  int Repairs = 0;
};

/// Three iterations of ask → tools → decision, each fed the previous
/// decision's (fake, deterministic) outcome, as the agents will do.
Result<SessionResult> runSession(LlmClient &Client,
                                 const std::string &RatioSuffix = "") {
  SessionResult Out;
  std::string Feedback = "none yet";
  for (int It = 0; It < 3; ++It) {
    ChatRequest R;
    R.Messages.push_back(ChatMessage::system("You tune LLVM knobs."));
    R.Messages.push_back(ChatMessage::user(
        "Iteration " + std::to_string(It) + ". Last outcome: " + Feedback +
        ". Reply with JSON {\"knob\":...,\"value\":...}."));
    R.Tools = sessionTools();
    R.JsonResponse = true;
    RepairPolicy Policy;
    Policy.MaxRepairs = 1;
    Policy.Tools = answerTool;
    RepairOutcome Outcome;
    std::function<Result<Decision>(const ChatReply &)> Validate =
        [&](const ChatReply &Reply) {
          Out.Finals.push_back(Reply);
          return validateDecision(Reply);
        };
    Result<Decision> D = chatUntilValid(Client, R, Validate, Policy, &Outcome);
    if (!D)
      return D.error();
    Out.Repairs += Outcome.Attempts - 1;
    Out.Decisions.push_back(*D);
    Feedback = D->Knob + "=" + std::to_string(D->Value) + " gave ratio 0.9" +
               std::to_string(It) + RatioSuffix;
  }
  return Out;
}

} // namespace

// --- Against the scripted server ---------------------------------------------

TEST_CASE("Three tool-calling iterations, recorded, then replayed offline",
          "[llm][loop][replay]") {
  test::TempDir Dir{"autopass-llm-test-"};
  std::string Recording = Dir.Path + "/llm-session.jsonl";
  SessionResult Live;
  std::vector<ReceivedRequest> Seen;
  {
    Harness H;
    scriptSession(H.Server);
    auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                        Recording, {Key});
    REQUIRE(Rec.ok());
    LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
    Result<SessionResult> R = runSession(Client);
    REQUIRE(R.ok());
    Live = *R;
    Seen = H.Server.requests();
    CHECK(H.Server.pendingReplies() == 0);
    CHECK(Client.stats().Attempts == 10);
    CHECK(Client.usage().TotalTokens == 10 * 15);
  }

  REQUIRE(Live.Decisions.size() == 3);
  CHECK(Live.Decisions[0] == Decision{"unroll-threshold", 100});
  CHECK(Live.Decisions[1] == Decision{"unroll-threshold", 200});
  CHECK(Live.Decisions[2] == Decision{"unroll-threshold", 300});
  CHECK(Live.Repairs == 1); // the unknown knob was refused and repaired

  // What the client sent: the key in the header, tool results sent back,
  // the validation error sent back, the previous decision fed forward.
  REQUIRE(Seen.size() == 10);
  for (const ReceivedRequest &Req : Seen) {
    CHECK(Req.Method == "POST");
    CHECK(Req.Path == "/v1/chat/completions");
    CHECK(Req.Headers.at("authorization") == std::string("Bearer ") + Key);
    CHECK(Req.Headers.at("content-type") == "application/json");
  }
  rapidjson::Document Second = parse(Seen[1].Body);
  const auto &Msgs = Second["messages"];
  REQUIRE(Msgs.Size() == 4);
  CHECK(std::string(Msgs[2]["tool_calls"][0]["id"].GetString()) == "call_r0");
  CHECK(std::string(Msgs[3]["role"].GetString()) == "tool");
  CHECK(std::string(Msgs[3]["tool_call_id"].GetString()) == "call_r0");
  CHECK(std::string(Msgs[3]["content"].GetString()) ==
        R"(remarks for {"region":"main:L0"}: loop not unrolled)");
  CHECK(Second.HasMember("tools"));
  CHECK(Seen[6].Body.find("unknown knob 'bogus-knob'") != std::string::npos);
  CHECK(Seen[7].Body.find("unroll-threshold=200 gave ratio 0.91") !=
        std::string::npos);

  // The recording: one line per exchange, no key anywhere.
  std::string Text = readText(Recording);
  CHECK(std::count(Text.begin(), Text.end(), '\n') == 10);
  CHECK(Text.find(Key) == std::string::npos);
  CHECK(Text.find("SECRET") == std::string::npos);
  CHECK(Text.find("uthorization") == std::string::npos);
  CHECK(Text.find("\"format\":\"autopass-llm-exchange/1\"") != std::string::npos);

  // Replay with no server at all: same decisions, identical replies.
  LlmSettings Offline;
  Offline.ReplayPath = Recording;
  std::vector<int64_t> Slept;
  LlmClientHooks Hooks;
  Hooks.Sleep = [&](std::chrono::milliseconds D) { Slept.push_back(D.count()); };
  Result<std::unique_ptr<LlmClient>> Replayed =
      makeLlmClient(Offline, /*RecordPath=*/"", Hooks);
  REQUIRE(Replayed.ok());
  Result<SessionResult> Again = runSession(**Replayed);
  REQUIRE(Again.ok());
  CHECK(Again->Decisions == Live.Decisions);
  REQUIRE(Again->Finals.size() == Live.Finals.size());
  for (size_t I = 0; I < Live.Finals.size(); ++I)
    CHECK(Again->Finals[I].sameAnswer(Live.Finals[I]));
  CHECK((*Replayed)->usage().TotalTokens == 150);

  // Fresh measurements change the prompts: a strict replay stops, a lenient
  // one still reproduces the decisions and reports where prompts differed.
  Result<std::unique_ptr<LlmClient>> Strict = makeLlmClient(Offline, "", Hooks);
  REQUIRE(Strict.ok());
  Result<SessionResult> Diverged = runSession(**Strict, "7");
  REQUIRE_FALSE(Diverged.ok());
  CHECK(Diverged.message().find("exchange 4 ") != std::string::npos);
  Offline.ReplayLenient = true;
  Result<std::unique_ptr<LlmClient>> Lenient = makeLlmClient(Offline, "", Hooks);
  REQUIRE(Lenient.ok());
  Result<SessionResult> Tolerated = runSession(**Lenient, "7");
  REQUIRE(Tolerated.ok());
  CHECK(Tolerated->Decisions == Live.Decisions);
  CHECK(Slept.empty());

  // One more request than recorded: a clear divergence error.
  Result<ChatReply> Extra = (*Replayed)->chat(simpleRequest());
  REQUIRE_FALSE(Extra.ok());
  CHECK(Extra.message().find("holds 10 exchanges") != std::string::npos);
}

TEST_CASE("Replay refuses a run whose requests diverge", "[llm][replay]") {
  test::TempDir Dir{"autopass-llm-test-"};
  std::string Recording = Dir.Path + "/session.jsonl";
  {
    Harness H;
    H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("hello")));
    auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                        Recording, {Key});
    REQUIRE(Rec.ok());
    LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
    REQUIRE(Client.chat(simpleRequest("question A")).ok());
  }
  auto Replay = ReplayTransport::open(Recording);
  REQUIRE(Replay.ok());
  LlmSettings S;
  LlmClient Client(S, std::move(*Replay));
  Result<ChatReply> R = Client.chat(simpleRequest("question B"));
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("diverged") != std::string::npos);
  CHECK(R.message().find("messages[1]") != std::string::npos);
  CHECK(R.message().find("question B") != std::string::npos);

  // The lenient mode answers in order whatever was asked.
  auto Lenient = ReplayTransport::open(Recording, ReplayMatch::Sequence);
  REQUIRE(Lenient.ok());
  ReplayTransport *LenientView = Lenient->get();
  LlmClient Client2(S, std::move(*Lenient));
  Result<ChatReply> R2 = Client2.chat(simpleRequest("question B"));
  REQUIRE(R2.ok());
  CHECK(R2->Content == "hello");
  REQUIRE(LenientView->divergences().size() == 1);
  CHECK(LenientView->divergences()[0].find("messages[1]") != std::string::npos);

  CHECK_FALSE(ReplayTransport::open(Recording + ".missing").ok());

  // A resumed run appends and continues the sequence numbers.
  {
    Harness H;
    H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("again")));
    auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                        Recording, {Key});
    REQUIRE(Rec.ok());
    LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
    REQUIRE(Client.chat(simpleRequest("question C")).ok());
  }
  std::string Text = readText(Recording);
  CHECK(std::count(Text.begin(), Text.end(), '\n') == 2);
  CHECK(Text.find("\"seq\":1,") != std::string::npos);
  CHECK(Text.find("\"seq\":2,") != std::string::npos);
}

TEST_CASE("A malformed JSON reply is retried once, then reported",
          "[llm][errors]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json("{\"choices\": [ {\"message\": "));
  H.Server.enqueue(ScriptedReply::json("not json at all"));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("not valid JSON") != std::string::npos);
  CHECK(R.message().find("not json at all") != std::string::npos);
  CHECK(H.Server.requests().size() == 2);

  H.Server.enqueue(ScriptedReply::json("{truncated"));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("fine")));
  R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Content == "fine");
  CHECK(R->Attempts == 2);
}

TEST_CASE("429 with Retry-After waits as told, then succeeds",
          "[llm][retry]") {
  Harness H;
  ScriptedReply Busy = ScriptedReply::json(
      R"({"error":{"message":"Rate limit reached"}})", 429);
  Busy.Headers.push_back({"Retry-After", "1"});
  H.Server.enqueue(Busy);
  ScriptedReply BusyDate = Busy;
  BusyDate.Headers = {{"Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT"}};
  H.Server.enqueue(BusyDate);
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("ok")));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Content == "ok");
  CHECK(R->Attempts == 3);
  CHECK(Client.stats().RetryAfterHonoured == 2);
  CHECK(H.Slept == std::vector<int64_t>{1000, 3000});

  // A Retry-After beyond the cap fails at once instead of waiting an hour.
  ScriptedReply Quota = ScriptedReply::json(
      R"({"error":{"message":"quota exceeded"}})", 429);
  Quota.Headers.push_back({"Retry-After", "3600"});
  H.Server.enqueue(Quota);
  R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("quota exceeded") != std::string::npos);
  CHECK(R.message().find("3600 s") != std::string::npos);
  CHECK(H.Slept.size() == 2);
}

TEST_CASE("500 is retried with jittered backoff; forever gives up",
          "[llm][retry]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"upstream overloaded"}})", 500));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("ok")));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Attempts == 2);
  REQUIRE(H.Slept.size() == 1);
  CHECK(H.Slept[0] >= 50); // base 100 ms, jitter in [50%, 100%]
  CHECK(H.Slept[0] <= 100);

  H.Slept.clear();
  for (int I = 0; I < 4; ++I)
    H.Server.enqueue(ScriptedReply::json(
        R"({"error":{"message":"upstream overloaded"}})", 503));
  R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("giving up after 4 attempts") != std::string::npos);
  CHECK(R.message().find("HTTP 503: upstream overloaded") != std::string::npos);
  CHECK(R.message().find(H.Server.baseUrl()) != std::string::npos);
  REQUIRE(H.Slept.size() == 3);
  // Exponential: each wait's ceiling doubles (100, 200, 400 ms).
  CHECK(H.Slept[1] >= 100);
  CHECK(H.Slept[1] <= 200);
  CHECK(H.Slept[2] >= 200);
  CHECK(H.Slept[2] <= 400);
  CHECK(H.Server.requests().size() == 6);
}

TEST_CASE("Other 4xx are not retried and carry the server's message",
          "[llm][errors]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"The model `gpt-9` does not exist"}})", 404));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("HTTP 404") != std::string::npos);
  CHECK(R.message().find("does not exist") != std::string::npos);
  CHECK(R.message().find("--llm-model") != std::string::npos);
  CHECK(H.Server.requests().size() == 1);
  CHECK(H.Slept.empty());
}

TEST_CASE("A reply that never comes times out", "[llm][timeout]") {
  Harness H;
  H.Settings.RequestTimeoutMs = 400;
  H.Settings.MaxRetries = 1;
  ScriptedReply Never = ScriptedReply::json(MockOpenAiServer::completion("late"));
  Never.Delay = std::chrono::seconds(30); // abandoned when the client hangs up
  H.Server.enqueue(Never);
  H.Server.enqueue(Never);
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("no reply within 400 ms") != std::string::npos);
  CHECK(R.message().find("giving up after 2 attempts") != std::string::npos);

  // A timeout, then an answer: the retry succeeds. The server must notice
  // the hang-up and answer the retry within the timeout, so give it more
  // room on a loaded machine.
  H.Settings.RequestTimeoutMs = 1500;
  LlmClient Patient = H.client();
  H.Server.enqueue(Never);
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("on time")));
  R = Patient.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Content == "on time");
  CHECK(R->Attempts == 2);
}

TEST_CASE("A closed connection and a refused one are clear errors",
          "[llm][errors]") {
  Harness H;
  H.Settings.MaxRetries = 1;
  ScriptedReply Hangup;
  Hangup.CloseWithoutReply = true;
  H.Server.enqueue(Hangup);
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("back")));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Attempts == 2);

  // A port nobody listens on: bind one, note it, close it.
  int Fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(Fd >= 0);
  sockaddr_in Addr{};
  Addr.sin_family = AF_INET;
  Addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t Len = sizeof(Addr);
  REQUIRE(::bind(Fd, reinterpret_cast<sockaddr *>(&Addr), sizeof(Addr)) == 0);
  REQUIRE(::getsockname(Fd, reinterpret_cast<sockaddr *>(&Addr), &Len) == 0);
  ::close(Fd);
  std::string DeadUrl =
      "http://127.0.0.1:" + std::to_string(ntohs(Addr.sin_port)) + "/v1";
  LlmSettings S = H.Settings;
  S.BaseUrl = DeadUrl;
  H.Slept.clear();
  LlmClient Dead(S, std::make_unique<CurlTransport>(), H.hooks());
  R = Dead.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find(DeadUrl + "/chat/completions") != std::string::npos);
  CHECK(R.message().find("cannot connect") != std::string::npos);
  CHECK(R.message().find("giving up after 2 attempts") != std::string::npos);
  CHECK(H.Slept.size() == 1);
}

TEST_CASE("A reply body over 8 MiB is refused, not retried and not kept",
          "[llm][errors]") {
  // Valid JSON, so only its size can be the reason.
  std::string Huge =
      MockOpenAiServer::completion(std::string(MaxReplyBodyBytes + 1, 'x'));
  REQUIRE(Huge.size() > MaxReplyBodyBytes);
  // Declared by Content-Length, and streamed until the connection closes.
  for (bool Declared : {true, false}) {
    INFO("Content-Length declared: " << Declared);
    Harness H;
    ScriptedReply Reply = ScriptedReply::json(Huge);
    Reply.OmitContentLength = !Declared;
    H.Server.enqueue(Reply);
    H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("small")));
    LlmClient Client = H.client();
    Result<ChatReply> R = Client.chat(simpleRequest());
    REQUIRE_FALSE(R.ok());
    CHECK(R.message().find("larger than the 8 MiB") != std::string::npos);
    CHECK(R.message().find("/chat/completions") != std::string::npos);
    CHECK(H.Slept.empty());
    // Not retried: the small reply is still waiting.
    CHECK(H.Server.pendingReplies() == 1);
  }

  // Just under the cap is accepted.
  Harness Small;
  std::string Content(MaxReplyBodyBytes - 4096, 'y');
  Small.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion(Content)));
  LlmClient Client = Small.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Content == Content);
}

TEST_CASE("The token budget stops further calls", "[llm][budget]") {
  Harness H;
  H.Settings.TokenBudget = 40;
  for (int I = 0; I < 3; ++I)
    H.Server.enqueue(
        ScriptedReply::json(MockOpenAiServer::completion("x", 20, 5)));
  LlmClient Client = H.client();
  REQUIRE(Client.chat(simpleRequest()).ok());
  CHECK(Client.remainingTokens() == 15);
  REQUIRE(Client.chat(simpleRequest()).ok()); // crosses the budget
  CHECK(Client.usage().TotalTokens == 50);
  CHECK(Client.remainingTokens() == 0);
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("token budget exhausted") != std::string::npos);
  CHECK(R.message().find("50 tokens used of 40") != std::string::npos);
  CHECK(H.Server.requests().size() == 2);
}

TEST_CASE("Missing usage is estimated so the budget still counts",
          "[llm][budget]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      R"({"choices":[{"message":{"role":"assistant","content":"abcdefgh"},"finish_reason":"stop"}]})"));
  LlmClient Client = H.client();
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->Usage.Estimated);
  CHECK(R->Usage.CompletionTokens == 2);
  CHECK(R->Usage.PromptTokens > 10);
  CHECK(Client.usage().TotalTokens == R->Usage.TotalTokens);
}

TEST_CASE("A server without tool calling: tools dropped and remembered",
          "[llm][tools]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"tools is not supported by this model"}})", 400));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("{}")));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("{}")));
  LlmClient Client = H.client();
  ChatRequest Req = simpleRequest();
  Req.Tools = sessionTools();
  Result<ChatReply> R = Client.chat(Req);
  REQUIRE(R.ok());
  CHECK(R->ToolsDropped);
  CHECK_FALSE(Client.toolsSupported());
  R = Client.chat(Req);
  REQUIRE(R.ok());
  CHECK(R->ToolsDropped);
  std::vector<ReceivedRequest> Seen = H.Server.requests();
  REQUIRE(Seen.size() == 3);
  CHECK(parse(Seen[0].Body).HasMember("tools"));
  CHECK_FALSE(parse(Seen[1].Body).HasMember("tools"));
  CHECK_FALSE(parse(Seen[2].Body).HasMember("tools"));
  CHECK(H.Slept.empty());
}

TEST_CASE("A misused tool or JSON mode is reported, not switched off",
          "[llm][tools]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"Invalid schema for function 'get_remarks': 'object' expected"}})",
      400));
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."}})",
      400));
  H.Server.enqueue(ScriptedReply::json(
      R"({"error":{"message":"response_format json_object is not supported"}})",
      400));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("{}")));
  LlmClient Client = H.client();
  ChatRequest Req = simpleRequest();
  Req.Tools = sessionTools();
  Result<ChatReply> R = Client.chat(Req);
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("Invalid schema for function") != std::string::npos);
  CHECK(Client.toolsSupported());

  ChatRequest Json = simpleRequest();
  Json.JsonResponse = true;
  R = Client.chat(Json);
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("must contain the word 'json'") != std::string::npos);
  CHECK(Client.jsonModeSupported());

  R = Client.chat(Json); // this server truly lacks JSON mode
  REQUIRE(R.ok());
  CHECK(R->JsonModeDropped);
  CHECK_FALSE(Client.jsonModeSupported());
  CHECK_FALSE(parse(H.Server.requests().back().Body).HasMember("response_format"));
}

TEST_CASE("Tool loop: undeclared tools are refused, rounds are bounded",
          "[llm][tools]") {
  Harness H;
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::toolCalls(
      {{"c1", "run_shell", R"({"cmd":"rm -rf /"})"},
       {"c2", "get_features", R"({"function":"f"})"}})));
  H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("done")));
  LlmClient Client = H.client();
  ChatRequest Req = simpleRequest();
  Req.Tools = sessionTools();
  std::vector<std::string> Dispatched;
  ToolHandler Handler = [&](const ToolCall &C) {
    Dispatched.push_back(C.Name);
    return std::string("ok");
  };
  Result<ToolLoopResult> R = runToolLoop(Client, Req, Handler, 4);
  REQUIRE(R.ok());
  CHECK(R->Final.Content == "done");
  CHECK(R->Rounds == 2);
  CHECK(R->ToolCalls == 2);
  CHECK(Dispatched == std::vector<std::string>{"get_features"});
  rapidjson::Document Second = parse(H.Server.requests()[1].Body);
  std::string Refusal = Second["messages"][3]["content"].GetString();
  CHECK(Refusal.find("unknown tool 'run_shell'") != std::string::npos);

  for (int I = 0; I < 3; ++I)
    H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::toolCalls(
        {{"c", "get_features", "{}"}})));
  R = runToolLoop(Client, Req, Handler, 3);
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("after 3 rounds") != std::string::npos);
}

TEST_CASE("chatUntilValid gives up after the allowed repairs",
          "[llm][repair]") {
  Harness H;
  for (int I = 0; I < 3; ++I)
    H.Server.enqueue(ScriptedReply::json(
        MockOpenAiServer::completion(R"({"knob":"polly-everything","value":1})")));
  LlmClient Client = H.client();
  RepairPolicy Policy;
  Policy.MaxRepairs = 2;
  RepairOutcome Outcome;
  std::function<Result<Decision>(const ChatReply &)> Validate = validateDecision;
  Result<Decision> D =
      chatUntilValid(Client, simpleRequest(), Validate, Policy, &Outcome);
  REQUIRE_FALSE(D.ok());
  CHECK(D.message().find("still invalid after 3 attempts") != std::string::npos);
  CHECK(D.message().find("unknown knob 'polly-everything'") != std::string::npos);
  CHECK(Outcome.Attempts == 3);
  CHECK(Outcome.Errors.size() == 3);
  // Each repair carries the conversation so far plus the error.
  rapidjson::Document Last = parse(H.Server.requests()[2].Body);
  CHECK(Last["messages"].Size() == 6);
  CHECK(std::string(Last["messages"][5]["content"].GetString())
            .find("Your reply was rejected") != std::string::npos);
}

TEST_CASE("Retries are recorded and replayed without waiting",
          "[llm][replay][retry]") {
  test::TempDir Dir{"autopass-llm-test-"};
  std::string Recording = Dir.Path + "/retries.jsonl";
  ChatReply LiveReply;
  {
    Harness H;
    ScriptedReply Busy =
        ScriptedReply::json(R"({"error":{"message":"slow down"}})", 429);
    Busy.Headers.push_back({"Retry-After", "2"});
    H.Server.enqueue(Busy);
    H.Server.enqueue(ScriptedReply::json("garbage"));
    H.Server.enqueue(ScriptedReply::json(MockOpenAiServer::completion("ok")));
    auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                        Recording, {Key});
    REQUIRE(Rec.ok());
    LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
    Result<ChatReply> R = Client.chat(simpleRequest());
    REQUIRE(R.ok());
    LiveReply = *R;
    CHECK(H.Slept.size() == 2);
  }
  LlmSettings S;
  S.ReplayPath = Recording;
  std::vector<int64_t> Slept;
  LlmClientHooks Hooks;
  Hooks.Sleep = [&](std::chrono::milliseconds D) { Slept.push_back(D.count()); };
  auto Client = makeLlmClient(S, "", Hooks);
  REQUIRE(Client.ok());
  Result<ChatReply> R = (*Client)->chat(simpleRequest());
  REQUIRE(R.ok());
  CHECK(R->sameAnswer(LiveReply));
  CHECK(R->Attempts == 3);
  CHECK((*Client)->stats().RetryAfterHonoured == 1);
  CHECK(Slept.empty()); // the replay does not wait again
}

TEST_CASE("A recording in the documented format replays (format is stable)",
          "[llm][replay]") {
  // session-v1.jsonl was written independently of this code (see
  // docs/llm.md, "Recording format"), so the request key algorithm and the
  // reader are checked against the documented format, not against
  // themselves.
  LlmSettings S;
  S.ReplayPath = std::string(AUTOPASS_TEST_DATA) + "/llm/session-v1.jsonl";
  std::vector<int64_t> Slept;
  LlmClientHooks Hooks;
  Hooks.Sleep = [&](std::chrono::milliseconds D) { Slept.push_back(D.count()); };
  auto Client = makeLlmClient(S, "", Hooks);
  REQUIRE(Client.ok());

  ChatRequest Req;
  Req.Messages.push_back(ChatMessage::system("You tune LLVM knobs."));
  Req.Messages.push_back(ChatMessage::user("Which loop is hot?"));
  Req.Tools.push_back(sessionTools()[0]);
  std::vector<std::string> Asked;
  ToolHandler Handler = [&](const ToolCall &C) {
    Asked.push_back(C.ArgumentsJson);
    return std::string("loop not vectorized: unsafe dependence");
  };
  Result<ToolLoopResult> R = runToolLoop(**Client, Req, Handler);
  INFO((R.ok() ? std::string() : R.message()));
  REQUIRE(R.ok());
  CHECK(Asked == std::vector<std::string>{R"({"region":"main:L0"})"});
  CHECK(R->Final.Content == R"({"knob":"unroll-threshold","value":400})");
  CHECK(R->Final.Usage.TotalTokens == 79);
  CHECK((*Client)->usage().TotalTokens == 52 + 79);
  CHECK((*Client)->stats().Attempts == 3);
  CHECK((*Client)->stats().RetryAfterHonoured == 1);
  CHECK((*Client)->stats().WaitsMs == std::vector<int64_t>{2000});
  CHECK(Slept.empty());
}

TEST_CASE("A server that echoes the key does not put it in the recording",
          "[llm][replay][errors]") {
  test::TempDir Dir{"autopass-llm-test-"};
  std::string Recording = Dir.Path + "/echo.jsonl";
  Harness H;
  H.Server.enqueue(ScriptedReply::json(
      std::string(R"({"error":{"message":"Incorrect API key provided: )") +
          Key + R"("}})",
      401));
  auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                      Recording, {Key});
  REQUIRE(Rec.ok());
  LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
  Result<ChatReply> R = Client.chat(simpleRequest());
  REQUIRE_FALSE(R.ok());
  CHECK(R.message().find("HTTP 401") != std::string::npos);
  CHECK(R.message().find("AUTOPASS_API_KEY") != std::string::npos);
  CHECK(R.message().find("Incorrect API key provided: [redacted]") !=
        std::string::npos);
  std::string Text = readText(Recording);
  CHECK(Text.find("Incorrect API key provided: [redacted]") !=
        std::string::npos);
  CHECK(Text.find(Key) == std::string::npos);
  CHECK(H.Server.requests().size() == 1); // 401 is not retried
}

TEST_CASE("A reply nested 100,000 levels deep is refused, recorded and replayed",
          "[llm][errors][json-limits]") {
  // Issue 14: this body killed the tuner (SIGSEGV in the recursive parser)
  // and left the recording empty, so the crash could not be replayed.
  test::TempDir Dir{"autopass-llm-test-"};
  std::string Recording = Dir.Path + "/deep.jsonl";
  const std::string Deep = std::string(100000, '[') + std::string(100000, ']');
  std::string LiveError;
  {
    Harness H;
    H.Server.enqueue(ScriptedReply::json(Deep));
    H.Server.enqueue(ScriptedReply::json(Deep));
    auto Rec = RecordingTransport::open(std::make_unique<CurlTransport>(),
                                        Recording, {Key});
    REQUIRE(Rec.ok());
    LlmClient Client(H.Settings, std::move(*Rec), H.hooks());
    Result<ChatReply> R = Client.chat(simpleRequest());
    REQUIRE_FALSE(R.ok());
    LiveError = R.message();
    CHECK(LiveError.find("nesting deeper than 256 levels") != std::string::npos);
    CHECK(H.Server.requests().size() == 2);
  }
  // Both exchanges are in the recording, the bodies kept as text.
  std::string Text = readText(Recording);
  CHECK(std::count(Text.begin(), Text.end(), '\n') == 2);
  CHECK(Text.find("\"response_text\":\"[[[[") != std::string::npos);
  CHECK(Text.find("\"response\":") == std::string::npos);

  // Offline, the replay refuses the reply the same way.
  LlmSettings Offline;
  Offline.ReplayPath = Recording;
  LlmClientHooks Hooks;
  Hooks.Sleep = [](std::chrono::milliseconds) {};
  Result<std::unique_ptr<LlmClient>> Replayed =
      makeLlmClient(Offline, /*RecordPath=*/"", Hooks);
  REQUIRE(Replayed.ok());
  Result<ChatReply> Again = (*Replayed)->chat(simpleRequest());
  REQUIRE_FALSE(Again.ok());
  // The same words after the URL (the replay's base URL is the default).
  auto afterUrl = [](const std::string &M) { return M.substr(M.find(": HTTP ")); };
  REQUIRE(LiveError.find(": HTTP ") != std::string::npos);
  REQUIRE(Again.message().find(": HTTP ") != std::string::npos);
  CHECK(afterUrl(Again.message()) == afterUrl(LiveError));
}
