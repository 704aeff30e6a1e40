//===- spec/ObjectiveWords.hpp - How results of an objective are worded -*- C++ -*-===//
//
// A ratio over -O3 means a speedup only when the objective is a time: under
// objective `size` it is a size ratio (-O3 bytes / tuned bytes) and a win is
// "smaller", never "faster". Tables, summaries and tune-result.json take
// their words and units from here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string_view>

namespace autopass {

enum class ObjectiveKind;

/// What a ratio above 1 means: "smaller" (size), "better" (reported),
/// "faster" (wall, cpu, cycles, instructions, callgrind).
std::string_view objectiveBetterWord(ObjectiveKind K);
/// The name of the -O3 / tuned ratio: "size ratio" (size), "speedup" else.
std::string_view objectiveRatioName(ObjectiveKind K);
/// The unit of one value of the objective: "s", "B", "cycles", "instr", or
/// "" (reported: the program's own unit).
std::string_view objectiveUnit(ObjectiveKind K);

} // namespace autopass
