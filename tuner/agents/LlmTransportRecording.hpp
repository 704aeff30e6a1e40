//===- agents/LlmTransportRecording.hpp - Record LLM exchanges --*- C++ -*-===//
//
// Wraps a transport and appends every exchange (including failed attempts:
// 429s, 500s, timeouts) to a JSON Lines file in the run directory, format
// `autopass-llm-exchange/1` (docs/llm.md). Each line is flushed and synced
// before the reply is handed on, so a killed run keeps every exchange it
// acted on. Request headers are never written (they carry the key), and the
// key's text is scrubbed from the whole line as a second line of defence.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/LlmTransport.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

inline constexpr const char *LlmExchangeFormat = "autopass-llm-exchange/1";

/// What identifies a request for replay: SHA-256 over the canonical JSON of
/// its `messages`, `tools` and `response_format`. The model name, the
/// temperature and max_tokens are left out on purpose: they do not change
/// what the agent asked, and a replay need not know the model.
std::string llmRequestKey(std::string_view Body);

class RecordingTransport : public LlmTransport {
public:
  /// Appends to Path (created if missing; its directory must exist).
  /// Secrets are replaced by "[redacted]" wherever they appear in a line;
  /// strings shorter than 8 characters are ignored (they would match noise).
  static Result<std::unique_ptr<RecordingTransport>>
  open(std::unique_ptr<LlmTransport> Inner, const std::string &Path,
       std::vector<std::string> Secrets);
  ~RecordingTransport() override;

  Result<HttpResponse> post(const HttpRequest &Request) override;
  bool isReplay() const override { return Inner->isReplay(); }
  const std::string &path() const { return Path; }

private:
  RecordingTransport(std::unique_ptr<LlmTransport> Inner, std::string Path,
                     std::FILE *File, std::vector<std::string> Secrets);

  std::unique_ptr<LlmTransport> Inner;
  std::string Path;
  std::FILE *File;
  std::vector<std::string> Secrets;
  int64_t Sequence = 0;
};

} // namespace autopass
