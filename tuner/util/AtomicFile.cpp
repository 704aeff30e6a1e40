//===- util/AtomicFile.cpp - Replace a file atomically ---------------------===//
#include "util/AtomicFile.hpp"

#include "util/FileSystem.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace autopass {

Status writeFileAtomically(const std::string &Path, const std::string &Content) {
  std::string Template = Path + ".tmp.XXXXXX";
  std::vector<char> Name(Template.begin(), Template.end());
  Name.push_back('\0');
  int Fd = ::mkstemp(Name.data());
  if (Fd < 0)
    return makeError(Path + ": cannot create a temporary file: " + std::strerror(errno));
  std::string TmpPath = Name.data();
  size_t Done = 0;
  while (Done < Content.size()) {
    ssize_t N = ::write(Fd, Content.data() + Done, Content.size() - Done);
    if (N < 0) {
      if (errno == EINTR)
        continue;
      std::string Msg = Path + ": cannot write: " + std::strerror(errno);
      ::close(Fd);
      ::unlink(TmpPath.c_str());
      return makeError(Msg);
    }
    Done += static_cast<size_t>(N);
  }
  // mkstemp creates 0600; results are ordinary readable files.
  ::fchmod(Fd, 0644);
  if (::fsync(Fd) != 0 || ::close(Fd) != 0) {
    std::string Msg = Path + ": cannot sync: " + std::strerror(errno);
    ::unlink(TmpPath.c_str());
    return makeError(Msg);
  }
  if (::rename(TmpPath.c_str(), Path.c_str()) != 0) {
    std::string Msg = Path + ": cannot rename into place: " + std::strerror(errno);
    ::unlink(TmpPath.c_str());
    return makeError(Msg);
  }
  return syncDirectory(parentPath(absolutePath(Path)));
}

bool isAtomicWriteLeftover(const std::string &FileName) {
  // mkstemp replaces the six X's of ".tmp.XXXXXX" with letters and digits.
  const size_t Suffix = 11;
  if (FileName.size() <= Suffix || FileName.compare(FileName.size() - Suffix, 5, ".tmp.") != 0)
    return false;
  for (size_t I = FileName.size() - 6; I < FileName.size(); ++I)
    if (!std::isalnum(static_cast<unsigned char>(FileName[I])))
      return false;
  return true;
}

} // namespace autopass
