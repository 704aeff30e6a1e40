//===- util/Json.hpp - Reading and writing JSON over RapidJSON -*- C++ -*-===//
//
// Every format that crosses a process boundary (program spec, journal,
// results) is JSON. Every document is read through parseJsonText or
// parseJsonInto, which first run the shared text scan (plugin/JsonScan.h:
// nesting at most MaxJsonDepth levels, UTF-8 strings, no duplicate keys), so
// that RapidJSON's recursive parser, copier and writer only ever see bounded
// documents. Reading goes through JsonObject, which knows the source file and
// the JSON path of the value it wraps, so every error reads "FILE: field
// PATH: expected WHAT". Writing goes through JsonOut (or JsonWriter), which
// never emit invalid JSON: non-finite numbers become null, and bytes that are
// not UTF-8 (strings also come from subprocesses and models) become U+FFFD.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include "JsonScan.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// The flags of every RapidJSON parse: exact doubles, UTF-8 checked, and no
/// recursion in the parser itself.
inline constexpr unsigned JsonParseFlags = rapidjson::kParseFullPrecisionFlag |
                                           rapidjson::kParseValidateEncodingFlag |
                                           rapidjson::kParseIterativeFlag;

/// The shared text scan (see plugin/JsonScan.h); errors start with Source.
/// MaxDepth is lower for a document that will be embedded in another one.
Status checkJsonText(std::string_view Text, const std::string &Source,
                     unsigned MaxDepth = MaxJsonDepth);
/// checkJsonText, then parses Text into Doc (which may share an allocator
/// with another document); errors name Source and the offset.
Status parseJsonInto(rapidjson::Document &Doc, std::string_view Text, const std::string &Source,
                     unsigned MaxDepth = MaxJsonDepth);
Result<std::shared_ptr<rapidjson::Document>> parseJsonText(std::string_view Text,
                                                           const std::string &Source);
Result<std::shared_ptr<rapidjson::Document>> parseJsonFile(const std::string &Path);

/// The JSON type of a value in words ("a string", "an array", ...).
std::string jsonTypeName(const rapidjson::Value &V);

/// A JSON object plus where it came from. Cheap to copy (holds a pointer
/// into a document that must outlive it).
class JsonObject {
public:
  /// Fails unless V is an object.
  static Result<JsonObject> from(const rapidjson::Value &V, std::string Source,
                                 std::string Path);

  const rapidjson::Value &value() const { return *V; }
  const std::string &source() const { return Source; }
  /// The JSON path of a member, e.g. "run.timeout_s".
  std::string path(std::string_view Key) const;
  /// "FILE: field PATH: expected WHAT".
  Error error(std::string_view Key, std::string_view Expected) const;

  bool has(const char *Key) const;
  /// Rejects members not in Allowed (a typo must not silently do nothing).
  Status checkKeys(std::initializer_list<const char *> Allowed) const;

  Result<std::string> getString(const char *Key) const;
  Result<std::optional<std::string>> optString(const char *Key) const;
  Result<std::optional<double>> optNumber(const char *Key) const;
  Result<std::optional<int64_t>> optInt(const char *Key) const;
  Result<std::optional<bool>> optBool(const char *Key) const;
  Result<std::optional<std::vector<std::string>>> optStringArray(const char *Key) const;
  Result<std::optional<std::vector<double>>> optNumberArray(const char *Key) const;
  Result<std::optional<std::map<std::string, std::string>>> optStringMap(const char *Key) const;
  Result<std::optional<JsonObject>> optObject(const char *Key) const;

private:
  JsonObject(const rapidjson::Value &V, std::string Source, std::string Path)
      : V(&V), Source(std::move(Source)), Path(std::move(Path)) {}
  const rapidjson::Value *V;
  std::string Source;
  std::string Path;
};

/// True when S is well-formed UTF-8.
bool isValidUtf8(std::string_view S);
/// S itself if it is UTF-8, else a copy with U+FFFD for each invalid byte
/// sequence.
std::string validUtf8(std::string_view S);

/// A RapidJSON writer (Writer or PrettyWriter) whose strings and keys are
/// always UTF-8 (see validUtf8), so its output is valid JSON whatever bytes
/// a model, a subprocess or an IR name handed in.
template <typename Base> class Utf8Writer : public Base {
public:
  using Base::Base;
  bool String(const char *S, rapidjson::SizeType N, bool Copy = false) {
    std::string_view View(S, N);
    if (isValidUtf8(View))
      return Base::String(S, N, Copy);
    std::string Fixed = validUtf8(View);
    return Base::String(Fixed.data(), static_cast<rapidjson::SizeType>(Fixed.size()), true);
  }
  bool String(const char *S) { return String(S, rapidjson::internal::StrLen(S)); }
  bool Key(const char *S, rapidjson::SizeType N, bool Copy = false) { return String(S, N, Copy); }
  bool Key(const char *S) { return String(S); }
};

using JsonWriter = Utf8Writer<rapidjson::Writer<rapidjson::StringBuffer>>;
using PrettyJsonWriter = Utf8Writer<rapidjson::PrettyWriter<rapidjson::StringBuffer>>;

/// Compact JSON builder.
class JsonOut {
public:
  JsonOut();
  JsonOut &beginObject();
  JsonOut &endObject();
  JsonOut &beginArray();
  JsonOut &endArray();
  JsonOut &key(std::string_view K);
  JsonOut &value(std::string_view S);
  JsonOut &value(const char *S) { return value(std::string_view(S)); }
  JsonOut &value(const std::string &S) { return value(std::string_view(S)); }
  JsonOut &value(double D);
  JsonOut &value(int64_t I);
  JsonOut &value(int I) { return value(static_cast<int64_t>(I)); }
  JsonOut &value(uint64_t U);
  JsonOut &value(bool B);
  JsonOut &null();
  /// Inserts already serialised JSON (must be one valid value).
  JsonOut &raw(std::string_view Json);
  JsonOut &values(const std::vector<double> &Ds);
  JsonOut &values(const std::vector<std::string> &Ss);

  template <typename T> JsonOut &field(std::string_view K, const T &V) {
    key(K);
    return value(V);
  }

  std::string str() const { return Buffer.GetString(); }

private:
  rapidjson::StringBuffer Buffer;
  JsonWriter Writer;
};

/// Re-indents compact JSON for files people read.
std::string prettyJson(const std::string &Compact);
/// V serialized without white space.
std::string compactJson(const rapidjson::Value &V);

} // namespace autopass
