//===- search/KnobCatalog.cpp - The LLVM options the tuner may set --------===//
//
// Reading `autopass-knobs/1`, domain checks, the check against the installed
// tools' --help-hidden and the `knobs` table. See KnobCatalog.hpp.
//
//===----------------------------------------------------------------------===//
#include "search/KnobCatalog.hpp"

#include "util/Json.hpp"
#include "util/Strings.hpp"

#include "llvm/Config/llvm-config.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace autopass {

namespace {

constexpr const char *CatalogSchema = "autopass-knobs/1";

std::string str(const rapidjson::Value &V) {
  return std::string(V.GetString(), V.GetStringLength());
}

/// A JSON scalar as a knob value; Float knobs read integers as doubles so
/// that 25 and 25.0 are the same value in the catalog.
std::optional<KnobValue> scalar(const rapidjson::Value &V, KnobType T) {
  if (V.IsBool())
    return KnobValue(V.GetBool());
  if (V.IsInt64())
    return T == KnobType::Float ? KnobValue(static_cast<double>(V.GetInt64()))
                                : KnobValue(static_cast<int64_t>(V.GetInt64()));
  if (V.IsDouble())
    return KnobValue(V.GetDouble());
  if (V.IsString())
    return KnobValue(str(V));
  return std::nullopt;
}

bool fileExists(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0 && S_ISREG(St.st_mode);
}

std::string valueList(const std::vector<KnobValue> &Values) {
  std::vector<std::string> Parts;
  for (const KnobValue &V : Values)
    Parts.push_back(knobValueText(V));
  return join(Parts, ", ");
}

/// True when V has the representation the knob's type needs and lies in its
/// domain; Why says what was expected otherwise.
bool inDomain(const KnobSpec &K, const KnobValue &V, std::string &Why) {
  switch (K.Type) {
  case KnobType::Bool:
    Why = "true or false";
    return std::holds_alternative<bool>(V);
  case KnobType::Int: {
    Why = "an integer from " + std::to_string(K.MinInt) + " to " + std::to_string(K.MaxInt);
    const int64_t *I = std::get_if<int64_t>(&V);
    return I && *I >= K.MinInt && *I <= K.MaxInt;
  }
  case KnobType::Float: {
    Why = "a number from " + knobValueText(K.MinFloat) + " to " + knobValueText(K.MaxFloat);
    double D;
    if (const double *P = std::get_if<double>(&V))
      D = *P;
    else if (const int64_t *I = std::get_if<int64_t>(&V))
      D = static_cast<double>(*I);
    else
      return false;
    return std::isfinite(D) && D >= K.MinFloat && D <= K.MaxFloat;
  }
  case KnobType::Enum:
    Why = "one of: " + valueList(K.Values);
    return std::find(K.Values.begin(), K.Values.end(), V) != K.Values.end();
  }
  return false;
}

Result<KnobSpec> readKnob(const rapidjson::Value &E, const std::string &Source, size_t Index) {
  std::string Path = "knobs[" + std::to_string(Index) + "]";
  auto Fail = [&](const std::string &Field, const std::string &What) {
    return makeError(Source + ": " + Path + (Field.empty() ? "" : "." + Field) + ": " + What);
  };
  if (!E.IsObject())
    return Fail("", "expected an object");
  static const std::set<std::string> Allowed = {"name",  "type",     "domain",  "default",
                                                "where", "category", "meaning", "requires",
                                                "shapes_pipeline", "arch"};
  for (auto It = E.MemberBegin(); It != E.MemberEnd(); ++It)
    if (!Allowed.count(str(It->name)))
      return Fail(str(It->name), "unknown key");
  KnobSpec K;
  for (const char *Field : {"name", "type", "where", "category", "meaning"}) {
    if (!E.HasMember(Field) || !E[Field].IsString() || E[Field].GetStringLength() == 0)
      return Fail(Field, "expected a non-empty string");
    if (K.Name.empty()) {
      K.Name = str(E["name"]);
      Path += "(" + K.Name + ")";
    }
  }
  if (K.Name[0] == '-' || K.Name.find_first_of("= \t") != std::string::npos)
    return Fail("name", "expected an option name without dashes, '=' or spaces");
  std::string Type = str(E["type"]);
  if (Type == "bool")
    K.Type = KnobType::Bool;
  else if (Type == "int")
    K.Type = KnobType::Int;
  else if (Type == "float")
    K.Type = KnobType::Float;
  else if (Type == "enum")
    K.Type = KnobType::Enum;
  else
    return Fail("type", "expected \"bool\", \"int\", \"float\" or \"enum\"");
  std::string Where = str(E["where"]);
  if (Where == "opt")
    K.Where = KnobTool::Opt;
  else if (Where == "llc")
    K.Where = KnobTool::Llc;
  else if (Where == "both")
    K.Where = KnobTool::Both;
  else
    return Fail("where", "expected \"opt\", \"llc\" or \"both\"");
  K.Category = str(E["category"]);
  K.Meaning = str(E["meaning"]);

  if (K.Type != KnobType::Bool) {
    if (!E.HasMember("domain") || !E["domain"].IsObject())
      return Fail("domain", "expected an object (every non-bool knob has a domain)");
    const rapidjson::Value &D = E["domain"];
    for (auto It = D.MemberBegin(); It != D.MemberEnd(); ++It) {
      std::string Key = str(It->name);
      bool Ok = K.Type == KnobType::Enum ? Key == "values"
                                         : (Key == "min" || Key == "max" || Key == "samples" ||
                                            Key == "scale");
      if (!Ok)
        return Fail("domain." + Key, "unknown key for a " + Type + " knob");
    }
    if (K.Type == KnobType::Enum) {
      if (!D.HasMember("values") || !D["values"].IsArray() || D["values"].Empty())
        return Fail("domain.values", "expected a non-empty array");
      for (const rapidjson::Value &V : D["values"].GetArray()) {
        auto S = scalar(V, K.Type);
        if (!S || std::holds_alternative<bool>(*S) || std::holds_alternative<double>(*S))
          return Fail("domain.values", "expected integers or strings");
        K.Values.push_back(*S);
      }
    } else {
      bool IsInt = K.Type == KnobType::Int;
      for (const char *Bound : {"min", "max"}) {
        if (!D.HasMember(Bound) || !(IsInt ? D[Bound].IsInt64() : D[Bound].IsNumber()))
          return Fail(std::string("domain.") + Bound, IsInt ? "expected an integer" : "expected a number");
      }
      if (IsInt) {
        K.MinInt = D["min"].GetInt64();
        K.MaxInt = D["max"].GetInt64();
        if (K.MinInt > K.MaxInt)
          return Fail("domain", "expected min <= max");
      } else {
        K.MinFloat = D["min"].GetDouble();
        K.MaxFloat = D["max"].GetDouble();
        if (!(K.MinFloat <= K.MaxFloat))
          return Fail("domain", "expected min <= max");
      }
      if (D.HasMember("scale")) {
        if (!D["scale"].IsString() || (str(D["scale"]) != "log" && str(D["scale"]) != "linear"))
          return Fail("domain.scale", "expected \"log\" or \"linear\"");
        K.LogScale = str(D["scale"]) == "log";
        if (K.LogScale && (IsInt ? K.MaxInt <= 0 : K.MaxFloat <= 0))
          return Fail("domain.scale", "a log scale needs a positive max");
      }
      if (D.HasMember("samples")) {
        if (!D["samples"].IsArray())
          return Fail("domain.samples", "expected an array");
        for (const rapidjson::Value &V : D["samples"].GetArray()) {
          auto S = scalar(V, K.Type);
          std::string Why;
          if (!S || !inDomain(K, *S, Why))
            return Fail("domain.samples", "expected values in the domain: " + Why);
          K.Values.push_back(*S);
        }
      }
    }
  } else if (E.HasMember("domain")) {
    return Fail("domain", "a bool knob has no domain");
  }

  if (!E.HasMember("default"))
    return Fail("default", "expected LLVM's default value, or null when LLVM chooses");
  if (!E["default"].IsNull()) {
    auto S = scalar(E["default"], K.Type);
    std::string Why;
    if (!S || !inDomain(K, *S, Why))
      return Fail("default", "expected " + Why + " or null");
    K.Default = *S;
  }
  if (E.HasMember("shapes_pipeline")) {
    if (!E["shapes_pipeline"].IsBool())
      return Fail("shapes_pipeline", "expected true or false");
    K.ShapesPipeline = E["shapes_pipeline"].GetBool();
  }
  if (E.HasMember("arch")) {
    const rapidjson::Value &A = E["arch"];
    if (!A.IsArray() || A.Empty())
      return Fail("arch", "expected a non-empty array of architecture names (\"x86_64\")");
    for (const auto &V : A.GetArray()) {
      if (!V.IsString() || V.GetStringLength() == 0)
        return Fail("arch", "expected architecture names as non-empty strings");
      K.Arches.push_back(str(V));
    }
  }
  if (E.HasMember("requires")) {
    const rapidjson::Value &R = E["requires"];
    if (!R.IsObject())
      return Fail("requires", "expected an object mapping knob names to values");
    for (auto It = R.MemberBegin(); It != R.MemberEnd(); ++It) {
      auto S = scalar(It->value, KnobType::Enum);
      if (!S)
        return Fail("requires." + str(It->name), "expected a scalar value");
      K.Requires[str(It->name)] = *S;
    }
  }
  return K;
}

} // namespace

