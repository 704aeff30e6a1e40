//===- util/Json.hpp - Reading and writing JSON over RapidJSON -*- C++ -*-===//
//
// Every format that crosses a process boundary (program spec, journal,
// results) is JSON. Reading goes through JsonObject, which knows the source
// file and the JSON path of the value it wraps, so every error reads
// "FILE: field PATH: expected WHAT". Writing goes through JsonOut, a thin
// builder that never emits invalid JSON (non-finite numbers become null).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <rapidjson/document.h>
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
  rapidjson::Writer<rapidjson::StringBuffer> Writer;
};

/// Re-indents compact JSON for files people read.
std::string prettyJson(const std::string &Compact);
/// V serialized without white space.
std::string compactJson(const rapidjson::Value &V);

} // namespace autopass
