//===- report/TuneReport.cpp - The report of one tuning run ---------------===//
#include "report/TuneReport.hpp"

#include "report/AxisTicks.hpp"
#include "search/ConfigChanges.hpp"
#include "spec/ObjectiveWords.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace autopass {

namespace {

std::string fmt(const char *F, double V) {
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, F, V);
  return Buf;
}

double num(const rapidjson::Value &O, const char *K, double Def = 0) {
  return O.IsObject() && O.HasMember(K) && O[K].IsNumber() ? O[K].GetDouble() : Def;
}

std::string str(const rapidjson::Value &O, const char *K) {
  return O.IsObject() && O.HasMember(K) && O[K].IsString() ? O[K].GetString() : "";
}

std::vector<double> nums(const rapidjson::Value &O, const char *K) {
  std::vector<double> Out;
  if (O.IsObject() && O.HasMember(K) && O[K].IsArray())
    for (const auto &V : O[K].GetArray())
      if (V.IsNumber())
        Out.push_back(V.GetDouble());
  return Out;
}

std::vector<std::string> strs(const rapidjson::Value &O, const char *K) {
  std::vector<std::string> Out;
  if (O.IsObject() && O.HasMember(K) && O[K].IsArray())
    for (const auto &V : O[K].GetArray())
      if (V.IsString())
        Out.push_back(V.GetString());
  return Out;
}

void loadGainOrigin(const rapidjson::Value &G, TuneReportData &D) {
  for (const char *Origin : {"evidence", "exploration", "llm", "other"})
    if (num(G, Origin) > 0)
      D.GainShares.emplace_back(Origin, num(G, Origin));
  if (G.HasMember("steps") && G["steps"].IsArray())
    for (const auto &S : G["steps"].GetArray())
      D.GainSteps.push_back(str(S, "origin") + " (" + str(S, "rule") + ") `" + str(S, "idea") +
                            "`: " + fmt("%.3f", num(S, "from", 1)) + " -> " +
                            fmt("%.3f", num(S, "to", 1)));
}

std::string escapeHtml(const std::string &S) {
  std::string Out;
  for (char C : S)
    Out += C == '<' ? "&lt;" : C == '>' ? "&gt;" : C == '&' ? "&amp;" : std::string(1, C);
  return Out;
}

/// "speedup", or "size ratio" under objective size (spec/ObjectiveWords.hpp).
static std::string ratioName(const TuneReportData &D) {
  auto Kind = parseObjectiveKind(D.Objective);
  return std::string(Kind ? objectiveRatioName(*Kind) : "speedup");
}

std::string convergenceSvg(const TuneReportData &D) {
  const int W = 640, H = 260, L = 60, T = 20, B = 40;
  double Max = 1.05, Min = 0.95;
  for (double V : D.StepSpeedups)
    if (V > 0) {
      Max = std::max(Max, V);
      Min = std::min(Min, V);
    }
  Max = std::max(Max, D.Hi);
  Max = std::ceil(Max * 20) / 20;
  Min = std::floor(Min * 20) / 20;
  size_t N = std::max<size_t>(1, D.StepSpeedups.size());
  auto X = [&](size_t I) { return L + (W - L - 10) * (double(I) + 0.5) / double(N); };
  auto Y = [&](double V) { return T + (H - T - B) * (Max - V) / (Max - Min); };
  std::ostringstream O;
  O << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
    << "' font-family='sans-serif' font-size='11'>\n";
  AxisTicks Ticks = niceTicks(Min, Max, 7);
  for (double V : Ticks.Values)
    O << "<line x1='" << L << "' x2='" << W - 10 << "' y1='" << Y(V) << "' y2='" << Y(V)
      << "' stroke='#ddd'/><text x='" << L - 6 << "' y='" << Y(V) + 4 << "' text-anchor='end'>"
      << Ticks.label(V) << "</text>\n";
  O << "<line x1='" << L << "' x2='" << W - 10 << "' y1='" << Y(1.0) << "' y2='" << Y(1.0)
    << "' stroke='#000'/>\n";
  AxisTicks Evals = niceTicks(1, double(N), 6, /*Integer=*/true);
  for (double E : Evals.Values)
    if (E >= 1 && E <= double(N))
      O << "<text x='" << X(size_t(E) - 1) << "' y='" << H - B + 14
        << "' text-anchor='middle'>" << Evals.label(E) << "</text>\n";
  for (size_t I = 0; I < D.StepSpeedups.size(); ++I) {
    double V = D.StepSpeedups[I];
    if (V > 0)
      O << "<circle cx='" << X(I) << "' cy='" << Y(V) << "' r='3' fill='#888'><title>"
        << escapeHtml(D.StepLabels[I]) << "</title></circle>\n";
    else
      O << "<text x='" << X(I) << "' y='" << Y(Min) - 4
        << "' fill='#d62728' text-anchor='middle'>x<title>" << escapeHtml(D.StepLabels[I])
        << "</title></text>\n";
  }
  O << "<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='";
  for (size_t I = 0; I < D.BestSoFar.size(); ++I)
    O << X(I) << "," << Y(D.BestSoFar[I]) << " ";
  O << "'/>\n";
  if (D.Faster)
    O << "<line x1='" << L << "' x2='" << W - 10 << "' y1='" << Y(D.Speedup) << "' y2='"
      << Y(D.Speedup) << "' stroke='#2ca02c' stroke-dasharray='4 3'/><text x='" << W - 12
      << "' y='" << Y(D.Speedup) - 4 << "' text-anchor='end' fill='#2ca02c'>confirmed "
      << fmt("%.3f", D.Speedup) << "</text>\n";
  O << "<text transform='translate(14," << (T + H - B) / 2
    << ") rotate(-90)' text-anchor='middle'>" << ratioName(D) << " over -O3</text>\n";
  O << "<text x='" << (W + L) / 2 << "' y='" << H - 8
    << "' text-anchor='middle'>evaluation (dots: measured ratio; x: rejected; line: best "
       "significant so far)</text>\n</svg>\n";
  return O.str();
}

