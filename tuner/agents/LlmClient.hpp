//===- agents/LlmClient.hpp - OpenAI-compatible chat client ---*- C++ -*-===//
//
// The one way the tuner talks to an LLM: POST /chat/completions through an
// LlmTransport, with retries (exponential backoff with seeded jitter,
// honouring Retry-After up to a cap), token accounting against a budget, and
// fallbacks for servers without tool calling or JSON mode. On top of it, two
// conversation helpers the agents use:
//  - runToolLoop: answers the model's tool calls with a handler until it
//    gives a final reply (bounded rounds);
//  - chatUntilValid: validates a reply, sends the error back and asks again,
//    a bounded number of times.
// The model's words never run anything: tool calls go to the handler the
// agent supplies, and only names the request declared are dispatched.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/ChatTypes.hpp"
#include "agents/LlmSettings.hpp"
#include "agents/LlmTransport.hpp"

#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace autopass {

/// Injectable time, so tests check the waiting without waiting.
struct LlmClientHooks {
  std::function<void(std::chrono::milliseconds)> Sleep; // default: sleep_for
  std::function<std::time_t()> Now;                     // default: std::time
};

struct LlmClientStats {
  int Calls = 0;              ///< chat() calls that returned a reply
  int Attempts = 0;           ///< HTTP attempts, all calls
  int Retries = 0;            ///< attempts repeated after a retryable failure
  int RetryAfterHonoured = 0; ///< waits taken from a Retry-After header
  std::vector<int64_t> WaitsMs; ///< every wait before a retry, in order
};

/// Parses a Retry-After value: delay seconds (fractions accepted) or an HTTP
/// date, relative to Now. std::nullopt when it is neither.
std::optional<int64_t> parseRetryAfterMs(const std::string &Value,
                                         std::time_t Now);

/// Not thread-safe: one client per agent loop (calls are sequential anyway,
/// and the recording must keep their order).
class LlmClient {
public:
  LlmClient(LlmSettings Settings, std::unique_ptr<LlmTransport> Transport,
            LlmClientHooks Hooks = {});

  /// One chat completion. Fails (no exception) on a non-retryable error, when
  /// retries are exhausted, and once the token budget is spent.
  Result<ChatReply> chat(const ChatRequest &Request);

  /// Tokens spent so far (sums of the servers' usage, or estimates).
  const TokenUsage &usage() const { return Used; }
  /// Tokens left in the budget; std::nullopt when there is no budget.
  std::optional<int64_t> remainingTokens() const;
  /// False once the server rejected `tools` (or --llm-no-tools).
  bool toolsSupported() const { return ToolsSupported; }
  /// False once the server rejected response_format json_object.
  bool jsonModeSupported() const { return JsonModeSupported; }
  const LlmClientStats &stats() const { return Stats; }
  const LlmSettings &settings() const { return Settings; }

private:
  Result<ChatReply> chatImpl(const ChatRequest &Request);
  int64_t backoffMs(int Retry);

  LlmSettings Settings;
  std::unique_ptr<LlmTransport> Transport;
  LlmClientHooks Hooks;
  std::mt19937_64 Jitter;
  TokenUsage Used;
  bool ToolsSupported = true;
  bool JsonModeSupported = true;
  LlmClientStats Stats;
};

/// Builds the client a run uses: replays Settings.ReplayPath when set (no
/// network), otherwise talks to Settings.BaseUrl over libcurl; records every
/// exchange to RecordPath when it is not empty (also when replaying, so the
/// new run directory is complete).
Result<std::unique_ptr<LlmClient>> makeLlmClient(const LlmSettings &Settings,
                                                 const std::string &RecordPath,
                                                 LlmClientHooks Hooks = {});

/// Answers one tool call; the text goes back to the model as the tool's
/// result. Handlers only read evidence; errors are returned as text.
using ToolHandler = std::function<std::string(const ToolCall &)>;

struct ToolLoopResult {
  ChatReply Final;
  /// The request's messages plus every assistant turn and tool result.
  std::vector<ChatMessage> Messages;
  int Rounds = 0;    ///< chat calls made
  int ToolCalls = 0; ///< tool calls answered
};

/// chat → if the reply calls tools, append it and the handler's results,
/// chat again; at most MaxRounds chat calls. Calls to tools the request did
/// not declare are answered with an error text, never dispatched. Returns
/// early (Final.ToolsDropped set) when the server has no tool calling.
Result<ToolLoopResult> runToolLoop(LlmClient &Client, ChatRequest Request,
                                   const ToolHandler &Handler,
                                   int MaxRounds = 8);

struct RepairPolicy {
  /// How many times an invalid reply is sent back with its error.
  int MaxRepairs = 2;
  /// The user message sent back; "{error}" is replaced by the error.
  std::string Message =
      "Your reply was rejected: {error}\nReply again with the corrected "
      "answer only, in the required JSON format.";
  /// When set, each attempt is a runToolLoop with this handler.
  ToolHandler Tools;
  int MaxToolRounds = 8;
};

struct RepairOutcome {
  int Attempts = 0;                ///< replies obtained (1 + repairs used)
  std::vector<std::string> Errors; ///< each rejected reply's error
};

/// The untyped core of chatUntilValid.
Status chatUntilValidImpl(LlmClient &Client, ChatRequest Request,
                          const std::function<Status(const ChatReply &)> &Accept,
                          const RepairPolicy &Policy, RepairOutcome *Outcome);

/// Asks, validates the reply, and on failure appends the reply and the
/// error and asks again, at most Policy.MaxRepairs times. Fails with the
/// last validation error (a failed proposal) or the client's error.
template <typename T>
Result<T> chatUntilValid(LlmClient &Client, ChatRequest Request,
                         const std::function<Result<T>(const ChatReply &)> &Validate,
                         const RepairPolicy &Policy = {},
                         RepairOutcome *Outcome = nullptr) {
  std::optional<T> Value;
  Status S = chatUntilValidImpl(
      Client, std::move(Request),
      [&](const ChatReply &Reply) -> Status {
        Result<T> R = Validate(Reply);
        if (!R)
          return R.error();
        Value = std::move(*R);
        return success();
      },
      Policy, Outcome);
  if (!S)
    return S.error();
  return std::move(*Value);
}

} // namespace autopass
