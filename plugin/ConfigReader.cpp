//===- ConfigReader.cpp - parse and validate autopass-config/1 ------------===//
//
// The one validator of docs/config-format.md, shared by the plugin and the
// tuner. `schema` is required, every other field is optional, unknown keys
// are errors everywhere except inside `meta` (a misspelt hint must not
// silently do nothing). Each error names the file, the field and what was
// expected. Before llvm::json::parse (recursive) sees the text, scanJsonText
// bounds its nesting and rejects duplicate keys and invalid UTF-8.
//
//===----------------------------------------------------------------------===//

#include "Config.h"
#include "JsonScan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <initializer_list>
#include <limits>

using namespace llvm;

namespace autopass {
namespace config {

namespace {

/// Collects the first error while walking the document.
class Reader {
public:
  Reader(StringRef Path, const JsonTextFacts &Facts)
      : Path(Path), Facts(Facts) {}

  bool failed() const { return !Message.empty(); }
  Error takeError() {
    return createStringError(inconvertibleErrorCode(), "%s", Message.c_str());
  }

  /// Records an error about \p Field; returns false so callers can
  /// `return fail(...)`.
  bool fail(const std::string &Field, const Twine &What) {
    if (Message.empty())
      Message = (Path + ": " + Field + ": " + What).str();
    return false;
  }

  bool checkKeys(const json::Object &Obj, const std::string &Field,
                 std::initializer_list<StringRef> Allowed) {
    for (const auto &KV : Obj) {
      StringRef Key = KV.first;
      if (!is_contained(Allowed, Key)) {
        std::string List = join(Allowed.begin(), Allowed.end(), ", ");
        return fail(member(Field, Key),
                    "unknown key (expected one of: " + List + ")");
      }
    }
    return true;
  }

  // Keys that are not plain identifiers (loop names hold ':') are quoted;
  // the scan names fields the same way.
  static std::string member(const std::string &Field, StringRef Key) {
    return jsonMemberPath(Field, Key);
  }

  static std::string index(const std::string &Field, size_t I) {
    return jsonIndexPath(Field, I);
  }

  /// How the number at \p Field was written, or "" if it is no number.
  StringRef numberText(const json::Value &V, const std::string &Field) const {
    if (!V.getAsNumber())
      return "";
    auto It = Facts.NumberText.find(Field);
    return It == Facts.NumberText.end() ? StringRef() : StringRef(It->second);
  }

  /// An integer written without fraction or exponent (4, not 4.0 or 4e0),
  /// in [Min, UINT_MAX].
  bool readUnsigned(const json::Value &V, const std::string &Field,
                    unsigned Min, unsigned &Out, StringRef Expected) {
    uint64_t N = 0;
    StringRef Text = numberText(V, Field);
    if (Text.empty() || Text.getAsInteger(10, N) || N < Min ||
        N > std::numeric_limits<unsigned>::max())
      return fail(Field, "expected " + Expected);
    Out = static_cast<unsigned>(N);
    return true;
  }

  bool readBool(const json::Value &V, const std::string &Field,
                std::optional<bool> &Out) {
    std::optional<bool> B = V.getAsBoolean();
    if (!B)
      return fail(Field, "expected true or false");
    Out = *B;
    return true;
  }

  /// Option names go on a command line as -NAME=VALUE.
  static bool isKnobName(StringRef Name) {
    return !Name.empty() && !Name.starts_with("-") &&
           none_of(Name, [](char C) { return C == '=' || isSpace(C); });
  }

  bool readKnob(const json::Value &V, const std::string &Field,
                KnobSetting &Out) {
    if (std::optional<bool> B = V.getAsBoolean()) {
      Out.Type = KnobSetting::Kind::Bool;
      Out.Bool = *B;
      return true;
    }
    if (std::optional<StringRef> S = V.getAsString()) {
      Out.Type = KnobSetting::Kind::String;
      Out.String = S->str();
      return true;
    }
    StringRef Text = numberText(V, Field);
    if (Text.empty())
      return fail(Field, "expected true/false, a number or a string");
    // Numbers include fractions: some LLVM options are floats (e.g.
    // licm-versioning-invariant-threshold).
    if (Text.find_first_of(".eE") != StringRef::npos) {
      double D = *V.getAsNumber();
      if (!std::isfinite(D))
        return fail(Field, "expected a finite number");
      Out.Type = KnobSetting::Kind::Float;
      Out.Float = D;
      return true;
    }
    if (Text.getAsInteger(10, Out.Integer))
      return fail(Field, "expected an integer from -9223372036854775808 to "
                         "9223372036854775807");
    Out.Type = KnobSetting::Kind::Integer;
    return true;
  }