/// What the distribution plot's axis measures, with its unit.
std::string objectiveAxisName(const std::string &Objective) {
  if (Objective == "wall")
    return "wall time (s)";
  if (Objective == "cpu")
    return "CPU time (s)";
  if (Objective == "size")
    return "size (bytes)";
  return Objective.empty() ? std::string("objective") : Objective;
}

std::string distributionSvg(const TuneReportData &D) {
  if (D.BaselineSamples.empty() || D.BestSamples.empty())
    return "<p>No confirmation runs (no candidate was significantly faster).</p>\n";
  const int W = 640, H = 160, L = 90, R = 20;
  double Lo = 1e300, Hi = 0;
  for (double V : D.BaselineSamples)
    Lo = std::min(Lo, V), Hi = std::max(Hi, V);
  for (double V : D.BestSamples)
    Lo = std::min(Lo, V), Hi = std::max(Hi, V);
  double Pad = (Hi - Lo) * 0.05 + 1e-12;
  Lo -= Pad;
  Hi += Pad;
  auto X = [&](double V) { return L + (W - L - R) * (V - Lo) / (Hi - Lo); };
  std::ostringstream O;
  O << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
    << "' font-family='sans-serif' font-size='11'>\n";
  auto Row = [&](const std::vector<double> &S, double Y, const char *Name, const char *Color) {
    O << "<text x='" << L - 8 << "' y='" << Y + 4 << "' text-anchor='end'>" << Name
      << "</text>\n";
    for (double V : S)
      O << "<circle cx='" << X(V) << "' cy='" << Y << "' r='3' fill='" << Color
        << "' fill-opacity='0.6'/>\n";
    std::vector<double> Sorted = S;
    std::sort(Sorted.begin(), Sorted.end());
    double Med = Sorted[Sorted.size() / 2];
    O << "<line x1='" << X(Med) << "' x2='" << X(Med) << "' y1='" << Y - 12 << "' y2='" << Y + 12
      << "' stroke='#000' stroke-width='2'/>\n";
  };
  AxisTicks Ticks = niceTicks(Lo, Hi, 6);
  for (double V : Ticks.Values) {
    O << "<line x1='" << X(V) << "' x2='" << X(V) << "' y1='" << 20 << "' y2='" << H - 40
      << "' stroke='#eee'/>\n";
    O << "<text x='" << X(V) << "' y='" << H - 26 << "' text-anchor='middle'>" << Ticks.label(V)
      << "</text>\n";
  }
  Row(D.BaselineSamples, 40, "-O3", "#d62728");
  Row(D.BestSamples, 90, "tuned", "#2ca02c");
  O << "<text x='" << (W + L) / 2 << "' y='" << H - 8 << "' text-anchor='middle'>"
    << escapeHtml(objectiveAxisName(D.Objective))
    << " per run, confirmation pairs (bar: median)</text>\n";
  O << "</svg>\n";
  return O.str();
}

