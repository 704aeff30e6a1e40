//===- agents/LlmTransportCurl.cpp - HTTP POST over libcurl ---------------===//
#include "agents/LlmTransportCurl.hpp"

#include "util/Strings.hpp"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>

namespace autopass {

namespace {

void initCurlOnce() {
  // curl_global_init is not thread-safe; do it once, before any handle.
  static std::once_flag Once;
  std::call_once(Once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// Where the body goes, and how much of it is accepted.
struct BodySink {
  std::string *Body;
  size_t Limit;
  bool TooLong = false;
};

size_t onBody(char *Data, size_t Size, size_t Count, void *User) {
  auto *Sink = static_cast<BodySink *>(User);
  size_t Bytes = Size * Count;
  if (Bytes > Sink->Limit - Sink->Body->size()) {
    // Returning less than was given makes curl stop with CURLE_WRITE_ERROR.
    Sink->TooLong = true;
    return 0;
  }
  Sink->Body->append(Data, Bytes);
  return Bytes;
}

std::string sizeText(size_t Bytes) {
  if (Bytes % (size_t(1) << 20) == 0)
    return std::to_string(Bytes >> 20) + " MiB";
  return std::to_string(Bytes) + " bytes";
}

size_t onHeader(char *Data, size_t Size, size_t Count, void *User) {
  auto *Headers = static_cast<std::map<std::string, std::string> *>(User);
  std::string_view Line(Data, Size * Count);
  // A new status line (after "100 Continue" or a proxy CONNECT) starts a
  // new header block; only the final response's headers count.
  if (startsWith(Line, "HTTP/")) {
    Headers->clear();
    return Size * Count;
  }
  size_t Colon = Line.find(':');
  if (Colon == std::string_view::npos)
    return Size * Count;
  std::string Name(trim(Line.substr(0, Colon)));
  for (char &C : Name)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  (*Headers)[Name] = std::string(trim(Line.substr(Colon + 1)));
  return Size * Count;
}

NetFailure classify(CURLcode Code) {
  switch (Code) {
  case CURLE_OPERATION_TIMEDOUT:
    return NetFailure::Timeout;
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return NetFailure::Connection;
  default:
    return NetFailure::Other;
  }
}

/// The user's no_proxy list plus loopback: a local server (Ollama,
/// llama.cpp, vLLM, the tests' mock) must never be sent to a proxy.
std::string noProxyList() {
  std::string List = "localhost,127.0.0.1,::1";
  for (const char *Var : {"no_proxy", "NO_PROXY"})
    if (const char *V = std::getenv(Var); V && *V)
      return List + "," + V;
  return List;
}

} // namespace

CurlTransport::CurlTransport() {
  initCurlOnce();
  Handle = curl_easy_init();
}

CurlTransport::~CurlTransport() {
  if (Handle)
    curl_easy_cleanup(static_cast<CURL *>(Handle));
}

Result<HttpResponse> CurlTransport::post(const HttpRequest &Request) {
  if (!Handle)
    return makeError("libcurl: could not create a handle");
  CURL *C = static_cast<CURL *>(Handle);
  curl_easy_reset(C);

  HttpResponse Response;
  curl_slist *Headers = nullptr;
  for (const auto &[Name, Value] : Request.Headers)
    Headers = curl_slist_append(Headers, (Name + ": " + Value).c_str());
  // No "Expect: 100-continue" round trip before large prompts.
  Headers = curl_slist_append(Headers, "Expect:");
  std::string NoProxy = noProxyList();

  curl_easy_setopt(C, CURLOPT_URL, Request.Url.c_str());
  curl_easy_setopt(C, CURLOPT_POST, 1L);
  curl_easy_setopt(C, CURLOPT_POSTFIELDS, Request.Body.data());
  curl_easy_setopt(C, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(Request.Body.size()));
  curl_easy_setopt(C, CURLOPT_HTTPHEADER, Headers);
  curl_easy_setopt(C, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(Request.ConnectTimeoutMs));
  curl_easy_setopt(C, CURLOPT_TIMEOUT_MS, static_cast<long>(Request.TimeoutMs));
  curl_easy_setopt(C, CURLOPT_NOSIGNAL, 1L); // safe in threads
  curl_easy_setopt(C, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(C, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(C, CURLOPT_NOPROXY, NoProxy.c_str());
  curl_easy_setopt(C, CURLOPT_ACCEPT_ENCODING, ""); // whatever curl decodes
  curl_easy_setopt(C, CURLOPT_USERAGENT, "autopass-tuner/" AUTOPASS_VERSION);
  BodySink Sink{&Response.Body, Request.MaxBodyBytes};
  // A declared Content-Length over the limit is refused before the body.
  curl_easy_setopt(C, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(Request.MaxBodyBytes));
  curl_easy_setopt(C, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(C, CURLOPT_WRITEDATA, &Sink);
  curl_easy_setopt(C, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(C, CURLOPT_HEADERDATA, &Response.Headers);
  char ErrorText[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(C, CURLOPT_ERRORBUFFER, ErrorText);

  auto Start = std::chrono::steady_clock::now();
  CURLcode Code = curl_easy_perform(C);
  Response.ElapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - Start)
                           .count();
  curl_slist_free_all(Headers);

  if (Code != CURLE_OK) {
    Response.Failure = classify(Code);
    Response.FailureMessage = ErrorText[0] ? ErrorText : curl_easy_strerror(Code);
    if (Sink.TooLong || Code == CURLE_FILESIZE_EXCEEDED) {
      Response.Failure = NetFailure::Other;
      Response.FailureMessage = "the reply body is larger than the " +
                                sizeText(Request.MaxBodyBytes) +
                                " a chat completion may be; refused";
    }
    Response.Headers.clear();
    Response.Body.clear();
    return Response;
  }
  curl_easy_getinfo(C, CURLINFO_RESPONSE_CODE, &Response.Status);
  return Response;
}

} // namespace autopass
