//===- store/RunDir.cpp - One tuning run's directory ----------------------===//
#include "store/RunDir.hpp"

#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"

#include <unistd.h>

namespace autopass {

Result<std::unique_ptr<RunDir>> RunDir::open(const std::string &Path, bool Resume, bool Quiet) {
  std::unique_ptr<RunDir> R(new RunDir());
  R->Path = absolutePath(Path);
  if (Status S = makeDirectories(R->Path); !S)
    return S.error();
  auto Lock = Lockfile::acquire(joinPath(R->Path, "lock"), "run directory " + R->Path);
  if (!Lock)
    return Lock.error();
  R->Lock = std::move(*Lock);
  auto J = Journal::open(joinPath(R->Path, "journal.jsonl"), Quiet);
  if (!J)
    return J.error();
  R->TheJournal = std::move(*J);
  size_t Existing = R->TheJournal->events().size();
  if (Existing > 0 && !Resume)
    return makeError("run directory " + R->Path + " already holds a run (" +
                     std::to_string(Existing) +
                     " journal events); pass --resume to continue it, or choose another "
                     "--run-dir");
  R->Resumed = Resume && Existing > 0;
  for (const std::string &Dir : {std::string("cache"), std::string("configs"),
                                 std::string("reference"), std::string("results"),
                                 std::string("scratch")})
    if (Status S = makeDirectories(joinPath(R->Path, Dir)); !S)
      return S.error();
  R->TheCache = std::make_unique<BuildCache>(joinPath(R->Path, "cache"));
  // Scratch space of a killed run is garbage; entries being built when it
  // died were never published.
  (void)removeAll(R->TheCache->tmpRoot());
  // So are the temporary files of an atomic write it was killed in (results,
  // configs, reference: NAME.tmp.XXXXXX beside the file it was replacing).
  // The lock is ours, so no other writer is mid-write.
  for (const char *Dir : {"configs", "reference", "results"}) {
    std::string Full = joinPath(R->Path, Dir);
    if (auto Names = listDirectory(Full))
      for (const std::string &Name : *Names)
        if (isAtomicWriteLeftover(Name))
          (void)::unlink(joinPath(Full, Name).c_str()); // files only, never a directory
  }
  return R;
}

std::string RunDir::configsDir() const { return joinPath(Path, "configs"); }
std::string RunDir::referenceDir() const { return joinPath(Path, "reference"); }
std::string RunDir::resultsDir() const { return joinPath(Path, "results"); }
std::string RunDir::scratchDir() const { return joinPath(Path, "scratch"); }

Result<std::string> RunDir::saveConfig(const CandidateConfig &Config) {
  std::string File = joinPath(configsDir(), Config.shortHash() + ".json");
  if (Status S = writeFileAtomically(File, Config.toJson(true)); !S)
    return S.error();
  return File;
}

Result<std::string> RunDir::writeResult(const std::string &Name, const std::string &Content) {
  std::string File = joinPath(resultsDir(), Name);
  if (Status S = writeFileAtomically(File, Content); !S)
    return S.error();
  return File;
}

} // namespace autopass
