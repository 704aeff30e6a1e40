//===- tests/MockOpenAiServer.cpp - A scripted chat server for tests ------===//
#include "MockOpenAiServer.hpp"

#include "util/Strings.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace autopass::test {

namespace rj = rapidjson;

namespace {

constexpr int SliceMs = 20;
constexpr auto ReadLimit = std::chrono::seconds(5);

const char *reason(int Status) {
  switch (Status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 404:
    return "Not Found";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Status";
  }
}

bool sendAll(int Fd, const std::string &Data) {
  size_t Done = 0;
  while (Done < Data.size()) {
    ssize_t N = ::send(Fd, Data.data() + Done, Data.size() - Done, MSG_NOSIGNAL);
    if (N <= 0)
      return false;
    Done += static_cast<size_t>(N);
  }
  return true;
}

std::string lower(std::string S) {
  for (char &C : S)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  return S;
}

std::string completionBody(const rj::Value *Calls, const std::string &Content,
                           int64_t Prompt, int64_t Completion) {
  rj::Document D(rj::kObjectType);
  auto &A = D.GetAllocator();
  D.AddMember("id", "chatcmpl-mock", A);
  D.AddMember("object", "chat.completion", A);
  D.AddMember("model", "mock-model", A);
  rj::Value Msg(rj::kObjectType);
  Msg.AddMember("role", "assistant", A);
  if (Calls) {
    Msg.AddMember("content", rj::Value(rj::kNullType), A);
    Msg.AddMember("tool_calls", rj::Value(*Calls, A), A);
  } else {
    Msg.AddMember("content", rj::Value(Content.c_str(), A), A);
  }
  rj::Value Choice(rj::kObjectType);
  Choice.AddMember("index", 0, A);
  Choice.AddMember("message", Msg, A);
  Choice.AddMember("finish_reason",
                   rj::StringRef(Calls ? "tool_calls" : "stop"), A);
  rj::Value Choices(rj::kArrayType);
  Choices.PushBack(Choice, A);
  D.AddMember("choices", Choices, A);
  rj::Value Usage(rj::kObjectType);
  Usage.AddMember("prompt_tokens", rj::Value(Prompt), A);
  Usage.AddMember("completion_tokens", rj::Value(Completion), A);
  Usage.AddMember("total_tokens", rj::Value(Prompt + Completion), A);
  D.AddMember("usage", Usage, A);
  rj::StringBuffer Buf;
  rj::Writer<rj::StringBuffer> W(Buf);
  D.Accept(W);
  return Buf.GetString();
}

} // namespace

ScriptedReply ScriptedReply::json(std::string Body, int Status) {
  ScriptedReply R;
  R.Status = Status;
  R.Body = std::move(Body);
  return R;
}

std::string MockOpenAiServer::completion(const std::string &Content,
                                         int64_t PromptTokens,
                                         int64_t CompletionTokens) {
  return completionBody(nullptr, Content, PromptTokens, CompletionTokens);
}

std::string MockOpenAiServer::toolCalls(const std::vector<ToolCall> &Calls,
                                        int64_t PromptTokens,
                                        int64_t CompletionTokens) {
  rj::Document D(rj::kArrayType);
  auto &A = D.GetAllocator();
  for (const ToolCall &C : Calls) {
    rj::Value Fn(rj::kObjectType);
    Fn.AddMember("name", rj::Value(C.Name.c_str(), A), A);
    Fn.AddMember("arguments", rj::Value(C.ArgumentsJson.c_str(), A), A);
    rj::Value Call(rj::kObjectType);
    Call.AddMember("id", rj::Value(C.Id.c_str(), A), A);
    Call.AddMember("type", "function", A);
    Call.AddMember("function", Fn, A);
    D.PushBack(Call, A);
  }
  return completionBody(&D, "", PromptTokens, CompletionTokens);
}

MockOpenAiServer::MockOpenAiServer() {
  int Fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0) {
    SetupError = std::string("socket: ") + std::strerror(errno);
    return;
  }
  sockaddr_in Addr{};
  Addr.sin_family = AF_INET;
  Addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Addr.sin_port = 0; // ephemeral
  socklen_t Len = sizeof(Addr);
  if (::bind(Fd, reinterpret_cast<sockaddr *>(&Addr), sizeof(Addr)) != 0 ||
      ::listen(Fd, 16) != 0 ||
      ::getsockname(Fd, reinterpret_cast<sockaddr *>(&Addr), &Len) != 0) {
    SetupError = std::string("bind/listen: ") + std::strerror(errno);
    ::close(Fd);
    return;
  }
  ListenFd = Fd;
  Port = ntohs(Addr.sin_port);
  Worker = std::thread([this] { serve(); });
}

MockOpenAiServer::~MockOpenAiServer() { stop(); }

