//===- report/SuiteReport.cpp - Tables and pages of a suite run -----------===//
#include "report/SuiteReport.hpp"

#include "report/AxisTicks.hpp"
#include "spec/ObjectiveWords.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace autopass {

namespace {

std::vector<std::string> strategiesOf(const SuiteOutcome &S);

std::string interval(const SuiteCell &C) {
  return formatFixed(C.Speedup) + " [" + formatFixed(C.Lo) + "," + formatFixed(C.Hi) + "]";
}

std::string cellText(const SuiteCell &C) {
  if (!C.Error.empty())
    return "error";
  if (!C.Finished)
    return "-";
  if (!C.Faster)
    return "1.000 (-O3 best)";
  return interval(C);
}

/// PGO is a comparator measured once: shown as measured, below 1 included.
std::string pgoText(const std::optional<SuiteCell> &C) {
  if (!C)
    return "-";
  if (C->Rejected)
    return "rejected";
  if (!C->Error.empty())
    return "failed";
  if (!C->Finished)
    return "-";
  return interval(*C);
}

/// A cell's time as "212 s": its baseline, evidence, search and confirmation
/// (for PGO: instrumented build, training run, measurement).
std::string secondsText(const SuiteCell &C) {
  return C.Finished || !C.Error.empty() ? formatFixed(C.Seconds, 0) + " s" : "";
}

/// Minutes per strategy column summed over programs, then PGO's if any.
std::vector<double> minutesPerColumn(const SuiteOutcome &S, bool Pgo) {
  std::vector<double> Out(strategiesOf(S).size() + (Pgo ? 1 : 0), 0.0);
  for (const SuiteRow &R : S.Rows) {
    for (size_t I = 0; I < R.Cells.size() && I < Out.size(); ++I)
      Out[I] += R.Cells[I].Seconds / 60;
    if (Pgo && R.Pgo)
      Out.back() += R.Pgo->Seconds / 60;
  }
  return Out;
}

bool anyPgo(const SuiteOutcome &S) {
  return std::any_of(S.Rows.begin(), S.Rows.end(), [](const SuiteRow &R) { return R.Pgo; });
}

/// A row's objective (wall when unrecorded or unknown: older suites).
ObjectiveKind rowObjective(const SuiteRow &R) {
  return parseObjectiveKind(R.Objective).value_or(ObjectiveKind::Wall);
}

/// The objective every row shares, if they share one.
std::optional<ObjectiveKind> sharedObjective(const SuiteOutcome &S) {
  std::optional<ObjectiveKind> Shared;
  for (const SuiteRow &R : S.Rows) {
    if (Shared && *Shared != rowObjective(R))
      return std::nullopt;
    Shared = rowObjective(R);
  }
  return Shared ? Shared : ObjectiveKind::Wall;
}

/// The name of the cells' ratio: "size ratio" under objective size,
/// "speedup" under the others, "ratio" when the programs' objectives mix.
std::string ratioName(const SuiteOutcome &S) {
  auto Shared = sharedObjective(S);
  return Shared ? std::string(objectiveRatioName(*Shared)) : std::string("ratio");
}

/// The sentence saying what a cell's ratio is.
std::string ratioDefinition(const SuiteOutcome &S) {
  auto Shared = sharedObjective(S);
  if (Shared && *Shared == ObjectiveKind::Size)
    return "Size ratio = -O3 code size / tuned code size (bytes), above 1 is smaller";
  if (!Shared)
    return "Ratio = -O3 value / tuned value of each program's objective, above 1 is better";
  return "Speedup = -O3 median / tuned median of the objective";
}

/// The -O3 column's header, with the unit when the programs share one.
std::string baselineHeader(const SuiteOutcome &S) {
  auto Shared = sharedObjective(S);
  if (!Shared)
    return "-O3 value";
  std::string Unit(objectiveUnit(*Shared));
  std::string Head = *Shared == ObjectiveKind::Size ? "-O3 size" : "-O3 median";
  return Unit.empty() ? Head : Head + " (" + Unit + ")";
}

/// A row's -O3 figure in its objective's unit; "n/a" when none was measured
/// (never an emulated time).
std::string baselineText(const SuiteRow &R, bool WithUnit) {
  if (!(R.BaselineSeconds > 0))
    return "n/a";
  ObjectiveKind K = rowObjective(R);
  bool Count = K == ObjectiveKind::Size || K == ObjectiveKind::Cycles ||
               K == ObjectiveKind::Instructions || K == ObjectiveKind::Callgrind;
  std::string Unit(objectiveUnit(K));
  return formatFixed(R.BaselineSeconds, Count ? 0 : 3) +
         (WithUnit && !Unit.empty() ? " " + Unit : "");
}

/// "evaluations to 95% of the final gain" per strategy: on the suite's
/// geomean curve, and the median over programs whose curve gained.
struct Convergence {
  unsigned SuiteCurve = 0;
  unsigned ProgramMedian = 0;
  size_t ProgramsWithGain = 0;
};

std::vector<Convergence> convergenceOf(const SuiteOutcome &S) {
  auto Curves = geomeanCurves(S);
  std::vector<Convergence> Out(Curves.size());
  for (size_t SI = 0; SI < Curves.size(); ++SI) {
    Out[SI].SuiteCurve = evaluationsToReach(Curves[SI]);
    std::vector<unsigned> PerProgram;
    for (const SuiteRow &R : S.Rows)
      if (SI < R.Cells.size())
        if (unsigned N = evaluationsToReach(R.Cells[SI].Curve))
          PerProgram.push_back(N);
    Out[SI].ProgramsWithGain = PerProgram.size();
    if (!PerProgram.empty()) {
      std::sort(PerProgram.begin(), PerProgram.end());
      Out[SI].ProgramMedian = PerProgram[(PerProgram.size() - 1) / 2];
    }
  }
  return Out;
}

std::string convergenceText(const SuiteOutcome &S, const std::string &Bullet) {
  auto Strategies = strategiesOf(S);
  auto Conv = convergenceOf(S);
  std::string Out;
  for (size_t SI = 0; SI < Strategies.size() && SI < Conv.size(); ++SI) {
    const Convergence &C = Conv[SI];
    Out += Bullet + Strategies[SI] + ": ";
    if (!C.SuiteCurve) {
      Out += "no search gain\n";
      continue;
    }
    Out += std::to_string(C.SuiteCurve) + " evaluations on the suite's geomean curve; median " +
           std::to_string(C.ProgramMedian) + " over the " + std::to_string(C.ProgramsWithGain) +
           " programs whose search found a significant gain\n";
  }
  return Out;
}

std::string escapeHtml(const std::string &S) {
  std::string Out;
  for (char C : S) {
    switch (C) {
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '&': Out += "&amp;"; break;
    case '"': Out += "&quot;"; break;
    default: Out += C;
    }
  }
  return Out;
}

std::vector<std::string> strategiesOf(const SuiteOutcome &S) {
  std::vector<std::string> Out;
  if (!S.Rows.empty())
    for (const SuiteCell &C : S.Rows.front().Cells)
      Out.push_back(C.Strategy);
  return Out;
}

const char *Colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

/// Bars of the confirmed speedup per program and strategy, with intervals,
/// around a line at 1.0 (-O3).
std::string speedupSvg(const SuiteOutcome &S) {
  auto Strategies = strategiesOf(S);
  double Max = 1.05, Min = 0.95;
  for (const SuiteRow &R : S.Rows)
    for (const SuiteCell &C : R.Cells) {
      Max = std::max(Max, C.Hi);
      Min = std::min(Min, C.Lo);
    }
  Max = std::ceil(Max * 20) / 20;
  Min = std::floor(Min * 20) / 20;
  // Right margin: the last program's label is drawn rotated past its group.
  const int W = 900, Left = 60, Right = 50, Top = 20, Bottom = 110, PlotH = 260;
  int Groups = static_cast<int>(S.Rows.size());
  double GroupW = Groups ? double(W - Left - Right) / Groups : 1;
  double BarW = std::max(4.0, (GroupW - 8) / std::max<size_t>(1, Strategies.size()));
  auto Y = [&](double V) { return Top + PlotH * (Max - V) / (Max - Min); };
  std::ostringstream O;
  O << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='"
    << Top + PlotH + Bottom << "' font-family='sans-serif' font-size='11'>\n";
  AxisTicks Ticks = niceTicks(Min, Max, 8);
  for (double T : Ticks.Values) {
    O << "<line x1='" << Left << "' x2='" << W - Right << "' y1='" << Y(T) << "' y2='" << Y(T)
      << "' stroke='#ddd'/>\n";
    O << "<text x='" << Left - 6 << "' y='" << Y(T) + 4 << "' text-anchor='end'>"
      << Ticks.label(T) << "</text>\n";
  }
  O << "<line x1='" << Left << "' x2='" << W - Right << "' y1='" << Y(1.0) << "' y2='" << Y(1.0)
    << "' stroke='#000'/>\n";
  O << "<text transform='translate(14," << Top + PlotH / 2
    << ") rotate(-90)' text-anchor='middle'>" << escapeHtml(ratioName(S)) << " over -O3</text>\n";
  for (int G = 0; G < Groups; ++G) {
    const SuiteRow &R = S.Rows[G];
    double X0 = Left + G * GroupW + 4;
    for (size_t I = 0; I < R.Cells.size(); ++I) {
      const SuiteCell &C = R.Cells[I];
      double X = X0 + I * BarW;
      double Y1 = Y(std::max(C.Speedup, Min)), Y0 = Y(1.0);
      O << "<rect x='" << X << "' y='" << std::min(Y0, Y1) << "' width='" << BarW - 1
        << "' height='" << std::max(1.0, std::fabs(Y1 - Y0)) << "' fill='"
        << Colors[I % 6] << "'><title>" << escapeHtml(R.Program + " / " + C.Strategy + ": " +
                                                       cellText(C))
        << "</title></rect>\n";
      if (C.Faster)
        O << "<line x1='" << X + BarW / 2 << "' x2='" << X + BarW / 2 << "' y1='" << Y(C.Lo)
          << "' y2='" << Y(C.Hi) << "' stroke='#000'/>\n";
    }
    O << "<text transform='translate(" << X0 + GroupW / 2 << "," << Top + PlotH + 8
      << ") rotate(45)'>" << escapeHtml(R.Program) << "</text>\n";
  }
  for (size_t I = 0; I < Strategies.size(); ++I)
    O << "<rect x='" << Left + 10 + I * 110 << "' y='" << Top + PlotH + Bottom - 18
      << "' width='12' height='12' fill='" << Colors[I % 6] << "'/><text x='"
      << Left + 26 + I * 110 << "' y='" << Top + PlotH + Bottom - 8 << "'>"
      << escapeHtml(Strategies[I]) << "</text>\n";
  O << "</svg>\n";
  return O.str();
}

/// Geometric mean over programs of the best significant speedup after N
/// evaluations, per strategy.
std::string convergenceSvg(const SuiteOutcome &S) {
  auto Strategies = strategiesOf(S);
  std::vector<std::vector<double>> Curves = geomeanCurves(S);
  size_t MaxN = 1;
  double Max = 1.05;
  for (const auto &C : Curves) {
    MaxN = std::max(MaxN, C.size());
    for (double G : C)
      Max = std::max(Max, G);
  }
  Max = std::ceil(Max * 20) / 20;
  const int W = 600, H = 260, Left = 60, Top = 20, Bottom = 40;
  auto X = [&](size_t N) { return Left + (W - Left - 10) * double(N) / std::max<size_t>(1, MaxN - 1); };
  auto Y = [&](double V) { return Top + (H - Top - Bottom) * (Max - V) / (Max - 1.0); };
  std::ostringstream O;
  O << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
    << "' font-family='sans-serif' font-size='11'>\n";
  AxisTicks Ticks = niceTicks(1.0, Max, 7);
  for (double T : Ticks.Values)
    O << "<line x1='" << Left << "' x2='" << W - 10 << "' y1='" << Y(T) << "' y2='" << Y(T)
      << "' stroke='#ddd'/><text x='" << Left - 6 << "' y='" << Y(T) + 4
      << "' text-anchor='end'>" << Ticks.label(T) << "</text>\n";
  AxisTicks Evals = niceTicks(1, double(MaxN), 6, /*Integer=*/true);
  for (double E : Evals.Values)
    if (E >= 1 && E <= double(MaxN))
      O << "<text x='" << X(size_t(E) - 1) << "' y='" << H - Bottom + 14
        << "' text-anchor='middle'>" << Evals.label(E) << "</text>\n";
  O << "<text x='" << (W + Left) / 2 << "' y='" << H - 8
    << "' text-anchor='middle'>evaluations</text>\n";
  O << "<text transform='translate(14," << (Top + H - Bottom) / 2
    << ") rotate(-90)' text-anchor='middle'>geomean of best speedup</text>\n";
  for (size_t SI = 0; SI < Curves.size(); ++SI) {
    O << "<polyline fill='none' stroke-width='2' stroke='" << Colors[SI % 6] << "' points='";
    for (size_t N = 0; N < Curves[SI].size(); ++N)
      O << X(N) << "," << Y(Curves[SI][N]) << " ";
    O << "'/>\n<text x='" << Left + 10 << "' y='" << Top + 12 + 14 * SI << "' fill='"
      << Colors[SI % 6] << "'>" << escapeHtml(Strategies[SI]) << "</text>\n";
  }
  O << "</svg>\n";
  return O.str();
}

/// The confirmed wins, program by program, strategies in column order.
std::vector<std::pair<const SuiteRow *, const SuiteCell *>> winsOf(const SuiteOutcome &S) {
  std::vector<std::pair<const SuiteRow *, const SuiteCell *>> Out;
  for (const SuiteRow &R : S.Rows)
    for (const SuiteCell &C : R.Cells)
      if (C.Faster)
        Out.emplace_back(&R, &C);
  return Out;
}

const char *NoWins = "nothing: -O3 stayed best everywhere";

/// A win's change lines joined with "; ", each between Open and Close
/// (HTML-escaped when Html).
std::string changesText(const SuiteCell &C, std::string_view Open, std::string_view Close,
                        bool Html = false) {
  if (C.Changes.empty())
    return "(not recorded; see " + (Html ? escapeHtml(C.BestConfig) : C.BestConfig) + ")";
  std::vector<std::string> Parts;
  for (const std::string &L : C.Changes)
    Parts.push_back(std::string(Open) + (Html ? escapeHtml(L) : L) + std::string(Close));
  return join(Parts, "; ");
}

} // namespace

