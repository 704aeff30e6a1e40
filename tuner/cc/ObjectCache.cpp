//===- cc/ObjectCache.cpp - autopass-cc's objects, cached by content ------===//
#include "cc/ObjectCache.hpp"

#include "cc/UnitReport.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace autopass {

namespace {

/// Path, size and modification time: enough to notice a replaced tool
/// without running it for its version on every compile.
std::string fileIdentity(const std::string &Name) {
  std::string Path = findProgram(Name);
  if (Path.empty())
    Path = Name;
  char Buf[PATH_MAX];
  if (::realpath(Path.c_str(), Buf))
    Path = Buf;
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0)
    return Path + " (missing)";
  return Path + " " + std::to_string(St.st_size) + " " + std::to_string(St.st_mtim.tv_sec) + "." +
         std::to_string(St.st_mtim.tv_nsec);
}

std::string currentDirectory() {
  char Buf[PATH_MAX];
  return ::getcwd(Buf, sizeof(Buf)) ? Buf : "";
}

Status copyInto(const std::string &From, const std::string &To) {
  // A build reading Output while it is written must see the old file or
  // the whole new one.
  std::string Tmp = To + ".autopass-tmp." + std::to_string(::getpid());
  if (Status S = copyFile(From, Tmp); !S)
    return S;
  if (std::rename(Tmp.c_str(), To.c_str()) != 0) {
    (void)removeAll(Tmp);
    return makeError("cannot rename " + Tmp + " to " + To);
  }
  return success();
}

} // namespace

ObjectCache::ObjectCache(std::string Dir) : Cache(std::move(Dir)) {}

Result<std::string> ObjectCache::key(const UnitCompileContext &Ctx, size_t SourceIndex,
                                     const std::string &Output) const {
  const CompilerCommand &C = *Ctx.Command;
  if (Status S = makeDirectories(Cache.tmpRoot()); !S)
    return S.error();
  auto Tmp = makeTempDirectory(Cache.tmpRoot(), "pp-");
  if (!Tmp)
    return Tmp.error();
  struct Cleanup {
    std::string Dir;
    ~Cleanup() { (void)removeAll(Dir); }
  } Guard{*Tmp};
  std::string Preprocessed = joinPath(*Tmp, "unit.i");
  std::vector<std::string> Argv = {Ctx.Compiler};
  for (const std::string &A : unitArguments(C, SourceIndex, Preprocessed))
    Argv.push_back(A);
  for (const std::string &A : dependencyFileArgs(C, Output))
    Argv.push_back(A);
  Argv.insert(Argv.end(), {"-E", "-Wno-unused-command-line-argument"});
  SubprocessOptions O;
  O.Argv = Argv;
  O.TimeoutSeconds = 600;
  auto R = runSubprocess(O);
  if (!R)
    return R.error();
  if (!R->succeeded())
    return makeError("preprocessing failed (" + R->describe() + "): " + shellJoin(Argv));

  UnitRoute Route = routeFor(*Ctx.Config, Ctx.ForceOpt);
  Hasher H;
  H.add("format", "autopass-cc-object/1")
      .add("compiler", fileIdentity(Ctx.Compiler))
      .add("route", std::to_string(static_cast<int>(Route)))
      .add("config", Ctx.Config->contentHash())
      .add("cwd", currentDirectory())
      .add("args", join(C.Args, "\x1f"))
      .add("source", std::to_string(SourceIndex))
      .add("output", Output);
  if (Route == UnitRoute::Opt)
    H.add("opt", fileIdentity(Ctx.Install->opt()));
  if (Ctx.Config->hasHints())
    H.add("plugin", fileIdentity(Ctx.Install->Plugin));
  if (Status S = H.addFile("preprocessed", Preprocessed); !S)
    return S.error();
  return H.hexDigest();
}

bool ObjectCache::restore(const std::string &Key, const std::string &Output) const {
  if (!Cache.contains(Key))
    return false;
  std::string Entry = Cache.entryPath(Key);
  if (!copyInto(joinPath(Entry, "object"), Output))
    return false;
  std::string Report = joinPath(Entry, "unit-report.json");
  if (pathExists(Report))
    return copyInto(Report, unitReportPathFor(Output)).ok();
  (void)removeAll(unitReportPathFor(Output));
  return true;
}

Status ObjectCache::store(const std::string &Key, const std::string &Output) const {
  if (Cache.contains(Key))
    return success();
  auto Entry = Cache.insert(Key, [&](const std::string &Dir) -> Status {
    if (Status S = copyFile(Output, joinPath(Dir, "object")); !S)
      return S;
    std::string Report = unitReportPathFor(Output);
    if (pathExists(Report))
      return copyFile(Report, joinPath(Dir, "unit-report.json"));
    return success();
  });
  if (!Entry)
    return Entry.error();
  return success();
}

} // namespace autopass
