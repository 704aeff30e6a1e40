// Tests of evidence/IrAfterPass and the agents' ir_after_pass tool: the
// parsers of opt's printing options and the IR clean-up on canned text,
// the refusals of untrusted arguments (before any opt runs), and the tool on
// a small vectorizable C program collected with the real clang, opt and
// plugin.
#include "agents/AgentTools.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "evidence/IrAfterPass.hpp"

#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

namespace {

const char *CannedDump = R"(; *** IR Dump After 95-LoopVectorizePass on saxpy ***
; Function Attrs: nofree norecurse
define dso_local void @saxpy(ptr noalias %0, i32 noundef %1) local_unnamed_addr #0 !dbg !10 {
    #dbg_value(ptr %0, !21, !DIExpression(), !27)
  %5 = icmp sgt i32 %1, 0, !dbg !29
  call void @llvm.dbg.value(metadata i32 0, metadata !25, metadata !DIExpression()), !dbg !28
  br i1 %5, label %vector.body, label %exit, !dbg !31, !llvm.loop !40

vector.body:                                      ; preds = %4
  %wide.load = load <4 x float>, ptr %0, align 4, !dbg !33, !tbaa !34
  ret void, !dbg !44
}
 Running pass 96 LoopLoadEliminationPass on saxpy
; *** IR Dump After InstCombinePass on (saxpy) ***
define void @saxpy() {
  ret void
}
)";

KnobCatalog catalog() {
  auto C = KnobCatalog::loadDefault();
  REQUIRE(C.ok());
  return std::move(*C);
}

/// A digest whose IR source names two functions but whose opt does not
/// exist: whatever reaches opt fails, so a refusal proves it did not.
EvidenceDigest digestWithoutOpt() {
  EvidenceDigest D;
  IrSource S;
  S.Opt = "/nonexistent/opt";
  S.Pipeline = "default<O3>";
  S.Units.push_back({"kernel.c", "/nonexistent/kernel.bc", {"kernel", "_ZN3foo3barEv"}});
  D.Ir = S;
  return D;
}

bool startsWithError(const std::string &Text) { return Text.rfind("error:", 0) == 0; }

const Toolchain &tools() {
  static Result<Toolchain> T = Toolchain::locate();
  if (!T.ok())
    FAIL(T.message());
  return *T;
}

} // namespace

TEST_CASE("ir after pass: opt's pass numbers and dumps are parsed", "[irafterpass]") {
  auto Runs = parsePassNumbers(" Running pass 1 AssignmentTrackingPass on saxpy\n"
                               " Running pass 15 GlobalOptPass on [module]\n"
                               "junk line\n"
                               " Running pass 52 LICMPass on loop %.lr.ph in function saxpy\n"
                               " Running pass 76 RequireAnalysisPass<llvm::X, llvm::Function> on "
                               "saxpy\n");
  REQUIRE(Runs.size() == 4);
  CHECK(Runs[1].Number == 15);
  CHECK(Runs[1].Pass == "GlobalOptPass");
  CHECK(Runs[1].Unit == "[module]");
  CHECK(Runs[2].Unit == "loop %.lr.ph in function saxpy");
  CHECK(Runs[3].Pass == "RequireAnalysisPass<llvm::X, llvm::Function>");

  auto Dumps = splitIrDumps(CannedDump);
  REQUIRE(Dumps.size() == 2);
  CHECK(Dumps[0].Number == 95);
  CHECK(Dumps[0].Pass == "LoopVectorizePass");
  CHECK(Dumps[0].Unit == "saxpy");
  CHECK(Dumps[0].Body.find("vector.body:") != std::string::npos);
  // The listing line between the dumps is not IR.
  CHECK(Dumps[0].Body.find("Running pass") == std::string::npos);
  CHECK(Dumps[1].Number == 0);
  CHECK(Dumps[1].Pass == "InstCombinePass");
  CHECK(Dumps[1].Unit == "(saxpy)");

  CHECK(pipelinePassNames("function<eager-inv>(instcombine<max-iterations=1;no-verify>,"
                          "loop-mssa(licm<allowspeculation>)),globalopt,instcombine") ==
        std::vector<std::string>{"function", "instcombine", "loop-mssa", "licm", "globalopt"});
}

