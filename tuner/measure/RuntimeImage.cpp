//===- measure/RuntimeImage.cpp - What the loader maps of a binary --------===//
#include "measure/RuntimeImage.hpp"

#include "util/Hash.hpp"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>

#include <string_view>

namespace autopass {

namespace {

std::string_view bytesOf(const void *P, size_t N) {
  return {static_cast<const char *>(P), N};
}

template <typename T> std::string_view bytesOf(const T &V) { return bytesOf(&V, sizeof(V)); }

template <class ELFT>
Result<std::string> hashImage(llvm::StringRef Bytes, const std::string &Path) {
  auto File = llvm::object::ELFFile<ELFT>::create(Bytes);
  if (!File)
    return makeError(Path + ": not a readable ELF file: " + llvm::toString(File.takeError()));
  const auto &Ehdr = File->getHeader();
  if (Ehdr.e_type != llvm::ELF::ET_EXEC && Ehdr.e_type != llvm::ELF::ET_DYN)
    return makeError(Path + ": not an ELF executable (e_type " + std::to_string(Ehdr.e_type) +
                     ")");
  Hasher H;
  H.add("ident", bytesOf(Ehdr.e_ident, llvm::ELF::EI_NIDENT))
      .add("type", bytesOf(Ehdr.e_type))
      .add("machine", bytesOf(Ehdr.e_machine))
      .add("flags", bytesOf(Ehdr.e_flags))
      .add("entry", bytesOf(Ehdr.e_entry));

  auto Phdrs = File->program_headers();
  if (!Phdrs)
    return makeError(Path + ": bad program headers: " + llvm::toString(Phdrs.takeError()));
  for (const auto &Ph : *Phdrs)
    H.add("phdr", bytesOf(Ph.p_type))
        .add("p_flags", bytesOf(Ph.p_flags))
        .add("p_vaddr", bytesOf(Ph.p_vaddr))
        .add("p_paddr", bytesOf(Ph.p_paddr))
        .add("p_filesz", bytesOf(Ph.p_filesz))
        .add("p_memsz", bytesOf(Ph.p_memsz))
        .add("p_align", bytesOf(Ph.p_align));

  auto Sections = File->sections();
  if (!Sections)
    return makeError(Path + ": bad section headers: " + llvm::toString(Sections.takeError()));
  for (const auto &Sh : *Sections) {
    if (!(Sh.sh_flags & llvm::ELF::SHF_ALLOC))
      continue;
    auto Name = File->getSectionName(Sh);
    if (!Name)
      return makeError(Path + ": bad section name: " + llvm::toString(Name.takeError()));
    // A hash over the whole file, symbols and debug info included: the
    // one allocated section that cannot change a run.
    if (Sh.sh_type == llvm::ELF::SHT_NOTE && *Name == ".note.gnu.build-id")
      continue;
    H.add("section", *Name)
        .add("sh_type", bytesOf(Sh.sh_type))
        .add("sh_flags", bytesOf(Sh.sh_flags))
        .add("sh_addr", bytesOf(Sh.sh_addr))
        .add("sh_size", bytesOf(Sh.sh_size))
        .add("sh_addralign", bytesOf(Sh.sh_addralign));
    if (Sh.sh_type == llvm::ELF::SHT_NOBITS)
      continue;
    auto Contents = File->getSectionContents(Sh);
    if (!Contents)
      return makeError(Path + ": section " + Name->str() + " cannot be read: " +
                       llvm::toString(Contents.takeError()));
    H.add("contents", bytesOf(Contents->data(), Contents->size()));
  }
  return H.hexDigest();
}

} // namespace

Result<std::string> runtimeImageHash(const std::string &ElfPath) {
  auto Buffer = llvm::MemoryBuffer::getFile(ElfPath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return makeError(ElfPath + ": cannot read: " + Buffer.getError().message());
  llvm::StringRef Bytes = (*Buffer)->getBuffer();
  auto [Class, Data] = llvm::object::getElfArchType(Bytes);
  using namespace llvm::object;
  if (Class == llvm::ELF::ELFCLASS64 && Data == llvm::ELF::ELFDATA2LSB)
    return hashImage<ELF64LE>(Bytes, ElfPath);
  if (Class == llvm::ELF::ELFCLASS64 && Data == llvm::ELF::ELFDATA2MSB)
    return hashImage<ELF64BE>(Bytes, ElfPath);
  if (Class == llvm::ELF::ELFCLASS32 && Data == llvm::ELF::ELFDATA2LSB)
    return hashImage<ELF32LE>(Bytes, ElfPath);
  if (Class == llvm::ELF::ELFCLASS32 && Data == llvm::ELF::ELFDATA2MSB)
    return hashImage<ELF32BE>(Bytes, ElfPath);
  return makeError(ElfPath + ": not an ELF file");
}

} // namespace autopass
