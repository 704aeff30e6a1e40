//===- evidence/JsonFields.hpp - Typed field access for evidence JSON -*- C++
//-*-===//
//
// The plugin's evidence files (docs/evidence-format.md) are read with
// RapidJSON. JsonFields wraps the repetitive part: fetch a member, check its
// type, and on the first mismatch remember one error that names the file, the
// field as a JSON path (functions[2].loops[0].depth) and what was expected.
// Readers then check failed() once per record instead of after every field.
// Unknown members are ignored on purpose: the plugin may add fields, and an
// older tuner should still read what it understands.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autopass {

/// Parses Text as one JSON document through util/Json's checked parse
/// (bounded nesting, UTF-8, no duplicate keys); the error names SourceName
/// and the byte offset of a syntax error.
Result<rapidjson::Document> parseJsonText(std::string_view Text,
                                          std::string_view SourceName);

/// Reads a whole file into a string; the error names the path.
Result<std::string> readTextFile(const std::string &Path);

/// Appends ".Key" to a JSON path ("" + "a" is "a").
std::string jsonPath(std::string_view Parent, std::string_view Key);
/// Appends "[Index]" to a JSON path.
std::string jsonPath(std::string_view Parent, size_t Index);

class JsonFields {
public:
  explicit JsonFields(std::string SourceName) : Source(std::move(SourceName)) {}

  // Each getter reads Obj[Key] (Obj's own path is Path). On a missing member
  // or a wrong type it records the first error and returns a neutral value;
  // the caller checks failed() before using the record.
  std::string string(const rapidjson::Value &Obj, std::string_view Path,
                     const char *Key);
  int64_t int64(const rapidjson::Value &Obj, std::string_view Path,
                const char *Key);
  double number(const rapidjson::Value &Obj, std::string_view Path,
                const char *Key);
  bool boolean(const rapidjson::Value &Obj, std::string_view Path,
               const char *Key);
  /// Missing or null gives nullopt; any other non-integer is an error.
  std::optional<int64_t> optInt64(const rapidjson::Value &Obj,
                                  std::string_view Path, const char *Key);
  std::optional<std::string> optString(const rapidjson::Value &Obj,
                                       std::string_view Path, const char *Key);
  /// The member as an array/object, or nullptr after recording an error.
  const rapidjson::Value *array(const rapidjson::Value &Obj,
                                std::string_view Path, const char *Key);
  const rapidjson::Value *object(const rapidjson::Value &Obj,
                                 std::string_view Path, const char *Key);
  /// Checks that the value at Path is an object.
  bool expectObject(const rapidjson::Value &V, std::string_view Path);
  /// Checks `schema` equals Expected (readers reject any other version).
  void expectSchema(const rapidjson::Value &Root, std::string_view Expected);

  /// Records an error about Path unless one is already recorded.
  void fail(std::string_view Path, std::string_view Expected);

  bool failed() const { return FirstError.has_value(); }
  Error error() const { return *FirstError; }

private:
  const rapidjson::Value *member(const rapidjson::Value &Obj,
                                 std::string_view Path, const char *Key,
                                 std::string_view Expected);

  std::string Source;
  std::optional<Error> FirstError;
};

} // namespace autopass
