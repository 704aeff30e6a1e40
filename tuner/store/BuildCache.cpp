//===- store/BuildCache.cpp - Content-addressed build outputs -------------===//
#include "store/BuildCache.hpp"

#include "util/FileSystem.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace autopass {

BuildCache::BuildCache(std::string Root) : Root(std::move(Root)) {}

std::string BuildCache::entryPath(const std::string &Key) const {
  return joinPath(joinPath(Root, Key.substr(0, 2)), Key);
}

bool BuildCache::contains(const std::string &Key) const { return isDirectory(entryPath(Key)); }

Result<std::string> BuildCache::insert(
    const std::string &Key, const std::function<Status(const std::string &TmpDir)> &Produce) {
  std::string Final = entryPath(Key);
  if (isDirectory(Final))
    return Final;
  auto Tmp = makeTempDirectory(tmpRoot(), Key.substr(0, 16) + "-");
  if (!Tmp)
    return Tmp.error();
  Status S = Produce(*Tmp);
  if (!S) {
    (void)removeAll(*Tmp);
    return S.error();
  }
  return publish(Key, *Tmp);
}

std::string BuildCache::tmpRoot() const { return joinPath(Root, "tmp"); }

Result<std::string> BuildCache::publish(const std::string &Key, const std::string &Dir) {
  std::string Final = entryPath(Key);
  if (Status M = makeDirectories(parentPath(Final)); !M) {
    (void)removeAll(Dir);
    return M.error();
  }
  if (std::rename(Dir.c_str(), Final.c_str()) != 0) {
    int Err = errno;
    (void)removeAll(Dir);
    // Someone else published the same entry first: theirs is as good.
    if ((Err == ENOTEMPTY || Err == EEXIST) && isDirectory(Final))
      return Final;
    return makeError(Final + ": cannot publish cache entry: " + std::strerror(Err));
  }
  (void)syncDirectory(parentPath(Final));
  return Final;
}

} // namespace autopass
