//===- util/FileSystem.cpp - Files and directories ------------------------===//
#include "util/FileSystem.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace autopass {

namespace {
std::string sysError(const std::string &What, const std::string &Path) {
  return Path + ": cannot " + What + ": " + std::strerror(errno);
}
} // namespace

Result<std::string> readFile(const std::string &Path) {
  // An ifstream opens a directory and reads nothing, which a JSON reader
  // would then report as "The document is empty".
  if (isDirectory(Path))
    return makeError(Path + ": is a directory, expected a file");
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return makeError(sysError("read", Path));
  std::ostringstream Out;
  Out << In.rdbuf();
  if (In.bad())
    return makeError(sysError("read", Path));
  return Out.str();
}

Status writeFile(const std::string &Path, const std::string &Content) {
  std::ofstream Out(Path, std::ios::binary | std::ios::trunc);
  if (!Out)
    return makeError(sysError("write", Path));
  Out.write(Content.data(), static_cast<std::streamsize>(Content.size()));
  Out.close();
  if (!Out)
    return makeError(sysError("write", Path));
  return success();
}

Status makeDirectories(const std::string &Path) {
  if (Path.empty())
    return success();
  std::string Partial;
  size_t Pos = 0;
  while (Pos != std::string::npos) {
    Pos = Path.find('/', Pos + 1);
    Partial = Path.substr(0, Pos);
    if (Partial.empty())
      continue;
    if (::mkdir(Partial.c_str(), 0755) != 0 && errno != EEXIST)
      return makeError(sysError("create directory", Partial));
  }
  if (!isDirectory(Path))
    return makeError(Path + ": exists and is not a directory");
  return success();
}

Status removeAll(const std::string &Path) {
  struct stat St;
  if (::lstat(Path.c_str(), &St) != 0)
    return errno == ENOENT ? success() : makeError(sysError("stat", Path));
  if (S_ISDIR(St.st_mode)) {
    auto Entries = listDirectory(Path);
    if (!Entries)
      return Entries.error();
    for (const auto &E : *Entries)
      if (Status S = removeAll(joinPath(Path, E)); !S)
        return S;
    if (::rmdir(Path.c_str()) != 0)
      return makeError(sysError("remove directory", Path));
    return success();
  }
  if (::unlink(Path.c_str()) != 0 && errno != ENOENT)
    return makeError(sysError("remove", Path));
  return success();
}

bool pathExists(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0;
}

bool isDirectory(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0 && S_ISDIR(St.st_mode);
}

std::string absolutePath(const std::string &Path, const std::string &Base) {
  std::string Full = Path;
  if (Full.empty() || Full[0] != '/') {
    std::string B = Base;
    if (B.empty()) {
      char Buf[4096];
      B = ::getcwd(Buf, sizeof(Buf)) ? Buf : ".";
    } else if (B[0] != '/') {
      B = absolutePath(B);
    }
    Full = B + "/" + Path;
  }
  // Lexical normalisation: drop "." and empty parts, fold "..".
  std::vector<std::string> Parts;
  size_t Start = 0;
  while (Start <= Full.size()) {
    size_t End = Full.find('/', Start);
    if (End == std::string::npos)
      End = Full.size();
    std::string Part = Full.substr(Start, End - Start);
    if (Part == "..") {
      if (!Parts.empty())
        Parts.pop_back();
    } else if (!Part.empty() && Part != ".") {
      Parts.push_back(Part);
    }
    Start = End + 1;
  }
  std::string Out;
  for (const auto &P : Parts)
    Out += "/" + P;
  return Out.empty() ? "/" : Out;
}

std::string parentPath(const std::string &Path) {
  size_t Pos = Path.find_last_of('/');
  if (Pos == std::string::npos)
    return ".";
  if (Pos == 0)
    return "/";
  return Path.substr(0, Pos);
}

std::string fileName(const std::string &Path) {
  size_t Pos = Path.find_last_of('/');
  return Pos == std::string::npos ? Path : Path.substr(Pos + 1);
}

std::string fileStem(const std::string &Path) {
  std::string Name = fileName(Path);
  size_t Dot = Name.find_last_of('.');
  return (Dot == std::string::npos || Dot == 0) ? Name : Name.substr(0, Dot);
}

std::string joinPath(const std::string &A, const std::string &B) {
  if (A.empty() || (!B.empty() && B[0] == '/'))
    return B;
  if (A.back() == '/')
    return A + B;
  return A + "/" + B;
}

Result<std::string> makeTempDirectory(const std::string &Parent, const std::string &Prefix) {
  if (Status S = makeDirectories(Parent); !S)
    return S.error();
  std::string Template = joinPath(Parent, Prefix + "XXXXXX");
  std::vector<char> Buf(Template.begin(), Template.end());
  Buf.push_back('\0');
  if (!::mkdtemp(Buf.data()))
    return makeError(sysError("create a temporary directory", Template));
  return std::string(Buf.data());
}

Result<std::vector<std::string>> listDirectory(const std::string &Path) {
  DIR *D = ::opendir(Path.c_str());
  if (!D)
    return makeError(sysError("list directory", Path));
  std::vector<std::string> Out;
  while (struct dirent *E = ::readdir(D)) {
    std::string Name = E->d_name;
    if (Name != "." && Name != "..")
      Out.push_back(Name);
  }
  ::closedir(D);
  std::sort(Out.begin(), Out.end());
  return Out;
}

Status copyFile(const std::string &From, const std::string &To) {
  auto Content = readFile(From);
  if (!Content)
    return Content.error();
  return writeFile(To, *Content);
}

Status syncDirectory(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return makeError(sysError("open directory", Path));
  int Rc = ::fsync(Fd);
  ::close(Fd);
  if (Rc != 0)
    return makeError(sysError("sync directory", Path));
  return success();
}

} // namespace autopass