  /// A knobs object at \p Field ("knobs", or a unit's).
  bool readKnobs(const json::Value &V, const std::string &Field,
                 std::vector<std::pair<std::string, KnobSetting>> &Out) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail(Field, "expected an object mapping option names to values");
    for (const auto &KV : *Obj) {
      std::string Knob = member(Field, KV.first);
      if (!isKnobName(KV.first))
        return fail(Knob, "expected an option name without leading dash, "
                          "'=' or spaces");
      KnobSetting Setting;
      if (!readKnob(KV.second, Knob, Setting))
        return false;
      Out.emplace_back(KV.first.str(), std::move(Setting));
    }
    return true;
  }

  /// A pipeline string at \p Field ("pipeline", or a unit's).
  bool readPipeline(const json::Value &V, const std::string &Field,
                    std::optional<std::string> &Out) {
    std::optional<StringRef> Text = V.getAsString();
    if (!Text || Text->trim().empty())
      return fail(Field, "expected a non-empty pass pipeline string");
    Out = Text->str();
    return true;
  }

  bool readLoopHint(const json::Value &V, const std::string &Field,
                    LoopHint &Hint) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail(Field, "expected an object (a loop hint)");
    if (!checkKeys(*Obj, Field,
                   {"unroll", "vectorize", "vectorize_width",
                    "interleave_count", "distribute", "unroll_and_jam"}))
      return false;
    if (const json::Value *U = Obj->get("unroll")) {
      std::string F = member(Field, "unroll");
      if (std::optional<StringRef> S = U->getAsString()) {
        if (*S == "full")
          Hint.Unroll = LoopHint::UnrollKind::Full;
        else if (*S == "disable")
          Hint.Unroll = LoopHint::UnrollKind::Disable;
        else
          return fail(F, "expected an integer >= 1, \"full\" or \"disable\"");
      } else {
        if (!readUnsigned(*U, F, 1, Hint.UnrollCount,
                          "an integer >= 1, \"full\" or \"disable\""))
          return false;
        Hint.Unroll = LoopHint::UnrollKind::Count;
      }
    }
    if (const json::Value *B = Obj->get("vectorize"))
      if (!readBool(*B, member(Field, "vectorize"), Hint.Vectorize))
        return false;
    if (const json::Value *W = Obj->get("vectorize_width")) {
      std::string F = member(Field, "vectorize_width");
      unsigned Width = 0;
      if (!readUnsigned(*W, F, 1, Width, "a power of two >= 1"))
        return false;
      if (!isPowerOf2_32(Width))
        return fail(F, "expected a power of two >= 1");
      Hint.VectorizeWidth = Width;
    }
    if (const json::Value *I = Obj->get("interleave_count")) {
      unsigned Count = 0;
      if (!readUnsigned(*I, member(Field, "interleave_count"), 1, Count,
                        "an integer >= 1"))
        return false;
      Hint.InterleaveCount = Count;
    }
    if (const json::Value *D = Obj->get("distribute"))
      if (!readBool(*D, member(Field, "distribute"), Hint.Distribute))
        return false;
    if (const json::Value *J = Obj->get("unroll_and_jam")) {
      std::string F = member(Field, "unroll_and_jam");
      if (std::optional<StringRef> S = J->getAsString()) {
        if (*S != "disable")
          return fail(F, "expected an integer >= 1 or \"disable\"");
        Hint.UnrollAndJam = LoopHint::JamKind::Disable;
      } else {
        if (!readUnsigned(*J, F, 1, Hint.UnrollAndJamCount,
                          "an integer >= 1 or \"disable\""))
          return false;
        Hint.UnrollAndJam = LoopHint::JamKind::Count;
      }
    }
    return true;
  }

  bool readInline(const json::Value &V, const std::string &Field,
                  bool AllowDefault, InlineChoice &Out) {
    std::optional<StringRef> S = V.getAsString();
    StringRef Expected = AllowDefault
                             ? "expected \"always\", \"never\" or \"default\""
                             : "expected \"always\" or \"never\"";
    if (!S)
      return fail(Field, Expected);
    if (*S == "always")
      Out = InlineChoice::Always;
    else if (*S == "never")
      Out = InlineChoice::Never;
    else if (*S == "default" && AllowDefault)
      Out = InlineChoice::Default;
    else
      return fail(Field, Expected);
    return true;
  }

