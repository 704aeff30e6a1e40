//===- util/Result.hpp - Errors as values ---------------------*- C++ -*-===//
//
// The tuner reports failures as values carrying a message a user can act on
// (which file, which field, what was expected), never as a crash. Result<T>
// holds either a T or an Error; Status is Result<void>.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace autopass {

struct Error {
  std::string Message;
};

inline Error makeError(std::string Message) { return Error{std::move(Message)}; }

template <typename T> class [[nodiscard]] Result {
public:
  Result(T Value) : Storage(std::move(Value)) {}
  Result(Error E) : Storage(std::move(E)) {}

  bool ok() const { return Storage.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & {
    assert(ok() && "value() on a failed Result");
    return std::get<0>(Storage);
  }
  const T &value() const & {
    assert(ok() && "value() on a failed Result");
    return std::get<0>(Storage);
  }
  T &&value() && {
    assert(ok() && "value() on a failed Result");
    return std::get<0>(std::move(Storage));
  }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  const Error &error() const {
    assert(!ok() && "error() on a successful Result");
    return std::get<1>(Storage);
  }
  const std::string &message() const { return error().Message; }

private:
  std::variant<T, Error> Storage;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error E) : Err(std::move(E)) {}

  bool ok() const { return !Err.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error &error() const {
    assert(!ok() && "error() on a successful Status");
    return *Err;
  }
  const std::string &message() const { return error().Message; }

private:
  std::optional<Error> Err;
};

using Status = Result<void>;

inline Status success() { return Status(); }

} // namespace autopass