std::string renderSuiteTable(const SuiteOutcome &S) {
  auto Strategies = strategiesOf(S);
  std::ostringstream O;
  char Buf[256];
  std::string Ratio = ratioName(S);
  std::snprintf(Buf, sizeof Buf, "%-12s %12s", "program", baselineHeader(S).c_str());
  O << Buf;
  for (const std::string &St : Strategies) {
    std::snprintf(Buf, sizeof Buf, "  %-26s", (St + " " + Ratio + " [95% CI]").c_str());
    O << Buf;
  }
  bool Pgo = anyPgo(S);
  if (Pgo) {
    std::snprintf(Buf, sizeof Buf, "  %-26s", "PGO (measured) [95% CI]");
    O << Buf;
  }
  O << "  rejected\n";
  for (const SuiteRow &R : S.Rows) {
    std::snprintf(Buf, sizeof Buf, "%-12s %12s", R.Program.c_str(), baselineText(R, true).c_str());
    O << Buf;
    unsigned Rejected = 0;
    for (const SuiteCell &C : R.Cells) {
      std::string Text = cellText(C) + " " + secondsText(C);
      std::snprintf(Buf, sizeof Buf, "  %-26s", Text.c_str());
      O << Buf;
      Rejected += C.Rejected;
    }
    if (Pgo) {
      std::string Text = pgoText(R.Pgo) + (R.Pgo ? " " + secondsText(*R.Pgo) : "");
      std::snprintf(Buf, sizeof Buf, "  %-26s", Text.c_str());
      O << Buf;
      Rejected += R.Pgo ? R.Pgo->Rejected : 0;
    }
    O << "  " << Rejected << "\n";
  }
  std::snprintf(Buf, sizeof Buf, "%-12s %12s", "geomean", "");
  O << Buf;
  for (double G : S.Geomeans) {
    std::snprintf(Buf, sizeof Buf, "  %-26s", formatFixed(G).c_str());
    O << Buf;
  }
  if (Pgo) {
    std::snprintf(Buf, sizeof Buf, "  %-26s",
                  S.PgoGeomean ? formatFixed(*S.PgoGeomean).c_str() : "-");
    O << Buf;
  }
  std::snprintf(Buf, sizeof Buf, "\n%-12s %12s", "time", "");
  O << Buf;
  for (double M : minutesPerColumn(S, Pgo)) {
    std::snprintf(Buf, sizeof Buf, "  %-26s", (formatFixed(M, 1) + " min").c_str());
    O << Buf;
  }
  O << "\n(each cell: confirmed " << Ratio << " [95% CI] and the seconds it took: baseline, evidence, "
       "search, confirmation)";
  O << "\n\nevaluations to 95% of the final search gain:\n" << convergenceText(S, "  ");
  return O.str();
}