  bool readFunctionHint(const json::Value &V, const std::string &Field,
                        FunctionHint &Hint) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail(Field, "expected an object (a function hint)");
    if (!checkKeys(*Obj, Field, {"inline", "size"}))
      return false;
    if (const json::Value *I = Obj->get("inline"))
      if (!readInline(*I, member(Field, "inline"), true, Hint.Inline))
        return false;
    if (const json::Value *S = Obj->get("size")) {
      std::string F = member(Field, "size");
      std::optional<StringRef> Str = S->getAsString();
      if (Str && *Str == "opt")
        Hint.Size = SizeChoice::Opt;
      else if (Str && *Str == "min")
        Hint.Size = SizeChoice::Min;
      else if (Str && *Str == "none")
        Hint.Size = SizeChoice::None;
      else
        return fail(F, "expected \"opt\", \"min\" or \"none\"");
    }
    return true;
  }

  bool readCallHint(const json::Value &V, const std::string &Field,
                    CallHint &Hint) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail(Field, "expected an object (a call-site hint)");
    if (!checkKeys(*Obj, Field, {"caller", "callee", "index", "inline"}))
      return false;
    for (StringRef Key : {"caller", "callee"}) {
      std::optional<StringRef> S = Obj->getString(Key);
      if (!S || S->empty())
        return fail(member(Field, Key), "expected a function name");
      (Key == "caller" ? Hint.Caller : Hint.Callee) = S->str();
    }
    if (const json::Value *I = Obj->get("index")) {
      unsigned Index = 0;
      if (!readUnsigned(*I, member(Field, "index"), 0, Index,
                        "an integer >= 0"))
        return false;
      Hint.Index = Index;
    }
    const json::Value *Inline = Obj->get("inline");
    if (!Inline)
      return fail(member(Field, "inline"),
                  "missing (expected \"always\" or \"never\")");
    return readInline(*Inline, member(Field, "inline"), false, Hint.Inline);
  }

  bool readHints(const json::Value &V, Config &C) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail("hints", "expected an object");
    if (!checkKeys(*Obj, "hints", {"loops", "functions", "calls"}))
      return false;
    if (const json::Value *L = Obj->get("loops")) {
      const json::Object *Loops = L->getAsObject();
      if (!Loops)
        return fail("hints.loops", "expected an object mapping loop names "
                                   "(FUNCTION:L<i>) to loop hints");
      for (const auto &KV : *Loops) {
        std::string Field = member("hints.loops", KV.first);
        if (!parseLoopName(KV.first))
          return fail(Field, "expected a loop name FUNCTION:L<i>");
        LoopHint Hint;
        if (!readLoopHint(KV.second, Field, Hint))
          return false;
        C.Loops.emplace_back(KV.first.str(), Hint);
      }
    }
    if (const json::Value *F = Obj->get("functions")) {
      const json::Object *Functions = F->getAsObject();
      if (!Functions)
        return fail("hints.functions",
                    "expected an object mapping function names to hints");
      for (const auto &KV : *Functions) {
        std::string Field = member("hints.functions", KV.first);
        if (StringRef(KV.first).empty())
          return fail(Field, "expected a function name");
        FunctionHint Hint;
        if (!readFunctionHint(KV.second, Field, Hint))
          return false;
        C.Functions.emplace_back(KV.first.str(), Hint);
      }
    }
    if (const json::Value *Cs = Obj->get("calls")) {
      const json::Array *Calls = Cs->getAsArray();
      if (!Calls)
        return fail("hints.calls", "expected an array of call-site hints");
      for (size_t I = 0; I < Calls->size(); ++I) {
        CallHint Hint;
        if (!readCallHint((*Calls)[I], index("hints.calls", I), Hint))
          return false;
        C.Calls.push_back(std::move(Hint));
      }
    }
    return true;
  }

  /// `units`: a source path -> that unit's own knobs and/or pipeline.
  bool readUnits(const json::Value &V, Config &C) {
    const json::Object *Obj = V.getAsObject();
    if (!Obj)
      return fail("units", "expected an object mapping source paths to "
                           "per-unit knobs and pipeline");
    for (const auto &KV : *Obj) {
      StringRef Key = KV.first;
      std::string Field = member("units", Key);
      if (Key.trim().empty() || Key.ends_with("/"))
        return fail(Field, "expected a source path (the end of a unit's "
                           "path, e.g. \"lib/mat.c\")");
      const json::Object *U = KV.second.getAsObject();
      if (!U)
        return fail(Field, "expected an object with knobs and/or pipeline");
      if (!checkKeys(*U, Field, {"knobs", "pipeline"}))
        return false;
      if (U->empty())
        return fail(Field, "expected knobs and/or pipeline (an empty entry "
                           "changes nothing)");
      UnitSettings Unit;
      if (const json::Value *K = U->get("knobs"))
        if (!readKnobs(*K, member(Field, "knobs"), Unit.Knobs))
          return false;
      if (const json::Value *P = U->get("pipeline"))
        if (!readPipeline(*P, member(Field, "pipeline"), Unit.Pipeline))
          return false;
      C.Units.emplace_back(Key.str(), std::move(Unit));
    }
    return true;
  }

  bool readDocument(const json::Value &Doc, Config &C) {
    const json::Object *Root = Doc.getAsObject();
    if (!Root)
      return fail("(document)", "expected a JSON object");
    if (!checkKeys(*Root, "",
                   {"schema", "knobs", "pipeline", "hints", "units", "meta"}))
      return false;
    const json::Value *Schema = Root->get("schema");
    if (!Schema)
      return fail("schema", Twine("missing (expected \"") + ConfigSchema +
                                "\")");
    std::optional<StringRef> SchemaName = Schema->getAsString();
    if (!SchemaName || *SchemaName != ConfigSchema)
      return fail("schema", Twine("unknown schema (expected \"") +
                                ConfigSchema + "\")");
    if (const json::Value *K = Root->get("knobs"))
      if (!readKnobs(*K, "knobs", C.Knobs))
        return false;
    if (const json::Value *P = Root->get("pipeline"))
      if (!readPipeline(*P, "pipeline", C.Pipeline))
        return false;
    if (const json::Value *H = Root->get("hints"))
      if (!readHints(*H, C))
        return false;
    if (const json::Value *U = Root->get("units"))
      if (!readUnits(*U, C))
        return false;
    // `meta` is carried along and never interpreted, but it is an object so
    // that tools can add to it.
    if (const json::Value *M = Root->get("meta")) {
      if (!M->getAsObject())
        return fail("meta", "expected an object");
      C.Meta = *M;
    }
    // llvm::json::Object does not keep document order; sort by name so
    // messages and reports are the same on every run.
    auto byName = [](const auto &A, const auto &B) { return A.first < B.first; };
    llvm::sort(C.Knobs, byName);
    llvm::sort(C.Loops, byName);
    llvm::sort(C.Functions, byName);
    llvm::sort(C.Units, byName);
    for (auto &Unit : C.Units)
      llvm::sort(Unit.second.Knobs, byName);
    return true;
  }