std::string_view knobTypeName(KnobType T) {
  switch (T) {
  case KnobType::Bool:
    return "bool";
  case KnobType::Int:
    return "int";
  case KnobType::Float:
    return "float";
  case KnobType::Enum:
    return "enum";
  }
  return "?";
}

std::string_view knobToolName(KnobTool T) {
  switch (T) {
  case KnobTool::Opt:
    return "opt";
  case KnobTool::Llc:
    return "llc";
  case KnobTool::Both:
    return "both";
  }
  return "?";
}

std::string KnobSpec::domainText() const {
  switch (Type) {
  case KnobType::Bool:
    return "true|false";
  case KnobType::Enum: {
    std::vector<std::string> Parts;
    for (const KnobValue &V : Values)
      Parts.push_back(knobValueText(V));
    return join(Parts, "|");
  }
  case KnobType::Int:
    return std::to_string(MinInt) + ".." + std::to_string(MaxInt) + (LogScale ? " (log)" : "");
  case KnobType::Float:
    return knobValueText(MinFloat) + ".." + knobValueText(MaxFloat) + (LogScale ? " (log)" : "");
  }
  return "";
}

Result<KnobCatalog> KnobCatalog::parse(std::string_view JsonText, std::string_view SourceName) {
  std::string Source(SourceName);
  rapidjson::Document Doc;
  if (Status S = parseJsonInto(Doc, JsonText, Source); !S)
    return S.error();
  if (!Doc.IsObject() || !Doc.HasMember("schema") || !Doc["schema"].IsString() ||
      str(Doc["schema"]) != CatalogSchema)
    return makeError(Source + ": schema: expected \"" + CatalogSchema + "\"");
  if (!Doc.HasMember("knobs") || !Doc["knobs"].IsArray())
    return makeError(Source + ": knobs: expected an array");
  KnobCatalog C;
  C.Source = Source;
  std::set<std::string> Seen;
  const rapidjson::Value &Arr = Doc["knobs"];
  for (rapidjson::SizeType I = 0; I < Arr.Size(); ++I) {
    auto K = readKnob(Arr[I], Source, I);
    if (!K)
      return K.error();
    if (!Seen.insert(K->Name).second)
      return makeError(Source + ": knobs[" + std::to_string(I) + "](" + K->Name +
                       "): duplicate knob name");
    C.Knobs.push_back(std::move(*K));
  }
  // A requirement must name a catalog knob and a value in its domain, or
  // the search would set an option it cannot check.
  for (const KnobSpec &K : C.Knobs) {
    for (const auto &[Name, Value] : K.Requires) {
      const KnobSpec *R = C.find(Name);
      std::string Why;
      if (!R)
        return makeError(Source + ": " + K.Name + ".requires: unknown knob \"" + Name + "\"");
      if (!inDomain(*R, Value, Why))
        return makeError(Source + ": " + K.Name + ".requires." + Name + ": expected " + Why);
    }
  }
  return C;
}

