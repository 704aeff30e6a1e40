// Unit tests for search/KnobCatalog: the shipped catalogs (LLVM 19 and 22)
// are well-formed and known to their LLVM's tools (captured help texts),
// domains are enforced, --help-hidden text is parsed, and missing options
// are dropped and reported.
#include "search/KnobCatalog.hpp"

#include "util/Strings.hpp"

#include "llvm/Config/llvm-config.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace autopass;

namespace {

std::string readFixture(const std::string &Name) {
  std::ifstream In(std::string(AUTOPASS_TEST_DATA) + "/search/" + Name);
  REQUIRE(In);
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

KnobCatalog shippedCatalog(unsigned Llvm) {
  auto C = KnobCatalog::load(std::string(AUTOPASS_SOURCE_DIR) + "/tuner/data/" +
                             KnobCatalog::fileNameFor(Llvm));
  if (!C.ok())
    FAIL(C.message());
  return *C;
}

const char *SmallCatalog = R"({"schema":"autopass-knobs/1","knobs":[
  {"name":"polly","type":"bool","default":false,"where":"opt","category":"polly","meaning":"m"},
  {"name":"polly-tile","type":"int","domain":{"min":2,"max":64,"samples":[8,32]},"default":32,
   "where":"opt","category":"polly","meaning":"m","requires":{"polly":true}},
  {"name":"ratio","type":"float","domain":{"min":0.5,"max":2},"default":1,"where":"opt","category":"x","meaning":"m"},
  {"name":"misched","type":"enum","domain":{"values":["default","ilpmax"]},"default":"default",
   "where":"llc","category":"codegen","meaning":"m"},
  {"name":"width","type":"enum","domain":{"values":[0,4,8]},"default":null,"where":"both","category":"v","meaning":"m"}
]})";

std::string catalogError(const std::string &Knob) {
  auto C = KnobCatalog::parse(R"({"schema":"autopass-knobs/1","knobs":[)" + Knob + "]}", "k.json");
  REQUIRE_FALSE(C.ok());
  return C.message();
}

} // namespace

TEST_CASE("the shipped catalogs load and cover the required areas", "[knobs]") {
  unsigned Llvm = GENERATE(values<unsigned>({19, 22}));
  INFO("LLVM " << Llvm);
  KnobCatalog C = shippedCatalog(Llvm);
  CHECK(C.knobs().size() >= 40);
  std::set<std::string> Categories;
  for (const KnobSpec &K : C.knobs()) {
    INFO(K.Name);
    CHECK_FALSE(K.Meaning.empty());
    CHECK_FALSE(K.Category.empty());
    if (K.Default)
      CHECK(C.validate(K.Name, *K.Default).ok());
    for (const KnobValue &V : K.Values)
      CHECK(C.validate(K.Name, V).ok());
    if (K.Type == KnobType::Enum)
      CHECK(K.Values.size() >= 2);
    Categories.insert(K.Category);
  }
  for (const char *Cat : {"polly", "loop", "unroll", "inline", "vectorize", "slp", "licm", "codegen"})
    CHECK(Categories.count(Cat));
  // The options the issue names explicitly.
  for (const char *Name :
       {"polly", "polly-tiling", "enable-loopinterchange", "enable-unroll-and-jam",
        "enable-loop-distribute", "enable-loop-flatten", "enable-loop-versioning-licm",
        "unroll-threshold", "inline-threshold", "force-vector-width", "force-vector-interleave",
        "slp-threshold", "misched", "align-all-functions", "tail-dup-placement"})
    CHECK(C.find(Name) != nullptr);
  CHECK(C.find("polly-tiling")->Requires.at("polly") == KnobValue(true));
}