std::string renderSuiteMarkdown(const SuiteOutcome &S) {
  auto Strategies = strategiesOf(S);
  std::ostringstream O;
  O << "# AutoPass suite report: " << S.Name << "\n\n";
  O << ratioDefinition(S) << ", confirmed on fresh interleaved "
       "runs, with its 95% bootstrap interval. `1.000 (-O3 best)` means no candidate's win "
       "held up on fresh runs.\n\n";
  bool Pgo = anyPgo(S);
  if (Pgo)
    O << "PGO = clang IR PGO trained on the measured input, measured once against -O3 and "
         "shown as measured (below 1 included): an optimistic comparator.\n\n";
  bool OneUnit = sharedObjective(S).has_value();
  O << "| program | " << baselineHeader(S) << " |";
  for (const std::string &St : Strategies)
    O << " " << St << " |";
  if (Pgo)
    O << " PGO |";
  O << " evaluations | rejected |\n|---|---|";
  for (size_t I = 0; I < Strategies.size() + (Pgo ? 1 : 0); ++I)
    O << "---|";
  O << "---|---|\n";
  for (const SuiteRow &R : S.Rows) {
    O << "| " << R.Program << " | " << baselineText(R, !OneUnit) << " |";
    unsigned Evals = 0, Rejected = 0;
    for (const SuiteCell &C : R.Cells) {
      O << " " << cellText(C) << " |";
      Evals += C.Evaluations;
      Rejected += C.Rejected;
    }
    if (Pgo) {
      O << " " << pgoText(R.Pgo) << " |";
      Rejected += R.Pgo ? R.Pgo->Rejected : 0;
    }
    O << " " << Evals << " | " << Rejected << " |\n";
  }
  O << "| **geomean** | |";
  for (double G : S.Geomeans)
    O << " **" << formatFixed(G) << "** |";
  if (Pgo)
    O << " " << (S.PgoGeomean ? formatFixed(*S.PgoGeomean) : std::string("-")) << " |";
  O << " | |\n| time | |";
  for (double M : minutesPerColumn(S, Pgo))
    O << " " << formatFixed(M, 1) << " min |";
  // Where the wins came from (docs/agents.md) and how many confirmed wins
  // the layout check turned away (docs/measurement.md).
  O << " | |\n| gain from evidence | |";
  for (size_t SI = 0; SI < Strategies.size(); ++SI)
    O << " " << formatFixed(100 * evidenceShareOfGain(S, SI), 0) << "% |";
  O << (Pgo ? " |" : "") << " | |\n| layout-rejected | |";
  for (size_t SI = 0; SI < Strategies.size(); ++SI) {
    unsigned N = 0;
    for (const SuiteRow &R : S.Rows)
      N += SI < R.Cells.size() ? R.Cells[SI].LayoutRejected : 0;
    O << " " << N << " |";
  }
  O << (Pgo ? " |" : "") << " | |\n\n";
  O << "Time per program (seconds: baseline, evidence, search, confirmation):\n\n| program |";
  for (const std::string &St : Strategies)
    O << " " << St << " |";
  if (Pgo)
    O << " PGO |";
  O << "\n|---|";
  for (size_t I = 0; I < Strategies.size() + (Pgo ? 1 : 0); ++I)
    O << "---|";
  O << "\n";
  for (const SuiteRow &R : S.Rows) {
    O << "| " << R.Program << " |";
    for (const SuiteCell &C : R.Cells)
      O << " " << secondsText(C) << " |";
    if (Pgo)
      O << " " << (R.Pgo ? secondsText(*R.Pgo) : std::string()) << " |";
    O << "\n";
  }
  O << "\n";
  O << "What each confirmed win changes relative to -O3:\n\n";
  auto Wins = winsOf(S);
  for (auto [R, C] : Wins)
    O << "- " << R->Program << ", " << C->Strategy << " (" << formatFixed(C->Speedup)
      << "): " << changesText(*C, "`", "`") << "\n";
  if (Wins.empty())
    O << "- " << NoWins << "\n";
  O << "\n";
  O << "Evaluations to reach 95% of the final search gain (log terms; the curve is the best "
       "significant speedup measured during the search):\n\n"
    << convergenceText(S, "- ") << "\n";
  double Tuning = 0;
  for (double Minutes : minutesPerColumn(S, Pgo))
    Tuning += Minutes * 60;
  // Cells read back by --resume took their time in earlier processes: the
  // sum over cells is the work, this process's wall time may be ~0.
  O << "Time: " << formatFixed(Tuning, 0)
    << " s summed over programs and strategies (baseline, evidence, search, confirmation); "
    << formatFixed(S.Seconds, 0) << " s in the process that wrote this report. Per-run details: `"
    << S.RunDir << "/PROGRAM/STRATEGY/results/tune-result.json`.\n";
  return O.str();
}

