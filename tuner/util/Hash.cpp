#include "util/Hash.hpp"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"

namespace autopass {

struct Hasher::Impl {
  llvm::SHA256 Sha;
};

Hasher::Hasher() : State(std::make_unique<Impl>()) {}
Hasher::~Hasher() = default;

Hasher &Hasher::add(std::string_view Label, std::string_view Data) {
  std::string Header = std::string(Label) + ":" + std::to_string(Data.size()) + ":";
  State->Sha.update(llvm::StringRef(Header));
  State->Sha.update(llvm::StringRef(Data.data(), Data.size()));
  return *this;
}

Status Hasher::addFile(std::string_view Label, const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return makeError(Path + ": cannot read: " + Buffer.getError().message());
  add(Label, std::string_view((*Buffer)->getBufferStart(), (*Buffer)->getBufferSize()));
  return success();
}

std::string Hasher::hexDigest() {
  auto Digest = State->Sha.final();
  return llvm::toHex(Digest, /*LowerCase=*/true);
}

Result<std::string> fileSha256(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return makeError(Path + ": cannot read: " + Buffer.getError().message());
  llvm::SHA256 Sha;
  Sha.update(llvm::StringRef((*Buffer)->getBufferStart(), (*Buffer)->getBufferSize()));
  return llvm::toHex(Sha.final(), /*LowerCase=*/true);
}

std::string sha256Hex(std::string_view Data) {
  Hasher H;
  H.add("data", Data);
  return H.hexDigest();
}

} // namespace autopass