TEST_CASE("every shipped knob is listed by its LLVM's --help-hidden (fixtures)", "[knobs]") {
  unsigned Llvm = GENERATE(values<unsigned>({19, 22}));
  INFO("LLVM " << Llvm);
  KnobCatalog C = shippedCatalog(Llvm);
  std::string V = std::to_string(Llvm);
  std::set<std::string> Opt = parseHelpOptionNames(readFixture("opt-" + V + "-help-hidden.txt"));
  std::set<std::string> Llc = parseHelpOptionNames(readFixture("llc-" + V + "-help-hidden.txt"));
  size_t Before = C.knobs().size();
  auto Missing = C.checkAgainst([&](std::string_view N) { return Opt.count(std::string(N)) > 0; },
                                [&](std::string_view N) { return Llc.count(std::string(N)) > 0; });
  for (const MissingKnob &M : Missing)
    FAIL_CHECK(M.Name << " is not accepted by " << M.Tool);
  CHECK(C.knobs().size() == Before);
}

TEST_CASE("the LLVM 22 catalog keeps every LLVM 19 knob, with the same domain and default", "[knobs]") {
  KnobCatalog Old = shippedCatalog(19);
  KnobCatalog New = shippedCatalog(22);
  REQUIRE_FALSE(Old.knobs().empty());
  for (const KnobSpec &K : Old.knobs()) {
    INFO(K.Name);
    const KnobSpec *N = New.find(K.Name);
    REQUIRE(N);
    CHECK(N->domainText() == K.domainText());
    CHECK(N->Default == K.Default);
    CHECK(N->ShapesPipeline == K.ShapesPipeline);
  }
  // The knobs new in 22 are not LLVM 19 options.
  std::set<std::string> Opt19 = parseHelpOptionNames(readFixture("opt-19-help-hidden.txt"));
  size_t Added = 0;
  for (const KnobSpec &K : New.knobs())
    if (!Old.find(K.Name)) {
      INFO(K.Name);
      CHECK_FALSE(Opt19.count(K.Name));
      ++Added;
    }
  CHECK(Added == 4);
}

TEST_CASE("--help-hidden parsing finds options and skips values and headings", "[knobs]") {
  std::string Text = "OVERVIEW: llvm .bc -> .bc modular optimizer\n"
                     "USAGE: opt [options] <input bitcode file>\n\n"
                     "OPTIONS:\n\nGeneral options:\n\n"
                     "  --align-loops=<uint>                - Default alignment for loops\n"
                     "  --misched=<value>                   - Machine instruction scheduler to use\n"
                     "    =default                          -   Use the target's default\n"
                     "    =ilpmax                           -   Schedule bottom-up\n"
                     "  -S                                  - Write output as LLVM assembly\n"
                     "      --polly-ast                     - Polly - Generate an AST\n"
                     "  --polly-context=<isl parameter set> - Provide constraints\n"
                     "  --enable-loopinterchange            - Enable the LoopInterchange Pass\n";
  std::set<std::string> Names = parseHelpOptionNames(Text);
  CHECK(Names == std::set<std::string>{"align-loops", "misched", "S", "polly-ast",
                                       "polly-context", "enable-loopinterchange"});
  // The real fixture: a sample of options from both tools.
  std::set<std::string> Opt = parseHelpOptionNames(readFixture("opt-19-help-hidden.txt"));
  std::set<std::string> Llc = parseHelpOptionNames(readFixture("llc-19-help-hidden.txt"));
  CHECK(Opt.count("unroll-threshold"));
  CHECK(Opt.count("polly"));
  CHECK(Opt.count("disable-loop-unrolling"));
  CHECK_FALSE(Llc.count("disable-loop-unrolling")); // opt's own option
  CHECK(Llc.count("misched"));
  CHECK_FALSE(Opt.count("ilpmax"));
  CHECK(Opt.size() > 1000);
}

