// Tests of evidence/FeaturesReader: autopass-features/1 as documented in
// docs/evidence-format.md (fixture handwritten after the doc).
#include "evidence/FeaturesReader.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

static const std::string FeaturesFile =
    std::string(AUTOPASS_TEST_DATA) + "/evidence/hot.features.json";

TEST_CASE("features: functions and loops are read", "[evidence]") {
  Result<ModuleFeatures> M = ModuleFeatures::load(FeaturesFile);
  REQUIRE(M.ok());
  CHECK(M->Module == "hot.c");
  REQUIRE(M->Functions.size() == 4);
  const FunctionFeatures *MM = M->findFunction("matmul");
  REQUIRE(MM);
  CHECK(MM->Instructions == 60);
  CHECK(MM->Mix.FpArith == 2);
  REQUIRE(MM->Loops.size() == 3);
  const LoopFeatures &L2 = MM->Loops[2];
  CHECK(L2.Name == "matmul:L2");
  CHECK(L2.Parent == std::optional<std::string>("matmul:L1"));
  CHECK(L2.Depth == 3);
  CHECK(L2.Line == 20);
  CHECK(L2.Innermost);
  CHECK(L2.Trip.Kind == TripCountKind::Constant);
  CHECK(L2.Trip.str() == "48");
  CHECK(L2.Accesses.ConstantStride == 1);
  CHECK(MM->isWithin(L2, MM->Loops[0]));
  CHECK_FALSE(MM->isWithin(MM->Loops[0], L2));

  const FunctionFeatures *CS = M->findFunction("checksum");
  REQUIRE(CS);
  CHECK(CS->Loops[2].Trip.Kind == TripCountKind::Unknown);
  CHECK(CS->Loops[2].Trip.str() == "?");
  CHECK_FALSE(CS->Loops[0].Parent.has_value());
  CHECK(M->findFunction("main")->Loops.empty());
  CHECK(findFunction({*M}, "init") != nullptr);
  CHECK(findFunction({*M}, "absent") == nullptr);
}

static std::string doc(const std::string &Loop) {
  return R"({"schema":"autopass-features/1","module":"m.c","functions":[
    {"name":"f","instructions":10,"blocks":2,"calls_direct":0,"calls_indirect":0,
     "mix":{"load":0,"store":0,"call":0,"fp_arith":0,"int_arith":0,"branch":0,
            "cmp":0,"phi":0,"gep":0,"cast":0,"vector":0,"other":10},
     "loops":[)" +
         Loop + "]}]}";
}

static const char *GoodLoop =
    R"({"name":"f:L0","parent":null,"depth":1,"line":null,"innermost":true,
        "trip_count":{"kind":"max","value":100},"blocks":2,"instructions":8,
        "has_calls":false,"accesses":{"loads":1,"stores":1,"unit_stride":2,
        "constant_stride":0,"irregular":0,"invariant":0}})";

TEST_CASE("features: a minimal valid document", "[evidence]") {
  Result<ModuleFeatures> M = ModuleFeatures::parse(doc(GoodLoop), "m.json");
  REQUIRE(M.ok());
  const LoopFeatures &L = M->Functions[0].Loops[0];
  CHECK_FALSE(L.Line.has_value());
  CHECK(L.Trip.str() == "<=100");
}

TEST_CASE("features: errors name the file, the field and the expectation",
          "[evidence]") {
  auto errorOf = [](const std::string &Text) {
    Result<ModuleFeatures> M = ModuleFeatures::parse(Text, "feat.json");
    REQUIRE_FALSE(M.ok());
    return M.message();
  };
  std::string Good = GoodLoop;
  auto with = [&](const std::string &From, const std::string &To) {
    std::string S = Good;
    size_t P = S.find(From);
    REQUIRE(P != std::string::npos);
    return doc(S.replace(P, From.size(), To));
  };

  std::string E = errorOf(with("\"depth\":1", "\"depth\":\"one\""));
  CHECK(E.find("feat.json") != std::string::npos);
  CHECK(E.find("functions[0].loops[0].depth") != std::string::npos);
  CHECK(E.find("integer") != std::string::npos);

  E = errorOf(with("\"kind\":\"max\"", "\"kind\":\"exact\""));
  CHECK(E.find("functions[0].loops[0].trip_count.kind") != std::string::npos);

  E = errorOf(with("\"kind\":\"max\",\"value\":100", "\"kind\":\"constant\""));
  CHECK(E.find("trip_count.value") != std::string::npos);

  E = errorOf(with("\"parent\":null", "\"parent\":\"f:L7\""));
  CHECK(E.find("functions[0].loops[0].parent") != std::string::npos);

  E = errorOf(with("\"innermost\":true,", ""));
  CHECK(E.find("functions[0].loops[0].innermost") != std::string::npos);
  CHECK(E.find("missing") != std::string::npos);

  E = errorOf(
      R"({"schema":"autopass-features/2","module":"m","functions":[]})");
  CHECK(E.find("schema") != std::string::npos);
  CHECK(E.find("autopass-features/1") != std::string::npos);

  E = errorOf("{not json");
  CHECK(E.find("feat.json") != std::string::npos);

  CHECK_FALSE(ModuleFeatures::load("/nonexistent/f.json").ok());
}
