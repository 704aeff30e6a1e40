//===- search/PipelineText.cpp - Editing textual NPM pipelines ------------===//
//
// A small recursive-descent parser and printer for pass pipeline text, plus
// tree edits. See PipelineText.hpp.
//
//===----------------------------------------------------------------------===//
#include "search/PipelineText.hpp"

#include "util/Strings.hpp"

namespace autopass {

namespace {

class Parser {
public:
  explicit Parser(std::string_view Text) : Text(Text) {}

  Result<std::vector<PassNode>> list() {
    std::vector<PassNode> Out;
    while (true) {
      auto N = node();
      if (!N)
        return N.error();
      Out.push_back(std::move(*N));
      if (Pos < Text.size() && Text[Pos] == ',') {
        ++Pos;
        continue;
      }
      return Out;
    }
  }

  Result<PassNode> node() {
    PassNode N;
    size_t Start = Pos;
    while (Pos < Text.size() && !isDelimiter(Text[Pos]) && Text[Pos] != '<')
      ++Pos;
    if (Pos == Start)
      return fail("expected a pass name");
    N.Name = std::string(Text.substr(Start, Pos - Start));
    if (Pos < Text.size() && Text[Pos] == '<') {
      // Parameters run to the matching '>'; LLVM's tokenizer only splits on
      // ',', '(' and ')', so those cannot appear inside.
      size_t Depth = 0, ParamStart = Pos + 1;
      for (; Pos < Text.size(); ++Pos) {
        char C = Text[Pos];
        if (C == '<')
          ++Depth;
        else if (C == '>' && --Depth == 0)
          break;
        else if (isDelimiter(C))
          return fail("unexpected '" + std::string(1, C) + "' inside <...>");
      }
      if (Pos == Text.size())
        return fail("missing '>'");
      N.Params = std::string(Text.substr(ParamStart, Pos - ParamStart));
      ++Pos;
    }
    if (Pos < Text.size() && Text[Pos] == '(') {
      ++Pos;
      std::vector<PassNode> Children;
      if (Pos < Text.size() && Text[Pos] != ')') {
        auto L = list();
        if (!L)
          return L.error();
        Children = std::move(*L);
      }
      if (Pos >= Text.size() || Text[Pos] != ')')
        return fail("expected ')'");
      ++Pos;
      N.Children = std::move(Children);
    }
    return N;
  }

