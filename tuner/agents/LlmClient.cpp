//===- agents/LlmClient.cpp - OpenAI-compatible chat client ---------------===//
//
// Retry policy (docs/llm.md):
//  - retried: network failures (timeout, refused, reset), HTTP 408, 409, 429
//    and 5xx; at most Settings.MaxRetries times;
//  - the wait is the server's Retry-After when given (a longer one than
//    RetryAfterCapMs fails at once: a quota that resets in an hour is not a
//    hiccup), else BackoffBaseMs * 2^n capped at BackoffMaxMs, with seeded
//    jitter in [50%, 100%] so parallel clients spread out;
//  - a 2xx body that is not a chat reply is retried once (proxies and
//    overloaded servers sometimes cut bodies short), then reported;
//  - other 4xx are not retried; the message carries the server's own text.
//
//===----------------------------------------------------------------------===//
#include "agents/LlmClient.hpp"

#include "agents/LlmTransportCurl.hpp"
#include "agents/LlmTransportRecording.hpp"
#include "agents/LlmTransportReplay.hpp"
#include "util/Strings.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <thread>

namespace autopass {

std::optional<int64_t> parseRetryAfterMs(const std::string &Value,
                                         std::time_t Now) {
  std::string_view V = trim(Value);
  if (V.empty())
    return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(V[0]))) {
    std::string Text(V);
    char *End = nullptr;
    double Seconds = std::strtod(Text.c_str(), &End);
    if (End && *End == '\0' && std::isfinite(Seconds) && Seconds >= 0)
      return static_cast<int64_t>(std::ceil(Seconds * 1000.0));
    return std::nullopt;
  }
  // An HTTP date (IMF-fixdate, RFC 850 or asctime); curl parses all three.
  std::time_t When = curl_getdate(std::string(V).c_str(), nullptr);
  if (When == -1)
    return std::nullopt;
  return When <= Now ? 0 : static_cast<int64_t>(When - Now) * 1000;
}

LlmClient::LlmClient(LlmSettings S, std::unique_ptr<LlmTransport> T,
                     LlmClientHooks H)
    : Settings(std::move(S)), Transport(std::move(T)), Hooks(std::move(H)),
      Jitter(Settings.JitterSeed) {
  if (!Hooks.Sleep)
    Hooks.Sleep = [](std::chrono::milliseconds D) {
      std::this_thread::sleep_for(D);
    };
  if (!Hooks.Now)
    Hooks.Now = [] { return std::time(nullptr); };
  ToolsSupported = !Settings.NoTools;
}

std::optional<int64_t> LlmClient::remainingTokens() const {
  if (Settings.TokenBudget <= 0)
    return std::nullopt;
  return std::max<int64_t>(0, Settings.TokenBudget - Used.TotalTokens);
}

int64_t LlmClient::backoffMs(int Retry) {
  double Full = static_cast<double>(Settings.BackoffBaseMs) *
                std::pow(2.0, std::min(Retry, 30));
  Full = std::min(Full, static_cast<double>(Settings.BackoffMaxMs));
  std::uniform_real_distribution<double> Fraction(0.5, 1.0);
  return static_cast<int64_t>(Full * Fraction(Jitter));
}

