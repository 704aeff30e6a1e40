//===- agents/LlmSettings.cpp - Resolving LLM settings --------------------===//
#include "agents/LlmSettings.hpp"

#include "util/Strings.hpp"

#include <cxxopts.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace autopass {

std::optional<std::string> processEnv(const char *Name) {
  const char *V = std::getenv(Name);
  if (!V || !*V)
    return std::nullopt;
  return std::string(V);
}

std::string LlmSettings::describe() const {
  std::ostringstream OS;
  OS << "base-url=" << BaseUrl << " model=" << (Model.empty() ? "(none)" : Model)
     << " key=" << (ApiKey.empty() ? "none" : "set from " + ApiKeySource)
     << " temperature=" << Temperature << " timeout=" << RequestTimeoutMs
     << "ms connect-timeout=" << ConnectTimeoutMs
     << "ms retries=" << MaxRetries << " backoff=" << BackoffBaseMs
     << "ms token-budget=" << (TokenBudget ? std::to_string(TokenBudget) : "none")
     << (NoTools ? " tools=off" : "");
  if (!ReplayPath.empty())
    OS << " replay=" << ReplayPath << (ReplayLenient ? " (lenient)" : "");
  return OS.str();
}

Result<LlmSettings> resolveLlmSettings(const LlmFlags &Flags,
                                       const EnvLookup &Env,
                                       bool ModelRequired) {
  LlmSettings S;
  auto EnvOrNone = [&](const char *Name) -> std::optional<std::string> {
    std::optional<std::string> V = Env ? Env(Name) : std::nullopt;
    if (V && trim(*V).empty())
      return std::nullopt;
    return V;
  };

  if (Flags.ReplayPath)
    S.ReplayPath = *Flags.ReplayPath;
  if (Flags.ReplayLenient)
    S.ReplayLenient = *Flags.ReplayLenient;

  std::string UrlSource = "default";
  if (Flags.BaseUrl) {
    S.BaseUrl = *Flags.BaseUrl;
    UrlSource = "--llm-base-url";
  } else if (auto V = EnvOrNone("AUTOPASS_LLM_BASE_URL")) {
    S.BaseUrl = *V;
    UrlSource = "AUTOPASS_LLM_BASE_URL";
  }
  S.BaseUrl = std::string(trim(S.BaseUrl));
  while (endsWith(S.BaseUrl, "/"))
    S.BaseUrl.pop_back();
  // A base URL that already names the endpoint would become
  // .../chat/completions/chat/completions; say so rather than 404 later.
  if (endsWith(S.BaseUrl, "/chat/completions"))
    return makeError(UrlSource + ": '" + S.BaseUrl +
                     "' should be the API base (e.g. http://127.0.0.1:8080/v1), "
                     "without /chat/completions");
  if (!startsWith(S.BaseUrl, "http://") && !startsWith(S.BaseUrl, "https://"))
    return makeError(UrlSource + ": '" + S.BaseUrl +
                     "' is not an http:// or https:// URL");

  if (Flags.Model)
    S.Model = std::string(trim(*Flags.Model));
  else if (auto V = EnvOrNone("AUTOPASS_LLM_MODEL"))
    S.Model = std::string(trim(*V));
  if (S.Model.empty() && ModelRequired && S.ReplayPath.empty())
    return makeError("no LLM model given: the llm strategy needs --llm-model "
                     "NAME or AUTOPASS_LLM_MODEL (e.g. gpt-4o-mini, "
                     "deepseek-chat, or the name your local server serves)");

  if (auto V = EnvOrNone("AUTOPASS_API_KEY")) {
    S.ApiKey = std::string(trim(*V));
    S.ApiKeySource = "AUTOPASS_API_KEY";
  } else if (auto V2 = EnvOrNone("OPENAI_API_KEY")) {
    S.ApiKey = std::string(trim(*V2));
    S.ApiKeySource = "OPENAI_API_KEY";
  }

  if (Flags.Temperature) {
    if (!(*Flags.Temperature >= 0.0 && *Flags.Temperature <= 2.0))
      return makeError("--llm-temperature: expected a number from 0 to 2, got " +
                       std::to_string(*Flags.Temperature));
    S.Temperature = *Flags.Temperature;
  }
  if (Flags.RequestTimeoutMs) {
    if (*Flags.RequestTimeoutMs <= 0)
      return makeError("--llm-timeout: expected a positive duration");
    S.RequestTimeoutMs = *Flags.RequestTimeoutMs;
  }
  if (Flags.ConnectTimeoutMs) {
    if (*Flags.ConnectTimeoutMs <= 0)
      return makeError("--llm-connect-timeout: expected a positive duration");
    S.ConnectTimeoutMs = *Flags.ConnectTimeoutMs;
  }
  if (Flags.MaxRetries) {
    if (*Flags.MaxRetries < 0 || *Flags.MaxRetries > 20)
      return makeError("--llm-retries: expected 0 to 20, got " +
                       std::to_string(*Flags.MaxRetries));
    S.MaxRetries = *Flags.MaxRetries;
  }
  if (Flags.BackoffBaseMs) {
    if (*Flags.BackoffBaseMs < 0)
      return makeError("--llm-backoff: expected a non-negative duration");
    S.BackoffBaseMs = *Flags.BackoffBaseMs;
  }
  if (Flags.TokenBudget) {
    if (*Flags.TokenBudget < 0)
      return makeError("--llm-token-budget: expected a non-negative token "
                       "count (0 = no budget)");
    S.TokenBudget = *Flags.TokenBudget;
  }
  if (Flags.NoTools)
    S.NoTools = *Flags.NoTools;
  return S;
}

