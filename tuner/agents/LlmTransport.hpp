//===- agents/LlmTransport.hpp - One HTTP exchange with the LLM -*- C++ -*-===//
//
// The seam between the chat client and the network. The client builds JSON
// and decides about retries; a transport only carries one POST and reports
// what happened. Three implementations: CurlTransport (the network),
// RecordingTransport (wraps another and writes every exchange to the run
// directory) and ReplayTransport (answers from such a recording, offline).
//
// Two kinds of failure are kept apart on purpose:
//  - a network failure (timeout, refused connection, reset) is a *response*
//    with Failure set, because the client may retry it and the recorder must
//    record it so a replay fails the same way;
//  - an Error result means "stop": the recording cannot be written, or a
//    replay ran out or diverged. Retrying would not help.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace autopass {

/// The largest reply body a transport accepts (docs/llm.md): a chat
/// completion is a few kilobytes; a server that sends more is broken or
/// hostile, and the body is refused before it is held in memory whole.
constexpr size_t MaxReplyBodyBytes = size_t(8) << 20; // 8 MiB

struct HttpRequest {
  std::string Url;
  /// Header lines as name/value pairs. The Authorization header is added
  /// here and must never be written anywhere.
  std::vector<std::pair<std::string, std::string>> Headers;
  std::string Body;
  int64_t ConnectTimeoutMs = 10000;
  int64_t TimeoutMs = 120000;
  /// A longer body ends the exchange with NetFailure::Other.
  size_t MaxBodyBytes = MaxReplyBodyBytes;
};

enum class NetFailure {
  None,       ///< an HTTP response arrived (any status)
  Timeout,    ///< no complete response within the timeout
  Connection, ///< refused, unresolvable, reset, nothing received
  Other,      ///< TLS, bad URL and the like: retrying will not help
};

const char *netFailureName(NetFailure F);

struct HttpResponse {
  NetFailure Failure = NetFailure::None;
  /// The transport's description of the failure (curl's message).
  std::string FailureMessage;
  long Status = 0;
  /// Response headers, names lower-cased; the last value wins.
  std::map<std::string, std::string> Headers;
  std::string Body;
  int64_t ElapsedMs = 0;

  std::string header(const std::string &LowerName) const {
    auto It = Headers.find(LowerName);
    return It == Headers.end() ? std::string() : It->second;
  }
};

class LlmTransport {
public:
  virtual ~LlmTransport() = default;
  virtual Result<HttpResponse> post(const HttpRequest &Request) = 0;
  /// True when answers come from a recording: the client then skips real
  /// waiting between retries (the recorded sequence already holds them).
  virtual bool isReplay() const { return false; }
};

} // namespace autopass