void MockOpenAiServer::stop() {
  Stopping = true;
  if (Worker.joinable())
    Worker.join();
  if (ListenFd >= 0) {
    ::close(ListenFd);
    ListenFd = -1;
  }
}

std::string MockOpenAiServer::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(Port) + "/v1";
}

void MockOpenAiServer::enqueue(ScriptedReply R) {
  std::lock_guard<std::mutex> G(Lock);
  Script.push_back(std::move(R));
}

std::vector<ReceivedRequest> MockOpenAiServer::requests() const {
  std::lock_guard<std::mutex> G(Lock);
  return Received;
}

size_t MockOpenAiServer::pendingReplies() const {
  std::lock_guard<std::mutex> G(Lock);
  return Script.size();
}

void MockOpenAiServer::serve() {
  while (!Stopping) {
    pollfd P{ListenFd, POLLIN, 0};
    if (::poll(&P, 1, SliceMs) <= 0)
      continue;
    int Fd = ::accept4(ListenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (Fd < 0)
      continue;
    handle(Fd);
    ::close(Fd);
  }
}

bool MockOpenAiServer::waitOrClientGone(int Fd,
                                        std::chrono::milliseconds Delay) {
  auto End = std::chrono::steady_clock::now() + Delay;
  while (std::chrono::steady_clock::now() < End) {
    if (Stopping)
      return false;
    pollfd P{Fd, POLLIN, 0};
    if (::poll(&P, 1, SliceMs) > 0) {
      char C;
      // Readable with nothing to read: the client hung up (its timeout).
      if (::recv(Fd, &C, 1, MSG_PEEK | MSG_DONTWAIT) <= 0)
        return false;
    }
  }
  return true;
}

void MockOpenAiServer::handle(int Fd) {
  std::string Data;
  size_t HeaderEnd = std::string::npos;
  size_t Need = std::string::npos;
  auto Deadline = std::chrono::steady_clock::now() + ReadLimit;
  while (!Stopping && std::chrono::steady_clock::now() < Deadline) {
    if (HeaderEnd == std::string::npos) {
      HeaderEnd = Data.find("\r\n\r\n");
      if (HeaderEnd != std::string::npos) {
        size_t ContentLength = 0;
        std::string Head = lower(Data.substr(0, HeaderEnd));
        size_t Pos = Head.find("\r\ncontent-length:");
        if (Pos != std::string::npos)
          ContentLength = std::stoul(Head.substr(Pos + 17));
        Need = HeaderEnd + 4 + ContentLength;
      }
    }
    if (Need != std::string::npos && Data.size() >= Need)
      break;
    pollfd P{Fd, POLLIN, 0};
    if (::poll(&P, 1, SliceMs) <= 0)
      continue;
    char Buf[8192];
    ssize_t N = ::recv(Fd, Buf, sizeof(Buf), 0);
    if (N <= 0)
      return; // client gave up before sending a whole request
    Data.append(Buf, static_cast<size_t>(N));
  }
  if (Need == std::string::npos || Data.size() < Need)
    return;

  ReceivedRequest Req;
  std::vector<std::string> Lines = split(Data.substr(0, HeaderEnd), '\n');
  std::vector<std::string> RequestLine = split(trim(Lines[0]), ' ');
  Req.Method = RequestLine.size() > 0 ? RequestLine[0] : "";
  Req.Path = RequestLine.size() > 1 ? RequestLine[1] : "";
  for (size_t I = 1; I < Lines.size(); ++I) {
    size_t Colon = Lines[I].find(':');
    if (Colon != std::string::npos)
      Req.Headers[lower(std::string(trim(Lines[I].substr(0, Colon))))] =
          std::string(trim(Lines[I].substr(Colon + 1)));
  }
  Req.Body = Data.substr(HeaderEnd + 4, Need - HeaderEnd - 4);

  ScriptedReply Reply;
  {
    std::lock_guard<std::mutex> G(Lock);
    Received.push_back(std::move(Req));
    if (Script.empty()) {
      Reply = ScriptedReply::json(
          R"({"error":{"message":"mock server: no scripted reply left"}})",
          500);
    } else {
      Reply = std::move(Script.front());
      Script.pop_front();
    }
  }
  if (Reply.Delay.count() > 0 && !waitOrClientGone(Fd, Reply.Delay))
    return;
  if (Reply.CloseWithoutReply)
    return;
  std::string Out = "HTTP/1.1 " + std::to_string(Reply.Status) + " " +
                    reason(Reply.Status) + "\r\n";
  Out += "Content-Type: application/json\r\n";
  if (!Reply.OmitContentLength)
    Out += "Content-Length: " + std::to_string(Reply.Body.size()) + "\r\n";
  Out += "Connection: close\r\n";
  for (const auto &[Name, Value] : Reply.Headers)
    Out += Name + ": " + Value + "\r\n";
  Out += "\r\n" + Reply.Body;
  sendAll(Fd, Out);
}

} // namespace autopass::test
