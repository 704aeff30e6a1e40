//===- config/CandidateConfig.cpp - One point of the search space ---------===//
//
// Reading, validating and canonically writing `autopass-config/1` documents
// (docs/config-format.md). Validation is strict because a typo in a config
// must not silently mean "-O3": every unknown key outside `meta` is an error
// that names the file and the JSON path of the offending field.
//
//===----------------------------------------------------------------------===//
#include "config/CandidateConfig.hpp"

#include "util/Hash.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace autopass {

namespace {

constexpr const char *SchemaName = "autopass-config/1";

/// Shortest text that reads back as the same double (std::to_chars without a
/// precision is exactly that), so canonical JSON and hashes do not depend on
/// printf rounding.
std::string shortestDouble(double D) {
  char Buf[64];
  auto [End, Ec] = std::to_chars(Buf, Buf + sizeof(Buf), D);
  if (Ec != std::errc())
    return "0";
  return std::string(Buf, End);
}

/// A double must stay a double after a JSON round trip, so integral values
/// get a ".0" (otherwise 2.0 would come back as the integer 2).
std::string jsonDouble(double D) {
  std::string Text = shortestDouble(D);
  if (Text.find_first_of(".eE") == std::string::npos)
    Text += ".0";
  return Text;
}

std::string quoted(std::string_view S) {
  rapidjson::StringBuffer Buf;
  rapidjson::Writer<rapidjson::StringBuffer> W(Buf);
  W.String(S.data(), static_cast<rapidjson::SizeType>(S.size()));
  return Buf.GetString();
}

/// Builds JSON paths such as hints.loops["f:L0"].unroll for error messages.
std::string member(const std::string &Path, std::string_view Key) {
  bool Plain = !Key.empty();
  for (char C : Key)
    if (!(std::isalnum(static_cast<unsigned char>(C)) || C == '_'))
      Plain = false;
  if (Plain)
    return Path.empty() ? std::string(Key) : Path + "." + std::string(Key);
  return Path + "[" + quoted(Key) + "]";
}

/// Map keys chosen by the user (loop, function and option names) are always
/// quoted, so the path reads the same whatever characters the name holds.
std::string entry(const std::string &Path, std::string_view Key) {
  return Path + "[" + quoted(Key) + "]";
}

std::string element(const std::string &Path, size_t Index) {
  return Path + "[" + std::to_string(Index) + "]";
}

/// Parser state: the source name for messages and the first error seen.
class Reader {
public:
  explicit Reader(std::string_view Source) : Source(Source) {}

  Error fail(const std::string &Path, const std::string &What) const {
    return makeError(Source + ": " + Path + ": " + What);
  }

  /// Rejects keys outside Allowed and duplicate keys (RapidJSON keeps both).
  Status checkKeys(const rapidjson::Value &Obj, const std::string &Path,
                   const std::set<std::string> &Allowed) const {
    std::set<std::string> Seen;
    for (auto It = Obj.MemberBegin(); It != Obj.MemberEnd(); ++It) {
      std::string Key(It->name.GetString(), It->name.GetStringLength());
      if (!Seen.insert(Key).second)
        return fail(member(Path, Key), "duplicate key");
      if (!Allowed.count(Key)) {
        std::string List;
        for (const std::string &A : Allowed)
          List += (List.empty() ? "" : ", ") + A;
        return fail(member(Path, Key), "unknown key (expected one of: " + List + ")");
      }
    }
    return success();
  }

  Status checkNoDuplicates(const rapidjson::Value &Obj, const std::string &Path,
                           bool Quoted) const {
    std::set<std::string> Seen;
    for (auto It = Obj.MemberBegin(); It != Obj.MemberEnd(); ++It) {
      std::string Key(It->name.GetString(), It->name.GetStringLength());
      if (!Seen.insert(Key).second)
        return fail(Quoted ? entry(Path, Key) : member(Path, Key), "duplicate key");
    }
    return success();
  }