TEST_CASE("ir after pass: debug info is stripped and long IR is cut with a marker",
          "[irafterpass]") {
  auto Dumps = splitIrDumps(CannedDump);
  REQUIRE_FALSE(Dumps.empty());
  std::string Clean = stripDebugInfo(Dumps[0].Body);
  CHECK(Clean.find("!dbg") == std::string::npos);
  CHECK(Clean.find("#dbg_value") == std::string::npos);
  CHECK(Clean.find("llvm.dbg.value") == std::string::npos);
  CHECK(Clean.find("local_unnamed_addr #0 {\n") != std::string::npos);
  CHECK(Clean.find("  %5 = icmp sgt i32 %1, 0\n") != std::string::npos);
  // Other attachments stay.
  CHECK(Clean.find("br i1 %5, label %vector.body, label %exit, !llvm.loop !40\n") !=
        std::string::npos);
  CHECK(Clean.find("align 4, !tbaa !34\n") != std::string::npos);
  CHECK(Clean.find("  ret void\n") != std::string::npos);

  CHECK(boundIrText("a\nb\n", 100) == "a\nb\n");
  std::string Long;
  for (int I = 0; I < 100; ++I)
    Long += "  %" + std::to_string(I) + " = add i32 %x, 1\n";
  std::string Cut = boundIrText(Long, 200);
  CHECK(Cut.size() < 300);
  // Cut at a line end, then the marker saying how much is missing.
  size_t Marker = Cut.find("; [truncated: ");
  REQUIRE(Marker != std::string::npos);
  CHECK(Marker <= 200);
  CHECK(Cut[Marker - 1] == '\n');
  CHECK(Cut.find("of " + std::to_string(Long.size()) + " characters shown") != std::string::npos);
  CHECK(Cut.find("more lines left out]") != std::string::npos);
}

TEST_CASE("ir after pass: untrusted arguments are refused before opt runs", "[irafterpass]") {
  KnobCatalog Cat = catalog();
  EvidenceDigest D = digestWithoutOpt();
  AgentTools Tools(D, Cat, nullptr);
  REQUIRE(Tools.hasIrAfterPass());
  auto specNames = [](bool WithIr) {
    std::vector<std::string> Names;
    for (const ToolSpec &S : AgentTools::specs(WithIr))
      Names.push_back(S.Name);
    return Names;
  };
  std::vector<std::string> With = specNames(true), Without = specNames(false);
  CHECK(std::count(With.begin(), With.end(), "ir_after_pass") == 1);
  CHECK(std::count(Without.begin(), Without.end(), "ir_after_pass") == 0);

  std::string Unknown =
      Tools.call({"1", "ir_after_pass", R"({"function":"main","pass":"LoopVectorizePass"})"});
  CHECK(startsWithError(Unknown));
  CHECK(Unknown.find("no function named 'main'") != std::string::npos);
  CHECK(Unknown.find("kernel") != std::string::npos); // the known ones are listed
  // Names that could smuggle options or several functions into opt.
  for (const char *Bad : {R"({"function":"kernel,main","pass":"LICMPass"})",
                          R"({"function":"-print-after-all","pass":"LICMPass"})",
                          R"({"function":"kernel -o /tmp/x","pass":"LICMPass"})"}) {
    std::string A = Tools.call({"2", "ir_after_pass", Bad});
    CHECK(startsWithError(A));
    CHECK(A.find("opt") == std::string::npos);
  }
  CHECK(Tools.call({"3", "ir_after_pass", R"({"function":3,"pass":"LICMPass"})"})
            .find("\"function\" must be a string") != std::string::npos);
  CHECK(Tools.call({"4", "ir_after_pass", R"({"function":"kernel"})"})
            .find("missing string argument \"pass\"") != std::string::npos);
  CHECK(Tools.call({"5", "ir_after_pass", R"({"function":"kernel","pass":"LICMPass",
                                              "occurrence":"last"})"})
            .find("\"occurrence\" must be an integer") != std::string::npos);
  CHECK(Tools.call({"6", "ir_after_pass", R"({"function":"kernel","pass":"LICMPass",
                                              "occurrence":0})"})
            .find("\"occurrence\" must be an integer from 1") != std::string::npos);
  CHECK(Tools.call({"7", "ir_after_pass", R"({"function":"kernel","pass":"LICMPass",
                                              "max_chars":10})"})
            .find("\"max_chars\" must be an integer from 500") != std::string::npos);
  CHECK(startsWithError(Tools.call({"8", "ir_after_pass", "[1,2]"})));
  // A valid request reaches opt, which does not exist here: reported, not thrown.
  std::string NoOpt =
      Tools.call({"9", "ir_after_pass", R"({"function":"_ZN3foo3barEv","pass":"LICMPass"})"});
  CHECK(startsWithError(NoOpt));
  CHECK(NoOpt.find("opt") != std::string::npos);

  // Without an IR source the tool is not offered, and says why if called.
  EvidenceDigest Plain;
  AgentTools NoIr(Plain, Cat, nullptr);
  CHECK_FALSE(NoIr.hasIrAfterPass());
  CHECK(NoIr.call({"10", "ir_after_pass", R"({"function":"kernel","pass":"LICMPass"})"})
            .find("not available in this run") != std::string::npos);
}