void addLlmOptions(cxxopts::Options &Options) {
  Options.add_options("LLM")
    ("llm-base-url", "OpenAI-compatible API base URL (default: "
     "AUTOPASS_LLM_BASE_URL, else https://api.openai.com/v1)",
     cxxopts::value<std::string>(), "URL")
    ("llm-model", "model name (default: AUTOPASS_LLM_MODEL)",
     cxxopts::value<std::string>(), "NAME")
    ("llm-temperature", "sampling temperature, 0 to 2 (default 0.2)",
     cxxopts::value<double>(), "T")
    ("llm-timeout", "seconds to wait for one reply (default 120)",
     cxxopts::value<double>(), "SECONDS")
    ("llm-connect-timeout", "seconds to wait for a connection (default 10)",
     cxxopts::value<double>(), "SECONDS")
    ("llm-retries", "retries on 429, 5xx, timeouts, network errors "
     "(default 4)", cxxopts::value<int>(), "N")
    ("llm-token-budget", "stop asking the LLM after N tokens (0 = no budget)",
     cxxopts::value<int64_t>(), "N")
    ("llm-no-tools", "never send tools; describe them in the prompt instead")
    ("llm-replay", "replay a recorded LLM session (no server needed)",
     cxxopts::value<std::string>(), "FILE")
    ("llm-replay-lenient", "with --llm-replay: answer in order even where "
     "this run's prompts differ from the recorded ones");
}

Result<LlmFlags> llmFlagsFromOptions(const cxxopts::ParseResult &Parsed) {
  LlmFlags F;
  const char *Current = "";
  try {
    auto Seconds = [&](const char *Name) -> std::optional<int64_t> {
      Current = Name;
      if (!Parsed.count(Name))
        return std::nullopt;
      double S = Parsed[Name].as<double>();
      if (!std::isfinite(S) || S <= 0)
        return int64_t(-1); // rejected with the flag's name by resolve
      return static_cast<int64_t>(std::llround(S * 1000.0));
    };
    Current = "llm-base-url";
    if (Parsed.count(Current))
      F.BaseUrl = Parsed[Current].as<std::string>();
    Current = "llm-model";
    if (Parsed.count(Current))
      F.Model = Parsed[Current].as<std::string>();
    Current = "llm-temperature";
    if (Parsed.count(Current))
      F.Temperature = Parsed[Current].as<double>();
    F.RequestTimeoutMs = Seconds("llm-timeout");
    F.ConnectTimeoutMs = Seconds("llm-connect-timeout");
    Current = "llm-retries";
    if (Parsed.count(Current))
      F.MaxRetries = Parsed[Current].as<int>();
    Current = "llm-token-budget";
    if (Parsed.count(Current))
      F.TokenBudget = Parsed[Current].as<int64_t>();
    Current = "llm-no-tools";
    if (Parsed.count(Current))
      F.NoTools = true;
    Current = "llm-replay";
    if (Parsed.count(Current))
      F.ReplayPath = Parsed[Current].as<std::string>();
    Current = "llm-replay-lenient";
    if (Parsed.count(Current))
      F.ReplayLenient = true;
  } catch (const std::exception &E) {
    return makeError(std::string("--") + Current + ": " + E.what());
  }
  return F;
}

} // namespace autopass