  std::string Source;
};

std::string str(const rapidjson::Value &V) {
  return std::string(V.GetString(), V.GetStringLength());
}

bool isPositiveInt(const rapidjson::Value &V) { return V.IsInt64() && V.GetInt64() >= 1; }

Result<CountOrWord> readCountOrWord(const Reader &R, const rapidjson::Value &V,
                                    const std::string &Path,
                                    const std::set<std::string> &Words,
                                    const std::string &Expected) {
  if (isPositiveInt(V))
    return CountOrWord(V.GetInt64());
  if (V.IsString() && Words.count(str(V)))
    return CountOrWord(str(V));
  return R.fail(Path, "expected " + Expected);
}

Result<bool> readBool(const Reader &R, const rapidjson::Value &V, const std::string &Path) {
  if (!V.IsBool())
    return R.fail(Path, "expected true or false");
  return V.GetBool();
}

Result<std::string> readWord(const Reader &R, const rapidjson::Value &V,
                             const std::string &Path, const std::vector<std::string> &Words) {
  std::string Expected;
  for (size_t I = 0; I < Words.size(); ++I) {
    if (I)
      Expected += I + 1 == Words.size() ? " or " : ", ";
    Expected += "\"" + Words[I] + "\"";
  }
  if (!V.IsString())
    return R.fail(Path, "expected " + Expected);
  std::string S = str(V);
  for (const std::string &W : Words)
    if (S == W)
      return S;
  return R.fail(Path, "expected " + Expected);
}

/// FUNCTION:L<index>, with a non-empty function name and a decimal index.
bool isLoopName(const std::string &Name) {
  size_t Colon = Name.rfind(":L");
  if (Colon == std::string::npos || Colon == 0 || Colon + 2 >= Name.size())
    return false;
  for (size_t I = Colon + 2; I < Name.size(); ++I)
    if (!std::isdigit(static_cast<unsigned char>(Name[I])))
      return false;
  return true;
}

Result<LoopHint> readLoopHint(const Reader &R, const rapidjson::Value &V,
                              const std::string &Path) {
  if (!V.IsObject())
    return R.fail(Path, "expected an object");
  if (Status S = R.checkKeys(V, Path,
                             {"unroll", "vectorize", "vectorize_width", "interleave_count",
                              "distribute", "unroll_and_jam"});
      !S)
    return S.error();
  LoopHint H;
  for (auto It = V.MemberBegin(); It != V.MemberEnd(); ++It) {
    std::string Key = str(It->name);
    std::string P = member(Path, Key);
    const rapidjson::Value &F = It->value;
    if (Key == "unroll") {
      auto C = readCountOrWord(R, F, P, {"full", "disable"},
                               "a positive integer, \"full\" or \"disable\"");
      if (!C)
        return C.error();
      H.Unroll = *C;
    } else if (Key == "unroll_and_jam") {
      auto C = readCountOrWord(R, F, P, {"disable"}, "a positive integer or \"disable\"");
      if (!C)
        return C.error();
      H.UnrollAndJam = *C;
    } else if (Key == "vectorize" || Key == "distribute") {
      auto B = readBool(R, F, P);
      if (!B)
        return B.error();
      (Key == "vectorize" ? H.Vectorize : H.Distribute) = *B;
    } else if (Key == "vectorize_width") {
      if (!isPositiveInt(F) || (F.GetInt64() & (F.GetInt64() - 1)) != 0)
        return R.fail(P, "expected a power of two >= 1");
      H.VectorizeWidth = F.GetInt64();
    } else if (Key == "interleave_count") {
      if (!isPositiveInt(F))
        return R.fail(P, "expected a positive integer");
      H.InterleaveCount = F.GetInt64();
    }
  }
  return H;
}

Result<FunctionHint> readFunctionHint(const Reader &R, const rapidjson::Value &V,
                                      const std::string &Path) {
  if (!V.IsObject())
    return R.fail(Path, "expected an object");
  if (Status S = R.checkKeys(V, Path, {"inline", "size"}); !S)
    return S.error();
  FunctionHint H;
  if (V.HasMember("inline")) {
    auto W = readWord(R, V["inline"], member(Path, "inline"), {"always", "never", "default"});
    if (!W)
      return W.error();
    H.Inline = *W;
  }
  if (V.HasMember("size")) {
    auto W = readWord(R, V["size"], member(Path, "size"), {"opt", "min", "none"});
    if (!W)
      return W.error();
    H.Size = *W;
  }
  return H;
}

Result<CallHint> readCallHint(const Reader &R, const rapidjson::Value &V,
                              const std::string &Path) {
  if (!V.IsObject())
    return R.fail(Path, "expected an object");
  if (Status S = R.checkKeys(V, Path, {"caller", "callee", "index", "inline"}); !S)
    return S.error();
  CallHint H;
  for (const char *Name : {"caller", "callee"}) {
    if (!V.HasMember(Name) || !V[Name].IsString() || V[Name].GetStringLength() == 0)
      return R.fail(member(Path, Name), "expected a non-empty function name");
    (std::string_view(Name) == "caller" ? H.Caller : H.Callee) = str(V[Name]);
  }
  if (V.HasMember("index")) {
    const rapidjson::Value &I = V["index"];
    if (!I.IsInt64() || I.GetInt64() < 0)
      return R.fail(member(Path, "index"), "expected an integer >= 0");
    H.Index = I.GetInt64();
  }
  if (!V.HasMember("inline"))
    return R.fail(member(Path, "inline"), "expected \"always\" or \"never\"");
  auto W = readWord(R, V["inline"], member(Path, "inline"), {"always", "never"});
  if (!W)
    return W.error();
  H.Inline = *W;
  return H;
}

Result<KnobValue> readKnobValue(const Reader &R, const rapidjson::Value &V,
                                const std::string &Path) {
  if (V.IsBool())
    return KnobValue(V.GetBool());
  if (V.IsInt64())
    return KnobValue(static_cast<int64_t>(V.GetInt64()));
  if (V.IsDouble())
    return KnobValue(V.GetDouble());
  if (V.IsString())
    return KnobValue(str(V));
  return R.fail(Path, "expected true/false, a number or a string");
}

bool isValidKnobName(const std::string &Name) {
  if (Name.empty() || Name[0] == '-')
    return false;
  for (char C : Name)
    if (C == '=' || std::isspace(static_cast<unsigned char>(C)))
      return false;
  return true;
}

Status readHints(const Reader &R, const rapidjson::Value &V, CandidateConfig &C) {
  if (!V.IsObject())
    return R.fail("hints", "expected an object");
  if (Status S = R.checkKeys(V, "hints", {"loops", "functions", "calls"}); !S)
    return S;
  if (V.HasMember("loops")) {
    const rapidjson::Value &Loops = V["loops"];
    if (!Loops.IsObject())
      return R.fail("hints.loops", "expected an object mapping loop names to hints");
    if (Status S = R.checkNoDuplicates(Loops, "hints.loops", true); !S)
      return S;
    for (auto It = Loops.MemberBegin(); It != Loops.MemberEnd(); ++It) {
      std::string Name = str(It->name);
      std::string P = entry("hints.loops", Name);
      if (!isLoopName(Name))
        return R.fail(P, "expected a loop name of the form FUNCTION:L<index>");
      auto H = readLoopHint(R, It->value, P);
      if (!H)
        return H.error();
      if (!H->empty())
        C.Loops[Name] = *H;
    }
  }
  if (V.HasMember("functions")) {
    const rapidjson::Value &Fns = V["functions"];
    if (!Fns.IsObject())
      return R.fail("hints.functions", "expected an object mapping function names to hints");
    if (Status S = R.checkNoDuplicates(Fns, "hints.functions", true); !S)
      return S;
    for (auto It = Fns.MemberBegin(); It != Fns.MemberEnd(); ++It) {
      std::string Name = str(It->name);
      std::string P = entry("hints.functions", Name);
      if (Name.empty())
        return R.fail(P, "expected a non-empty function name");
      auto H = readFunctionHint(R, It->value, P);
      if (!H)
        return H.error();
      if (!H->empty())
        C.Functions[Name] = *H;
    }
  }
  if (V.HasMember("calls")) {
    const rapidjson::Value &Calls = V["calls"];
    if (!Calls.IsArray())
      return R.fail("hints.calls", "expected an array of call-site hints");
    for (rapidjson::SizeType I = 0; I < Calls.Size(); ++I) {
      auto H = readCallHint(R, Calls[I], element("hints.calls", I));
      if (!H)
        return H.error();
      C.Calls.push_back(*H);
    }
  }
  return success();
}

/// Emits the canonical document through a RapidJSON writer (compact or
/// pretty). std::map iteration gives sorted keys; members are written in
/// byte order by hand where the struct has fixed fields.
template <typename WriterT>
void writeConfig(WriterT &W, const CandidateConfig &C, bool WithMeta) {
  auto Key = [&W](std::string_view K) {
    W.Key(K.data(), static_cast<rapidjson::SizeType>(K.size()));
  };
  auto Str = [&W](std::string_view S) {
    W.String(S.data(), static_cast<rapidjson::SizeType>(S.size()));
  };
  auto CountOrWordValue = [&](const CountOrWord &V) {
    if (const int64_t *N = std::get_if<int64_t>(&V))
      W.Int64(*N);
    else
      Str(std::get<std::string>(V));
  };

  W.StartObject();
  if (C.hasHints()) {
    Key("hints");
    W.StartObject();
    if (!C.Calls.empty()) {
      Key("calls");
      W.StartArray();
      for (const CallHint &H : C.Calls) {
        W.StartObject();
        Key("callee");
        Str(H.Callee);
        Key("caller");
        Str(H.Caller);
        if (H.Index) {
          Key("index");
          W.Int64(*H.Index);
        }
        Key("inline");
        Str(H.Inline);
        W.EndObject();
      }
      W.EndArray();
    }
    bool AnyFunction = false;
    for (const auto &[Name, H] : C.Functions)
      AnyFunction |= !H.empty();
    if (AnyFunction) {
      Key("functions");
      W.StartObject();
      for (const auto &[Name, H] : C.Functions) {
        if (H.empty())
          continue;
        Key(Name);
        W.StartObject();
        if (H.Inline) {
          Key("inline");
          Str(*H.Inline);
        }
        if (H.Size) {
          Key("size");
          Str(*H.Size);
        }
        W.EndObject();
      }
      W.EndObject();
    }
    bool AnyLoop = false;
    for (const auto &[Name, H] : C.Loops)
      AnyLoop |= !H.empty();
    if (AnyLoop) {
      Key("loops");
      W.StartObject();
      for (const auto &[Name, H] : C.Loops) {
        if (H.empty())
          continue;
        Key(Name);
        W.StartObject();
        if (H.Distribute) {
          Key("distribute");
          W.Bool(*H.Distribute);
        }
        if (H.InterleaveCount) {
          Key("interleave_count");
          W.Int64(*H.InterleaveCount);
        }
        if (H.Unroll) {
          Key("unroll");
          CountOrWordValue(*H.Unroll);
        }
        if (H.UnrollAndJam) {
          Key("unroll_and_jam");
          CountOrWordValue(*H.UnrollAndJam);
        }
        if (H.Vectorize) {
          Key("vectorize");
          W.Bool(*H.Vectorize);
        }
        if (H.VectorizeWidth) {
          Key("vectorize_width");
          W.Int64(*H.VectorizeWidth);
        }
        W.EndObject();
      }
      W.EndObject();
    }
    W.EndObject();
  }
  if (!C.Knobs.empty()) {
    Key("knobs");
    W.StartObject();
    for (const auto &[Name, V] : C.Knobs) {
      Key(Name);
      if (const bool *B = std::get_if<bool>(&V)) {
        W.Bool(*B);
      } else if (const int64_t *I = std::get_if<int64_t>(&V)) {
        W.Int64(*I);
      } else if (const double *D = std::get_if<double>(&V)) {
        if (std::isfinite(*D)) {
          std::string T = jsonDouble(*D);
          W.RawValue(T.data(), T.size(), rapidjson::kNumberType);
        } else {
          // JSON has no infinities; null makes the document fail validation
          // on read instead of silently changing the value.
          W.Null();
        }
      } else {
        Str(std::get<std::string>(V));
      }
    }
    W.EndObject();
  }
  if (WithMeta && !C.MetaJson.empty()) {
    rapidjson::Document Meta;
    Meta.Parse(C.MetaJson.c_str());
    // Only a well-formed object is carried; anything else cannot be part of
    // a valid document and is dropped.
    if (!Meta.HasParseError() && Meta.IsObject()) {
      Key("meta");
      Meta.Accept(W);
    }
  }
  if (C.Pipeline) {
    Key("pipeline");
    Str(*C.Pipeline);
  }
  Key("schema");
  Str(SchemaName);
  W.EndObject();
}

std::string canonicalJson(const CandidateConfig &C, bool Pretty, bool WithMeta) {
  rapidjson::StringBuffer Buf;
  if (Pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> W(Buf);
    W.SetIndent(' ', 2);
    writeConfig(W, C, WithMeta);
    return std::string(Buf.GetString()) + "\n";
  }
  rapidjson::Writer<rapidjson::StringBuffer> W(Buf);
  writeConfig(W, C, WithMeta);
  return Buf.GetString();
}

} // namespace

