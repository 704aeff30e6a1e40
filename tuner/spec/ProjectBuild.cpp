//===- spec/ProjectBuild.cpp - A program its own build system builds -----===//
#include "spec/ProjectBuild.hpp"

#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

namespace autopass {

namespace {

Result<BuildUnit> parseUnit(const JsonObject &U, const std::string &SpecDir) {
  if (Status S = U.checkKeys({"file", "directory", "output", "compiler", "flags"}); !S)
    return S.error();
  BuildUnit Unit;
  auto Dir = U.optString("directory");
  if (!Dir)
    return Dir.error();
  Unit.Directory = absolutePath(Dir->value_or("."), SpecDir);
  if (!isDirectory(Unit.Directory))
    return U.error("directory", "expected an existing directory, not found: " + Unit.Directory);
  for (const char *Key : {"file", "output", "compiler"}) {
    auto V = U.getString(Key);
    if (!V)
      return V.error();
    if (V->empty())
      return U.error(Key, "expected a non-empty string");
    if (std::string(Key) == "file")
      Unit.File = absolutePath(*V, Unit.Directory);
    else if (std::string(Key) == "output")
      Unit.Output = absolutePath(*V, Unit.Directory);
    else
      Unit.Compiler = *V;
  }
  if (!pathExists(Unit.File))
    return U.error("file", "file not found: " + Unit.File);
  auto Flags = U.optStringArray("flags");
  if (!Flags)
    return Flags.error();
  if (*Flags)
    Unit.Flags = **Flags;
  for (size_t I = 0; I < Unit.Flags.size(); ++I)
    if (isReservedUnitFlag(Unit.Flags[I]))
      return U.error("flags[" + std::to_string(I) + "]",
                     "\"" + Unit.Flags[I] +
                         "\" is chosen by the build and the tuner (the unit's `output`, its "
                         "dependency file); remove it");
  return Unit;
}

} // namespace

bool isReservedUnitFlag(const std::string &Flag) {
  for (const char *F : {"-c", "-o", "-MD", "-MMD", "-MF", "-MT", "-MQ", "-MJ"})
    if (Flag == F)
      return true;
  return startsWith(Flag, "-o") || startsWith(Flag, "-MF") || startsWith(Flag, "-MT") ||
         startsWith(Flag, "-MQ") || startsWith(Flag, "-MJ");
}

Result<ProjectBuild> parseProjectBuild(const JsonObject &B, const std::string &SpecDir) {
  if (Status S = B.checkKeys({"directory", "command", "binary", "units"}); !S)
    return S.error();
  ProjectBuild Build;
  auto Dir = B.optString("directory");
  if (!Dir)
    return Dir.error();
  Build.Directory = absolutePath(Dir->value_or("."), SpecDir);
  if (!isDirectory(Build.Directory))
    return B.error("directory", "expected an existing directory, not found: " + Build.Directory);
  auto Command = B.optStringArray("command");
  if (!Command)
    return Command.error();
  if (!*Command || (*Command)->empty() || (**Command)[0].empty())
    return B.error("command", "required: the project's build command as an array (program and "
                              "arguments), e.g. [\"cmake\", \"--build\", \".\"]");
  Build.Command = **Command;
  auto Binary = B.getString("binary");
  if (!Binary)
    return Binary.error();
  if (Binary->empty())
    return B.error("binary", "expected the path of the program the build links");
  Build.Binary = absolutePath(*Binary, SpecDir);

  if (!B.has("units") || !B.value()["units"].IsArray() || B.value()["units"].Empty())
    return B.error("units", "required: a non-empty array of translation units "
                            "({file, directory, output, compiler, flags})");
  const auto &Units = B.value()["units"];
  for (rapidjson::SizeType I = 0; I < Units.Size(); ++I) {
    auto U = JsonObject::from(Units[I], B.source(), B.path("units") + "[" + std::to_string(I) + "]");
    if (!U)
      return U.error();
    auto Unit = parseUnit(*U, SpecDir);
    if (!Unit)
      return Unit.error();
    for (const BuildUnit &Earlier : Build.Units)
      if (Earlier.Output == Unit->Output)
        return U->error("output", "two units write " + Unit->Output);
    Build.Units.push_back(std::move(*Unit));
  }
  return Build;
}

void writeProjectBuild(JsonOut &J, const ProjectBuild &Build) {
  J.beginObject().field("directory", Build.Directory);
  J.key("command").values(Build.Command);
  J.field("binary", Build.Binary);
  J.key("units").beginArray();
  for (const BuildUnit &U : Build.Units) {
    J.beginObject()
        .field("file", U.File)
        .field("directory", U.Directory)
        .field("output", U.Output)
        .field("compiler", U.Compiler);
    J.key("flags").values(U.Flags);
    J.endObject();
  }
  J.endArray().endObject();
}

} // namespace autopass
