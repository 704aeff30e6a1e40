// Unit tests of the pipeline deny list (PassPolicy.cpp) that the plugin and
// the tuner's ConfigPolicy share: every pass of a pipeline is found, nested
// or with parameters, and only refused passes and file parameters are.
#include <catch2/catch.hpp>

#include "PassPolicy.h"

#include <optional>
#include <string>

using namespace autopass::config;

namespace {
std::string refusal(const std::string &Pipeline) {
  std::optional<std::string> R = checkPipelinePolicy(Pipeline);
  return R ? *R : "";
}
} // namespace

TEST_CASE("the pipeline deny list finds refused passes at any depth", "[policy]") {
  CHECK(refusal("default<O3>,function(dot-cfg)") ==
        "pipeline: pass \"dot-cfg\" writes .dot files into the working directory; such "
        "passes are not allowed in a configuration");
  CHECK(refusal("module(cgscc(function(loop-mssa(licm,print<loops>))))")
            .find("pass \"print\" prints") != std::string::npos);
  CHECK(refusal(" view-cfg ").find("pass \"view-cfg\" opens a graph viewer") !=
        std::string::npos);
  CHECK(refusal("function(instcombine),autopass<config=x.json>")
            .find("pass \"autopass\" is an AutoPass plugin element") != std::string::npos);
  CHECK(refusal("function(loop-unroll<O3;profile-filename=/tmp/x>)") ==
        "pipeline: pass \"loop-unroll\": parameter \"profile-filename=/tmp/x\" names a file; "
        "file parameters are not allowed in a configuration");
  // Exact names are exact: a pass that only starts like one is allowed.
  CHECK(refusal("asan") != "");
  CHECK(refusal("asan-globals-md-x,lintx") == "");
}

TEST_CASE("allowed pipelines pass the deny list", "[policy]") {
  CHECK(refusal("default<O3>") == "");
  CHECK(refusal("function<eager-inv>(loop-unroll<O3;no-runtime>,loop-mssa(licm<allowspeculation>))")
        == "");
  CHECK(refusal("require<profile-summary>,function(sroa<modify-cfg>)") == "");
  CHECK(refusal("") == "");
  CHECK(refusal("((,),)") == "");
}
