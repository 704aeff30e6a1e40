//===- cc/ObjectCache.hpp - autopass-cc's objects, cached by content -*- C++ -*-===//
//
// With AUTOPASS_CC_CACHE=DIR, autopass-cc keeps every object it compiles
// with a configuration in DIR, keyed (like ccache's preprocessor mode) by
//
//   - the preprocessed translation unit (clang -E with the command's own
//     flags: the source and every header it includes, macros expanded),
//   - the command's arguments, the output path and the working directory,
//   - the configuration's content (docs/config-format.md, `meta` excluded)
//     and the route it takes (knobs, plugin, opt),
//   - the identity (path, size, modification time) of clang, of opt on the
//     opt route and of the plugin when hints apply,
//
// so a build that compiles every unit again recompiles only units whose
// source, flags or configuration changed; the others are copied from the
// cache. The preprocessor run also writes the command's dependency file,
// which a build reads after a cache hit as after a compile.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/UnitCompiler.hpp"
#include "store/BuildCache.hpp"
#include "util/Result.hpp"

#include <string>

namespace autopass {

class ObjectCache {
public:
  explicit ObjectCache(std::string Dir);

  /// The key of compiling Ctx's source SourceIndex into Output. Fails when
  /// the preprocessor fails (then the compile runs uncached and reports
  /// the error itself).
  Result<std::string> key(const UnitCompileContext &Ctx, size_t SourceIndex,
                          const std::string &Output) const;
  /// Copies the cached object (and its unit report) to Output; false when
  /// there is no entry.
  bool restore(const std::string &Key, const std::string &Output) const;
  /// Keeps Output (and its unit report, when there is one) under Key.
  Status store(const std::string &Key, const std::string &Output) const;

private:
  mutable BuildCache Cache;
};

} // namespace autopass
