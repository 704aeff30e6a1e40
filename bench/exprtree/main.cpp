// exprtree benchmark: generates a forest of random expression trees,
// simplifies each, and evaluates original and simplified trees over many
// variable bindings; the two must agree. Prints exact summaries.
// Usage: exprtree [TREES] [BINDINGS]
#include "expr.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_set>
#include <vector>

namespace {

class Random {
public:
  explicit Random(std::uint64_t Seed) : State(Seed) {}
  std::uint64_t next() {
    State ^= State >> 12;
    State ^= State << 25;
    State ^= State >> 27;
    return State * 0x2545F4914F6CDD1DULL;
  }
  int below(int N) {
    return static_cast<int>(next() % static_cast<unsigned>(N));
  }

private:
  std::uint64_t State;
};

// Small constants make the simplifier's identities (0, 1) come up.
expr::ExprPtr leaf(Random &Rng) {
  if (Rng.below(3) == 0) {
    static const std::uint64_t Small[] = {0, 1, 2, 3, 7, 255};
    return std::make_unique<expr::Constant>(
        Rng.below(2) ? Small[Rng.below(6)] : Rng.next());
  }
  return std::make_unique<expr::Variable>(Rng.below(expr::NumVariables));
}

template <typename Op>
expr::ExprPtr makeBinary(expr::ExprPtr L, expr::ExprPtr R) {
  return std::make_unique<expr::Binary<Op>>(std::move(L), std::move(R));
}

expr::ExprPtr generate(Random &Rng, int Depth) {
  if (Depth == 0 || Rng.below(5) == 0)
    return leaf(Rng);
  int Kind = Rng.below(13);
  if (Kind == 12) {
    auto A = generate(Rng, Depth - 1), B = generate(Rng, Depth - 1);
    auto T = generate(Rng, Depth - 1), E = generate(Rng, Depth - 1);
    return std::make_unique<expr::Select>(std::move(A), std::move(B),
                                          std::move(T), std::move(E));
  }
  auto L = generate(Rng, Depth - 1), R = generate(Rng, Depth - 1);
  switch (Kind % 6) {
  case 0:
    return makeBinary<expr::AddOp>(std::move(L), std::move(R));
  case 1:
    return makeBinary<expr::SubOp>(std::move(L), std::move(R));
  case 2:
    return makeBinary<expr::MulOp>(std::move(L), std::move(R));
  case 3:
    return makeBinary<expr::XorOp>(std::move(L), std::move(R));
  case 4:
    return makeBinary<expr::AndOp>(std::move(L), std::move(R));
  default:
    return makeBinary<expr::RotlOp>(std::move(L), std::move(R));
  }
}

// Folds Combine over the values a tree takes on every binding.
template <typename Combine>
std::uint64_t foldEvaluations(const expr::Expr &E,
                              const std::vector<expr::Env> &Bindings,
                              std::uint64_t Init, Combine &&C) {
  std::uint64_t Acc = Init;
  for (const expr::Env &Env : Bindings)
    Acc = C(Acc, E.eval(Env));
  return Acc;
}

std::uint64_t fnv1a(const std::string &S) {
  std::uint64_t H = 14695981039346656037ULL;
  for (unsigned char C : S)
    H = (H ^ C) * 1099511628211ULL;
  return H;
}

} // namespace

int main(int argc, char **argv) {
  int Trees = argc > 1 ? std::atoi(argv[1]) : 300;
  int NumBindings = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (Trees < 1 || NumBindings < 1) {
    std::fprintf(stderr, "exprtree: TREES and BINDINGS must be positive\n");
    return 1;
  }
  Random Rng(0xE7037ED1A0B428DBULL);
  std::vector<expr::ExprPtr> Forest;
  Forest.reserve(static_cast<std::size_t>(Trees));
  for (int I = 0; I < Trees; ++I)
    Forest.push_back(generate(Rng, 9));

  std::vector<expr::Env> Bindings(static_cast<std::size_t>(NumBindings));
  for (expr::Env &Env : Bindings)
    for (std::uint64_t &V : Env)
      V = Rng.below(4) == 0 ? static_cast<std::uint64_t>(Rng.below(4))
                            : Rng.next();

  long long NodesBefore = 0, NodesAfter = 0;
  int Mismatches = 0;
  std::uint64_t Digest = 0;
  std::map<int, int> SizeHistogram; // log2 of the simplified size -> trees
  std::unordered_set<std::string> Distinct;
  for (const expr::ExprPtr &Tree : Forest) {
    expr::ExprPtr Simple = expr::simplify(*Tree);
    NodesBefore += Tree->size();
    NodesAfter += Simple->size();
    int Log = 0;
    for (int S = Simple->size(); S > 1; S /= 2)
      ++Log;
    ++SizeHistogram[Log];
    std::string Text = expr::render(*Simple);
    Distinct.insert(Text);

    auto Mix = [](std::uint64_t Acc, std::uint64_t V) {
      return (Acc ^ V) * 0x100000001B3ULL;
    };
    std::uint64_t Original = foldEvaluations(*Tree, Bindings, 0, Mix);
    std::uint64_t Simplified = foldEvaluations(*Simple, Bindings, 0, Mix);
    if (Original != Simplified)
      ++Mismatches;
    Digest = Digest * 31 + (Original ^ fnv1a(Text));
  }

  std::printf("trees %d bindings %d distinct %zu\n", Trees, NumBindings,
              Distinct.size());
  std::printf("nodes before %lld after %lld\n", NodesBefore, NodesAfter);
  std::printf("size_histogram");
  for (const auto &[Log, Count] : SizeHistogram)
    std::printf(" 2^%d:%d", Log, Count);
  std::printf("\n");
  std::printf("digest %016llx mismatches %d\n",
              static_cast<unsigned long long>(Digest), Mismatches);
  return Mismatches ? 2 : 0;
}
