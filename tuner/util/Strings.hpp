//===- util/Strings.hpp - Small string helpers ----------------*- C++ -*-===//
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace autopass {

std::string join(const std::vector<std::string> &Parts, std::string_view Sep);
std::vector<std::string> split(std::string_view Text, char Sep);
std::string_view trim(std::string_view Text);
bool startsWith(std::string_view Text, std::string_view Prefix);
bool endsWith(std::string_view Text, std::string_view Suffix);
/// V with Digits decimals ("%.*f"), the way tables and notes print figures.
std::string formatFixed(double V, int Digits = 3);

/// Quotes one argument for display as a POSIX shell word, so printed commands
/// can be pasted into a shell. Local commands are never run through a shell;
/// the ssh runner's remote command line is the one place a shell reads this.
std::string shellQuote(std::string_view Arg);
/// Joins a command line for display, quoting each argument as needed.
std::string shellJoin(const std::vector<std::string> &Argv);

} // namespace autopass
