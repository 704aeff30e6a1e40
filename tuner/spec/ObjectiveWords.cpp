//===- spec/ObjectiveWords.cpp - How results of an objective are worded ---===//
#include "spec/ObjectiveWords.hpp"

#include "spec/ProgramSpec.hpp"

namespace autopass {

std::string_view objectiveBetterWord(ObjectiveKind K) {
  switch (K) {
  case ObjectiveKind::Size: return "smaller";
  case ObjectiveKind::Reported: return "better";
  default: return "faster";
  }
}

std::string_view objectiveRatioName(ObjectiveKind K) {
  return K == ObjectiveKind::Size ? "size ratio" : "speedup";
}

std::string_view objectiveUnit(ObjectiveKind K) {
  switch (K) {
  case ObjectiveKind::Wall:
  case ObjectiveKind::Cpu: return "s";
  case ObjectiveKind::Size: return "B";
  case ObjectiveKind::Cycles: return "cycles";
  case ObjectiveKind::Instructions:
  case ObjectiveKind::Callgrind: return "instr";
  case ObjectiveKind::Reported: return "";
  }
  return "";
}

} // namespace autopass
