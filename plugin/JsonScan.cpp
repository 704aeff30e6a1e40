//===- JsonScan.cpp - checks on JSON text that parsers do not make --------===//
//
// One pass over the text with an explicit stack of open arrays and objects
// (at most MaxDepth frames), see JsonScan.h.
//
//===----------------------------------------------------------------------===//

#include "JsonScan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/JSON.h"

#include <vector>

using namespace llvm;

namespace autopass {

std::string jsonMemberPath(StringRef Parent, StringRef Key) {
  bool Plain = !Key.empty() && all_of(Key, [](char C) {
    return isAlnum(C) || C == '_' || C == '-';
  });
  if (!Plain)
    return (Parent + "[\"" + Key + "\"]").str();
  if (Parent.empty())
    return Key.str();
  return (Parent + "." + Key).str();
}

std::string jsonIndexPath(StringRef Parent, size_t Index) {
  return (Parent + "[" + Twine(Index) + "]").str();
}

namespace {

/// One open array or object.
struct Frame {
  bool IsObject = false;
  std::string Path;
  /// Objects: the keys seen so far, the last one, and whether the next
  /// string is a key. Arrays: the index of the current element.
  StringSet<> Keys;
  std::string Key;
  bool ExpectKey = true;
  size_t Index = 0;
};

class Scanner {
public:
  Scanner(StringRef Text, StringRef Source, JsonTextFacts *Facts,
          unsigned MaxDepth)
      : Text(Text), Source(Source), Facts(Facts), MaxDepth(MaxDepth) {}

  Error run();

private:
  /// The path of the value that starts at the current position.
  std::string valuePath() const {
    if (Stack.empty())
      return "";
    const Frame &F = Stack.back();
    return F.IsObject ? jsonMemberPath(F.Path, F.Key)
                      : jsonIndexPath(F.Path, F.Index);
  }
  static std::string shown(const std::string &Path) {
    return Path.empty() ? "(document)" : Path;
  }
  Error fail(const Twine &What) const {
    return createStringError(inconvertibleErrorCode(), "%s",
                             (Source + ": " + What).str().c_str());
  }

  Error open(bool IsObject);
  /// Reads the string starting at Pos (the opening quote). Returns false
  /// when the text is malformed; Decoded receives the unescaped contents.
  bool readString(std::string &Decoded, size_t &BadByte);
  Error onString();
  void onNumber();

  StringRef Text;
  StringRef Source;
  JsonTextFacts *Facts;
  unsigned MaxDepth;
  size_t Pos = 0;
  bool Malformed = false;
  std::vector<Frame> Stack;
};

Error Scanner::open(bool IsObject) {
  if (Stack.size() >= MaxDepth)
    return fail("nesting deeper than " + Twine(MaxDepth) + " levels");
  Frame F;
  F.IsObject = IsObject;
  F.Path = valuePath();
  Stack.push_back(std::move(F));
  ++Pos;
  return Error::success();
}

bool Scanner::readString(std::string &Decoded, size_t &BadByte) {
  size_t Start = ++Pos;
  while (Pos < Text.size() && Text[Pos] != '"') {
    char C = Text[Pos];
    if (C != '\\') {
      Decoded += C;
      ++Pos;
      continue;
    }
    if (Pos + 1 >= Text.size())
      return false;
    char E = Text[Pos + 1];
    Pos += 2;
    switch (E) {
    case '"':
    case '\\':
    case '/':
      Decoded += E;
      continue;
    case 'b':
      Decoded += '\b';
      continue;
    case 'f':
      Decoded += '\f';
      continue;
    case 'n':
      Decoded += '\n';
      continue;
    case 'r':
      Decoded += '\r';
      continue;
    case 't':
      Decoded += '\t';
      continue;
    case 'u':
      break;
    default:
      return false;
    }
    unsigned CodePoint = 0;
    if (Pos + 4 > Text.size() ||
        Text.substr(Pos, 4).getAsInteger(16, CodePoint))
      return false;
    Pos += 4;
    // A high surrogate followed by \u and a low one is one code point;
    // anything else becomes U+FFFD, as llvm::json does.
    if (CodePoint >= 0xD800 && CodePoint < 0xDC00 &&
        Text.substr(Pos).starts_with("\\u")) {
      unsigned Low = 0;
      if (!Text.substr(Pos + 2, 4).getAsInteger(16, Low) && Low >= 0xDC00 &&
          Low < 0xE000) {
        CodePoint = 0x10000 + ((CodePoint - 0xD800) << 10) + (Low - 0xDC00);
        Pos += 6;
      }
    }
    if (CodePoint >= 0xD800 && CodePoint < 0xE000)
      CodePoint = 0xFFFD;
    char Buf[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
    char *End = Buf;
    ConvertCodePointToUTF8(CodePoint, End);
    Decoded.append(Buf, End);
  }
  if (Pos >= Text.size())
    return false;
  StringRef Raw = Text.slice(Start, Pos);
  ++Pos; // the closing quote
  size_t Offset = 0;
  BadByte = json::isUTF8(Raw, &Offset) ? StringRef::npos : Start + Offset;
  return true;
}

Error Scanner::onString() {
  std::string Decoded;
  size_t BadByte = StringRef::npos;
  Frame *Top = Stack.empty() ? nullptr : &Stack.back();
  bool IsKey = Top && Top->IsObject && Top->ExpectKey;
  std::string Path = IsKey ? shown(Top->Path) : shown(valuePath());
  if (!readString(Decoded, BadByte)) {
    Malformed = true;
    return Error::success();
  }
  if (BadByte != StringRef::npos)
    return fail(Path + ": expected UTF-8 text in " +
                (IsKey ? "a key" : "a string") + " (invalid byte at offset " +
                Twine(BadByte) + ")");
  if (!IsKey)
    return Error::success();
  if (!Top->Keys.insert(Decoded).second)
    return fail(jsonMemberPath(Top->Path, Decoded) + ": duplicate key");
  Top->Key = std::move(Decoded);
  Top->ExpectKey = false;
  return Error::success();
}

void Scanner::onNumber() {
  size_t Start = Pos;
  while (Pos < Text.size() &&
         (isDigit(Text[Pos]) || StringRef("+-.eE").contains(Text[Pos])))
    ++Pos;
  if (Facts)
    Facts->NumberText[valuePath()] = Text.slice(Start, Pos).str();
}

Error Scanner::run() {
  while (Pos < Text.size() && !Malformed) {
    char C = Text[Pos];
    switch (C) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      ++Pos;
      break;
    case '{':
    case '[':
      if (Error E = open(C == '{'))
        return E;
      break;
    case '}':
    case ']':
      if (Stack.empty() || Stack.back().IsObject != (C == '}')) {
        Malformed = true;
        break;
      }
      Stack.pop_back();
      ++Pos;
      break;
    case ':':
      ++Pos;
      break;
    case ',':
      if (!Stack.empty()) {
        Stack.back().ExpectKey = true;
        ++Stack.back().Index;
      }
      ++Pos;
      break;
    case '"':
      if (Error E = onString())
        return E;
      break;
    default:
      if (C == '-' || isDigit(C))
        onNumber();
      else if (isAlpha(C)) // true, false, null; the parser checks spelling
        while (Pos < Text.size() && isAlpha(Text[Pos]))
          ++Pos;
      else
        Malformed = true;
    }
  }
  return Error::success();
}

} // namespace

Error scanJsonText(StringRef Text, StringRef Source, JsonTextFacts *Facts,
                   unsigned MaxDepth) {
  return Scanner(Text, Source, Facts, MaxDepth).run();
}

} // namespace autopass
