//===- agents/LlmTransportRecording.cpp - Record LLM exchanges ------------===//
#include "agents/LlmTransportRecording.hpp"

#include "util/Json.hpp"

#include <rapidjson/document.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <unistd.h>

namespace autopass {

namespace rj = rapidjson;

namespace {

rj::Value str(std::string_view S, rj::Document::AllocatorType &A) {
  return rj::Value(S.data(), static_cast<rj::SizeType>(S.size()), A);
}

std::string utcNow() {
  std::time_t T = std::time(nullptr);
  std::tm Tm{};
  gmtime_r(&T, &Tm);
  char Buf[32];
  std::strftime(Buf, sizeof(Buf), "%Y-%m-%dT%H:%M:%SZ", &Tm);
  return Buf;
}

void replaceAll(std::string &Text, const std::string &From,
                std::string_view To) {
  for (size_t Pos = Text.find(From); Pos != std::string::npos;
       Pos = Text.find(From, Pos + To.size()))
    Text.replace(Pos, From.size(), To);
}

/// Plain SHA-256 (not util/Hash's labelled form), so the key in a recording
/// can be recomputed with sha256sum from the documented canonical text.
std::string plainSha256Hex(std::string_view Data) {
  auto Digest = llvm::SHA256::hash(llvm::arrayRefFromStringRef(
      llvm::StringRef(Data.data(), Data.size())));
  return llvm::toHex(Digest, /*LowerCase=*/true);
}

} // namespace

std::string llmRequestKey(std::string_view Body) {
  rj::Document D;
  if (!parseJsonInto(D, Body, "request") || !D.IsObject())
    return plainSha256Hex(Body); // not ours to interpret; the bytes identify it
  rj::Document Key(rj::kObjectType);
  auto &A = Key.GetAllocator();
  for (const char *Name : {"messages", "tools", "response_format"}) {
    auto It = D.FindMember(Name);
    if (It != D.MemberEnd())
      Key.AddMember(rj::StringRef(Name), rj::Value(It->value, A), A);
  }
  return plainSha256Hex(compactJson(Key));
}

Result<std::unique_ptr<RecordingTransport>>
RecordingTransport::open(std::unique_ptr<LlmTransport> Inner,
                         const std::string &Path,
                         std::vector<std::string> Secrets) {
  std::FILE *F = std::fopen(Path.c_str(), "a+");
  if (!F)
    return makeError(Path + ": cannot open the LLM recording for appending: " +
                     std::strerror(errno));
  // Continue the sequence numbers of a resumed run.
  int64_t Existing = 0;
  std::rewind(F);
  for (int C = std::fgetc(F); C != EOF; C = std::fgetc(F))
    Existing += C == '\n';
  std::fseek(F, 0, SEEK_END);
  std::vector<std::string> Kept;
  for (std::string &S : Secrets)
    if (S.size() >= 8)
      Kept.push_back(std::move(S));
  auto T = std::unique_ptr<RecordingTransport>(
      new RecordingTransport(std::move(Inner), Path, F, std::move(Kept)));
  T->Sequence = Existing;
  return T;
}

RecordingTransport::RecordingTransport(std::unique_ptr<LlmTransport> Inner,
                                       std::string Path, std::FILE *File,
                                       std::vector<std::string> Secrets)
    : Inner(std::move(Inner)), Path(std::move(Path)), File(File),
      Secrets(std::move(Secrets)) {}

RecordingTransport::~RecordingTransport() {
  if (File)
    std::fclose(File);
}

Result<HttpResponse> RecordingTransport::post(const HttpRequest &Request) {
  Result<HttpResponse> Got = Inner->post(Request);
  if (!Got)
    return Got;
  const HttpResponse &R = *Got;

  rj::Document D(rj::kObjectType);
  auto &A = D.GetAllocator();
  D.AddMember("format", rj::StringRef(LlmExchangeFormat), A);
  D.AddMember("seq", rj::Value(static_cast<int64_t>(++Sequence)), A);
  D.AddMember("time", str(utcNow(), A), A);
  D.AddMember("url", str(Request.Url, A), A);
  D.AddMember("request_key_sha256", str(llmRequestKey(Request.Body), A), A);
  // The body as JSON (readable, diffable); as text if it is not JSON, or
  // is JSON no reader would accept one level down in this record (too deep,
  // duplicate keys, not UTF-8): the exchange is recorded either way, so a
  // run that rejected the body can be replayed.
  rj::Document Body(&A);
  if (parseJsonInto(Body, Request.Body, "request", MaxJsonDepth - 1))
    D.AddMember("request", rj::Value(Body, A), A);
  else
    D.AddMember("request_text", str(Request.Body, A), A);

  D.AddMember("failure", rj::StringRef(netFailureName(R.Failure)), A);
  if (R.Failure != NetFailure::None)
    D.AddMember("failure_message", str(R.FailureMessage, A), A);
  D.AddMember("status", rj::Value(static_cast<int64_t>(R.Status)), A);
  // Only headers the client acts on or a reader needs; never cookies.
  rj::Value Headers(rj::kObjectType);
  for (const auto &[Name, Value] : R.Headers)
    if (Name == "retry-after" || Name == "content-type" ||
        Name.rfind("x-ratelimit-", 0) == 0)
      Headers.AddMember(str(Name, A), str(Value, A), A);
  D.AddMember("headers", Headers, A);
  rj::Document Reply(&A);
  if (!R.Body.empty() &&
      parseJsonInto(Reply, R.Body, "response", MaxJsonDepth - 1)) {
    if (Reply.IsObject() && Reply.HasMember("usage"))
      D.AddMember("usage", rj::Value(Reply["usage"], A), A);
    D.AddMember("response", rj::Value(Reply, A), A);
  } else {
    D.AddMember("response_text", str(R.Body, A), A);
  }
  D.AddMember("elapsed_ms", rj::Value(static_cast<int64_t>(R.ElapsedMs)), A);

  // The writer replaces bytes that are not UTF-8 (a body, a header, curl's
  // message), so the line stays valid JSON.
  std::string Line = compactJson(D);
  for (const std::string &S : Secrets)
    replaceAll(Line, S, "[redacted]");
  Line += '\n';
  if (std::fwrite(Line.data(), 1, Line.size(), File) != Line.size() ||
      std::fflush(File) != 0 || ::fsync(fileno(File)) != 0)
    return makeError(Path + ": cannot write the LLM recording: " +
                     std::strerror(errno));
  return Got;
}

} // namespace autopass