Result<KnobCatalog> KnobCatalog::load(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return makeError(Path + ": cannot read the knob catalog");
  std::ostringstream Text;
  Text << In.rdbuf();
  return parse(Text.str(), Path);
}

std::vector<std::string> KnobCatalog::dataDirectories() {
  std::vector<std::string> Dirs;
  if (const char *Env = std::getenv("AUTOPASS_DATA_DIR"); Env && *Env)
    Dirs.push_back(Env);
  Dirs.push_back(std::string(AUTOPASS_SOURCE_DIR) + "/tuner/data");
  Dirs.push_back(AUTOPASS_INSTALL_DATADIR);
  return Dirs;
}

std::string KnobCatalog::fileNameFor(unsigned LlvmMajor) {
  return "knobs-llvm" + std::to_string(LlvmMajor) + ".json";
}

std::string KnobCatalog::defaultFileName() { return fileNameFor(LLVM_VERSION_MAJOR); }

std::string KnobCatalog::findDataFile(const std::string &Name, std::vector<std::string> &Tried) {
  for (const std::string &Dir : dataDirectories()) {
    std::string Path = Dir + "/" + Name;
    if (fileExists(Path))
      return Path;
    Tried.push_back(Path);
  }
  return "";
}

Result<KnobCatalog> KnobCatalog::loadDefault() {
  std::vector<std::string> Tried;
  const std::string Name = defaultFileName();
  if (std::string Path = findDataFile(Name, Tried); !Path.empty())
    return load(Path);
  return makeError("knob catalog " + Name + " not found (tried " + join(Tried, ", ") +
                   "; set AUTOPASS_DATA_DIR)");
}

