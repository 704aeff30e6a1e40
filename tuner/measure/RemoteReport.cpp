//===- measure/RemoteReport.cpp - What the measuring helper reported ------===//
#include "measure/RemoteReport.hpp"

#include "spec/ProgramSpec.hpp"
#include "util/Strings.hpp"

#include <cmath>
#include <iterator>
#include <cstdlib>

namespace autopass {
namespace {

/// A cursor over the report; every read fails rather than overrun.
class ReportReader {
public:
  explicit ReportReader(std::string_view Text) : Text(Text) {}

  bool atEnd() const { return Pos >= Text.size(); }
  Result<std::string_view> line() {
    size_t End = Text.find('\n', Pos);
    if (End == std::string_view::npos)
      return makeError("the report is cut short (no end line): the connection was lost or the "
                       "helper was killed");
    std::string_view L = Text.substr(Pos, End - Pos);
    Pos = End + 1;
    return L;
  }
  Result<std::string> bytes(size_t N) {
    if (Text.size() - Pos < N + 1 || Text[Pos + N] != '\n')
      return makeError("the report is cut short inside a blob");
    std::string B(Text.substr(Pos, N));
    Pos += N + 1;
    return B;
  }

private:
  std::string_view Text;
  size_t Pos = 0;
};

Result<double> number(std::string_view Field, std::string_view Value) {
  std::string V(Value);
  char *End = nullptr;
  double D = std::strtod(V.c_str(), &End);
  if (V.empty() || End != V.c_str() + V.size() || !std::isfinite(D) || D < -1e12 || D > 1e12)
    return makeError("status field " + std::string(Field) + "=\"" + V + "\" is not a number");
  return D;
}

Status parseStatus(std::string_view Line, RemoteReport &R) {
  if (!startsWith(Line, "status "))
    return makeError("expected a status line, got \"" + std::string(Line.substr(0, 80)) + "\"");
  static const char *const Keys[] = {"exit", "signal",    "timed_out", "exec_errno",
                                     "wall", "user",      "sys",       "maxrss_kb",
                                     "disk_full"};
  constexpr unsigned Required = 8; // disk_full came later
  unsigned Seen = 0;
  for (const auto &Item : split(std::string(Line.substr(7)), ' ')) {
    size_t Eq = Item.find('=');
    if (Eq == std::string::npos)
      return makeError("status field \"" + Item.substr(0, 80) + "\" has no value");
    std::string_view Key = std::string_view(Item).substr(0, Eq);
    auto V = number(Key, std::string_view(Item).substr(Eq + 1));
    if (!V)
      return V.error();
    unsigned K = 0;
    while (K < std::size(Keys) && Key != Keys[K])
      ++K;
    if (K == std::size(Keys))
      continue; // a later helper's extra field
    if (Seen & (1u << K))
      return makeError("status field " + std::string(Key) + " appears twice");
    Seen |= 1u << K;
    bool Time = Key == "wall" || Key == "user" || Key == "sys";
    if (!Time && (*V != std::floor(*V) || std::fabs(*V) > 1e9)) // must fit an int
      return makeError("status field " + Item.substr(0, 80) + " is not a whole number in range");
    if (Time && *V < 0)
      return makeError("the status line has a negative time");
    auto &P = R.Process;
    switch (K) {
    case 0: P.ExitCode = static_cast<int>(*V); break;
    case 1: P.Signal = static_cast<int>(*V); break;
    case 2: P.TimedOut = *V != 0; break;
    case 3: R.ExecErrno = static_cast<int>(*V); break;
    case 4: P.WallSeconds = *V; break;
    case 5: P.UserSeconds = *V; break;
    case 6: P.SysSeconds = *V; break;
    case 7: P.MaxRssKb = static_cast<int64_t>(*V); break;
    default: R.DiskFull = *V != 0; break;
    }
  }
  if ((Seen & ((1u << Required) - 1)) != (1u << Required) - 1)
    return makeError("the status line lacks fields (need exit, signal, timed_out, exec_errno, "
                     "wall, user, sys, maxrss_kb)");
  return success();
}

/// A check file's name as the helper echoes it: the rule of check.files.
Status checkFileName(std::string_view Name) {
  if (!isRunFolderPath(Name))
    return makeError("file name \"" + std::string(Name.substr(0, 80)) +
                     "\" is not a relative path inside the run folder");
  return success();
}

/// "blob KIND [NAME] LEN": the kind, the name (files only) and the length.
Status readBlob(ReportReader &In, std::string_view Line, RemoteReport &R) {
  std::string_view Rest = Line.substr(5);
  size_t Space = Rest.rfind(' ');
  if (Space == std::string_view::npos)
    return makeError("blob line without a length");
  auto Len = number("length", Rest.substr(Space + 1));
  if (!Len || *Len < 0 || *Len > double(1u << 30) || *Len != std::floor(*Len))
    return makeError("blob line with a bad length: \"" + std::string(Line.substr(0, 80)) + "\"");
  auto Bytes = In.bytes(static_cast<size_t>(*Len));
  if (!Bytes)
    return Bytes.error();
  std::string_view Head = Rest.substr(0, Space);
  if (Head == "stdout")
    R.Process.Stdout = std::move(*Bytes);
  else if (Head == "stderr")
    R.Process.Stderr = std::move(*Bytes);
  else if (startsWith(Head, "file ") && Head.size() > 5) {
    if (Status S = checkFileName(Head.substr(5)); !S)
      return S;
    R.Files[std::string(Head.substr(5))] = std::move(*Bytes);
  }
  else
    return makeError("unknown blob \"" + std::string(Head.substr(0, 80)) + "\"");
  return success();
}

} // namespace

Result<RemoteReport> parseRemoteReport(std::string_view Text) {
  ReportReader In(Text);
  auto First = In.line();
  if (!First)
    return makeError("the measuring helper wrote no report");
  if (*First != "autopass-measure 1")
    return makeError("not a measuring helper report (first line \"" +
                     std::string(First->substr(0, 80)) + "\")");
  RemoteReport R;
  auto StatusLine = In.line();
  if (!StatusLine)
    return StatusLine.error();
  if (Status S = parseStatus(*StatusLine, R); !S)
    return S.error();
  for (;;) {
    auto L = In.line();
    if (!L)
      return L.error();
    if (*L == "end")
      break;
    if (startsWith(*L, "blob ")) {
      if (Status S = readBlob(In, *L, R); !S)
        return S.error();
    } else if (*L == "truncated stdout") {
      R.Process.StdoutTruncated = true;
    } else if (startsWith(*L, "truncated file ")) {
      if (Status S = checkFileName(L->substr(15)); !S)
        return S.error();
      R.TruncatedFiles.emplace_back(L->substr(15));
    } else if (!startsWith(*L, "missing ")) {
      return makeError("unexpected report line \"" + std::string(L->substr(0, 80)) + "\"");
    }
  }
  if (!In.atEnd())
    return makeError("the report goes on after its end line");
  return R;
}

} // namespace autopass
