//===- agents/LlmTransportReplay.hpp - Answer from a recording --*- C++ -*-===//
//
// Replays an `autopass-llm-exchange/1` recording with no network: the n-th
// request of this run gets the n-th recorded response (HTTP status, headers,
// body, or the recorded network failure), so retries, tool rounds and
// fallbacks happen exactly as they did. In the strict mode (the default)
// each request must have the recorded request key (llmRequestKey: messages,
// tools, response_format); a difference means the run has diverged (other
// evidence, other prompts, other code) and replay stops with an error that
// names the exchange and the first differing message, rather than feeding
// the agent answers to questions it did not ask.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/LlmTransport.hpp"

#include <memory>
#include <string>
#include <vector>

namespace autopass {

enum class ReplayMatch {
  Exact,    ///< request keys must match (default)
  /// Answer in order whatever was asked; differences are collected in
  /// divergences() for a warning. For runs whose prompts carry fresh
  /// measurements (which never repeat exactly) and for prompt debugging.
  Sequence,
};

class ReplayTransport : public LlmTransport {
public:
  static Result<std::unique_ptr<ReplayTransport>>
  open(const std::string &Path, ReplayMatch Match = ReplayMatch::Exact);

  Result<HttpResponse> post(const HttpRequest &Request) override;
  bool isReplay() const override { return true; }

  size_t size() const { return Exchanges.size(); }
  size_t consumed() const { return Next; }
  /// In Sequence mode: one line per request that differed from the record.
  const std::vector<std::string> &divergences() const { return Divergences; }

  struct Exchange {
    int Line = 0;
    std::string RequestKey;
    std::string RequestJson; // canonical text of the recorded request
    HttpResponse Response;
  };

private:
  std::string Path;
  ReplayMatch Match = ReplayMatch::Exact;
  std::vector<Exchange> Exchanges;
  std::vector<std::string> Divergences;
  size_t Next = 0;
};

} // namespace autopass