const KnobSpec *KnobCatalog::find(std::string_view Name) const {
  for (const KnobSpec &K : Knobs)
    if (K.Name == Name)
      return &K;
  return nullptr;
}

std::vector<std::string> KnobCatalog::categories() const {
  std::vector<std::string> Out;
  for (const KnobSpec &K : Knobs)
    if (std::find(Out.begin(), Out.end(), K.Category) == Out.end())
      Out.push_back(K.Category);
  return Out;
}

Status KnobCatalog::validate(std::string_view Name, const KnobValue &V) const {
  const KnobSpec *K = find(Name);
  if (!K) {
    for (const MissingKnob &M : Missing)
      if (M.Name == Name)
        return makeError("knob " + std::string(Name) + ": not accepted by the installed " +
                         M.Tool + ", so it is not used");
    return makeError("knob " + std::string(Name) + ": not in the knob catalog (" + Source + ")");
  }
  std::string Why;
  if (!inDomain(*K, V, Why))
    return makeError("knob " + K->Name + ": expected " + Why + ", got " + knobValueText(V));
  return success();
}

Status KnobCatalog::validateKnobs(const CandidateConfig &C) const {
  for (const auto &[Name, Value] : C.Knobs)
    if (Status S = validate(Name, Value); !S)
      return S;
  return success();
}

std::vector<std::string> KnobCatalog::keepForArch(std::string_view Arch) {
  std::vector<std::string> Dropped;
  std::vector<KnobSpec> Kept;
  for (KnobSpec &K : Knobs) {
    if (K.Arches.empty() || std::find(K.Arches.begin(), K.Arches.end(), Arch) != K.Arches.end())
      Kept.push_back(std::move(K));
    else
      Dropped.push_back(K.Name);
  }
  Knobs = std::move(Kept);
  return Dropped;
}

std::vector<MissingKnob>
KnobCatalog::checkAgainst(const std::function<bool(std::string_view)> &OptAccepts,
                          const std::function<bool(std::string_view)> &LlcAccepts) {
  std::vector<MissingKnob> Dropped;
  std::vector<KnobSpec> Kept;
  for (KnobSpec &K : Knobs) {
    if (K.forOpt() && !OptAccepts(K.Name))
      Dropped.push_back({K.Name, "opt"});
    else if (K.forLlc() && !LlcAccepts(K.Name))
      Dropped.push_back({K.Name, "clang -mllvm"});
    else
      Kept.push_back(std::move(K));
  }
  Knobs = std::move(Kept);
  // A knob whose requirement was dropped can no longer have its effect.
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (auto It = Knobs.begin(); It != Knobs.end(); ++It) {
      bool Orphan = false;
      for (const auto &[Name, Value] : It->Requires)
        Orphan |= find(Name) == nullptr;
      if (Orphan) {
        Dropped.push_back({It->Name, It->forOpt() ? "opt" : "clang -mllvm"});
        Knobs.erase(It);
        Changed = true;
        break;
      }
    }
  }
  Missing.insert(Missing.end(), Dropped.begin(), Dropped.end());
  return Dropped;
}

