//===- agents/ChatTypes.hpp - Chat-completion messages and replies -*- C++ -*-===//
//
// The vocabulary the agents and the LLM client share: messages, tool calls,
// tool specifications, one request and one reply of an OpenAI-compatible
// /chat/completions endpoint. The wire format (JSON) lives in ChatTypes.cpp
// so that the client, the recorder and the tests encode it one way only.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

enum class ChatRole { System, User, Assistant, Tool };

std::string_view chatRoleName(ChatRole R);

/// One function call the model asked for. ArgumentsJson is the JSON text the
/// model produced; it is untrusted and the tool handler must validate it.
struct ToolCall {
  std::string Id;
  std::string Name;
  std::string ArgumentsJson;

  bool operator==(const ToolCall &O) const {
    return Id == O.Id && Name == O.Name && ArgumentsJson == O.ArgumentsJson;
  }
};

struct ChatMessage {
  ChatRole Role = ChatRole::User;
  std::string Content;
  /// Optional participant name (system/user/assistant only; never sent on
  /// tool messages, which OpenAI does not accept it on).
  std::string Name;
  /// For Role == Tool: the id of the call this message answers.
  std::string ToolCallId;
  /// For Role == Assistant: the calls the model made in this turn.
  std::vector<ToolCall> ToolCalls;

  static ChatMessage system(std::string Text);
  static ChatMessage user(std::string Text);
  static ChatMessage assistant(std::string Text,
                               std::vector<ToolCall> Calls = {});
  static ChatMessage toolResult(std::string CallId, std::string Text);
};

/// A function the model may call. ParametersSchemaJson is a JSON Schema
/// object (as text) describing the arguments.
struct ToolSpec {
  std::string Name;
  std::string Description;
  std::string ParametersSchemaJson = R"({"type":"object","properties":{}})";
};

struct ChatRequest {
  std::vector<ChatMessage> Messages;
  std::vector<ToolSpec> Tools;
  /// Unset: the client's configured temperature.
  std::optional<double> Temperature;
  std::optional<int64_t> MaxTokens;
  /// Ask for response_format {"type":"json_object"}. The client drops it
  /// (and remembers) when the server rejects it.
  bool JsonResponse = false;
};

struct TokenUsage {
  int64_t PromptTokens = 0;
  int64_t CompletionTokens = 0;
  int64_t TotalTokens = 0;
  /// True when the server reported no usage and the figures are the client's
  /// estimate (about four characters per token).
  bool Estimated = false;

  TokenUsage &operator+=(const TokenUsage &O);
  bool operator==(const TokenUsage &O) const {
    return PromptTokens == O.PromptTokens &&
           CompletionTokens == O.CompletionTokens &&
           TotalTokens == O.TotalTokens && Estimated == O.Estimated;
  }
};

struct ChatReply {
  std::string Content;
  std::vector<ToolCall> ToolCalls;
  /// "stop", "tool_calls", "length", ... as the server said; may be empty.
  std::string FinishReason;
  TokenUsage Usage;
  /// The model name the server reports having used.
  std::string Model;
  /// The request carried tools but the server has no tool calling, so the
  /// client sent it without them: the caller should describe the tools in
  /// the prompt and ask for a JSON reply instead.
  bool ToolsDropped = false;
  /// Likewise for response_format json_object.
  bool JsonModeDropped = false;
  /// HTTP attempts this reply took (1 when nothing was retried).
  int Attempts = 0;

  /// Equality of what the model said (not of how many attempts it took).
  bool sameAnswer(const ChatReply &O) const {
    return Content == O.Content && ToolCalls == O.ToolCalls &&
           FinishReason == O.FinishReason && Usage == O.Usage;
  }
};

/// Encodes the JSON body of POST /chat/completions. Fails when a tool's
/// parameter schema is not a JSON object.
Result<std::string> encodeChatRequest(const ChatRequest &Request,
                                      std::string_view Model,
                                      double DefaultTemperature,
                                      bool SendTools, bool SendJsonMode);

/// Decodes a successful /chat/completions reply (choices[0].message,
/// tool_calls, finish_reason, usage). Fails with a message that names what
/// is missing when the body is not such a reply.
Result<ChatReply> decodeChatReply(std::string_view Body);

/// The server's own error text from an error body: OpenAI's
/// {"error":{"message":...}}, {"error":"..."}, FastAPI's {"detail":...}, or
/// the start of a non-JSON body.
std::string serverErrorMessage(std::string_view Body);

/// The approximate token count of a text, used only when a server reports
/// no usage.
int64_t estimateTokens(std::string_view Text);

} // namespace autopass
