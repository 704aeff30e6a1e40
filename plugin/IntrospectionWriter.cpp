//===- IntrospectionWriter.cpp - render autopass-introspect/1 -------------===//
//
// Written by hand, one record per line: a long pipeline gives tens of
// thousands of records, and llvm::json::OStream's pretty printer cost about
// as much as the recording itself.
//
//===----------------------------------------------------------------------===//

#include "IntrospectionRecords.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace autopass {

StringRef unitKindName(UnitKind K) {
  switch (K) {
  case UnitKind::Module:
    return "module";
  case UnitKind::CGSCC:
    return "cgscc";
  case UnitKind::Function:
    return "function";
  case UnitKind::Loop:
    return "loop";
  }
  return "unknown";
}

namespace {

/// Writes \p S as a JSON string. Invalid UTF-8 (possible in IR names) is
/// repaired the way llvm::json does, so the document always parses.
void writeJsonString(raw_ostream &OS, StringRef S) {
  std::string Fixed;
  if (!json::isUTF8(S)) {
    Fixed = json::fixUTF8(S);
    S = Fixed;
  }
  OS << '"';
  for (char C : S) {
    switch (C) {
    case '"':
      OS << "\\\"";
      break;
    case '\\':
      OS << "\\\\";
      break;
    case '\n':
      OS << "\\n";
      break;
    case '\t':
      OS << "\\t";
      break;
    case '\r':
      OS << "\\r";
      break;
    default:
      if (static_cast<unsigned char>(C) < 0x20)
        OS << format("\\u%04x", static_cast<unsigned char>(C));
      else
        OS << C;
    }
  }
  OS << '"';
}

struct Summary {
  uint64_t Runs = 0, ChangedRuns = 0, GoneRuns = 0;
  int64_t InstructionDelta = 0;
  double TimeUs = 0;
};

} // namespace

std::string renderIntrospection(const IntrospectionData &Data) {
  std::vector<Summary> Summaries(Data.PassNames.size());
  for (const Record &R : Data.Records) {
    Summary &S = Summaries[R.Pass];
    ++S.Runs;
    S.ChangedRuns += R.Changed;
    S.GoneRuns += R.UnitGone;
    if (!R.UnitGone)
      S.InstructionDelta += static_cast<int64_t>(R.InstructionsAfter) -
                            static_cast<int64_t>(R.InstructionsBefore);
    S.TimeUs += R.TimeUs;
  }

  std::string Text;
  raw_string_ostream OS(Text);
  auto str = [&OS](StringRef S) { writeJsonString(OS, S); };
  auto num = [&OS](double D) { OS << format("%.3f", D); };
  OS << "{\n\"schema\": \"autopass-introspect/1\",\n\"module\": ";
  str(Data.ModuleName);
  OS << ",\n\"records\": [";
  for (size_t I = 0; I < Data.Records.size(); ++I) {
    const Record &R = Data.Records[I];
    OS << (I ? ",\n" : "\n") << "{\"seq\": " << R.Seq << ", \"pass\": ";
    str(Data.PassNames[R.Pass]);
    OS << ", \"unit_kind\": \"" << unitKindName(R.Kind) << "\", \"unit\": ";
    str(Data.UnitNames[R.Unit]);
    OS << ", \"instructions_before\": " << R.InstructionsBefore
       << ", \"instructions_after\": " << R.InstructionsAfter
       << ", \"blocks_before\": " << R.BlocksBefore
       << ", \"blocks_after\": " << R.BlocksAfter
       << ", \"changed\": " << (R.Changed ? "true" : "false");
    if (R.Invalidated)
      OS << ", \"invalidated\": true";
    if (R.UnitGone)
      OS << ", \"unit_gone\": true";
    OS << ", \"time_us\": ";
    num(R.TimeUs);
    if (R.Source) {
      OS << ", \"source\": {\"function\": ";
      str(Data.UnitNames[R.Source->Function]);
      OS << ", \"file\": ";
      str(Data.UnitNames[R.Source->File]);
      OS << ", \"line\": " << R.Source->Line << "}";
    }
    if (!R.Sources.empty()) {
      OS << ", \"sources\": [";
      for (size_t S = 0; S < R.Sources.size(); ++S) {
        const SourceCount &C = R.Sources[S];
        OS << (S ? ", " : "") << "{\"function\": ";
        str(Data.UnitNames[C.Function]);
        OS << ", \"instructions_before\": " << C.InstructionsBefore
           << ", \"instructions_after\": " << C.InstructionsAfter
           << ", \"changed\": " << (C.Changed ? "true" : "false") << "}";
      }
      OS << "]";
    }
    OS << "}";
  }
  OS << "\n],\n\"summary\": [";
  bool First = true;
  for (size_t P = 0; P < Data.PassNames.size(); ++P) {
    const Summary &S = Summaries[P];
    if (!S.Runs)
      continue;
    OS << (First ? "\n" : ",\n") << "{\"pass\": ";
    First = false;
    str(Data.PassNames[P]);
    if (!Data.PipelineNames[P].empty()) {
      OS << ", \"pipeline_name\": ";
      str(Data.PipelineNames[P]);
    }
    OS << ", \"runs\": " << S.Runs << ", \"changed_runs\": " << S.ChangedRuns
       << ", \"instruction_delta\": " << S.InstructionDelta;
    if (S.GoneRuns)
      OS << ", \"unit_gone_runs\": " << S.GoneRuns;
    OS << ", \"time_us\": ";
    num(S.TimeUs);
    OS << "}";
  }
  OS << "\n],\n\"diffs\": [";
  for (size_t I = 0; I < Data.Diffs.size(); ++I) {
    const DiffEntry &D = Data.Diffs[I];
    OS << (I ? ",\n" : "\n") << "{\"seq\": " << D.Seq << ", \"pass\": ";
    str(Data.PassNames[D.Pass]);
    OS << ", \"function\": ";
    str(D.Function);
    OS << ", \"diff\": ";
    str(D.Diff.Text);
    OS << ", \"truncated\": " << (D.Diff.Truncated ? "true" : "false") << "}";
  }
  OS << "\n]\n}\n";
  return Text;
}

} // namespace autopass