private:
  std::string Path;
  const JsonTextFacts &Facts;
  std::string Message;
};

} // namespace

std::optional<LoopName> parseLoopName(StringRef Name) {
  size_t Pos = Name.rfind(":L");
  if (Pos == StringRef::npos || Pos == 0)
    return std::nullopt;
  StringRef Digits = Name.substr(Pos + 2);
  if (Digits.empty() || !all_of(Digits, isDigit))
    return std::nullopt;
  LoopName Result;
  if (Digits.getAsInteger(10, Result.Index))
    return std::nullopt;
  Result.Function = Name.substr(0, Pos).str();
  return Result;
}

Expected<Config> parseConfig(StringRef Text, StringRef Path) {
  JsonTextFacts Facts;
  if (Error E = scanJsonText(Text, Path, &Facts))
    return Expected<Config>(std::move(E));
  Expected<json::Value> Doc = json::parse(Text);
  if (!Doc)
    return createStringError(inconvertibleErrorCode(),
                             "%s: malformed JSON: %s", Path.str().c_str(),
                             toString(Doc.takeError()).c_str());
  Config C;
  C.Path = Path.str();
  Reader R(Path, Facts);
  if (!R.readDocument(*Doc, C))
    return R.takeError();
  return C;
}

Expected<Config> readConfigFile(StringRef Path) {
  // Reading a directory fails with a message that does not say so (or, on
  // some systems, succeeds with nothing in it).
  if (sys::fs::is_directory(Path))
    return createStringError(std::make_error_code(std::errc::is_a_directory),
                             "%s: is a directory, expected a configuration "
                             "file (%s)",
                             Path.str().c_str(), ConfigSchema);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: cannot read: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  return parseConfig((*Buffer)->getBuffer(), Path);
}

} // namespace config
} // namespace autopass