TEST_CASE("ir after pass: the real -O3 pipeline on a vectorizable loop", "[irafterpass]") {
  if (tools().Plugin.empty())
    FAIL("the AutoPass plugin was not found (AUTOPASS_BUILD_PLUGIN)");
  auto Dir = makeTempDirectory("/tmp", "autopass-irafterpass-test-");
  REQUIRE(Dir.ok());
  REQUIRE(writeFile(joinPath(*Dir, "saxpy.c"),
                    "void saxpy(float *restrict y, const float *restrict x, float a, int n) {\n"
                    "  for (int i = 0; i < n; ++i)\n"
                    "    y[i] = a * x[i] + y[i];\n"
                    "}\n"
                    "float buf_x[1024], buf_y[1024];\n"
                    "int main(void) {\n"
                    "  saxpy(buf_y, buf_x, 2.0f, 1024);\n"
                    "  return (int)buf_y[3];\n"
                    "}\n")
              .ok());
  REQUIRE(writeFile(joinPath(*Dir, "spec.json"),
                    R"({"schema":"autopass-program/1","name":"saxpy","sources":["saxpy.c"],)"
                    R"("run":{"args":[],"timeout_s":10},"check":{"kind":"exact"}})")
              .ok());
  auto Spec = ProgramSpec::load(joinPath(*Dir, "spec.json"));
  REQUIRE(Spec.ok());
  EvidenceOptions Opts;
  Opts.Profile = ProfileMode::None;
  EvidenceCollector C(*Spec, tools(), joinPath(*Dir, "work"), Opts);
  auto E = C.collect();
  REQUIRE(E.ok());
  REQUIRE(E->Digest.Ir);
  CHECK(E->Digest.Ir->Label == "the -O3 pipeline");
  REQUIRE(E->Digest.Ir->Units.size() == 1);
  const auto &Fns = E->Digest.Ir->Units[0].Functions;
  CHECK(std::find(Fns.begin(), Fns.end(), "saxpy") != Fns.end());

  KnobCatalog Cat = catalog();
  AgentTools Tools(E->Digest, Cat, nullptr);
  REQUIRE(Tools.hasIrAfterPass());

  // By class name, as the per-pass records name it.
  std::string ByClass =
      Tools.call({"1", "ir_after_pass", R"({"function":"saxpy","pass":"LoopVectorizePass"})"});
  INFO(ByClass);
  CHECK_FALSE(startsWithError(ByClass));
  CHECK(ByClass.find("; IR of saxpy after LoopVectorizePass (run 1 of 1") == 0);
  CHECK(ByClass.find("in the -O3 pipeline, unit saxpy.c") != std::string::npos);
  CHECK(ByClass.find("define dso_local void @saxpy(") != std::string::npos);
  CHECK(ByClass.find("vector.body:") != std::string::npos);
  CHECK(ByClass.find("!dbg") == std::string::npos);
  CHECK(ByClass.find("#dbg_") == std::string::npos);
  // Only the function asked for.
  CHECK(ByClass.find("@main(") == std::string::npos);

  // By pipeline name: the same IR.
  std::string ByName =
      Tools.call({"2", "ir_after_pass", R"({"function":"saxpy","pass":"loop-vectorize"})"});
  INFO(ByName);
  CHECK_FALSE(startsWithError(ByName));
  CHECK(ByName.find("vector.body:") != std::string::npos);
  CHECK(ByName.substr(ByName.find("define")) == ByClass.substr(ByClass.find("define")));

  // Before the vectorizer there is no vector loop; the first of several runs.
  std::string Early = Tools.call(
      {"3", "ir_after_pass", R"({"function":"saxpy","pass":"InstCombinePass","occurrence":1})"});
  INFO(Early);
  CHECK(Early.find("; IR of saxpy after InstCombinePass (run 1 of ") == 0);
  CHECK(Early.find("vector.body") == std::string::npos);
  CHECK(Tools.call({"4", "ir_after_pass",
                    R"({"function":"saxpy","pass":"InstCombinePass","occurrence":999})"})
            .find("occurrence must be 1..") != std::string::npos);

  // Bounded, with the marker.
  std::string Short = Tools.call(
      {"5", "ir_after_pass", R"({"function":"saxpy","pass":"LoopVectorizePass","max_chars":500})"});
  CHECK(Short.find("; [truncated: ") != std::string::npos);
  CHECK(Short.size() < 1000);

  // Passes that do not run on the function are refused with the ones that do.
  std::string Bogus =
      Tools.call({"6", "ir_after_pass", R"({"function":"saxpy","pass":"BogusPass"})"});
  CHECK(startsWithError(Bogus));
  CHECK(Bogus.find("no pass 'BogusPass' runs on saxpy") != std::string::npos);
  CHECK(Bogus.find("LoopVectorizePass") != std::string::npos);
  CHECK(startsWithError(
      Tools.call({"7", "ir_after_pass", R"({"function":"saxpy","pass":"print<loops>"})"})));
  (void)removeAll(*Dir);
}
