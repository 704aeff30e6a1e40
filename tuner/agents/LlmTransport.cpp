//===- agents/LlmTransport.cpp - Names of network failures ----------------===//
#include "agents/LlmTransport.hpp"

namespace autopass {

const char *netFailureName(NetFailure F) {
  switch (F) {
  case NetFailure::None:
    return "none";
  case NetFailure::Timeout:
    return "timeout";
  case NetFailure::Connection:
    return "connection";
  case NetFailure::Other:
    return "other";
  }
  return "other";
}

} // namespace autopass
