//===- agents/LlmSettings.hpp - Where and how to reach the LLM --*- C++ -*-===//
//
// Resolves the LLM endpoint, model, key and client limits from command-line
// flags and the environment (flags win). It is a pure function over an
// environment lookup so tests need not touch the real environment. The key
// is held here and nowhere else; describe() never prints it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cxxopts {
class Options;
class ParseResult;
} // namespace cxxopts

namespace autopass {

/// What the command line said; unset fields fall back to the environment,
/// then to defaults.
struct LlmFlags {
  std::optional<std::string> BaseUrl;     // --llm-base-url
  std::optional<std::string> Model;       // --llm-model
  std::optional<double> Temperature;      // --llm-temperature
  std::optional<int64_t> RequestTimeoutMs;
  std::optional<int64_t> ConnectTimeoutMs;
  std::optional<int> MaxRetries;
  std::optional<int64_t> BackoffBaseMs;
  std::optional<int64_t> TokenBudget;     // --llm-token-budget; 0 = none
  std::optional<bool> NoTools;            // --llm-no-tools
  std::optional<std::string> ReplayPath;  // --llm-replay FILE
  std::optional<bool> ReplayLenient;      // --llm-replay-lenient
};

struct LlmSettings {
  static constexpr const char *DefaultBaseUrl = "https://api.openai.com/v1";

  /// Without a trailing slash; requests go to BaseUrl + "/chat/completions".
  std::string BaseUrl = DefaultBaseUrl;
  std::string Model;
  /// Empty when no key is configured (Ollama, llama.cpp, vLLM need none).
  std::string ApiKey;
  /// Which variable the key came from, for messages ("" when none).
  std::string ApiKeySource;
  double Temperature = 0.2;
  int64_t RequestTimeoutMs = 120000;
  int64_t ConnectTimeoutMs = 10000;
  /// Retries after the first attempt on 429, 5xx, timeouts, network errors.
  int MaxRetries = 4;
  int64_t BackoffBaseMs = 1000;
  int64_t BackoffMaxMs = 30000;
  /// A Retry-After longer than this fails the call instead of waiting.
  int64_t RetryAfterCapMs = 120000;
  /// Total tokens (prompt + completion) the run may spend; 0 = no budget.
  int64_t TokenBudget = 0;
  /// Never send tools (the server has no tool calling).
  bool NoTools = false;
  /// Seeds the backoff jitter, so a rerun waits the same way.
  uint64_t JitterSeed = 0x5eed;
  /// Set when the session is replayed from a recording (no server).
  std::string ReplayPath;
  /// Replay answers in order even when a request differs from the record
  /// (see docs/llm.md); by default a difference stops the replay.
  bool ReplayLenient = false;

  std::string chatCompletionsUrl() const { return BaseUrl + "/chat/completions"; }
  /// One line for logs and the journal: everything but the key's value.
  std::string describe() const;
};

/// Looks up an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char *Name)>;

/// The process environment (std::getenv); empty values count as unset.
std::optional<std::string> processEnv(const char *Name);

/// Resolves the settings. Base URL: flag > AUTOPASS_LLM_BASE_URL > OpenAI.
/// Model: flag > AUTOPASS_LLM_MODEL > error (when ModelRequired and not
/// replaying). Key: AUTOPASS_API_KEY > OPENAI_API_KEY > none. Numbers are
/// range-checked with messages that name the flag.
Result<LlmSettings> resolveLlmSettings(const LlmFlags &Flags,
                                       const EnvLookup &Env,
                                       bool ModelRequired = true);

/// Declares the --llm-* options (group "LLM") on the tuner's command line.
void addLlmOptions(cxxopts::Options &Options);

/// Reads the --llm-* options back; timeouts are given in seconds on the
/// command line. Fails with the option's name on a malformed value.
Result<LlmFlags> llmFlagsFromOptions(const cxxopts::ParseResult &Parsed);

} // namespace autopass
