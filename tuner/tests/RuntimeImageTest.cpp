// The runtime image hash (measure/RuntimeImage.hpp): binaries that differ
// only in what is never loaded (symbols, debug info, the build ID) share it;
// a difference in code, constants or initialised data does not.
#include "measure/RuntimeImage.hpp"
#include "TempDir.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
// GREETING (.rodata), TABLE_VALUE (a constant table), COUNTER (.data) and
// HELPER (a symbol name) are set per build.
const char *Program = R"(#include <stdio.h>
static const double Table[4] = {1.5, 2.5, 3.5, TABLE_VALUE};
int Counter = COUNTER;
__attribute__((noinline)) int HELPER(int X) { return X * Counter; }
int main(int argc, char **argv) {
  double S = 0;
  for (int I = 0; I < 4; ++I)
    S += Table[(I + argc) % 4] * HELPER(I);
  printf("%s %g\n", GREETING, S);
  return 0;
}
)";

std::vector<std::string> flags(const char *Greeting = "hi", const char *Value = "4.5",
                               const char *Counter = "7", const char *Helper = "helper") {
  return {std::string("-DGREETING=\"") + Greeting + "\"", std::string("-DTABLE_VALUE=") + Value,
          std::string("-DCOUNTER=") + Counter, std::string("-DHELPER=") + Helper};
}

/// Builds Program with Flags into Dir/Name and returns the binary's path.
std::string build(const std::string &Dir, const std::string &Name,
                  const std::vector<std::string> &Flags) {
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  std::string Src = joinPath(Dir, "p.c");
  REQUIRE(writeFile(Src, Program).ok());
  SubprocessOptions O;
  O.Argv = {Tools->Clang, "-O2", "-Wl,--build-id=sha1", Src, "-o", joinPath(Dir, Name)};
  O.Argv.insert(O.Argv.end(), Flags.begin(), Flags.end());
  O.TimeoutSeconds = 120;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  INFO(R->Stderr);
  REQUIRE(R->succeeded());
  return joinPath(Dir, Name);
}

std::string imageOf(const std::string &Path) {
  auto H = runtimeImageHash(Path);
  INFO(Path << ": " << (H ? "" : H.message()));
  REQUIRE(H.ok());
  return *H;
}

std::string fileHash(const std::string &Path) {
  auto H = fileSha256(Path);
  REQUIRE(H.ok());
  return *H;
}
} // namespace

TEST_CASE("binaries differing only in what is not loaded share the runtime image",
          "[image][slow]") {
  test::TempDir D;
  std::vector<std::string> Base = flags();
  std::string A = build(D.Path, "a", Base);
  std::vector<std::string> Debug = Base;
  Debug.push_back("-g");
  std::string G = build(D.Path, "g", Debug);
  // -g adds debug sections and, through them, another build ID.
  REQUIRE(fileHash(A) != fileHash(G));
  CHECK(imageOf(A) == imageOf(G));
  CHECK(imageOf(A) == imageOf(A));

  // A function renamed: another .symtab, the same loaded bytes.
  std::string R = build(D.Path, "r", flags("hi", "4.5", "7", "helper_renamed"));
  REQUIRE(fileHash(A) != fileHash(R));
  CHECK(imageOf(A) == imageOf(R));
}

TEST_CASE("a difference in constants, initialised data or code changes the runtime image",
          "[image][slow]") {
  test::TempDir D;
  std::string A = build(D.Path, "a", flags());
  // The same code, another string in .rodata.
  std::string Str = build(D.Path, "s", flags("ho"));
  // The same code, another double in the constant table.
  std::string Tab = build(D.Path, "t", flags("hi", "5.5"));
  // The same code, another initial value in .data.
  std::string Dat = build(D.Path, "d", flags("hi", "4.5", "8"));
  // Other code.
  std::vector<std::string> O1 = flags();
  O1.push_back("-O1");
  std::string Code = build(D.Path, "c", O1);
  for (const std::string &Other : {Str, Tab, Dat, Code}) {
    INFO(Other);
    CHECK(imageOf(A) != imageOf(Other));
  }
}

TEST_CASE("a file that is not an ELF executable has no runtime image", "[image]") {
  test::TempDir D;
  std::string Text = joinPath(D.Path, "notes.txt");
  REQUIRE(writeFile(Text, "not a binary\n").ok());
  auto H = runtimeImageHash(Text);
  REQUIRE_FALSE(H.ok());
  CHECK(H.message().find(Text) != std::string::npos);
  CHECK(H.message().find("not an ELF file") != std::string::npos);

  auto Missing = runtimeImageHash(joinPath(D.Path, "absent"));
  REQUIRE_FALSE(Missing.ok());
  CHECK(Missing.message().find("absent") != std::string::npos);
}
