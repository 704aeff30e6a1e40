#include "util/Strings.hpp"

#include <cstdio>

namespace autopass {

std::string join(const std::vector<std::string> &Parts, std::string_view Sep) {
  std::string Out;
  for (size_t I = 0; I < Parts.size(); ++I) {
    if (I)
      Out += Sep;
    Out += Parts[I];
  }
  return Out;
}

std::vector<std::string> split(std::string_view Text, char Sep) {
  std::vector<std::string> Out;
  size_t Start = 0;
  while (true) {
    size_t Pos = Text.find(Sep, Start);
    if (Pos == std::string_view::npos) {
      Out.emplace_back(Text.substr(Start));
      return Out;
    }
    Out.emplace_back(Text.substr(Start, Pos - Start));
    Start = Pos + 1;
  }
}

std::string_view trim(std::string_view Text) {
  const char *Space = " \t\r\n\v\f";
  size_t B = Text.find_first_not_of(Space);
  if (B == std::string_view::npos)
    return {};
  size_t E = Text.find_last_not_of(Space);
  return Text.substr(B, E - B + 1);
}

bool startsWith(std::string_view Text, std::string_view Prefix) {
  return Text.substr(0, Prefix.size()) == Prefix;
}

bool endsWith(std::string_view Text, std::string_view Suffix) {
  return Text.size() >= Suffix.size() &&
         Text.substr(Text.size() - Suffix.size()) == Suffix;
}

std::string shellQuote(std::string_view Arg) {
  if (Arg.empty())
    return "''";
  bool Plain = true;
  for (char C : Arg) {
    bool Safe = (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
                (C >= '0' && C <= '9') ||
                std::string_view("-_./=:,+@%").find(C) != std::string_view::npos;
    if (!Safe) {
      Plain = false;
      break;
    }
  }
  if (Plain)
    return std::string(Arg);
  std::string Out = "'";
  for (char C : Arg) {
    if (C == '\'')
      Out += "'\\''";
    else
      Out += C;
  }
  Out += "'";
  return Out;
}

std::string formatFixed(double V, int Digits) {
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%.*f", Digits, V);
  return Buf;
}

std::string shellJoin(const std::vector<std::string> &Argv) {
  std::string Out;
  for (size_t I = 0; I < Argv.size(); ++I) {
    if (I)
      Out += ' ';
    Out += shellQuote(Argv[I]);
  }
  return Out;
}

} // namespace autopass