TEST_CASE("checkAgainst drops and reports options a tool rejects", "[knobs]") {
  auto C = KnobCatalog::parse(SmallCatalog, "small.json");
  REQUIRE(C.ok());
  // llc does not know misched; opt does not know polly (so polly-tile,
  // which needs polly, goes too).
  auto Missing = C->checkAgainst([](std::string_view N) { return N != "polly"; },
                                 [](std::string_view N) { return N != "misched"; });
  REQUIRE(Missing.size() == 3);
  CHECK(Missing[0].Name == "polly");
  CHECK(Missing[0].Tool == "opt");
  CHECK(Missing[1].Name == "misched");
  CHECK(Missing[1].Tool == "clang -mllvm");
  CHECK(Missing[2].Name == "polly-tile");
  CHECK(C->find("polly") == nullptr);
  CHECK(C->find("ratio") != nullptr);
  CHECK(C->knobs().size() == 2);
  CHECK(C->missing().size() == 3);
  Status S = C->validate("polly", KnobValue(true));
  REQUIRE_FALSE(S.ok());
  CHECK(S.message() == "knob polly: not accepted by the installed opt, so it is not used");
  std::string Table = renderKnobTable(*C);
  CHECK(Table.find("Not accepted by the installed LLVM tools") != std::string::npos);
  CHECK(Table.find("  misched (clang -mllvm)") != std::string::npos);
}

TEST_CASE("validate enforces types and domains", "[knobs]") {
  auto C = KnobCatalog::parse(SmallCatalog, "small.json");
  REQUIRE(C.ok());
  CHECK(C->validate("polly", KnobValue(true)).ok());
  CHECK(C->validate("polly", KnobValue(int64_t(1))).message() ==
        "knob polly: expected true or false, got 1");
  CHECK(C->validate("polly-tile", KnobValue(int64_t(64))).ok());
  CHECK(C->validate("polly-tile", KnobValue(int64_t(65))).message() ==
        "knob polly-tile: expected an integer from 2 to 64, got 65");
  CHECK_FALSE(C->validate("polly-tile", KnobValue(8.0)).ok());
  CHECK(C->validate("ratio", KnobValue(int64_t(1))).ok());
  CHECK(C->validate("ratio", KnobValue(0.75)).ok());
  CHECK_FALSE(C->validate("ratio", KnobValue(2.5)).ok());
  CHECK(C->validate("misched", KnobValue(std::string("ilpmax"))).ok());
  CHECK(C->validate("misched", KnobValue(std::string("fancy"))).message() ==
        "knob misched: expected one of: default, ilpmax, got fancy");
  CHECK(C->validate("width", KnobValue(int64_t(8))).ok());
  CHECK_FALSE(C->validate("width", KnobValue(int64_t(16))).ok());
  CHECK(C->validate("nope", KnobValue(true)).message() ==
        "knob nope: not in the knob catalog (small.json)");
  CandidateConfig Cfg;
  Cfg.Knobs["polly-tile"] = int64_t(1);
  CHECK_FALSE(C->validateKnobs(Cfg).ok());
}

TEST_CASE("command-line arguments go to the tool the knob applies to", "[knobs]") {
  auto C = KnobCatalog::parse(SmallCatalog, "small.json");
  REQUIRE(C.ok());
  CandidateConfig Cfg;
  Cfg.Knobs["polly"] = true;
  Cfg.Knobs["misched"] = std::string("ilpmax");
  Cfg.Knobs["width"] = int64_t(8);
  Cfg.Knobs["ratio"] = 0.75;
  CHECK(C->commandLineArgs(Cfg, KnobTool::Opt) ==
        std::vector<std::string>{"-polly=true", "-ratio=0.75", "-width=8"});
  CHECK(C->commandLineArgs(Cfg, KnobTool::Llc) ==
        std::vector<std::string>{"-misched=ilpmax", "-width=8"});
  CHECK(C->commandLineArgs(Cfg, KnobTool::Both) ==
        std::vector<std::string>{"-mllvm", "-misched=ilpmax", "-mllvm", "-polly=true", "-mllvm",
                                 "-ratio=0.75", "-mllvm", "-width=8"});
}

