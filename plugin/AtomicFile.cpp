//===- AtomicFile.cpp - write an output file whole or not at all ----------===//
//
// See AtomicFile.h. The temporary file lives next to the target so that the
// final rename stays within one file system (and is therefore atomic).
//
//===----------------------------------------------------------------------===//

#include "AtomicFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <system_error>

using namespace llvm;

namespace autopass {

Error writeFileAtomically(StringRef Path, StringRef Contents) {
  std::string TempPath =
      (Path + ".tmp." + Twine(sys::Process::getProcessId())).str();
  {
    std::error_code EC;
    raw_fd_ostream OS(TempPath, EC, sys::fs::OF_None);
    if (EC)
      return createStringError(EC, "%s: cannot create: %s", TempPath.c_str(),
                               EC.message().c_str());
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      std::error_code WriteEC = OS.error();
      OS.clear_error();
      sys::fs::remove(TempPath);
      return createStringError(WriteEC, "%s: write failed: %s",
                               TempPath.c_str(), WriteEC.message().c_str());
    }
  }
  if (std::error_code EC = sys::fs::rename(TempPath, Path)) {
    sys::fs::remove(TempPath);
    return createStringError(EC, "%s: cannot rename into place: %s",
                             Path.str().c_str(), EC.message().c_str());
  }
  return Error::success();
}

} // namespace autopass
