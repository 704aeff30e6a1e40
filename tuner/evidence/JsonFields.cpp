//===- evidence/JsonFields.cpp - Typed field access for evidence JSON ----===//
#include "evidence/JsonFields.hpp"

#include "util/FileSystem.hpp"
#include "util/Json.hpp"


namespace autopass {

Result<rapidjson::Document> parseJsonText(std::string_view Text,
                                          std::string_view SourceName) {
  rapidjson::Document Doc;
  if (Status S = parseJsonInto(Doc, Text, std::string(SourceName)); !S)
    return S.error();
  return Doc;
}

Result<std::string> readTextFile(const std::string &Path) {
  return readFile(Path);
}

std::string jsonPath(std::string_view Parent, std::string_view Key) {
  if (Parent.empty())
    return std::string(Key);
  std::string P(Parent);
  P += '.';
  P += Key;
  return P;
}

std::string jsonPath(std::string_view Parent, size_t Index) {
  return std::string(Parent) + "[" + std::to_string(Index) + "]";
}

void JsonFields::fail(std::string_view Path, std::string_view Expected) {
  if (FirstError)
    return;
  FirstError = makeError(Source + ": field '" + std::string(Path) +
                         "': expected " + std::string(Expected));
}

const rapidjson::Value *JsonFields::member(const rapidjson::Value &Obj,
                                           std::string_view Path,
                                           const char *Key,
                                           std::string_view Expected) {
  if (!Obj.IsObject()) {
    fail(Path, "an object");
    return nullptr;
  }
  auto It = Obj.FindMember(Key);
  if (It == Obj.MemberEnd()) {
    fail(jsonPath(Path, Key), std::string(Expected) + " (missing)");
    return nullptr;
  }
  return &It->value;
}

std::string JsonFields::string(const rapidjson::Value &Obj,
                               std::string_view Path, const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "a string");
  if (!V)
    return {};
  if (!V->IsString()) {
    fail(jsonPath(Path, Key), "a string");
    return {};
  }
  return std::string(V->GetString(), V->GetStringLength());
}

int64_t JsonFields::int64(const rapidjson::Value &Obj, std::string_view Path,
                          const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "an integer");
  if (!V)
    return 0;
  if (!V->IsInt64()) {
    fail(jsonPath(Path, Key), "an integer");
    return 0;
  }
  return V->GetInt64();
}

double JsonFields::number(const rapidjson::Value &Obj, std::string_view Path,
                          const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "a number");
  if (!V)
    return 0;
  if (!V->IsNumber()) {
    fail(jsonPath(Path, Key), "a number");
    return 0;
  }
  return V->GetDouble();
}

bool JsonFields::boolean(const rapidjson::Value &Obj, std::string_view Path,
                         const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "true or false");
  if (!V)
    return false;
  if (!V->IsBool()) {
    fail(jsonPath(Path, Key), "true or false");
    return false;
  }
  return V->GetBool();
}

std::optional<int64_t> JsonFields::optInt64(const rapidjson::Value &Obj,
                                            std::string_view Path,
                                            const char *Key) {
  if (!Obj.IsObject()) {
    fail(Path, "an object");
    return std::nullopt;
  }
  auto It = Obj.FindMember(Key);
  if (It == Obj.MemberEnd() || It->value.IsNull())
    return std::nullopt;
  if (!It->value.IsInt64()) {
    fail(jsonPath(Path, Key), "an integer or null");
    return std::nullopt;
  }
  return It->value.GetInt64();
}

std::optional<std::string> JsonFields::optString(const rapidjson::Value &Obj,
                                                 std::string_view Path,
                                                 const char *Key) {
  if (!Obj.IsObject()) {
    fail(Path, "an object");
    return std::nullopt;
  }
  auto It = Obj.FindMember(Key);
  if (It == Obj.MemberEnd() || It->value.IsNull())
    return std::nullopt;
  if (!It->value.IsString()) {
    fail(jsonPath(Path, Key), "a string or null");
    return std::nullopt;
  }
  return std::string(It->value.GetString(), It->value.GetStringLength());
}

const rapidjson::Value *JsonFields::array(const rapidjson::Value &Obj,
                                          std::string_view Path,
                                          const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "an array");
  if (V && !V->IsArray()) {
    fail(jsonPath(Path, Key), "an array");
    return nullptr;
  }
  return V;
}

const rapidjson::Value *JsonFields::object(const rapidjson::Value &Obj,
                                           std::string_view Path,
                                           const char *Key) {
  const rapidjson::Value *V = member(Obj, Path, Key, "an object");
  if (V && !V->IsObject()) {
    fail(jsonPath(Path, Key), "an object");
    return nullptr;
  }
  return V;
}

bool JsonFields::expectObject(const rapidjson::Value &V,
                              std::string_view Path) {
  if (V.IsObject())
    return true;
  fail(Path.empty() ? std::string_view("(document)") : Path, "an object");
  return false;
}

void JsonFields::expectSchema(const rapidjson::Value &Root,
                              std::string_view Expected) {
  if (!expectObject(Root, ""))
    return;
  std::string Got = string(Root, "", "schema");
  if (failed())
    return;
  if (Got != Expected)
    fail("schema", "\"" + std::string(Expected) + "\", got \"" + Got + "\"");
}

} // namespace autopass