namespace {

std::string lower(std::string_view S) {
  std::string Out(S);
  for (char &C : Out)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  return Out;
}

bool isRetryableStatus(long Status) {
  return Status == 408 || Status == 409 || Status == 429 ||
         (Status >= 500 && Status <= 599);
}

/// Whether an error body says a feature is unsupported rather than misused:
/// "does not support tools", "requires --enable-auto-tool-choice",
/// "unrecognized request argument", "extra fields not permitted". A misused
/// feature (an invalid tool schema, a prompt without the word JSON) is the
/// caller's bug and is reported, not silently switched off.
bool saysUnsupported(const std::string &LowerBody) {
  for (const char *Word : {"support", "enable", "not allowed", "not permitted",
                           "unrecognized", "unknown", "extra"})
    if (LowerBody.find(Word) != std::string::npos)
      return true;
  return false;
}

/// A 400/422/501 saying the server (or the model it serves) has no tool
/// calling.
bool rejectsTools(long Status, const std::string &Body) {
  if (Status != 400 && Status != 422 && Status != 501)
    return false;
  std::string B = lower(Body);
  return (B.find("tool") != std::string::npos ||
          B.find("function") != std::string::npos) &&
         saysUnsupported(B);
}

bool rejectsJsonMode(long Status, const std::string &Body) {
  if (Status != 400 && Status != 422 && Status != 501)
    return false;
  std::string B = lower(Body);
  return (B.find("response_format") != std::string::npos ||
          B.find("json_object") != std::string::npos ||
          B.find("json mode") != std::string::npos) &&
         saysUnsupported(B);
}

} // namespace

Result<ChatReply> LlmClient::chat(const ChatRequest &Request) {
  Result<ChatReply> R = chatImpl(Request);
  if (R || Settings.ApiKey.size() < 8)
    return R;
  // Some servers quote the key in their error text ("Incorrect API key
  // provided: ..."); errors end up in logs and the journal.
  std::string Message = R.message();
  for (size_t Pos = Message.find(Settings.ApiKey); Pos != std::string::npos;
       Pos = Message.find(Settings.ApiKey, Pos))
    Message.replace(Pos, Settings.ApiKey.size(), "[redacted]");
  return makeError(std::move(Message));
}

