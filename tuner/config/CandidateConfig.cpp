//===- config/CandidateConfig.cpp - One point of the search space ---------===//
//
// Reading and canonically writing `autopass-config/1` documents
// (docs/config-format.md). Reading goes through the plugin's reader
// (plugin/ConfigReader.cpp, the one validator of the format, linked here as
// autopass_config), so the tuner, autopass-cc and the plugin accept exactly
// the same documents with the same messages; this file only builds the
// tuner's model from that parse.
//
//===----------------------------------------------------------------------===//
#include "config/CandidateConfig.hpp"

#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include "Config.h"

#include "llvm/Support/raw_ostream.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace autopass {

namespace {

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

/// The tuner's model of a loop hint the shared reader accepted.
LoopHint loopHintOf(const config::LoopHint &In) {
  using config::LoopHint;
  autopass::LoopHint H;
  if (In.Unroll == LoopHint::UnrollKind::Count)
    H.Unroll = CountOrWord(static_cast<int64_t>(In.UnrollCount));
  else if (In.Unroll == LoopHint::UnrollKind::Full)
    H.Unroll = CountOrWord(std::string("full"));
  else if (In.Unroll == LoopHint::UnrollKind::Disable)
    H.Unroll = CountOrWord(std::string("disable"));
  H.Vectorize = In.Vectorize;
  if (In.VectorizeWidth)
    H.VectorizeWidth = *In.VectorizeWidth;
  if (In.InterleaveCount)
    H.InterleaveCount = *In.InterleaveCount;
  H.Distribute = In.Distribute;
  if (In.UnrollAndJam == LoopHint::JamKind::Count)
    H.UnrollAndJam = CountOrWord(static_cast<int64_t>(In.UnrollAndJamCount));
  else if (In.UnrollAndJam == LoopHint::JamKind::Disable)
    H.UnrollAndJam = CountOrWord(std::string("disable"));
  return H;
}

std::optional<std::string> inlineWord(config::InlineChoice C) {
  switch (C) {
  case config::InlineChoice::Always:
    return std::string("always");
  case config::InlineChoice::Never:
    return std::string("never");
  case config::InlineChoice::Default:
    return std::string("default");
  case config::InlineChoice::Unset:
    break;
  }
  return std::nullopt;
}

std::optional<std::string> sizeWord(config::SizeChoice C) {
  switch (C) {
  case config::SizeChoice::Opt:
    return std::string("opt");
  case config::SizeChoice::Min:
    return std::string("min");
  case config::SizeChoice::None:
    return std::string("none");
  case config::SizeChoice::Unset:
    break;
  }
  return std::nullopt;
}

KnobValue knobValueOf(const config::KnobSetting &K) {
  switch (K.Type) {
  case config::KnobSetting::Kind::Bool:
    return KnobValue(K.Bool);
  case config::KnobSetting::Kind::Integer:
    return KnobValue(K.Integer);
  case config::KnobSetting::Kind::Float:
    return KnobValue(K.Float);
  case config::KnobSetting::Kind::String:
    break;
  }
  return KnobValue(K.String);
}

/// The tuner's model of a document the shared reader accepted. Empty hints
/// are dropped: they change nothing and must not change the hash.
CandidateConfig modelOf(const config::Config &Doc) {
  CandidateConfig C;
  for (const auto &[Name, Knob] : Doc.Knobs)
    C.Knobs[Name] = knobValueOf(Knob);
  C.Pipeline = Doc.Pipeline;
  for (const auto &[Key, In] : Doc.Units) {
    UnitConfig &U = C.Units[Key];
    for (const auto &[Name, Knob] : In.Knobs)
      U.Knobs[Name] = knobValueOf(Knob);
    U.Pipeline = In.Pipeline;
  }
  for (const auto &[Name, In] : Doc.Loops)
    if (LoopHint H = loopHintOf(In); !H.empty())
      C.Loops[Name] = H;
  for (const auto &[Name, In] : Doc.Functions) {
    FunctionHint H;
    H.Inline = inlineWord(In.Inline);
    H.Size = sizeWord(In.Size);
    if (!H.empty())
      C.Functions[Name] = H;
  }
  for (const config::CallHint &In : Doc.Calls) {
    CallHint H;
    H.Caller = In.Caller;
    H.Callee = In.Callee;
    if (In.Index)
      H.Index = *In.Index;
    H.Inline = inlineWord(In.Inline).value_or("never");
    C.Calls.push_back(std::move(H));
  }
  if (Doc.Meta) {
    llvm::raw_string_ostream OS(C.MetaJson);
    OS << *Doc.Meta;
  }
  return C;
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
  auto KnobsObject = [&](const std::map<std::string, KnobValue> &Knobs) {
    W.StartObject();
    for (const auto &[Name, V] : Knobs) {
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
  };
  if (!C.Knobs.empty()) {
    Key("knobs");
    KnobsObject(C.Knobs);
  }
  if (WithMeta && !C.MetaJson.empty()) {
    rapidjson::Document Meta;
    // Only a well-formed object is carried; anything else cannot be part of
    // a valid document and is dropped. It sits one level down.
    if (parseJsonInto(Meta, C.MetaJson, "meta", MaxJsonDepth - 1) && Meta.IsObject()) {
      Key("meta");
      Meta.Accept(W);
    }
  }
  if (C.Pipeline) {
    Key("pipeline");
    Str(*C.Pipeline);
  }
  Key("schema");
  Str(config::ConfigSchema);
  if (std::any_of(C.Units.begin(), C.Units.end(), [](const auto &U) { return !U.second.empty(); })) {
    Key("units");
    W.StartObject();
    for (const auto &[Path, U] : C.Units) {
      if (U.empty())
        continue; // changes nothing; the reader refuses an empty entry
      Key(Path);
      W.StartObject();
      if (!U.Knobs.empty()) {
        Key("knobs");
        KnobsObject(U.Knobs);
      }
      if (U.Pipeline) {
        Key("pipeline");
        Str(*U.Pipeline);
      }
      W.EndObject();
    }
    W.EndObject();
  }
  W.EndObject();
}

std::string canonicalJson(const CandidateConfig &C, bool Pretty, bool WithMeta) {
  rapidjson::StringBuffer Buf;
  if (Pretty) {
    PrettyJsonWriter W(Buf);
    W.SetIndent(' ', 2);
    writeConfig(W, C, WithMeta);
    return std::string(Buf.GetString()) + "\n";
  }
  JsonWriter W(Buf);
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

bool CandidateConfig::isIdentity() const {
  return Knobs.empty() && !Pipeline && !hasHints() &&
         std::all_of(Units.begin(), Units.end(), [](const auto &U) { return U.second.empty(); });
}

bool UnitConfig::empty() const { return Knobs.empty() && !Pipeline; }

bool UnitConfig::operator==(const UnitConfig &O) const {
  return Knobs == O.Knobs && Pipeline == O.Pipeline;
}

CandidateConfig CandidateConfig::forUnit(std::string_view SourcePath) const {
  CandidateConfig Out = *this;
  Out.Units.clear();
  const UnitConfig *Best = nullptr;
  size_t BestLength = 0;
  for (const auto &[Key, U] : Units) {
    bool Matches = SourcePath == Key ||
                   (SourcePath.size() > Key.size() && endsWith(SourcePath, Key) &&
                    SourcePath[SourcePath.size() - Key.size() - 1] == '/');
    if (Matches && Key.size() > BestLength) {
      Best = &U;
      BestLength = Key.size();
    }
  }
  if (!Best)
    return Out;
  for (const auto &[Name, V] : Best->Knobs)
    Out.Knobs[Name] = V;
  if (Best->Pipeline)
    Out.Pipeline = Best->Pipeline;
  return Out;
}

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
  llvm::Expected<config::Config> Doc =
      config::parseConfig(llvm::StringRef(JsonText.data(), JsonText.size()),
                          llvm::StringRef(SourceName.data(), SourceName.size()));
  if (!Doc)
    return makeError(llvm::toString(Doc.takeError()));
  return modelOf(*Doc);
}

Result<CandidateConfig> CandidateConfig::load(const std::string &Path) {
  llvm::Expected<config::Config> Doc = config::readConfigFile(Path);
  if (!Doc)
    return makeError(llvm::toString(Doc.takeError()));
  return modelOf(*Doc);
}

} // namespace autopass
