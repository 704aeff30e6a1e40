//===- agents/LlmTransportReplay.cpp - Answer from a recording ------------===//
#include "agents/LlmTransportReplay.hpp"

#include "agents/LlmTransportRecording.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <rapidjson/document.h>

#include <fstream>

namespace autopass {

namespace rj = rapidjson;

namespace {

Result<NetFailure> parseFailure(const std::string &Name) {
  for (NetFailure F : {NetFailure::None, NetFailure::Timeout,
                       NetFailure::Connection, NetFailure::Other})
    if (Name == netFailureName(F))
      return F;
  return makeError("expected one of none, timeout, connection, other");
}

/// Where two request bodies first differ, in words a user can act on.
std::string firstDifference(const std::string &RecordedJson,
                            const std::string &Body) {
  rj::Document Old, New;
  if (!parseJsonInto(Old, RecordedJson, "recorded request") ||
      !parseJsonInto(New, Body, "request") || !Old.IsObject() ||
      !New.IsObject())
    return "the request bodies differ";
  for (const char *Field : {"tools", "response_format"}) {
    bool InOld = Old.HasMember(Field), InNew = New.HasMember(Field);
    if (InOld != InNew || (InOld && Old[Field] != New[Field]))
      return std::string("field '") + Field + "' differs";
  }
  if (!Old.HasMember("messages") || !New.HasMember("messages") ||
      !Old["messages"].IsArray() || !New["messages"].IsArray())
    return "field 'messages' differs";
  const auto &A = Old["messages"], &B = New["messages"];
  rj::SizeType N = std::min(A.Size(), B.Size());
  for (rj::SizeType I = 0; I < N; ++I)
    if (A[I] != B[I]) {
      std::string Now = compactJson(B[I]);
      if (Now.size() > 160)
        Now = Now.substr(0, 160) + "...";
      return "messages[" + std::to_string(I) + "] differs; this run sent " +
             Now;
    }
  return "the recording has " + std::to_string(A.Size()) +
         " messages, this run sent " + std::to_string(B.Size());
}

} // namespace

Result<std::unique_ptr<ReplayTransport>>
ReplayTransport::open(const std::string &Path, ReplayMatch Match) {
  std::ifstream In(Path);
  if (!In)
    return makeError(Path + ": cannot open the LLM recording to replay");
  auto T = std::make_unique<ReplayTransport>();
  T->Path = Path;
  T->Match = Match;
  std::string Line;
  int LineNo = 0;
  while (std::getline(In, Line)) {
    ++LineNo;
    if (trim(Line).empty())
      continue;
    std::string Where = Path + ":" + std::to_string(LineNo) + ": ";
    rj::Document D;
    if (Status S = parseJsonInto(D, Line, Path + ":" + std::to_string(LineNo));
        !S)
      return makeError(S.message() + " (a truncated last line means the "
                                     "recorded run was killed; delete it)");
    if (!D.IsObject())
      return makeError(Where + "not a JSON object");
    if (!D.HasMember("format") || !D["format"].IsString() ||
        std::string(D["format"].GetString()) != LlmExchangeFormat)
      return makeError(Where + "field 'format': expected \"" +
                       LlmExchangeFormat + "\"");
    Exchange E;
    E.Line = LineNo;
    if (!D.HasMember("request_key_sha256") ||
        !D["request_key_sha256"].IsString())
      return makeError(Where + "field 'request_key_sha256': expected a string");
    E.RequestKey = D["request_key_sha256"].GetString();
    if (D.HasMember("request"))
      E.RequestJson = compactJson(D["request"]);
    std::string Failure = D.HasMember("failure") && D["failure"].IsString()
                              ? D["failure"].GetString()
                              : "none";
    Result<NetFailure> F = parseFailure(Failure);
    if (!F)
      return makeError(Where + "field 'failure': " + F.message());
    E.Response.Failure = *F;
    if (D.HasMember("failure_message") && D["failure_message"].IsString())
      E.Response.FailureMessage = D["failure_message"].GetString();
    if (!D.HasMember("status") || !D["status"].IsInt64())
      return makeError(Where + "field 'status': expected an integer");
    E.Response.Status = static_cast<long>(D["status"].GetInt64());
    if (D.HasMember("headers") && D["headers"].IsObject())
      for (const auto &M : D["headers"].GetObject())
        if (M.value.IsString())
          E.Response.Headers[M.name.GetString()] = M.value.GetString();
    if (D.HasMember("response"))
      E.Response.Body = compactJson(D["response"]);
    else if (D.HasMember("response_text") && D["response_text"].IsString())
      E.Response.Body.assign(D["response_text"].GetString(),
                             D["response_text"].GetStringLength());
    if (D.HasMember("elapsed_ms") && D["elapsed_ms"].IsInt64())
      E.Response.ElapsedMs = D["elapsed_ms"].GetInt64();
    T->Exchanges.push_back(std::move(E));
  }
  return T;
}

Result<HttpResponse> ReplayTransport::post(const HttpRequest &Request) {
  if (Next >= Exchanges.size())
    return makeError("replay " + Path + ": the recording holds " +
                     std::to_string(Exchanges.size()) +
                     " exchanges, but this run asks for one more; the run "
                     "has diverged from the recorded one");
  const Exchange &E = Exchanges[Next];
  if (llmRequestKey(Request.Body) != E.RequestKey) {
    std::string What = "exchange " + std::to_string(Next + 1) + " (line " +
                       std::to_string(E.Line) +
                       ") was recorded for a different request: " +
                       firstDifference(E.RequestJson, Request.Body);
    if (Match == ReplayMatch::Exact)
      return makeError("replay " + Path + ": " + What +
                       ". The run has diverged from the recorded one");
    Divergences.push_back(What);
  }
  ++Next;
  return E.Response;
}

} // namespace autopass