std::string renderSuiteHtml(const SuiteOutcome &S) {
  std::ostringstream O;
  O << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>AutoPass: "
    << escapeHtml(S.Name)
    << "</title><style>body{font-family:sans-serif;margin:2em;max-width:1000px}"
       "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
       "text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n";
  O << "<h1>AutoPass suite report: " << escapeHtml(S.Name) << "</h1>\n";
  O << "<p>" << escapeHtml(ratioDefinition(S)) << ", confirmed on fresh interleaved runs, with its "
       "95% bootstrap interval. Bars at 1.00 mean -O3 stayed best.</p>\n";
  O << "<h2>Confirmed " << escapeHtml(ratioName(S)) << " per program</h2>\n" << speedupSvg(S);
  O << "<h2>Convergence</h2>\n<p>Geometric mean over programs of the best significant "
       "speedup measured so far in the search, against evaluations.</p>\n"
    << convergenceSvg(S) << "<p>Evaluations to 95% of the final search gain:</p><ul>";
  for (const std::string &Line : split(convergenceText(S, ""), '\n'))
    if (!Line.empty())
      O << "<li>" << escapeHtml(Line) << "</li>";
  O << "</ul>\n";
  bool Pgo = anyPgo(S);
  bool OneUnit = sharedObjective(S).has_value();
  O << "<h2>Table</h2>\n<table><tr><th>program</th><th>" << escapeHtml(baselineHeader(S))
    << "</th>";
  for (const std::string &St : strategiesOf(S))
    O << "<th>" << escapeHtml(St) << "</th>";
  if (Pgo)
    O << "<th>PGO (measured)</th>";
  O << "<th>rejected</th></tr>\n";
  for (const SuiteRow &R : S.Rows) {
    O << "<tr><td>" << escapeHtml(R.Program) << "</td><td>"
      << escapeHtml(baselineText(R, !OneUnit)) << "</td>";
    unsigned Rejected = 0;
    for (const SuiteCell &C : R.Cells) {
      O << "<td>" << escapeHtml(cellText(C)) << "<br><small>" << secondsText(C)
        << "</small></td>";
      Rejected += C.Rejected;
    }
    if (Pgo) {
      O << "<td>" << escapeHtml(pgoText(R.Pgo)) << "</td>";
      Rejected += R.Pgo ? R.Pgo->Rejected : 0;
    }
    O << "<td>" << Rejected << "</td></tr>\n";
  }
  O << "<tr><th>geomean</th><td></td>";
  for (double G : S.Geomeans)
    O << "<th>" << formatFixed(G) << "</th>";
  if (Pgo)
    O << "<th>" << (S.PgoGeomean ? formatFixed(*S.PgoGeomean) : std::string("-")) << "</th>";
  O << "<td></td></tr>\n<tr><th>time</th><td></td>";
  for (double M : minutesPerColumn(S, Pgo))
    O << "<td>" << formatFixed(M, 1) << " min</td>";
  O << "<td></td></tr></table>\n";
  O << "<h2>What each confirmed win changes relative to -O3</h2>\n<ul>\n";
  auto Wins = winsOf(S);
  for (auto [R, C] : Wins)
    O << "<li><b>" << escapeHtml(R->Program) << "</b>, " << escapeHtml(C->Strategy) << " ("
      << formatFixed(C->Speedup) << "): " << changesText(*C, "<code>", "</code>", true)
      << "</li>\n";
  if (Wins.empty())
    O << "<li>" << NoWins << "</li>\n";
  O << "</ul>\n</body></html>\n";
  return O.str();
}

} // namespace autopass
