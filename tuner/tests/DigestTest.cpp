// Tests of evidence/EvidenceDigest: ranking of hot regions from the hot.c
// fixtures (callgrind profile, features, remarks, introspection), the
// attachment of remarks to regions, the JSON schema and the text bound.
#include "evidence/EvidenceDigest.hpp"

#include "evidence/JsonFields.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

static const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/evidence/";

static EvidenceInputs hotInputs() {
  EvidenceInputs In;
  In.Program = "hot";
  Result<Profile> P = Profile::loadCallgrind(Data + "callgrind.out.hot");
  REQUIRE(P.ok());
  In.Prof = std::move(P).value();
  Result<ModuleFeatures> M = ModuleFeatures::load(Data + "hot.features.json");
  REQUIRE(M.ok());
  In.Features.push_back(std::move(M).value());
  Result<std::vector<OptRemark>> R = loadRemarks(Data + "hot.opt.yaml");
  REQUIRE(R.ok());
  In.Remarks = RemarkDigest::build(*R);
  Result<Introspection> I = Introspection::load(Data + "hot.introspect.json");
  REQUIRE(I.ok());
  In.PassSummaries = I->Summary;
  In.PassRecords = I->Records;
  In.Measurements.push_back({"0123456789ab", "knobs: unroll-threshold=600",
                             1.042, 1.01, 1.07, "faster"});
  In.Measurements.push_back({"ba9876543210",
                             "hints: matmul:L2 vectorize_width=8", std::nullopt,
                             std::nullopt, std::nullopt, "wrong-output"});
  return In;
}

TEST_CASE("digest: hot regions are ranked by weight", "[evidence]") {
  EvidenceDigest D = EvidenceDigest::build(hotInputs());
  REQUIRE(D.Regions.size() >= 4);
  CHECK(D.Regions[0].Kind == RegionKind::Function);
  CHECK(D.Regions[0].Name == "matmul");
  CHECK(D.Regions[1].Kind == RegionKind::Loop);
  CHECK(D.Regions[1].Name == "matmul:L0");
  for (size_t I = 1; I < D.Regions.size(); ++I)
    CHECK(*D.Regions[I - 1].Weight >= *D.Regions[I].Weight);
  // Regions under the 1% default are left out: init is 2.2%, main ~0%.
  for (const HotRegion &R : D.Regions)
    CHECK(R.Function != "main");

  // The vectorizer's verdict on matmul's innermost loop (header line 20) is
  // shown on that loop's region, not on the function's.
  const HotRegion *L2 = nullptr;
  for (const HotRegion &R : D.Regions)
    if (R.Name == "matmul:L2")
      L2 = &R;
  REQUIRE(L2);
  REQUIRE(L2->Loop);
  CHECK(L2->Loop->Trip.str() == "48");
  REQUIRE(L2->Vectorization.size() == 1);
  CHECK_FALSE(L2->Vectorization[0].Vectorized);
  REQUIRE_FALSE(L2->Vectorization[0].Reasons.empty());
  CHECK(D.Regions[0].Vectorization.empty());
  // Per-function pass effects come from the introspection records.
  REQUIRE_FALSE(D.Regions[0].PassEffects.empty());
  CHECK(D.Regions[0].PassEffects[0].Pass == "LoopUnrollPass");
}

TEST_CASE("digest: search regions for the search space", "[evidence]") {
  SearchRegions S = EvidenceDigest::build(hotInputs()).searchRegions();
  REQUIRE_FALSE(S.Loops.empty());
  REQUIRE_FALSE(S.Functions.empty());
  CHECK(S.Functions[0].first == "matmul");
  CHECK(S.Loops[0].LoopName == "matmul:L0");
  CHECK(S.Loops[0].Function == "matmul");
  CHECK(S.Loops[0].Depth == 1);
  CHECK_FALSE(S.Loops[0].Innermost);
  CHECK(S.Loops[0].TripCount == 48);
  auto Checksum = std::find_if(S.Loops.begin(), S.Loops.end(), [](const SearchRegions::Loop &L) {
    return L.LoopName == "checksum:L2";
  });
  REQUIRE(Checksum != S.Loops.end());
  CHECK_FALSE(Checksum->TripCount.has_value()); // unknown trip count
}

TEST_CASE("digest: JSON carries the schema and the ranked regions",
          "[evidence]") {
  EvidenceDigest D = EvidenceDigest::build(hotInputs());
  Result<rapidjson::Document> Doc = parseJsonText(D.toJson(), "digest");
  REQUIRE(Doc.ok());
  const rapidjson::Document &J = *Doc;
  CHECK(std::string(J["schema"].GetString()) == "autopass-digest/1");
  CHECK(std::string(J["program"].GetString()) == "hot");
  REQUIRE(J["regions"].Size() == D.Regions.size());
  CHECK(std::string(J["regions"][0]["name"].GetString()) == "matmul");
  CHECK(J["regions"][0]["rank"].GetInt() == 1);
  CHECK(std::string(J["regions"][1]["weight_basis"].GetString()) ==
        "source-lines");
  CHECK(J["measurements"].Size() == 2);
  CHECK(J["measurements"][1]["speedup"].IsNull());
  // LoopUnrollPass +36 outranks SROAPass -35 by |instruction delta|.
  CHECK(J["passes"][0]["pass"].GetString() == std::string("LoopUnrollPass"));
  // Compact and pretty forms hold the same document.
  Result<rapidjson::Document> Compact =
      parseJsonText(D.toJson(false), "digest");
  REQUIRE(Compact.ok());
  CHECK(*Compact == J);
}

TEST_CASE("digest: text is bounded and leads with the hottest region",
          "[evidence]") {
  EvidenceDigest D = EvidenceDigest::build(hotInputs());
  std::string Full = D.toText(1 << 20);
  CHECK(Full.find("#1 function matmul") != std::string::npos);
  CHECK(Full.find("#1 function matmul") < Full.find("#2 loop matmul:L0"));
  CHECK(Full.find("hints.loops[\"matmul:L0\"]") != std::string::npos);
  CHECK(Full.find("NOT vectorized") != std::string::npos);
  CHECK(Full.find("0123456789ab") != std::string::npos);
  CHECK(Full.find("omitted") == std::string::npos);

  std::string Small = D.toText(2000);
  CHECK(Small.size() <= 2000);
  CHECK(Small.find("#1 function matmul") != std::string::npos);
  CHECK(Small.find("more regions omitted]") != std::string::npos);
  CHECK(Small.find("== measurements") != std::string::npos);

  for (size_t Max : {0, 10, 100, 700, 1200})
    CHECK(D.toText(Max).size() <= Max);
}

TEST_CASE("digest: without a profile, regions are ranked by size",
          "[evidence]") {
  EvidenceInputs In = hotInputs();
  In.Prof.reset();
  EvidenceDigest D = EvidenceDigest::build(In);
  REQUIRE(D.Regions.size() == 4);       // the four functions of the features
  CHECK(D.Regions[0].Name == "matmul"); // 60 instructions, the largest
  CHECK_FALSE(D.Regions[0].Weight.has_value());
  CHECK(D.toText(4000).find("no profile") != std::string::npos);
}
