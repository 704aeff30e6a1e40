//===- cc/main.cpp - autopass-cc entry point ------------------------------===//
//
// A compiler wrapper that builds with a tuned configuration; the logic is in
// cc/CcDriver.cpp so the unit tests can reach it.
//
//===----------------------------------------------------------------------===//
#include "cc/CcDriver.hpp"

#include <string>
#include <vector>

int main(int Argc, char **Argv) {
  return autopass::runAutopassCc(std::vector<std::string>(Argv, Argv + Argc));
}