/// The change lines, each between Before and After; Empty when there is
/// none.
std::string changeList(const std::vector<std::string> &Lines, std::string_view Before,
                       std::string_view After, std::string_view Empty) {
  std::string Out;
  for (const std::string &L : Lines)
    Out += std::string(Before) + L + std::string(After);
  return Lines.empty() ? std::string(Empty) : Out;
}

const char *NoChangeLines = "(no change from -O3 could be listed; see the configuration)";
const char *ComputedNote = "(not recorded by the run: computed from the configuration against "
                           "the installed opt's -O3 pipeline)";

} // namespace

Result<TuneReportData> TuneReportData::load(const std::string &RunDir,
                                            const O3PipelineSource &O3Pipeline) {
  std::string Path = joinPath(RunDir, "results/tune-result.json");
  auto Doc = parseJsonFile(Path);
  if (!Doc)
    return Doc.error();
  const rapidjson::Document &J = **Doc;
  if (str(J, "schema") != "autopass-tune-result/1")
    return makeError(Path + ": schema: expected \"autopass-tune-result/1\"");
  TuneReportData D;
  D.RunDir = RunDir;
  D.Program = str(J, "program");
  D.Strategy = str(J, "strategy");
  D.Objective = str(J, "objective");
  D.Budget = static_cast<unsigned>(num(J, "budget"));
  D.Evaluations = static_cast<unsigned>(num(J, "evaluations"));
  D.Rejected = static_cast<unsigned>(num(J, "rejected"));
  D.Seconds = num(J, "seconds");
  D.Decisions = strs(J, "decisions");
  D.Notes = strs(J, "notes");
  if (J.HasMember("steps") && J["steps"].IsArray())
    for (const auto &S : J["steps"].GetArray()) {
      D.BestSoFar.push_back(num(S, "best_so_far", 1));
      bool Ok = str(S, "status") == "ok";
      D.StepSpeedups.push_back(Ok ? num(S, "speedup") : 0.0);
      D.StepLabels.push_back(str(S, "config") + " " + str(S, "origin") + ": " +
                             (Ok ? fmt("%.3f", num(S, "speedup")) : str(S, "status")));
    }
  if (J.HasMember("best") && J["best"].IsObject()) {
    const auto &B = J["best"];
    D.Faster = true;
    D.Speedup = num(B, "speedup", 1);
    D.Lo = num(B, "ci_lo", 1);
    D.Hi = num(B, "ci_hi", 1);
    D.BestHash = str(B, "config");
    D.Deploy = str(B, "deploy");
    D.Changes = changesOfTuneBest(B, O3Pipeline, &D.ChangesComputed);
    if (B.HasMember("config_json")) {
      D.BestConfigJson = prettyJson(compactJson(B["config_json"]));
    }
    if (B.HasMember("gain_origin") && B["gain_origin"].IsObject())
      loadGainOrigin(B["gain_origin"], D);
    if (B.HasMember("confirmation")) {
      D.BaselineSamples = nums(B["confirmation"], "baseline_samples");
      D.BestSamples = nums(B["confirmation"], "candidate_samples");
    }
  }
  return D;
}

static std::string gainOriginMarkdown(const TuneReportData &D) {
  if (D.GainShares.empty())
    return "";
  std::ostringstream O;
  O << "Where the gain came from (shares of the adopted steps' measured gains):";
  for (const auto &[Origin, Share] : D.GainShares)
    O << " " << Origin << " " << fmt("%.0f", 100 * Share) << "%;";
  O << "\n\n";
  for (const std::string &S : D.GainSteps)
    O << "- " << S << "\n";
  O << "\n";
  return O.str();
}

