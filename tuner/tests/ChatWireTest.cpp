//===- tests/ChatWireTest.cpp - The chat-completions wire format ---------===//
//
// Request encoding and reply decoding (agents/ChatTypes) for the variants
// servers send, and the Retry-After parser, with no network.
//
//===----------------------------------------------------------------------===//
#include "agents/ChatTypes.hpp"
#include "agents/LlmClient.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using namespace autopass;

namespace {

constexpr std::time_t FixedNow = 1700000000; // 2023-11-14T22:13:20Z

rapidjson::Document parse(const std::string &Text) {
  rapidjson::Document D;
  D.Parse(Text.c_str());
  REQUIRE_FALSE(D.HasParseError());
  return D;
}

std::vector<ToolSpec> sessionTools() {
  ToolSpec Remarks{"get_remarks", "Optimization remarks of a region",
                   R"({"type":"object","properties":{"region":{"type":"string"}},"required":["region"]})"};
  ToolSpec Features{"get_features", "Features of a function",
                    R"({"type":"object","properties":{"function":{"type":"string"}}})"};
  return {Remarks, Features};
}

} // namespace

TEST_CASE("Chat requests encode messages, tool calls and tools",
          "[llm][wire]") {
  ChatRequest R;
  R.Messages.push_back(ChatMessage::system("sys"));
  R.Messages.push_back(ChatMessage::user("q"));
  R.Messages.push_back(
      ChatMessage::assistant("", {{"call_1", "get_remarks", R"({"region":"f"})"}}));
  R.Messages.push_back(ChatMessage::toolResult("call_1", "none"));
  R.Tools = sessionTools();
  R.MaxTokens = 256;
  R.JsonResponse = true;

  Result<std::string> Body = encodeChatRequest(R, "m", 0.2, true, true);
  REQUIRE(Body.ok());
  rapidjson::Document D = parse(*Body);
  CHECK(std::string(D["model"].GetString()) == "m");
  CHECK(D["max_tokens"].GetInt() == 256);
  CHECK(std::string(D["response_format"]["type"].GetString()) == "json_object");
  const auto &M = D["messages"];
  REQUIRE(M.Size() == 4);
  CHECK(M[2]["content"].IsNull());
  CHECK(std::string(M[2]["tool_calls"][0]["function"]["arguments"].GetString()) ==
        R"({"region":"f"})");
  CHECK(std::string(M[3]["role"].GetString()) == "tool");
  CHECK(std::string(M[3]["tool_call_id"].GetString()) == "call_1");
  CHECK(std::string(D["tools"][0]["function"]["parameters"]["required"][0]
                        .GetString()) == "region");

  Result<std::string> NoTools = encodeChatRequest(R, "m", 0.2, false, false);
  REQUIRE(NoTools.ok());
  rapidjson::Document D2 = parse(*NoTools);
  CHECK_FALSE(D2.HasMember("tools"));
  CHECK_FALSE(D2.HasMember("response_format"));

  R.Tools[0].ParametersSchemaJson = "{not json";
  Result<std::string> Bad = encodeChatRequest(R, "m", 0.2, true, true);
  REQUIRE_FALSE(Bad.ok());
  CHECK(Bad.message().find("get_remarks") != std::string::npos);
}

TEST_CASE("Chat replies decode the variants servers send", "[llm][wire]") {
  // Arguments as an object (Ollama style), no id, no usage.
  Result<ChatReply> R = decodeChatReply(
      R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f","arguments":{"a":1}}}]},"finish_reason":"tool_calls"}]})");
  REQUIRE(R.ok());
  REQUIRE(R->ToolCalls.size() == 1);
  CHECK(R->ToolCalls[0].Id == "call_0");
  CHECK(R->ToolCalls[0].ArgumentsJson == R"({"a":1})");
  CHECK(R->Content.empty());
  CHECK(R->FinishReason == "tool_calls");
  CHECK(R->Usage.TotalTokens == 0);

  Result<ChatReply> NoChoices = decodeChatReply(R"({"id":"x","choices":[]})");
  REQUIRE_FALSE(NoChoices.ok());
  CHECK(NoChoices.message().find("choices") != std::string::npos);

  CHECK(serverErrorMessage(R"({"error":{"message":"model not found"}})") ==
        "model not found");
  CHECK(serverErrorMessage(R"({"detail":"bad field"})") == "bad field");
  CHECK(serverErrorMessage("<html>502</html>") == "<html>502</html>");
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date",
          "[llm][retry]") {
  CHECK(parseRetryAfterMs("1", FixedNow) == 1000);
  CHECK(parseRetryAfterMs(" 2.5 ", FixedNow) == 2500);
  // FixedNow is Tue, 14 Nov 2023 22:13:20 GMT.
  CHECK(parseRetryAfterMs("Tue, 14 Nov 2023 22:13:27 GMT", FixedNow) == 7000);
  CHECK(parseRetryAfterMs("Tue, 14 Nov 2023 22:00:00 GMT", FixedNow) == 0);
  CHECK_FALSE(parseRetryAfterMs("soon", FixedNow).has_value());
  CHECK_FALSE(parseRetryAfterMs("3s", FixedNow).has_value());
}