  bool atEnd() const { return Pos == Text.size(); }
  Error fail(const std::string &What) const {
    return makeError("pipeline: " + What + " at offset " + std::to_string(Pos));
  }

private:
  static bool isDelimiter(char C) { return C == ',' || C == '(' || C == ')'; }
  std::string_view Text;
  size_t Pos = 0;
};

void print(const std::vector<PassNode> &Nodes, std::string &Out) {
  for (size_t I = 0; I < Nodes.size(); ++I) {
    if (I)
      Out += ',';
    const PassNode &N = Nodes[I];
    Out += N.Name;
    if (N.Params)
      Out += "<" + *N.Params + ">";
    if (N.Children) {
      Out += '(';
      print(*N.Children, Out);
      Out += ')';
    }
  }
}

size_t countNodes(const std::vector<PassNode> &Nodes) {
  size_t N = Nodes.size();
  for (const PassNode &P : Nodes)
    if (P.Children)
      N += countNodes(*P.Children);
  return N;
}

void collect(const std::vector<PassNode> &Nodes, std::string_view Name, PassPath &Prefix,
             std::vector<PassPath> &Out) {
  for (size_t I = 0; I < Nodes.size(); ++I) {
    Prefix.push_back(I);
    if (Nodes[I].Name == Name)
      Out.push_back(Prefix);
    if (Nodes[I].Children)
      collect(*Nodes[I].Children, Name, Prefix, Out);
    Prefix.pop_back();
  }
}

bool isPrefix(const PassPath &Prefix, const PassPath &P) {
  return Prefix.size() <= P.size() && std::equal(Prefix.begin(), Prefix.end(), P.begin());
}

} // namespace

std::string PassNode::str() const {
  std::string Out;
  print({*this}, Out);
  return Out;
}

bool PassNode::operator==(const PassNode &O) const {
  return Name == O.Name && Params == O.Params && Children == O.Children;
}

std::string passPathText(const PassPath &P) {
  std::vector<std::string> Parts;
  for (size_t I : P)
    Parts.push_back(std::to_string(I));
  return "[" + join(Parts, ".") + "]";
}

Result<PipelineText> PipelineText::parse(std::string_view Text) {
  Text = trim(Text);
  if (Text.empty())
    return makeError("pipeline: expected at least one pass");
  Parser P(Text);
  auto L = P.list();
  if (!L)
    return L.error();
  if (!P.atEnd())
    return P.fail("unexpected text");
  PipelineText Out;
  Out.Top = std::move(*L);
  return Out;
}

Result<PassNode> PipelineText::parsePass(std::string_view Text) {
  auto P = parse(Text);
  if (!P)
    return P.error();
  if (P->Top.size() != 1)
    return makeError("pipeline: expected one pass, got " + std::to_string(P->Top.size()));
  return P->Top.front();
}

std::string PipelineText::str() const {
  std::string Out;
  print(Top, Out);
  return Out;
}

size_t PipelineText::size() const { return countNodes(Top); }

const PassNode *PipelineText::at(const PassPath &P) const {
  const std::vector<PassNode> *Level = &Top;
  const PassNode *Node = nullptr;
  for (size_t I : P) {
    if (!Level || I >= Level->size())
      return nullptr;
    Node = &(*Level)[I];
    Level = Node->Children ? &*Node->Children : nullptr;
  }
  return Node;
}

std::vector<PassPath> PipelineText::findAll(std::string_view Name) const {
  std::vector<PassPath> Out;
  PassPath Prefix;
  collect(Top, Name, Prefix, Out);
  return Out;
}

std::optional<PassPath> PipelineText::find(std::string_view Name, size_t Occurrence) const {
  std::vector<PassPath> All = findAll(Name);
  if (Occurrence >= All.size())
    return std::nullopt;
  return All[Occurrence];
}

std::vector<PassNode> *PipelineText::siblingsOf(const PassPath &P) {
  if (P.empty())
    return nullptr;
  std::vector<PassNode> *Level = &Top;
  for (size_t D = 0; D + 1 < P.size(); ++D) {
    if (P[D] >= Level->size() || !(*Level)[P[D]].Children)
      return nullptr;
    Level = &*(*Level)[P[D]].Children;
  }
  return Level;
}

Status PipelineText::remove(const PassPath &P) {
  std::vector<PassNode> *Level = siblingsOf(P);
  if (!Level || P.back() >= Level->size())
    return makeError("pipeline: no pass at " + passPathText(P));
  // An empty pass list is not a pipeline, and "loop()" is rejected by opt.
  if (Level->size() == 1)
    return makeError("pipeline: cannot remove the only pass at " + passPathText(P));
  Level->erase(Level->begin() + static_cast<std::ptrdiff_t>(P.back()));
  return success();
}

Status PipelineText::insert(const PassPath &P, PassNode Node, bool After) {
  std::vector<PassNode> *Level = siblingsOf(P);
  if (!Level || P.back() >= Level->size())
    return makeError("pipeline: no pass at " + passPathText(P));
  size_t Index = P.back() + (After ? 1 : 0);
  Level->insert(Level->begin() + static_cast<std::ptrdiff_t>(Index), std::move(Node));
  return success();
}

Status PipelineText::move(const PassPath &From, const PassPath &To, bool After) {
  const PassNode *Node = at(From);
  if (!Node)
    return makeError("pipeline: no pass at " + passPathText(From));
  if (!at(To))
    return makeError("pipeline: no pass at " + passPathText(To));
  if (isPrefix(From, To))
    return makeError("pipeline: cannot move " + passPathText(From) + " into itself");
  PassNode Moved = *Node;
  if (Status S = remove(From); !S)
    return S;
  // Removing From shifts later siblings on its level down by one; To was
  // given in terms of the tree before the removal.
  PassPath Target = To;
  size_t Level = From.size() - 1;
  if (Target.size() > Level && std::equal(From.begin(), From.begin() + Level, Target.begin()) &&
      Target[Level] > From[Level])
    --Target[Level];
  return insert(Target, std::move(Moved), After);
}

Status PipelineText::setParams(const PassPath &P, std::optional<std::string> Params) {
  std::vector<PassNode> *Level = siblingsOf(P);
  if (!Level || P.back() >= Level->size())
    return makeError("pipeline: no pass at " + passPathText(P));
  if (Params && Params->find_first_of(",()") != std::string::npos)
    return makeError("pipeline: parameters may not contain ',', '(' or ')'");
  (*Level)[P.back()].Params = std::move(Params);
  return success();
}

std::string withParamFlag(std::string_view Params, std::string_view Flag, bool On) {
  std::string Want = On ? std::string(Flag) : "no-" + std::string(Flag);
  std::vector<std::string> Items = Params.empty() ? std::vector<std::string>{} : split(Params, ';');
  bool Replaced = false;
  for (std::string &Item : Items) {
    if (Item == Flag || Item == "no-" + std::string(Flag)) {
      Item = Want;
      Replaced = true;
    }
  }
  if (!Replaced) {
    // loop-vectorize prints a trailing ';' (an empty item); keep it last.
    if (!Items.empty() && Items.back().empty())
      Items.insert(Items.end() - 1, Want);
    else
      Items.push_back(Want);
  }
  return join(Items, ";");
}

std::string withParamValue(std::string_view Params, std::string_view Key,
                           std::string_view Value) {
  std::string Prefix = std::string(Key) + "=";
  std::string Want = Prefix + std::string(Value);
  std::vector<std::string> Items = Params.empty() ? std::vector<std::string>{} : split(Params, ';');
  bool Replaced = false;
  for (std::string &Item : Items) {
    if (startsWith(Item, Prefix)) {
      Item = Want;
      Replaced = true;
    }
  }
  if (!Replaced) {
    if (!Items.empty() && Items.back().empty())
      Items.insert(Items.end() - 1, Want);
    else
      Items.push_back(Want);
  }
  return join(Items, ";");
}

} // namespace autopass