std::string renderTuneMarkdown(const TuneReportData &D) {
  std::ostringstream O;
  O << "# AutoPass tuning report: " << D.Program << "\n\n";
  O << "Strategy `" << D.Strategy << "`, objective `" << D.Objective << "`, " << D.Evaluations
    << " of " << D.Budget << " evaluations (" << D.Rejected << " rejected), "
    << fmt("%.0f", D.Seconds) << " s.\n\n";
  if (D.Faster)
    O << "**Confirmed " << ratioName(D) << " over -O3: " << fmt("%.3f", D.Speedup) << " [" << fmt("%.3f", D.Lo)
      << ", " << fmt("%.3f", D.Hi) << "]** (95% bootstrap interval, fresh interleaved runs).\n\n"
      << "What it changes relative to -O3:\n\n"
      << changeList(D.Changes, "- `", "`\n", std::string("- ") + NoChangeLines + "\n")
      << (D.ChangesComputed ? std::string("\n") + ComputedNote + "\n" : std::string())
      << "\n" << gainOriginMarkdown(D)
      << "\nBest configuration `" << D.BestHash << "`:\n\n```json\n"
      << D.BestConfigJson << "\n```\n\nDeploy:\n\n```sh\n" << D.Deploy << "\n```\n\n";
  else
    O << "**-O3 is best here**: no candidate's win held up on fresh runs.\n\n";
  O << "## Evaluations\n\n| # | candidate | ratio | best so far |\n|---|---|---|---|\n";
  for (size_t I = 0; I < D.StepLabels.size(); ++I)
    O << "| " << I + 1 << " | " << D.StepLabels[I] << " | "
      << (D.StepSpeedups[I] > 0 ? fmt("%.3f", D.StepSpeedups[I]) : std::string("rejected"))
      << " | " << fmt("%.3f", D.BestSoFar[I]) << " |\n";
  if (!D.Decisions.empty()) {
    O << "\n## Agent decisions\n\n";
    for (const std::string &S : D.Decisions)
      O << "- " << S << "\n";
  }
  if (!D.Notes.empty()) {
    O << "\n## Notes\n\n";
    for (const std::string &S : D.Notes)
      O << "- " << S << "\n";
  }
  return O.str();
}

std::string renderTuneHtml(const TuneReportData &D) {
  std::ostringstream O;
  O << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>AutoPass: "
    << escapeHtml(D.Program)
    << "</title><style>body{font-family:sans-serif;margin:2em;max-width:900px}"
       "pre{background:#f6f6f6;padding:8px;overflow-x:auto}</style></head><body>\n";
  O << "<h1>AutoPass tuning report: " << escapeHtml(D.Program) << "</h1>\n<p>Strategy <b>"
    << escapeHtml(D.Strategy) << "</b>, objective " << escapeHtml(D.Objective) << ", "
    << D.Evaluations << " of " << D.Budget << " evaluations (" << D.Rejected << " rejected), "
    << fmt("%.0f", D.Seconds) << " s.</p>\n";
  if (D.Faster)
    O << "<p><b>Confirmed " << ratioName(D) << " over -O3: " << fmt("%.3f", D.Speedup) << " ["
      << fmt("%.3f", D.Lo) << ", " << fmt("%.3f", D.Hi)
      << "]</b> (95% bootstrap interval, fresh interleaved runs).</p>\n";
  else
    O << "<p><b>-O3 is best here</b>: no candidate's win held up on fresh runs.</p>\n";
  O << "<h2>Best " << ratioName(D) << " against evaluations</h2>\n" << convergenceSvg(D);
  O << "<h2>What the winning configuration changed</h2>\n";
  if (D.Faster) {
    std::vector<std::string> Escaped;
    for (const std::string &L : D.Changes)
      Escaped.push_back(escapeHtml(L));
    O << "<ul>\n"
      << changeList(Escaped, "<li>", "</li>\n", std::string("<li>") + NoChangeLines + "</li>\n")
      << "</ul>\n";
    if (D.ChangesComputed)
      O << "<p>" << ComputedNote << "</p>\n";
    O << "<details><summary>Configuration " << escapeHtml(D.BestHash)
      << " (autopass-config/1)</summary><pre>" << escapeHtml(D.BestConfigJson)
      << "</pre></details>\n<p>Deploy:</p><pre>" << escapeHtml(D.Deploy) << "</pre>\n";
  }
  else
    O << "<p>Nothing: -O3 stays.</p>\n";
  O << "<h2>Measured distribution, confirmation runs</h2>\n" << distributionSvg(D);
  if (!D.Decisions.empty()) {
    O << "<h2>Agent decisions</h2><ul>\n";
    for (const std::string &S : D.Decisions)
      O << "<li>" << escapeHtml(S) << "</li>\n";
    O << "</ul>\n";
  }
  if (!D.Notes.empty()) {
    O << "<h2>Notes</h2><ul>\n";
    for (const std::string &S : D.Notes)
      O << "<li>" << escapeHtml(S) << "</li>\n";
    O << "</ul>\n";
  }
  O << "</body></html>\n";
  return O.str();
}

} // namespace autopass