std::string knobValueText(const KnobValue &V) {
  if (const bool *B = std::get_if<bool>(&V))
    return *B ? "true" : "false";
  if (const int64_t *I = std::get_if<int64_t>(&V))
    return std::to_string(*I);
  if (const double *D = std::get_if<double>(&V))
    return shortestDouble(*D);
  return std::get<std::string>(V);
}

bool LoopHint::empty() const {
  return !Unroll && !Vectorize && !VectorizeWidth && !InterleaveCount && !Distribute &&
         !UnrollAndJam;
}

bool LoopHint::operator==(const LoopHint &O) const {
  return Unroll == O.Unroll && Vectorize == O.Vectorize && VectorizeWidth == O.VectorizeWidth &&
         InterleaveCount == O.InterleaveCount && Distribute == O.Distribute &&
         UnrollAndJam == O.UnrollAndJam;
}

bool FunctionHint::empty() const { return !Inline && !Size; }

bool FunctionHint::operator==(const FunctionHint &O) const {
  return Inline == O.Inline && Size == O.Size;
}

bool CallHint::operator==(const CallHint &O) const {
  return Caller == O.Caller && Callee == O.Callee && Index == O.Index && Inline == O.Inline;
}

bool CandidateConfig::hasHints() const {
  for (const auto &[Name, H] : Loops)
    if (!H.empty())
      return true;
  for (const auto &[Name, H] : Functions)
    if (!H.empty())
      return true;
  return !Calls.empty();
}

