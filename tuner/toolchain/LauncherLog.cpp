//===- toolchain/LauncherLog.cpp - What autopass-cc compiled in a build ---===//
#include "toolchain/LauncherLog.hpp"

#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <unistd.h>

namespace autopass {

namespace {
constexpr const char *SchemaName = "autopass-cc-log/1";

Result<LauncherRecord> readRecord(const std::string &Path) {
  auto Text = readFile(Path);
  if (!Text)
    return Text.error();
  auto Doc = parseJsonText(*Text, Path);
  if (!Doc)
    return Doc.error();
  auto Root = JsonObject::from(**Doc, Path, "");
  if (!Root)
    return Root.error();
  const JsonObject &O = *Root;
  auto Schema = O.getString("schema");
  if (!Schema)
    return Schema.error();
  if (*Schema != SchemaName)
    return O.error("schema", std::string("expected \"") + SchemaName + "\"");
  LauncherRecord R;
  for (auto [Key, Field] :
       {std::pair<const char *, std::string *>{"source", &R.Source}, {"output", &R.Output},
        {"config_hash", &R.ConfigHash}, {"not_applied", &R.NotApplied},
        {"command", &R.Command}}) {
    auto V = O.getString(Key);
    if (!V)
      return V.error();
    *Field = *V;
  }
  auto Cache = O.getString("cache");
  if (!Cache)
    return Cache.error();
  if (*Cache == "hit")
    R.Cache = ObjectCacheUse::Hit;
  else if (*Cache == "miss")
    R.Cache = ObjectCacheUse::Miss;
  else if (*Cache == "off")
    R.Cache = ObjectCacheUse::Off;
  else
    return O.error("cache", "expected hit, miss or off");
  auto Exit = O.optInt("exit_code");
  if (!Exit)
    return Exit.error();
  R.ExitCode = static_cast<int>(Exit->value_or(0));
  auto Seconds = O.optNumber("seconds");
  if (!Seconds)
    return Seconds.error();
  R.Seconds = Seconds->value_or(0);
  return R;
}
} // namespace

std::string_view objectCacheUseName(ObjectCacheUse U) {
  switch (U) {
  case ObjectCacheUse::Hit: return "hit";
  case ObjectCacheUse::Miss: return "miss";
  case ObjectCacheUse::Off: return "off";
  }
  return "off";
}

Status writeLauncherRecord(const std::string &LogDir, const LauncherRecord &R) {
  JsonOut J;
  J.beginObject()
      .field("schema", SchemaName)
      .field("source", R.Source)
      .field("output", R.Output)
      .field("config_hash", R.ConfigHash)
      .field("not_applied", R.NotApplied)
      .field("cache", std::string(objectCacheUseName(R.Cache)))
      .field("exit_code", static_cast<int64_t>(R.ExitCode))
      .field("seconds", R.Seconds)
      .field("command", R.Command)
      .endObject();
  // One file per compile: the output's hash names the unit, the pid keeps
  // two compiles of one output (a rebuilt target) apart.
  std::string Name = sha256Hex(R.Output).substr(0, 16) + "-" + std::to_string(::getpid()) + ".json";
  if (Status S = makeDirectories(LogDir); !S)
    return S;
  return writeFileAtomically(joinPath(LogDir, Name), J.str());
}

Result<std::vector<LauncherRecord>> readLauncherLog(const std::string &LogDir) {
  std::vector<LauncherRecord> Out;
  if (!isDirectory(LogDir))
    return Out;
  auto Names = listDirectory(LogDir);
  if (!Names)
    return Names.error();
  std::sort(Names->begin(), Names->end());
  for (const std::string &N : *Names) {
    if (!endsWith(N, ".json"))
      continue;
    auto R = readRecord(joinPath(LogDir, N));
    if (!R)
      return R.error();
    Out.push_back(std::move(*R));
  }
  return Out;
}

} // namespace autopass
