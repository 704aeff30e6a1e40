//===- agents/ChatTypes.cpp - The chat-completions wire format ------------===//
//
// JSON encoding of requests and decoding of replies for OpenAI-compatible
// servers. Servers differ in small ways (arguments as a string or an object,
// missing tool call ids, content null, usage absent); the decoder accepts
// those variants so the rest of the tuner sees one shape.
//
//===----------------------------------------------------------------------===//
#include "agents/ChatTypes.hpp"

#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <rapidjson/document.h>

namespace autopass {

namespace rj = rapidjson;

std::string_view chatRoleName(ChatRole R) {
  switch (R) {
  case ChatRole::System:
    return "system";
  case ChatRole::User:
    return "user";
  case ChatRole::Assistant:
    return "assistant";
  case ChatRole::Tool:
    return "tool";
  }
  return "user";
}

ChatMessage ChatMessage::system(std::string Text) {
  ChatMessage M;
  M.Role = ChatRole::System;
  M.Content = std::move(Text);
  return M;
}

ChatMessage ChatMessage::user(std::string Text) {
  ChatMessage M;
  M.Role = ChatRole::User;
  M.Content = std::move(Text);
  return M;
}

ChatMessage ChatMessage::assistant(std::string Text,
                                   std::vector<ToolCall> Calls) {
  ChatMessage M;
  M.Role = ChatRole::Assistant;
  M.Content = std::move(Text);
  M.ToolCalls = std::move(Calls);
  return M;
}

ChatMessage ChatMessage::toolResult(std::string CallId, std::string Text) {
  ChatMessage M;
  M.Role = ChatRole::Tool;
  M.ToolCallId = std::move(CallId);
  M.Content = std::move(Text);
  return M;
}

TokenUsage &TokenUsage::operator+=(const TokenUsage &O) {
  PromptTokens += O.PromptTokens;
  CompletionTokens += O.CompletionTokens;
  TotalTokens += O.TotalTokens;
  Estimated = Estimated || O.Estimated;
  return *this;
}

int64_t estimateTokens(std::string_view Text) {
  return static_cast<int64_t>((Text.size() + 3) / 4);
}

namespace {

rj::Value str(std::string_view S, rj::Document::AllocatorType &A) {
  return rj::Value(S.data(), static_cast<rj::SizeType>(S.size()), A);
}

std::string toText(const rj::Value &V) { return compactJson(V); }

std::string snippet(std::string_view Body) {
  constexpr size_t Max = 200;
  std::string Out(Body.substr(0, Max));
  if (Body.size() > Max)
    Out += "...";
  for (char &C : Out)
    if (C == '\n' || C == '\r')
      C = ' ';
  return Out;
}

} // namespace

Result<std::string> encodeChatRequest(const ChatRequest &Request,
                                      std::string_view Model,
                                      double DefaultTemperature,
                                      bool SendTools, bool SendJsonMode) {
  rj::Document D(rj::kObjectType);
  auto &A = D.GetAllocator();
  D.AddMember("model", str(Model, A), A);

  rj::Value Msgs(rj::kArrayType);
  for (const ChatMessage &M : Request.Messages) {
    rj::Value O(rj::kObjectType);
    O.AddMember("role", str(chatRoleName(M.Role), A), A);
    // OpenAI wants content null (not "") on an assistant turn that only
    // calls tools; several local servers accept either.
    if (M.Role == ChatRole::Assistant && !M.ToolCalls.empty() &&
        M.Content.empty())
      O.AddMember("content", rj::Value(rj::kNullType), A);
    else
      O.AddMember("content", str(M.Content, A), A);
    if (!M.Name.empty() && M.Role != ChatRole::Tool)
      O.AddMember("name", str(M.Name, A), A);
    if (M.Role == ChatRole::Tool)
      O.AddMember("tool_call_id", str(M.ToolCallId, A), A);
    if (M.Role == ChatRole::Assistant && !M.ToolCalls.empty()) {
      rj::Value Calls(rj::kArrayType);
      for (const ToolCall &C : M.ToolCalls) {
        rj::Value Fn(rj::kObjectType);
        Fn.AddMember("name", str(C.Name, A), A);
        Fn.AddMember("arguments", str(C.ArgumentsJson, A), A);
        rj::Value Call(rj::kObjectType);
        Call.AddMember("id", str(C.Id, A), A);
        Call.AddMember("type", "function", A);
        Call.AddMember("function", Fn, A);
        Calls.PushBack(Call, A);
      }
      O.AddMember("tool_calls", Calls, A);
    }
    Msgs.PushBack(O, A);
  }
  D.AddMember("messages", Msgs, A);

  if (SendTools && !Request.Tools.empty()) {
    rj::Value Tools(rj::kArrayType);
    for (const ToolSpec &T : Request.Tools) {
      rj::Document Schema(&A);
      // Embedded four levels down ({"tools":[{"function":{"parameters":).
      if (!parseJsonInto(Schema, T.ParametersSchemaJson, "tool " + T.Name,
                         MaxJsonDepth - 4) ||
          !Schema.IsObject())
        return makeError("tool '" + T.Name +
                         "': parameters schema is not a JSON object: " +
                         snippet(T.ParametersSchemaJson));
      rj::Value Fn(rj::kObjectType);
      Fn.AddMember("name", str(T.Name, A), A);
      Fn.AddMember("description", str(T.Description, A), A);
      Fn.AddMember("parameters", rj::Value(Schema, A), A);
      rj::Value Tool(rj::kObjectType);
      Tool.AddMember("type", "function", A);
      Tool.AddMember("function", Fn, A);
      Tools.PushBack(Tool, A);
    }
    D.AddMember("tools", Tools, A);
  }

  D.AddMember("temperature",
              rj::Value(Request.Temperature.value_or(DefaultTemperature)), A);
  if (Request.MaxTokens)
    D.AddMember("max_tokens", rj::Value(static_cast<int64_t>(*Request.MaxTokens)),
                A);
  if (SendJsonMode && Request.JsonResponse) {
    rj::Value Fmt(rj::kObjectType);
    Fmt.AddMember("type", "json_object", A);
    D.AddMember("response_format", Fmt, A);
  }
  D.AddMember("stream", false, A);
  return toText(D);
}

namespace {

int64_t intMember(const rj::Value &O, const char *Key) {
  if (!O.IsObject())
    return 0;
  auto It = O.FindMember(Key);
  if (It == O.MemberEnd() || !It->value.IsNumber())
    return 0;
  return It->value.IsInt64() ? It->value.GetInt64()
                             : static_cast<int64_t>(It->value.GetDouble());
}

std::string stringMember(const rj::Value &O, const char *Key) {
  if (!O.IsObject())
    return {};
  auto It = O.FindMember(Key);
  if (It == O.MemberEnd() || !It->value.IsString())
    return {};
  return std::string(It->value.GetString(), It->value.GetStringLength());
}

} // namespace

Result<ChatReply> decodeChatReply(std::string_view Body) {
  rj::Document D;
  // The check bounds nesting before RapidJSON's recursive code sees it.
  if (Status S = parseJsonInto(D, Body, "body"); !S)
    return makeError("reply is not valid JSON (" + S.message() +
                     "): " + snippet(Body));
  if (!D.IsObject())
    return makeError("reply is not a JSON object: " + snippet(Body));
  if (D.HasMember("error") && !D.HasMember("choices"))
    return makeError("server returned an error: " + serverErrorMessage(Body));
  auto Choices = D.FindMember("choices");
  if (Choices == D.MemberEnd() || !Choices->value.IsArray() ||
      Choices->value.Empty())
    return makeError("reply has no 'choices' array with at least one "
                     "element: " +
                     snippet(Body));
  const rj::Value &Choice = Choices->value[0];
  if (!Choice.IsObject() || !Choice.HasMember("message") ||
      !Choice["message"].IsObject())
    return makeError("reply field 'choices[0].message': expected an object: " +
                     snippet(Body));
  const rj::Value &Msg = Choice["message"];

  ChatReply R;
  R.Content = stringMember(Msg, "content"); // null when only tools are called
  R.FinishReason = stringMember(Choice, "finish_reason");
  R.Model = stringMember(D, "model");

  auto Calls = Msg.FindMember("tool_calls");
  if (Calls != Msg.MemberEnd() && !Calls->value.IsNull()) {
    if (!Calls->value.IsArray())
      return makeError("reply field 'choices[0].message.tool_calls': "
                       "expected an array");
    rj::SizeType Index = 0;
    for (const rj::Value &C : Calls->value.GetArray()) {
      std::string Where = "reply field 'choices[0].message.tool_calls[" +
                          std::to_string(Index) + "]";
      if (!C.IsObject() || !C.HasMember("function") ||
          !C["function"].IsObject())
        return makeError(Where + ".function': expected an object");
      const rj::Value &Fn = C["function"];
      ToolCall TC;
      TC.Id = stringMember(C, "id");
      // Some local servers omit ids; the reply to a call must name one.
      if (TC.Id.empty())
        TC.Id = "call_" + std::to_string(Index);
      TC.Name = stringMember(Fn, "name");
      if (TC.Name.empty())
        return makeError(Where + ".function.name': expected a non-empty "
                                 "string");
      auto Args = Fn.FindMember("arguments");
      if (Args == Fn.MemberEnd() || Args->value.IsNull())
        TC.ArgumentsJson = "{}";
      else if (Args->value.IsString())
        TC.ArgumentsJson.assign(Args->value.GetString(),
                                Args->value.GetStringLength());
      else // Ollama-style: arguments as an object
        TC.ArgumentsJson = toText(Args->value);
      R.ToolCalls.push_back(std::move(TC));
      ++Index;
    }
  }

  auto Usage = D.FindMember("usage");
  if (Usage != D.MemberEnd() && Usage->value.IsObject()) {
    R.Usage.PromptTokens = intMember(Usage->value, "prompt_tokens");
    R.Usage.CompletionTokens = intMember(Usage->value, "completion_tokens");
    R.Usage.TotalTokens = intMember(Usage->value, "total_tokens");
    if (R.Usage.TotalTokens == 0)
      R.Usage.TotalTokens = R.Usage.PromptTokens + R.Usage.CompletionTokens;
  }
  return R;
}

std::string serverErrorMessage(std::string_view Body) {
  rj::Document D;
  if (parseJsonInto(D, Body, "reply") && D.IsObject()) {
    for (const char *Key : {"error", "detail", "message"}) {
      auto It = D.FindMember(Key);
      if (It == D.MemberEnd())
        continue;
      const rj::Value &V = It->value;
      if (V.IsString())
        return V.GetString();
      if (V.IsObject()) {
        std::string M = stringMember(V, "message");
        if (!M.empty())
          return M;
      }
      return snippet(toText(V));
    }
  }
  if (trim(Body).empty())
    return "(empty body)";
  return snippet(Body);
}

} // namespace autopass