TEST_CASE("malformed catalog entries are rejected with the field named", "[knobs]") {
  CHECK(catalogError(R"({"name":"a","type":"int","default":1,"where":"opt","category":"c","meaning":"m"})") ==
        "k.json: knobs[0](a).domain: expected an object (every non-bool knob has a domain)");
  CHECK(catalogError(R"({"name":"a","type":"int","domain":{"min":1,"max":4},"default":9,"where":"opt","category":"c","meaning":"m"})") ==
        "k.json: knobs[0](a).default: expected an integer from 1 to 4 or null");
  CHECK(catalogError(R"({"name":"a","type":"bool","default":true,"where":"gcc","category":"c","meaning":"m"})") ==
        R"(k.json: knobs[0](a).where: expected "opt", "llc" or "both")");
  CHECK(catalogError(R"({"name":"a","type":"bool","default":true,"where":"opt","category":"c"})") ==
        "k.json: knobs[0](a).meaning: expected a non-empty string");
  CHECK(catalogError(R"({"name":"a","type":"bool","default":true,"where":"opt","category":"c","meaning":"m","requires":{"b":true}})") ==
        R"(k.json: a.requires: unknown knob "b")");
  CHECK(catalogError(R"({"name":"a","type":"bool","default":true,"where":"opt","category":"c","meaning":"m","typo":1})") ==
        "k.json: knobs[0].typo: unknown key");
  CHECK(catalogError(R"({"name":"a","type":"int","domain":{"min":1,"max":4,"samples":[5]},"default":1,"where":"opt","category":"c","meaning":"m"})") ==
        "k.json: knobs[0](a).domain.samples: expected values in the domain: an integer from 1 to 4");
}

TEST_CASE("loadDefault finds the catalog through AUTOPASS_DATA_DIR or the source tree", "[knobs]") {
  auto C = KnobCatalog::loadDefault();
  REQUIRE(C.ok());
  // The catalog of the LLVM the tuner was built against.
  CHECK(KnobCatalog::defaultFileName() == "knobs-llvm" + std::to_string(LLVM_VERSION_MAJOR) + ".json");
  CHECK(endsWith(C->source(), "/" + KnobCatalog::defaultFileName()));
  CHECK(C->knobs().size() >= 40);
  std::string Table = renderKnobTable(*C);
  CHECK(Table.find("[polly]") != std::string::npos);
  CHECK(Table.find("enable-loopinterchange") != std::string::npos);
}

TEST_CASE("knobs of another back end are left out for a target", "[knobs][target]") {
  const char *Text = R"({"schema":"autopass-knobs/1","knobs":[
    {"name":"licm-x","type":"bool","default":false,"where":"opt","category":"licm","meaning":"m"},
    {"name":"x86-cmov-converter","type":"bool","default":true,"where":"llc","arch":["x86","x86_64"],
     "category":"codegen","meaning":"m"}]})";
  auto C = KnobCatalog::parse(Text, "t.json");
  REQUIRE(C.ok());
  REQUIRE(C->find("x86-cmov-converter") != nullptr);
  CHECK(C->find("x86-cmov-converter")->Arches == std::vector<std::string>{"x86", "x86_64"});

  KnobCatalog ForX86 = *C;
  CHECK(ForX86.keepForArch("x86_64").empty());
  CHECK(ForX86.knobs().size() == 2);

  auto Dropped = C->keepForArch("aarch64");
  CHECK(Dropped == std::vector<std::string>{"x86-cmov-converter"});
  CHECK(C->find("x86-cmov-converter") == nullptr);
  CHECK(C->find("licm-x") != nullptr);

  auto Bad = KnobCatalog::parse(R"({"schema":"autopass-knobs/1","knobs":[
    {"name":"k","type":"bool","default":false,"where":"llc","arch":[],"category":"c","meaning":"m"}]})",
                                "bad.json");
  REQUIRE_FALSE(Bad.ok());
  CHECK(Bad.message().find("bad.json: knobs[0](k).arch: expected a non-empty array") !=
        std::string::npos);
}

TEST_CASE("the shipped catalogs mark x86-only knobs", "[knobs][target]") {
  for (unsigned Llvm : {19u, 22u}) {
    KnobCatalog C = shippedCatalog(Llvm);
    INFO("LLVM " << Llvm);
    REQUIRE(C.find("x86-cmov-converter") != nullptr);
    CHECK_FALSE(C.find("x86-cmov-converter")->Arches.empty());
    auto Dropped = C.keepForArch("aarch64");
    CHECK(std::find(Dropped.begin(), Dropped.end(), "x86-cmov-converter") != Dropped.end());
  }
}
