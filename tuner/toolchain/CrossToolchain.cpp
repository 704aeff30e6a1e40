//===- toolchain/CrossToolchain.cpp - Can we build and run for the target? ===//
#include "toolchain/CrossToolchain.hpp"

#include "spec/ProgramSpec.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

namespace autopass {

namespace {

constexpr double QueryTimeoutSeconds = 60;
/// How to get the missing piece: setup.sh knows the aarch64 packages.
std::string installHint(const ProgramSpec &Spec) {
  std::string Arch = Spec.Target.archName();
  if (Arch == "aarch64")
    return "install with scripts/setup.sh --cross aarch64";
  return "install Debian's cross packages for " + Arch +
         " (scripts/setup.sh --cross installs those of aarch64 only)";
}

/// The first line clang prints for a query, or an error naming the query.
Result<std::string> askClang(const Toolchain &Tools, const ProgramSpec &Spec,
                             const std::string &Query) {
  SubprocessOptions O;
  O.Argv = {Tools.Clang};
  for (const std::string &F : Spec.targetFlags())
    O.Argv.push_back(F);
  O.Argv.push_back(Query);
  O.TimeoutSeconds = QueryTimeoutSeconds;
  auto R = runSubprocess(O);
  if (!R)
    return makeError(Tools.Clang + " " + Query + ": " + R.message());
  if (R->TimedOut || R->Signal || R->ExitCode != 0)
    return makeError(Tools.Clang + " " + Query + " failed: " +
                     std::string(trim(R->Stderr)).substr(0, 300));
  auto Lines = split(R->Stdout, '\n');
  return Lines.empty() ? std::string() : std::string(trim(Lines[0]));
}

/// clang prints the bare name back when no file of that name is found.
Status checkClangFinds(const Toolchain &Tools, const ProgramSpec &Spec, const std::string &File,
                       const std::string &What) {
  auto Found = askClang(Tools, Spec, "-print-file-name=" + File);
  if (!Found)
    return Found.error();
  if (Found->empty() || (*Found)[0] != '/' || !pathExists(*Found))
    return makeError("target " + Spec.Target.Triple + ": clang finds no " + What + " (" + File +
                     ") for it: " + installHint(Spec));
  return success();
}

Status checkLinker(const Toolchain &Tools, const ProgramSpec &Spec) {
  auto Ld = askClang(Tools, Spec, "-print-prog-name=ld");
  if (!Ld)
    return Ld.error();
  // Without a cross linker clang falls back to the host's plain `ld`, which
  // cannot link objects of another architecture.
  bool Found = !Ld->empty() && (*Ld)[0] == '/' && pathExists(*Ld);
  std::string Base = fileName(*Ld);
  if (!Found || (Spec.Target.isForeign() && !startsWith(Base, Spec.Target.archName())))
    return makeError("target " + Spec.Target.Triple + ": clang finds no linker for it (it "
                     "would use \"" + *Ld + "\"): " + installHint(Spec));
  return success();
}

Status checkLlcKnowsTarget(const Toolchain &Tools, const ProgramSpec &Spec) {
  SubprocessOptions O;
  O.Argv = {Tools.Llc, "--version"};
  O.TimeoutSeconds = QueryTimeoutSeconds;
  auto R = runSubprocess(O);
  if (!R)
    return makeError(Tools.Llc + " --version: " + R.message());
  std::string Arch = Spec.Target.archName();
  // llc lists back ends by their own names, which differ from the triple's
  // architecture names for x86 (Triple's "x86_64" and "i386").
  std::string Listed = Arch == "x86_64" ? "x86-64" : Arch == "i386" ? "x86" : Arch;
  for (const std::string &Line : split(R->Stdout, '\n')) {
    std::string_view L = trim(Line);
    if (startsWith(L, Listed + " ") || L == Listed)
      return success();
  }
  return makeError("target " + Spec.Target.Triple + ": this LLVM (" + Tools.Llc +
                   ") has no " + Arch + " back end (llc --version lists the registered "
                   "targets)");
}

Status checkQemu(const ProgramSpec &Spec) {
  std::vector<std::string> Prefix = Spec.Runner.launchPrefix(Spec.Target);
  if (Prefix.empty())
    return success();
  if (findProgram(Prefix[0]).empty())
    return makeError("runner qemu: " + Prefix[0] + " not found on PATH: " + installHint(Spec) +
                     " (Debian package qemu-user)");
  if (Prefix.size() >= 3 && !isDirectory(Prefix[2]))
    return makeError("runner qemu: the sysroot " + Prefix[2] + " (qemu's -L) does not exist: " +
                     installHint(Spec) + ", or set runner.sysroot");
  return success();
}

} // namespace

Status checkCrossToolchain(const ProgramSpec &Spec, const Toolchain &Tools) {
  if (Spec.Target.isHost())
    return checkQemu(Spec);
  if (Status S = checkLlcKnowsTarget(Tools, Spec); !S)
    return S;
  if (Status S = checkClangFinds(Tools, Spec, "crt1.o", "C library"); !S)
    return S;
  if (Status S = checkClangFinds(Tools, Spec, "libgcc.a", "compiler runtime"); !S)
    return S;
  if (Spec.hasCxx())
    if (Status S = checkClangFinds(Tools, Spec, "libstdc++.so", "C++ standard library"); !S)
      return S;
  if (Status S = checkLinker(Tools, Spec); !S)
    return S;
  return checkQemu(Spec);
}

} // namespace autopass