std::vector<std::string> KnobCatalog::commandLineArgs(const CandidateConfig &C,
                                                      KnobTool Tool) const {
  std::vector<std::string> Args;
  for (const auto &[Name, Value] : C.Knobs) {
    const KnobSpec *K = find(Name);
    if (!K)
      continue;
    std::string Arg = "-" + Name + "=" + knobValueText(Value);
    if (Tool == KnobTool::Both) {
      Args.push_back("-mllvm");
      Args.push_back(Arg);
    } else if ((Tool == KnobTool::Opt && K->forOpt()) || (Tool == KnobTool::Llc && K->forLlc())) {
      Args.push_back(Arg);
    }
  }
  return Args;
}

std::set<std::string> parseHelpOptionNames(std::string_view HelpText) {
  std::set<std::string> Names;
  for (const std::string &RawLine : split(HelpText, '\n')) {
    std::string_view Line = trim(RawLine);
    // Options start with one or two dashes; enum values ("=ilpmax") and
    // category headings do not.
    if (Line.size() < 2 || Line[0] != '-')
      continue;
    Line.remove_prefix(Line[1] == '-' ? 2 : 1);
    size_t End = 0;
    while (End < Line.size() && Line[End] != '=' && Line[End] != '<' &&
           !std::isspace(static_cast<unsigned char>(Line[End])))
      ++End;
    if (End > 0 && Line[0] != '-')
      Names.insert(std::string(Line.substr(0, End)));
  }
  return Names;
}

std::string renderKnobTable(const KnobCatalog &Catalog) {
  std::ostringstream Out;
  size_t NameW = 4, TypeW = 4, DefW = 7, DomW = 6;
  for (const KnobSpec &K : Catalog.knobs()) {
    NameW = std::max(NameW, K.Name.size());
    DefW = std::max(DefW, K.Default ? knobValueText(*K.Default).size() : std::string("(llvm)").size());
    DomW = std::max(DomW, K.domainText().size());
  }
  // A few enum domains are long; they overflow their column rather than
  // push every meaning off the screen.
  DomW = std::min<size_t>(DomW, 32);
  DefW = std::min<size_t>(DefW, 16);
  auto Pad = [](const std::string &S, size_t W) { return S + std::string(W > S.size() ? W - S.size() : 0, ' '); };
  Out << Catalog.knobs().size() << " knobs from " << Catalog.source() << "\n";
  for (const std::string &Cat : Catalog.categories()) {
    Out << "\n[" << Cat << "]\n";
    Out << "  " << Pad("NAME", NameW) << "  " << Pad("TYPE", TypeW) << "  " << Pad("DEFAULT", DefW)
        << "  " << Pad("DOMAIN", DomW) << "  TOOL  MEANING\n";
    for (const KnobSpec &K : Catalog.knobs()) {
      if (K.Category != Cat)
        continue;
      std::string Meaning = K.Meaning;
      if (!K.Requires.empty()) {
        std::vector<std::string> Req;
        for (const auto &[Name, Value] : K.Requires)
          Req.push_back(Name + "=" + knobValueText(Value));
        Meaning += " [requires " + join(Req, ", ") + "]";
      }
      if (K.ShapesPipeline)
        Meaning += " [shapes the O3 pipeline]";
      Out << "  " << Pad(K.Name, NameW) << "  " << Pad(std::string(knobTypeName(K.Type)), TypeW)
          << "  " << Pad(K.Default ? knobValueText(*K.Default) : "(llvm)", DefW) << "  "
          << Pad(K.domainText(), DomW) << "  " << Pad(std::string(knobToolName(K.Where)), 4)
          << "  " << Meaning << "\n";
    }
  }
  if (!Catalog.missing().empty()) {
    Out << "\nNot accepted by the installed LLVM tools (left out):\n";
    for (const MissingKnob &M : Catalog.missing())
      Out << "  " << M.Name << " (" << M.Tool << ")\n";
  }
  Out << "\n(llvm) = not passed unless tuned; LLVM chooses the value itself.\n";
  return Out.str();
}

} // namespace autopass
