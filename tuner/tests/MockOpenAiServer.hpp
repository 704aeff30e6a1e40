//===- tests/MockOpenAiServer.hpp - A scripted chat server for tests -*- C++ -*-===//
//
// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) in a thread of
// the test process. It answers requests one after another from a queue of
// scripted replies (status, headers, body, delay, or closing without a
// reply) and keeps every request it received so tests can check what the
// client sent. Every blocking step polls in short slices and checks a stop
// flag, so a test never hangs on it; a delayed reply is abandoned as soon as
// the client hangs up (its timeout), so the next request is served at once.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/ChatTypes.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace autopass::test {

struct ScriptedReply {
  int Status = 200;
  std::vector<std::pair<std::string, std::string>> Headers;
  std::string Body;
  /// Wait this long before answering (a reply that never comes: longer than
  /// the client's timeout).
  std::chrono::milliseconds Delay{0};
  /// Read the request, then close the connection without a response.
  bool CloseWithoutReply = false;
  /// Send no Content-Length: the body ends when the connection closes.
  bool OmitContentLength = false;

  static ScriptedReply json(std::string Body, int Status = 200);
};

struct ReceivedRequest {
  std::string Method;
  std::string Path;
  std::map<std::string, std::string> Headers; // names lower-cased
  std::string Body;
};

class MockOpenAiServer {
public:
  MockOpenAiServer();
  ~MockOpenAiServer();
  MockOpenAiServer(const MockOpenAiServer &) = delete;
  MockOpenAiServer &operator=(const MockOpenAiServer &) = delete;

  /// False when the socket could not be set up; error() says why.
  bool ok() const { return ListenFd >= 0; }
  const std::string &error() const { return SetupError; }
  uint16_t port() const { return Port; }
  /// "http://127.0.0.1:PORT/v1", what --llm-base-url would be.
  std::string baseUrl() const;

  void enqueue(ScriptedReply R);
  std::vector<ReceivedRequest> requests() const;
  size_t pendingReplies() const;
  /// Stops accepting and joins the thread; idempotent.
  void stop();

  /// A chat.completion body with a text answer.
  static std::string completion(const std::string &Content,
                                int64_t PromptTokens = 10,
                                int64_t CompletionTokens = 5);
  /// A chat.completion body whose message calls tools.
  static std::string toolCalls(const std::vector<ToolCall> &Calls,
                               int64_t PromptTokens = 10,
                               int64_t CompletionTokens = 5);

private:
  void serve();
  void handle(int Fd);
  bool waitOrClientGone(int Fd, std::chrono::milliseconds Delay);

  int ListenFd = -1;
  uint16_t Port = 0;
  std::string SetupError;
  std::atomic<bool> Stopping{false};
  mutable std::mutex Lock;
  std::deque<ScriptedReply> Script;
  std::vector<ReceivedRequest> Received;
  std::thread Worker;
};

} // namespace autopass::test
