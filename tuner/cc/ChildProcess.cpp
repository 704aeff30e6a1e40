//===- cc/ChildProcess.cpp - Run the real compiler, stdio inherited -------===//
#include "cc/ChildProcess.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace autopass {

namespace {

std::vector<char *> cArgv(const std::vector<std::string> &Argv) {
  std::vector<char *> Out;
  for (const std::string &A : Argv)
    Out.push_back(const_cast<char *>(A.c_str()));
  Out.push_back(nullptr);
  return Out;
}

} // namespace

int runInheritingStdio(const std::vector<std::string> &Argv,
                       const std::map<std::string, std::string> &Env) {
  if (Argv.empty())
    return 127;
  std::vector<char *> Args = cArgv(Argv);
  std::fflush(nullptr);
  pid_t Pid = ::fork();
  if (Pid < 0) {
    std::fprintf(stderr, "autopass-cc: error: cannot fork: %s\n", std::strerror(errno));
    return 127;
  }
  if (Pid == 0) {
    for (const auto &[Name, Value] : Env)
      ::setenv(Name.c_str(), Value.c_str(), 1);
    ::execvp(Args[0], Args.data());
    std::fprintf(stderr, "autopass-cc: error: cannot run %s: %s\n", Args[0], std::strerror(errno));
    ::_exit(127);
  }
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0) {
    if (errno != EINTR)
      return 127;
  }
  if (WIFEXITED(Status))
    return WEXITSTATUS(Status);
  if (WIFSIGNALED(Status))
    return 128 + WTERMSIG(Status);
  return 127;
}

int execReplacing(const std::vector<std::string> &Argv) {
  if (Argv.empty())
    return 127;
  std::vector<char *> Args = cArgv(Argv);
  std::fflush(nullptr);
  ::execvp(Args[0], Args.data());
  std::fprintf(stderr, "autopass-cc: error: cannot run %s: %s\n", Args[0], std::strerror(errno));
  return 127;
}

} // namespace autopass