Result<ChatReply> LlmClient::chatImpl(const ChatRequest &Request) {
  const std::string Url = Settings.chatCompletionsUrl();
  if (auto Left = remainingTokens(); Left && *Left == 0)
    return makeError("LLM token budget exhausted: " +
                     std::to_string(Used.TotalTokens) + " tokens used of " +
                     std::to_string(Settings.TokenBudget) +
                     " (--llm-token-budget)");

  int Attempts = 0, Retries = 0, MalformedRetries = 0;
  std::string LastProblem;
  while (true) {
    bool SendTools = ToolsSupported && !Request.Tools.empty();
    bool SendJson = JsonModeSupported && Request.JsonResponse;
    Result<std::string> Body = encodeChatRequest(
        Request, Settings.Model, Settings.Temperature, SendTools, SendJson);
    if (!Body)
      return makeError("LLM request: " + Body.message());

    HttpRequest H;
    H.Url = Url;
    H.Body = std::move(*Body);
    H.ConnectTimeoutMs = Settings.ConnectTimeoutMs;
    H.TimeoutMs = Settings.RequestTimeoutMs;
    H.Headers.emplace_back("Content-Type", "application/json");
    H.Headers.emplace_back("Accept", "application/json");
    if (!Settings.ApiKey.empty())
      H.Headers.emplace_back("Authorization", "Bearer " + Settings.ApiKey);

    ++Attempts;
    ++Stats.Attempts;
    Result<HttpResponse> Got = Transport->post(H);
    if (!Got)
      return makeError("LLM " + Url + ": " + Got.message());
    const HttpResponse &R = *Got;

    bool Retryable = false;
    if (R.Failure == NetFailure::Timeout) {
      LastProblem = "no reply within " + std::to_string(Settings.RequestTimeoutMs) +
                    " ms (" + R.FailureMessage + ")";
      Retryable = true;
    } else if (R.Failure == NetFailure::Connection) {
      LastProblem = "cannot connect (" + R.FailureMessage +
                    "); is the server running and --llm-base-url right?";
      Retryable = true;
    } else if (R.Failure != NetFailure::None) {
      return makeError("LLM " + Url + ": request failed: " + R.FailureMessage);
    } else if (R.Status >= 200 && R.Status <= 299) {
      Result<ChatReply> Reply = decodeChatReply(R.Body);
      if (Reply) {
        ChatReply Out = std::move(*Reply);
        if (Out.Usage.TotalTokens == 0) {
          // No usage reported (some local servers): estimate, so a budget
          // still means something.
          Out.Usage.PromptTokens = estimateTokens(H.Body);
          std::string Said = Out.Content;
          for (const ToolCall &C : Out.ToolCalls)
            Said += C.Name + C.ArgumentsJson;
          Out.Usage.CompletionTokens = estimateTokens(Said);
          Out.Usage.TotalTokens =
              Out.Usage.PromptTokens + Out.Usage.CompletionTokens;
          Out.Usage.Estimated = true;
        }
        Used += Out.Usage;
        // Also true on later calls: the caller learns it on every reply.
        Out.ToolsDropped = !Request.Tools.empty() && !SendTools;
        Out.JsonModeDropped = Request.JsonResponse && !SendJson;
        Out.Attempts = Attempts;
        ++Stats.Calls;
        return Out;
      }
      LastProblem = "HTTP " + std::to_string(R.Status) +
                    " but the body is not a chat completion: " + Reply.message();
      if (MalformedRetries >= 1 || Retries >= Settings.MaxRetries)
        return makeError("LLM " + Url + ": " + LastProblem);
      ++MalformedRetries;
      Retryable = true;
    } else if (SendTools && rejectsTools(R.Status, R.Body)) {
      // Remembered for the rest of the run; the agent switches to tools
      // described in the prompt and plain JSON replies.
      ToolsSupported = false;
      continue;
    } else if (SendJson && rejectsJsonMode(R.Status, R.Body)) {
      JsonModeSupported = false;
      continue;
    } else if (isRetryableStatus(R.Status)) {
      LastProblem = "HTTP " + std::to_string(R.Status) + ": " +
                    serverErrorMessage(R.Body);
      Retryable = true;
    } else {
      std::string Hint;
      if (R.Status == 401 || R.Status == 403)
        Hint = Settings.ApiKey.empty()
                   ? " (no key set: export AUTOPASS_API_KEY or OPENAI_API_KEY)"
                   : " (check the key in " + Settings.ApiKeySource + ")";
      else if (R.Status == 404)
        Hint = " (check --llm-base-url and --llm-model)";
      return makeError("LLM " + Url + ": HTTP " + std::to_string(R.Status) +
                       ": " + serverErrorMessage(R.Body) + Hint);
    }

    if (!Retryable || Retries >= Settings.MaxRetries)
      return makeError("LLM " + Url + ": giving up after " +
                       std::to_string(Attempts) + " attempt" +
                       (Attempts == 1 ? "" : "s") + ": " + LastProblem);

    int64_t WaitMs = backoffMs(Retries);
    std::string After = R.header("retry-after");
    if (!After.empty()) {
      if (std::optional<int64_t> Ms = parseRetryAfterMs(After, Hooks.Now())) {
        if (*Ms > Settings.RetryAfterCapMs)
          return makeError("LLM " + Url + ": " + LastProblem +
                           "; the server asks to wait " +
                           std::to_string(*Ms / 1000) +
                           " s (Retry-After), longer than the cap of " +
                           std::to_string(Settings.RetryAfterCapMs / 1000) +
                           " s; try again later");
        WaitMs = *Ms;
        ++Stats.RetryAfterHonoured;
      }
    }
    ++Retries;
    ++Stats.Retries;
    Stats.WaitsMs.push_back(WaitMs);
    // A replay already holds the outcome of the wait; do not wait again.
    if (!Transport->isReplay() && WaitMs > 0)
      Hooks.Sleep(std::chrono::milliseconds(WaitMs));
  }
}

