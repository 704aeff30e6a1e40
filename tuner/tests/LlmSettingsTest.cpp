//===- tests/LlmSettingsTest.cpp - Resolving the LLM settings ------------===//
//
// Flags, environment and defaults for the LLM client (agents/LlmSettings),
// through the same cxxopts options the tuner's command line declares.
//
//===----------------------------------------------------------------------===//
#include "agents/LlmSettings.hpp"

#include <catch2/catch.hpp>
#include <cxxopts.hpp>

#include <map>

using namespace autopass;

TEST_CASE("LLM settings: flags beat the environment, keys in order",
          "[llm][settings]") {
  std::map<std::string, std::string> Vars = {
      {"AUTOPASS_LLM_BASE_URL", "http://127.0.0.1:11434/v1/"},
      {"AUTOPASS_LLM_MODEL", "llama3.1"},
      {"AUTOPASS_API_KEY", "autopass-key-123"},
      {"OPENAI_API_KEY", "openai-key-456"}};
  EnvLookup Env = [&](const char *Name) -> std::optional<std::string> {
    auto It = Vars.find(Name);
    if (It == Vars.end())
      return std::nullopt;
    return It->second;
  };

  Result<LlmSettings> S = resolveLlmSettings({}, Env);
  REQUIRE(S.ok());
  CHECK(S->BaseUrl == "http://127.0.0.1:11434/v1"); // trailing slash dropped
  CHECK(S->chatCompletionsUrl() == "http://127.0.0.1:11434/v1/chat/completions");
  CHECK(S->Model == "llama3.1");
  CHECK(S->ApiKey == "autopass-key-123");
  CHECK(S->describe().find("autopass-key-123") == std::string::npos);
  CHECK(S->describe().find("AUTOPASS_API_KEY") != std::string::npos);

  LlmFlags F;
  F.BaseUrl = "https://api.deepseek.com";
  F.Model = "deepseek-chat";
  F.Temperature = 0.7;
  F.TokenBudget = 5000;
  S = resolveLlmSettings(F, Env);
  REQUIRE(S.ok());
  CHECK(S->BaseUrl == "https://api.deepseek.com");
  CHECK(S->Model == "deepseek-chat");
  CHECK(S->Temperature == 0.7);
  CHECK(S->TokenBudget == 5000);

  Vars.erase("AUTOPASS_API_KEY");
  S = resolveLlmSettings({}, Env);
  REQUIRE(S.ok());
  CHECK(S->ApiKey == "openai-key-456");
  CHECK(S->ApiKeySource == "OPENAI_API_KEY");

  Vars.clear();
  S = resolveLlmSettings({}, Env);
  REQUIRE_FALSE(S.ok());
  CHECK(S.message().find("--llm-model") != std::string::npos);
  CHECK(S.message().find("AUTOPASS_LLM_MODEL") != std::string::npos);

  // No key, no model needed when replaying; default URL is OpenAI's.
  F = LlmFlags();
  F.ReplayPath = "/run/llm-session.jsonl";
  S = resolveLlmSettings(F, Env);
  REQUIRE(S.ok());
  CHECK(S->ApiKey.empty());
  CHECK(S->BaseUrl == LlmSettings::DefaultBaseUrl);

  F = LlmFlags();
  F.Model = "m";
  F.BaseUrl = "localhost:8080/v1";
  S = resolveLlmSettings(F, Env);
  REQUIRE_FALSE(S.ok());
  CHECK(S.message().find("--llm-base-url") != std::string::npos);
  F.BaseUrl = "http://localhost:8080/v1/chat/completions";
  CHECK_FALSE(resolveLlmSettings(F, Env).ok());
  F.BaseUrl.reset();
  F.Temperature = 3.5;
  S = resolveLlmSettings(F, Env);
  REQUIRE_FALSE(S.ok());
  CHECK(S.message().find("--llm-temperature") != std::string::npos);
}

TEST_CASE("LLM command-line options map onto the settings",
          "[llm][settings]") {
  cxxopts::Options Options("autopass-tuner");
  addLlmOptions(Options);
  const char *Argv[] = {"autopass-tuner", "--llm-model",   "qwen2.5",
                        "--llm-timeout",  "2.5",           "--llm-retries",
                        "1",              "--llm-no-tools", "--llm-base-url",
                        "http://127.0.0.1:8080/v1"};
  int Argc = sizeof(Argv) / sizeof(Argv[0]);
  cxxopts::ParseResult Parsed = Options.parse(Argc, Argv);
  Result<LlmFlags> F = llmFlagsFromOptions(Parsed);
  REQUIRE(F.ok());
  EnvLookup NoEnv = [](const char *) { return std::optional<std::string>(); };
  Result<LlmSettings> S = resolveLlmSettings(*F, NoEnv);
  REQUIRE(S.ok());
  CHECK(S->Model == "qwen2.5");
  CHECK(S->RequestTimeoutMs == 2500);
  CHECK(S->MaxRetries == 1);
  CHECK(S->NoTools);
  CHECK(S->BaseUrl == "http://127.0.0.1:8080/v1");

  const char *Bad[] = {"autopass-tuner", "--llm-model", "m", "--llm-timeout",
                       "0"};
  cxxopts::ParseResult BadParsed = Options.parse(5, Bad);
  Result<LlmFlags> BadFlags = llmFlagsFromOptions(BadParsed);
  REQUIRE(BadFlags.ok());
  Result<LlmSettings> BadSettings = resolveLlmSettings(*BadFlags, NoEnv);
  REQUIRE_FALSE(BadSettings.ok());
  CHECK(BadSettings.message().find("--llm-timeout") != std::string::npos);
}
