//===- agents/LlmTransportCurl.hpp - HTTP POST over libcurl ----*- C++ -*-===//
//
// The network transport: one libcurl easy handle, reused across requests so
// connections and TLS sessions are kept alive. Redirects are not followed (a
// POST redirected elsewhere would carry the key to another host), only
// http/https are allowed, loopback never goes through a proxy, and the
// standard proxy variables still apply to remote hosts.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/LlmTransport.hpp"

namespace autopass {

class CurlTransport : public LlmTransport {
public:
  CurlTransport();
  ~CurlTransport() override;
  CurlTransport(const CurlTransport &) = delete;
  CurlTransport &operator=(const CurlTransport &) = delete;

  Result<HttpResponse> post(const HttpRequest &Request) override;

private:
  void *Handle = nullptr; // CURL*, kept opaque so curl.h stays out of headers
};

} // namespace autopass