Result<std::unique_ptr<LlmClient>> makeLlmClient(const LlmSettings &Settings,
                                                 const std::string &RecordPath,
                                                 LlmClientHooks Hooks) {
  std::unique_ptr<LlmTransport> T;
  if (!Settings.ReplayPath.empty()) {
    auto R = ReplayTransport::open(Settings.ReplayPath,
                                   Settings.ReplayLenient ? ReplayMatch::Sequence
                                                          : ReplayMatch::Exact);
    if (!R)
      return R.error();
    T = std::move(*R);
  } else {
    T = std::make_unique<CurlTransport>();
  }
  if (!RecordPath.empty()) {
    auto R = RecordingTransport::open(std::move(T), RecordPath,
                                      {Settings.ApiKey});
    if (!R)
      return R.error();
    T = std::move(*R);
  }
  return std::make_unique<LlmClient>(Settings, std::move(T), std::move(Hooks));
}

Result<ToolLoopResult> runToolLoop(LlmClient &Client, ChatRequest Request,
                                   const ToolHandler &Handler, int MaxRounds) {
  std::set<std::string> Declared;
  std::string DeclaredList;
  for (const ToolSpec &T : Request.Tools) {
    Declared.insert(T.Name);
    DeclaredList += (DeclaredList.empty() ? "" : ", ") + T.Name;
  }
  ToolLoopResult Out;
  while (true) {
    Result<ChatReply> Reply = Client.chat(Request);
    if (!Reply)
      return Reply.error();
    ++Out.Rounds;
    Request.Messages.push_back(
        ChatMessage::assistant(Reply->Content, Reply->ToolCalls));
    if (Reply->ToolCalls.empty() || Reply->ToolsDropped) {
      Out.Final = std::move(*Reply);
      Out.Messages = std::move(Request.Messages);
      return Out;
    }
    if (Out.Rounds >= MaxRounds)
      return makeError("LLM still calling tools after " +
                       std::to_string(MaxRounds) +
                       " rounds; giving up on this request");
    for (const ToolCall &Call : Reply->ToolCalls) {
      std::string Result =
          Declared.count(Call.Name)
              ? (Handler ? Handler(Call) : "error: no tool handler")
              : "error: unknown tool '" + Call.Name +
                    "'; the available tools are: " + DeclaredList;
      Request.Messages.push_back(ChatMessage::toolResult(Call.Id, Result));
      ++Out.ToolCalls;
    }
  }
}

Status chatUntilValidImpl(LlmClient &Client, ChatRequest Request,
                          const std::function<Status(const ChatReply &)> &Accept,
                          const RepairPolicy &Policy, RepairOutcome *Outcome) {
  RepairOutcome Local;
  RepairOutcome &O = Outcome ? *Outcome : Local;
  O = RepairOutcome();
  while (true) {
    ChatReply Reply;
    if (Policy.Tools) {
      Result<ToolLoopResult> Loop =
          runToolLoop(Client, Request, Policy.Tools, Policy.MaxToolRounds);
      if (!Loop)
        return Loop.error();
      Reply = std::move(Loop->Final);
      // Keep the tool exchange: the repair must see what the model read.
      Request.Messages = std::move(Loop->Messages);
    } else {
      Result<ChatReply> R = Client.chat(Request);
      if (!R)
        return R.error();
      Reply = std::move(*R);
      Request.Messages.push_back(ChatMessage::assistant(Reply.Content));
    }
    ++O.Attempts;
    Status Valid = Accept(Reply);
    if (Valid)
      return success();
    O.Errors.push_back(Valid.message());
    if (static_cast<int>(O.Errors.size()) > Policy.MaxRepairs)
      return makeError("LLM reply still invalid after " +
                       std::to_string(O.Attempts) + " attempt" +
                       (O.Attempts == 1 ? "" : "s") + ": " + Valid.message());
    std::string Text = Policy.Message;
    size_t Pos = Text.find("{error}");
    if (Pos != std::string::npos)
      Text.replace(Pos, 7, Valid.message());
    else
      Text += "\n" + Valid.message();
    Request.Messages.push_back(ChatMessage::user(std::move(Text)));
  }
}

} // namespace autopass
