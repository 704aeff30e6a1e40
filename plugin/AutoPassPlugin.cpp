//===- AutoPassPlugin.cpp - registration of the AutoPass elements ---------===//
//
// libAutoPassPlugin.so adds three pipeline elements to opt and clang:
//
//   autopass-introspect<out=FILE[;diff=FUNC:FUNC...][;diff-limit=BYTES]>
//   autopass-features<out=FILE>
//   autopass<config=FILE[;report=FILE][;strict]>
//
// and environment variables for clang -fpass-plugin, where no pipeline text
// can be given: AUTOPASS_INTROSPECT=FILE records the whole pipeline,
// AUTOPASS_FEATURES=FILE writes features of the IR at pipeline start, and
// AUTOPASS_CONFIG=FILE applies a configuration's hints at pipeline start
// (with AUTOPASS_REPORT=FILE, its report is written there).
// docs/plugin.md is the user guide.
//
// Bad element parameters and bad configuration files are reported while the
// pipeline is parsed, so opt exits with an ordinary error message instead of
// failing halfway through the pipeline.
//
//===----------------------------------------------------------------------===//

#include "Compat.h"
#include "Config.h"
#include "ElementParams.h"
#include "Features.h"
#include "Hints.h"
#include "Introspection.h"
#include "PassPolicy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;
using namespace autopass;

namespace {

/// Prints an element error the way opt prints its own, and tells the
/// pipeline parser the text was not accepted.
bool rejectElement(Error E) {
  errs() << "autopass: error: " << toString(std::move(E)) << "\n";
  return false;
}

/// Fatal errors from environment variables: there is no pipeline parser to
/// hand them to, and a crash dump would bury the message.
[[noreturn]] void fatalUserError(const Twine &Message) {
  errs() << "autopass: error: " << Message << "\n";
  errs().flush();
  std::exit(1);
}

void registerCallbacks(PassBuilder &PB) {
  std::shared_ptr<IntrospectionSession> Session;
  if (PassInstrumentationCallbacks *PIC = PB.getPassInstrumentationCallbacks())
    Session = createIntrospectionSession(*PIC);

  if (const char *Out = std::getenv("AUTOPASS_INTROSPECT"); Out && *Out) {
    if (!Session)
      fatalUserError("AUTOPASS_INTROSPECT: this tool gives the plugin no "
                     "pass instrumentation to record with");
    IntrospectOptions Options;
    Options.Out = Out;
    startIntrospection(*Session, std::move(Options));
  }

  if (const char *Out = std::getenv("AUTOPASS_FEATURES"); Out && *Out) {
    // Before the hints: features describe the IR the hints name.
    FeaturesOptions Options;
    Options.Out = Out;
    registerPipelineStart(PB, [Options](ModulePassManager &MPM,
                                        OptimizationLevel) {
      MPM.addPass(FeaturesPass(Options));
    });
  }

  if (const char *Path = std::getenv("AUTOPASS_CONFIG"); Path && *Path) {
    // Read once, when the plugin registers: an error stops the compile
    // before any work is done.
    Expected<Config> C = readConfigFile(Path);
    if (!C)
      fatalUserError(toString(C.takeError()));
    if (C->Pipeline)
      errs() << "autopass: warning: " << Path
             << ": 'pipeline' is not applied at clang's pipeline start "
                "(build through opt, e.g. autopass-cc, to use it)\n";
    auto Shared = std::make_shared<Config>(std::move(*C));
    HintsOptions Options;
    Options.ConfigPath = Path;
    // AUTOPASS_REPORT=FILE: what was applied and what matched nothing, as
    // the element's report=FILE writes it (one file per compile).
    if (const char *Report = std::getenv("AUTOPASS_REPORT"); Report && *Report)
      Options.ReportPath = Report;
    registerPipelineStart(PB, [Shared, Options](ModulePassManager &MPM,
                                                OptimizationLevel) {
      MPM.addPass(HintsPass(Shared, Options));
    });
  }

  PB.registerPipelineParsingCallback(
      [Session, &PB](StringRef Name, ModulePassManager &MPM,
                     ArrayRef<PassBuilder::PipelineElement>) {
        StringRef Params;
        if (matchElement(Name, "autopass-introspect", Params)) {
          if (!Session)
            return rejectElement(createStringError(
                inconvertibleErrorCode(),
                "autopass-introspect: no pass instrumentation available"));
          Expected<IntrospectOptions> Options = parseIntrospectOptions(Params);
          if (!Options)
            return rejectElement(Options.takeError());
          MPM.addPass(IntrospectPass(Session, std::move(*Options)));
          return true;
        }
        if (matchElement(Name, "autopass-features", Params)) {
          Expected<FeaturesOptions> Options = parseFeaturesOptions(Params);
          if (!Options)
            return rejectElement(Options.takeError());
          MPM.addPass(FeaturesPass(std::move(*Options)));
          return true;
        }
        if (matchElement(Name, "autopass", Params)) {
          Expected<HintsOptions> Options = parseHintsOptions(Params);
          if (!Options)
            return rejectElement(Options.takeError());
          Expected<Config> C = readConfigFile(Options->ConfigPath);
          if (!C)
            return rejectElement(C.takeError());
          std::optional<std::string> Pipeline = C->Pipeline;
          std::string ConfigPath = Options->ConfigPath;
          // The same deny list as the tuner's (PassPolicy.h): a config
          // given straight to opt must not write files either.
          if (Pipeline)
            if (std::optional<std::string> Refused = config::checkPipelinePolicy(*Pipeline))
              return rejectElement(createStringError(inconvertibleErrorCode(), "%s: %s",
                                                     ConfigPath.c_str(),
                                                     Refused->c_str()));
          MPM.addPass(HintsPass(std::make_shared<Config>(std::move(*C)),
                                std::move(*Options)));
          if (Pipeline) {
            // Runs after the hints, parsed by the same PassBuilder so that
            // every registered pass (ours included) is available. A pipeline
            // that names its own configuration again would recurse forever.
            static unsigned Depth = 0;
            if (Depth >= 8)
              return rejectElement(createStringError(
                  inconvertibleErrorCode(),
                  "%s: pipeline: `autopass` elements nested 8 deep (does "
                  "the pipeline load its own configuration?)",
                  ConfigPath.c_str()));
            ++Depth;
            Error E = PB.parsePassPipeline(MPM, *Pipeline);
            --Depth;
            if (E)
              return rejectElement(createStringError(
                  inconvertibleErrorCode(), "%s: pipeline: %s",
                  ConfigPath.c_str(),
                  toString(std::move(E)).c_str()));
          }
          return true;
        }
        return false;
      });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "AutoPass", "0.1.0", registerCallbacks};
}
