//===- evidence/SourceMap.cpp - Which source function a line belongs to ---===//
#include "evidence/SourceMap.hpp"

#include "evidence/Profile.hpp"

namespace autopass {

SourceMap::SourceMap(const std::vector<ModuleFeatures> &Features) : All(Features) {
  for (const ModuleFeatures &M : Features)
    for (const FunctionFeatures &F : M.Functions)
      if (F.File && F.SourceLines)
        Functions.push_back({&F, *F.File});
}

std::string SourceMap::functionAt(const SourceLocation &Loc) const {
  const FunctionFeatures *Best = nullptr;
  for (const Entry &E : Functions) {
    if (!E.F->SourceLines->contains(Loc.Line) || !sameSourceFile(Loc.File, E.File))
      continue;
    auto width = [](const FunctionFeatures *F) {
      return F->SourceLines->Last - F->SourceLines->First;
    };
    if (!Best || width(E.F) < width(Best))
      Best = E.F;
  }
  return Best ? Best->Name : std::string();
}

const FunctionFeatures *SourceMap::find(const std::string &Function) const {
  return findFunction(All, Function);
}

std::string SourceMap::loopHeadedAt(const std::string &Function, int64_t Line) const {
  const FunctionFeatures *F = find(Function);
  if (!F || Line <= 0)
    return "";
  std::string Found;
  for (const LoopFeatures &L : F->Loops) {
    if (!L.Line || *L.Line != Line)
      continue;
    if (!Found.empty())
      return "";
    Found = L.Name;
  }
  return Found;
}

std::vector<std::string> SourceMap::loopsContaining(const std::string &Function,
                                                    int64_t Line) const {
  std::vector<std::string> Out;
  if (const FunctionFeatures *F = find(Function))
    for (const LoopFeatures &L : F->Loops) // preorder: outer loops first
      if (L.SourceLines && L.SourceLines->contains(Line))
        Out.push_back(L.Name);
  return Out;
}

} // namespace autopass
