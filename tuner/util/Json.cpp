//===- util/Json.cpp - Reading and writing JSON over RapidJSON ------------===//
#include "util/Json.hpp"

#include "util/FileSystem.hpp"

#include <rapidjson/error/en.h>

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cctype>
#include <cmath>

namespace autopass {

Status checkJsonText(std::string_view Text, const std::string &Source, unsigned MaxDepth) {
  if (llvm::Error E =
          scanJsonText(llvm::StringRef(Text.data(), Text.size()), Source, nullptr, MaxDepth))
    return makeError(llvm::toString(std::move(E)));
  return success();
}

Status parseJsonInto(rapidjson::Document &Doc, std::string_view Text, const std::string &Source,
                     unsigned MaxDepth) {
  if (Status S = checkJsonText(Text, Source, MaxDepth); !S)
    return S;
  Doc.Parse<JsonParseFlags>(Text.data(), Text.size());
  if (Doc.HasParseError())
    return makeError(Source + ": invalid JSON at offset " + std::to_string(Doc.GetErrorOffset()) +
                     ": " + rapidjson::GetParseError_En(Doc.GetParseError()));
  return success();
}

Result<std::shared_ptr<rapidjson::Document>> parseJsonText(std::string_view Text,
                                                           const std::string &Source) {
  auto Doc = std::make_shared<rapidjson::Document>();
  if (Status S = parseJsonInto(*Doc, Text, Source); !S)
    return S.error();
  return Doc;
}

bool isValidUtf8(std::string_view S) {
  return llvm::json::isUTF8(llvm::StringRef(S.data(), S.size()));
}

std::string validUtf8(std::string_view S) {
  llvm::StringRef Ref(S.data(), S.size());
  return llvm::json::isUTF8(Ref) ? std::string(S) : llvm::json::fixUTF8(Ref);
}

Result<std::shared_ptr<rapidjson::Document>> parseJsonFile(const std::string &Path) {
  auto Text = readFile(Path);
  if (!Text)
    return Text.error();
  return parseJsonText(*Text, Path);
}

std::string jsonTypeName(const rapidjson::Value &V) {
  if (V.IsNull())
    return "null";
  if (V.IsBool())
    return "a boolean";
  if (V.IsNumber())
    return "a number";
  if (V.IsString())
    return "a string";
  if (V.IsArray())
    return "an array";
  return "an object";
}

Result<JsonObject> JsonObject::from(const rapidjson::Value &V, std::string Source,
                                    std::string Path) {
  if (!V.IsObject())
    return makeError(Source + ": " + (Path.empty() ? "the document" : "field " + Path) +
                     ": expected an object, got " + jsonTypeName(V));
  return JsonObject(V, std::move(Source), std::move(Path));
}

std::string JsonObject::path(std::string_view Key) const {
  bool Plain = !Key.empty();
  for (char C : Key)
    if (!(std::isalnum(static_cast<unsigned char>(C)) || C == '_'))
      Plain = false;
  std::string K(Key);
  if (!Plain)
    return Path + "[\"" + K + "\"]";
  return Path.empty() ? K : Path + "." + K;
}

Error JsonObject::error(std::string_view Key, std::string_view Expected) const {
  return makeError(Source + ": field " + path(Key) + ": " + std::string(Expected));
}

bool JsonObject::has(const char *Key) const { return V->HasMember(Key); }

Status JsonObject::checkKeys(std::initializer_list<const char *> Allowed) const {
  for (auto It = V->MemberBegin(); It != V->MemberEnd(); ++It) {
    std::string_view Name(It->name.GetString(), It->name.GetStringLength());
    bool Known = false;
    std::string List;
    for (const char *A : Allowed) {
      if (Name == A)
        Known = true;
      List += List.empty() ? A : std::string(", ") + A;
    }
    if (!Known)
      return error(Name, "unknown field (expected one of: " + List + ")");
  }
  return success();
}

Result<std::string> JsonObject::getString(const char *Key) const {
  auto S = optString(Key);
  if (!S)
    return S.error();
  if (!*S)
    return error(Key, "required field is missing (expected a string)");
  return **S;
}

Result<std::optional<std::string>> JsonObject::optString(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<std::string>();
  if (!It->value.IsString())
    return error(Key, "expected a string, got " + jsonTypeName(It->value));
  return std::optional<std::string>(
      std::string(It->value.GetString(), It->value.GetStringLength()));
}

Result<std::optional<double>> JsonObject::optNumber(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<double>();
  if (!It->value.IsNumber())
    return error(Key, "expected a number, got " + jsonTypeName(It->value));
  return std::optional<double>(It->value.GetDouble());
}

Result<std::optional<int64_t>> JsonObject::optInt(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<int64_t>();
  if (!It->value.IsInt64())
    return error(Key, "expected an integer, got " + jsonTypeName(It->value));
  return std::optional<int64_t>(It->value.GetInt64());
}

Result<std::optional<bool>> JsonObject::optBool(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<bool>();
  if (!It->value.IsBool())
    return error(Key, "expected true or false, got " + jsonTypeName(It->value));
  return std::optional<bool>(It->value.GetBool());
}

Result<std::optional<std::vector<std::string>>>
JsonObject::optStringArray(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<std::vector<std::string>>();
  if (!It->value.IsArray())
    return error(Key, "expected an array of strings, got " + jsonTypeName(It->value));
  std::vector<std::string> Out;
  for (rapidjson::SizeType I = 0; I < It->value.Size(); ++I) {
    const auto &E = It->value[I];
    if (!E.IsString())
      return error(std::string(Key) + "[" + std::to_string(I) + "]",
                   "expected a string, got " + jsonTypeName(E));
    Out.emplace_back(E.GetString(), E.GetStringLength());
  }
  return std::optional<std::vector<std::string>>(std::move(Out));
}

Result<std::optional<std::vector<double>>> JsonObject::optNumberArray(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<std::vector<double>>();
  if (!It->value.IsArray())
    return error(Key, "expected an array of numbers, got " + jsonTypeName(It->value));
  std::vector<double> Out;
  for (rapidjson::SizeType I = 0; I < It->value.Size(); ++I) {
    const auto &E = It->value[I];
    if (!E.IsNumber())
      return error(std::string(Key) + "[" + std::to_string(I) + "]",
                   "expected a number, got " + jsonTypeName(E));
    Out.push_back(E.GetDouble());
  }
  return std::optional<std::vector<double>>(std::move(Out));
}

Result<std::optional<std::map<std::string, std::string>>>
JsonObject::optStringMap(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<std::map<std::string, std::string>>();
  if (!It->value.IsObject())
    return error(Key, "expected an object of strings, got " + jsonTypeName(It->value));
  std::map<std::string, std::string> Out;
  for (auto M = It->value.MemberBegin(); M != It->value.MemberEnd(); ++M) {
    std::string Name(M->name.GetString(), M->name.GetStringLength());
    if (!M->value.IsString())
      return makeError(Source + ": field " + path(Key) + "[\"" + Name +
                       "\"]: expected a string, got " + jsonTypeName(M->value));
    Out[Name] = std::string(M->value.GetString(), M->value.GetStringLength());
  }
  return std::optional<std::map<std::string, std::string>>(std::move(Out));
}

Result<std::optional<JsonObject>> JsonObject::optObject(const char *Key) const {
  auto It = V->FindMember(Key);
  if (It == V->MemberEnd())
    return std::optional<JsonObject>();
  if (!It->value.IsObject())
    return error(Key, "expected an object, got " + jsonTypeName(It->value));
  return std::optional<JsonObject>(JsonObject(It->value, Source, path(Key)));
}

JsonOut::JsonOut() : Writer(Buffer) {}
JsonOut &JsonOut::beginObject() {
  Writer.StartObject();
  return *this;
}
JsonOut &JsonOut::endObject() {
  Writer.EndObject();
  return *this;
}
JsonOut &JsonOut::beginArray() {
  Writer.StartArray();
  return *this;
}
JsonOut &JsonOut::endArray() {
  Writer.EndArray();
  return *this;
}
JsonOut &JsonOut::key(std::string_view K) {
  Writer.Key(K.data(), static_cast<rapidjson::SizeType>(K.size()));
  return *this;
}
JsonOut &JsonOut::value(std::string_view S) {
  Writer.String(S.data(), static_cast<rapidjson::SizeType>(S.size()));
  return *this;
}
JsonOut &JsonOut::value(double D) {
  if (std::isfinite(D))
    Writer.Double(D);
  else
    Writer.Null();
  return *this;
}
JsonOut &JsonOut::value(int64_t I) {
  Writer.Int64(I);
  return *this;
}
JsonOut &JsonOut::value(uint64_t U) {
  Writer.Uint64(U);
  return *this;
}
JsonOut &JsonOut::value(bool B) {
  Writer.Bool(B);
  return *this;
}
JsonOut &JsonOut::null() {
  Writer.Null();
  return *this;
}
JsonOut &JsonOut::raw(std::string_view Json) {
  Writer.RawValue(Json.data(), Json.size(), rapidjson::kObjectType);
  return *this;
}
JsonOut &JsonOut::values(const std::vector<double> &Ds) {
  beginArray();
  for (double D : Ds)
    value(D);
  return endArray();
}
JsonOut &JsonOut::values(const std::vector<std::string> &Ss) {
  beginArray();
  for (const auto &S : Ss)
    value(S);
  return endArray();
}

std::string compactJson(const rapidjson::Value &V) {
  rapidjson::StringBuffer Buf;
  JsonWriter W(Buf);
  V.Accept(W);
  return Buf.GetString();
}

std::string prettyJson(const std::string &Compact) {
  rapidjson::Document Doc;
  if (!parseJsonInto(Doc, Compact, "(json)"))
    return Compact;
  rapidjson::StringBuffer Buf;
  PrettyJsonWriter W(Buf);
  W.SetIndent(' ', 2);
  Doc.Accept(W);
  return std::string(Buf.GetString()) + "\n";
}

} // namespace autopass