bool CandidateConfig::isIdentity() const { return Knobs.empty() && !Pipeline && !hasHints(); }

std::string CandidateConfig::toJson(bool Pretty) const {
  return canonicalJson(*this, Pretty, /*WithMeta=*/true);
}

std::string CandidateConfig::contentHash() const {
  return sha256Hex(canonicalJson(*this, /*Pretty=*/false, /*WithMeta=*/false));
}

std::string CandidateConfig::shortHash() const { return contentHash().substr(0, 12); }

// Equality is equality of what the tools act on: the canonical JSON without
// meta, so empty hints and meta never make two equivalent configs differ and
// `A == B` agrees with `A.contentHash() == B.contentHash()`.
bool CandidateConfig::operator==(const CandidateConfig &O) const {
  return canonicalJson(*this, false, false) == canonicalJson(O, false, false);
}

Result<CandidateConfig> CandidateConfig::parse(std::string_view JsonText,
                                               std::string_view SourceName) {
  Reader R(SourceName);
  rapidjson::Document Doc;
  Doc.Parse<rapidjson::kParseFullPrecisionFlag>(JsonText.data(), JsonText.size());
  if (Doc.HasParseError())
    return makeError(std::string(SourceName) + ": invalid JSON at offset " +
                     std::to_string(Doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(Doc.GetParseError()));
  if (!Doc.IsObject())
    return makeError(std::string(SourceName) + ": expected a JSON object (an " + SchemaName +
                     " document)");
  if (Status S = R.checkKeys(Doc, "", {"schema", "knobs", "pipeline", "hints", "meta"}); !S)
    return S.error();
  if (!Doc.HasMember("schema") || !Doc["schema"].IsString() || str(Doc["schema"]) != SchemaName)
    return R.fail("schema", std::string("expected \"") + SchemaName + "\"");

  CandidateConfig C;
  if (Doc.HasMember("knobs")) {
    const rapidjson::Value &Knobs = Doc["knobs"];
    if (!Knobs.IsObject())
      return R.fail("knobs", "expected an object mapping option names to values");
    if (Status S = R.checkNoDuplicates(Knobs, "knobs", true); !S)
      return S.error();
    for (auto It = Knobs.MemberBegin(); It != Knobs.MemberEnd(); ++It) {
      std::string Name = str(It->name);
      std::string P = entry("knobs", Name);
      if (!isValidKnobName(Name))
        return R.fail(P, "expected an option name without leading dash, '=' or spaces");
      auto V = readKnobValue(R, It->value, P);
      if (!V)
        return V.error();
      C.Knobs[Name] = *V;
    }
  }
  if (Doc.HasMember("pipeline")) {
    const rapidjson::Value &P = Doc["pipeline"];
    if (!P.IsString() || P.GetStringLength() == 0)
      return R.fail("pipeline", "expected a non-empty pass pipeline string");
    C.Pipeline = str(P);
  }
  if (Doc.HasMember("hints"))
    if (Status S = readHints(R, Doc["hints"], C); !S)
      return S.error();
  if (Doc.HasMember("meta")) {
    const rapidjson::Value &M = Doc["meta"];
    if (!M.IsObject())
      return R.fail("meta", "expected an object");
    rapidjson::StringBuffer Buf;
    rapidjson::Writer<rapidjson::StringBuffer> W(Buf);
    M.Accept(W);
    C.MetaJson = Buf.GetString();
  }
  return C;
}

Result<CandidateConfig> CandidateConfig::load(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return makeError(Path + ": cannot read the configuration file");
  std::ostringstream Text;
  Text << In.rdbuf();
  if (In.bad())
    return makeError(Path + ": error while reading the configuration file");
  return parse(Text.str(), Path);
}

} // namespace autopass
