// The run directory's journal survives torn writes; the lock keeps two
// tuners out of one directory; the cache publishes entries atomically.
#include "store/BuildCache.hpp"
#include "store/Journal.hpp"
#include "store/RunDir.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Lockfile.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace autopass;

namespace {
std::string freshDir() {
  auto Dir = makeTempDirectory("/tmp", "autopass-test-");
  REQUIRE(Dir.ok());
  return *Dir;
}
} // namespace

TEST_CASE("journal events round-trip and sequence numbers continue", "[journal]") {
  std::string Dir = freshDir();
  std::string Path = joinPath(Dir, "journal.jsonl");
  {
    auto J = Journal::open(Path, true);
    REQUIRE(J.ok());
    REQUIRE((*J)->append("first", "{\"n\":1}").ok());
    REQUIRE((*J)->append("second", "{\"n\":2}").ok());
    CHECK_FALSE((*J)->append("bad", "{not json").ok());
  }
  auto J = Journal::open(Path, true);
  REQUIRE(J.ok());
  auto Events = (*J)->events();
  REQUIRE(Events.size() == 2);
  CHECK(Events[0].Type == "first");
  CHECK(Events[1].data()["n"].GetInt() == 2);
  REQUIRE((*J)->append("third", "{}").ok());
  CHECK((*J)->events().back().Seq == 3);
  (void)removeAll(Dir);
}

TEST_CASE("a torn last line is discarded, truncated, never fatal", "[journal]") {
  std::string Dir = freshDir();
  std::string Path = joinPath(Dir, "journal.jsonl");
  std::string Good = "{\"type\":\"a\",\"time\":\"t\",\"seq\":1,\"data\":{}}\n";

  SECTION("no trailing newline") {
    REQUIRE(writeFile(Path, Good + "{\"type\":\"b\",\"ti").ok());
  }
  SECTION("a complete but invalid last line") {
    REQUIRE(writeFile(Path, Good + "{\"type\":\"b\",\"ti\n").ok());
  }
  SECTION("only a torn line") {
    Good = "";
    REQUIRE(writeFile(Path, "{\"type\":").ok());
  }
  auto J = Journal::open(Path, true);
  REQUIRE(J.ok());
  CHECK((*J)->tornLinesDiscarded() == 1);
  CHECK((*J)->events().size() == (Good.empty() ? 0u : 1u));
  CHECK(*readFile(Path) == Good);
  // Appending after recovery produces a well-formed file.
  REQUIRE((*J)->append("c", "{\"x\":true}").ok());
  auto Again = Journal::open(Path, true);
  REQUIRE(Again.ok());
  CHECK((*Again)->tornLinesDiscarded() == 0);
  CHECK((*Again)->events().back().Type == "c");
  (void)removeAll(Dir);
}

TEST_CASE("a run directory is locked and refuses to mix runs", "[journal]") {
  std::string Dir = freshDir();
  {
    auto R = RunDir::open(Dir, false, true);
    REQUIRE(R.ok());
    REQUIRE((*R)->journal().append("x", "{}").ok());
    auto Second = RunDir::open(Dir, true, true);
    REQUIRE_FALSE(Second.ok());
    CHECK(Second.message().find("is in use by pid " + std::to_string(::getpid())) !=
          std::string::npos);
  }
  auto NoResume = RunDir::open(Dir, false, true);
  REQUIRE_FALSE(NoResume.ok());
  CHECK(NoResume.message().find("--resume") != std::string::npos);
  auto Resume = RunDir::open(Dir, true, true);
  REQUIRE(Resume.ok());
  CHECK((*Resume)->resumed());
  (void)removeAll(Dir);
}

TEST_CASE("a resumed run directory drops the temporaries of a killed atomic write",
          "[journal]") {
  std::string Dir = freshDir();
  {
    auto R = RunDir::open(Dir, false, true);
    REQUIRE(R.ok());
    REQUIRE((*R)->journal().append("x", "{}").ok());
    REQUIRE((*R)->writeResult("eval-1.json", "{}").ok());
  }
  // What a writer killed between mkstemp and rename leaves, and files that
  // only look similar.
  std::string Results = joinPath(Dir, "results");
  for (const char *Name : {"eval-2.json.tmp.a1B2c3", "notes.tmp.txt", "eval-3.json.tmp.abc"})
    REQUIRE(writeFile(joinPath(Results, Name), "{").ok());
  REQUIRE(writeFile(joinPath(Dir, "configs/abc.json.tmp.Zz09Yy"), "{").ok());
  CHECK(isAtomicWriteLeftover("eval-2.json.tmp.a1B2c3"));
  CHECK_FALSE(isAtomicWriteLeftover("notes.tmp.txt"));
  CHECK_FALSE(isAtomicWriteLeftover(".tmp.a1B2c3"));
  auto Resume = RunDir::open(Dir, true, true);
  REQUIRE(Resume.ok());
  auto Names = listDirectory(Results);
  REQUIRE(Names.ok());
  CHECK(*Names == std::vector<std::string>{"eval-1.json", "eval-3.json.tmp.abc", "notes.tmp.txt"});
  auto Configs = listDirectory(joinPath(Dir, "configs"));
  REQUIRE(Configs.ok());
  CHECK(Configs->empty());
  (void)removeAll(Dir);
}

TEST_CASE("cache entries appear complete or not at all", "[journal]") {
  std::string Dir = freshDir();
  BuildCache Cache(joinPath(Dir, "cache"));
  std::string Key(64, 'a');
  auto Failed = Cache.insert(Key, [](const std::string &Tmp) -> Status {
    (void)writeFile(joinPath(Tmp, "half"), "x");
    return makeError("compiler crashed");
  });
  CHECK_FALSE(Failed.ok());
  CHECK_FALSE(Cache.contains(Key));
  auto Ok = Cache.insert(Key, [](const std::string &Tmp) -> Status {
    return writeFile(joinPath(Tmp, "out"), "binary");
  });
  REQUIRE(Ok.ok());
  CHECK(Cache.contains(Key));
  CHECK(*readFile(joinPath(*Ok, "out")) == "binary");
  (void)removeAll(Dir);
}
