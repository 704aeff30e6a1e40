# lit configuration of the AutoPass plugin suite. Paths come from the
# generated lit.site.cfg.py in the build directory.
#
# Substitutions:
#   %opt      opt with libAutoPassPlugin.so loaded (-load-pass-plugin)
#   %clang    clang
#   (in the sanitizer build both run with the ASan runtime preloaded)
#   %plugin   the plugin's path (for clang -fpass-plugin=%plugin)
#   %python   the Python interpreter (JSON checks: lit-tests/Inputs/jq.py)
#   %inputs   lit-tests/Inputs
#   %llvm     the LLVM major version the suite runs against (19, 22)
#
# The few expectations that differ between LLVM releases are conditional:
# a whole test with the feature llvmN (`REQUIRES: llvm19`), single lines with
# a version prefix (`FileCheck --check-prefixes=CHECK,CHECK-LLVM%llvm` and
# `CHECK-LLVM19:` / `CHECK-LLVM22:` lines).
import os

import lit.formats

config.name = "AutoPass"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.autopass_lit_binary_dir
config.available_features.add("llvm%d" % config.llvm_version_major)

tools = config.llvm_tools_dir
config.environment["PATH"] = os.pathsep.join(
    [tools, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Keep the suite independent of the caller's environment.
for var in ("AUTOPASS_INTROSPECT", "AUTOPASS_CONFIG"):
    config.environment.pop(var, None)

# The sanitizer build (docs/testing.md): %plugin is the instrumented twin,
# and opt and clang, which load it, get the shared ASan runtime preloaded.
# Only they do: FileCheck, Python and anything else a RUN line starts stay
# as they are. Reports go to files that run-lit.py checks after the suite
# (a RUN line under `not` would otherwise take a sanitizer abort for the
# failure it expects). Leak detection stays on: opt and clang free what they
# allocate or keep it reachable, so any leak reported is the plugin's.
host_prefix = ""
if config.autopass_asan_runtime:
    report = os.path.join(config.autopass_sanitizer_reports, "report")
    host_prefix = (
        "env LD_PRELOAD=%s ASAN_OPTIONS=log_path=%s:detect_leaks=1 "
        "UBSAN_OPTIONS=log_path=%s:print_stacktrace=1 "
        % (config.autopass_asan_runtime, report, report))
config.substitutions.append(
    ("%opt", "%s%s -load-pass-plugin=%s"
     % (host_prefix, os.path.join(tools, "opt"), config.autopass_plugin)))
config.substitutions.append(("%clang", host_prefix + os.path.join(tools, "clang")))
config.substitutions.append(("%plugin", config.autopass_plugin))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%llvm", str(config.llvm_version_major)))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
