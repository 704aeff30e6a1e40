// expr.hpp: expression trees over 64-bit wrapping integers.
//
// A class hierarchy with virtual evaluation; binary operators are one class
// template instantiated with an operation policy, so adding an operator is
// one small struct. Trees own their children through std::unique_ptr.
#ifndef BENCH_EXPRTREE_EXPR_HPP
#define BENCH_EXPRTREE_EXPR_HPP

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace expr {

constexpr int NumVariables = 6;
using Env = std::array<std::uint64_t, NumVariables>;

class Expr;
using ExprPtr = std::unique_ptr<Expr>;

class Visitor;

class Expr {
public:
  virtual ~Expr() = default;
  virtual std::uint64_t eval(const Env &E) const = 0;
  virtual ExprPtr clone() const = 0;
  virtual void accept(Visitor &V) const = 0;
  // Number of nodes in the tree.
  virtual int size() const = 0;
};

class Constant final : public Expr {
public:
  explicit Constant(std::uint64_t Value) : Value(Value) {}
  std::uint64_t eval(const Env &) const override { return Value; }
  ExprPtr clone() const override { return std::make_unique<Constant>(Value); }
  void accept(Visitor &V) const override;
  int size() const override { return 1; }
  std::uint64_t value() const { return Value; }

private:
  std::uint64_t Value;
};

class Variable final : public Expr {
public:
  explicit Variable(int Index) : Index(Index) {}
  std::uint64_t eval(const Env &E) const override { return E[Index]; }
  ExprPtr clone() const override { return std::make_unique<Variable>(Index); }
  void accept(Visitor &V) const override;
  int size() const override { return 1; }
  int index() const { return Index; }

private:
  int Index;
};

// Operation policies: a name for printing and the arithmetic itself.
struct AddOp {
  static constexpr const char *Name = "+";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) { return A + B; }
};
struct SubOp {
  static constexpr const char *Name = "-";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) { return A - B; }
};
struct MulOp {
  static constexpr const char *Name = "*";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) { return A * B; }
};
struct XorOp {
  static constexpr const char *Name = "^";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) { return A ^ B; }
};
struct AndOp {
  static constexpr const char *Name = "&";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) { return A & B; }
};
struct RotlOp { // rotate left by B mod 64
  static constexpr const char *Name = "rotl";
  static std::uint64_t apply(std::uint64_t A, std::uint64_t B) {
    unsigned S = static_cast<unsigned>(B & 63);
    return S == 0 ? A : (A << S) | (A >> (64 - S));
  }
};

// The interface the visitor and the simplifier see for any binary node.
class BinaryBase : public Expr {
public:
  BinaryBase(ExprPtr L, ExprPtr R) : Left(std::move(L)), Right(std::move(R)) {}
  const Expr &left() const { return *Left; }
  const Expr &right() const { return *Right; }
  virtual const char *name() const = 0;
  // Applies this node's operation to two values.
  virtual std::uint64_t combine(std::uint64_t A, std::uint64_t B) const = 0;
  // A new node of the same operation over the given children.
  virtual ExprPtr rebuild(ExprPtr L, ExprPtr R) const = 0;
  int size() const override { return 1 + Left->size() + Right->size(); }
  void accept(Visitor &V) const override;

protected:
  ExprPtr Left, Right;
};

template <typename Op> class Binary final : public BinaryBase {
public:
  using BinaryBase::BinaryBase;
  std::uint64_t eval(const Env &E) const override {
    return Op::apply(Left->eval(E), Right->eval(E));
  }
  ExprPtr clone() const override {
    return std::make_unique<Binary>(Left->clone(), Right->clone());
  }
  const char *name() const override { return Op::Name; }
  std::uint64_t combine(std::uint64_t A, std::uint64_t B) const override {
    return Op::apply(A, B);
  }
  ExprPtr rebuild(ExprPtr L, ExprPtr R) const override {
    return std::make_unique<Binary>(std::move(L), std::move(R));
  }
};

// Cond ? Then : Else, where the condition is "left < right" (unsigned).
class Select final : public Expr {
public:
  Select(ExprPtr A, ExprPtr B, ExprPtr Then, ExprPtr Else)
      : A(std::move(A)), B(std::move(B)), Then(std::move(Then)),
        Else(std::move(Else)) {}
  std::uint64_t eval(const Env &E) const override {
    return A->eval(E) < B->eval(E) ? Then->eval(E) : Else->eval(E);
  }
  ExprPtr clone() const override {
    return std::make_unique<Select>(A->clone(), B->clone(), Then->clone(),
                                    Else->clone());
  }
  void accept(Visitor &V) const override;
  int size() const override {
    return 1 + A->size() + B->size() + Then->size() + Else->size();
  }
  const Expr &lhs() const { return *A; }
  const Expr &rhs() const { return *B; }
  const Expr &thenExpr() const { return *Then; }
  const Expr &elseExpr() const { return *Else; }

private:
  ExprPtr A, B, Then, Else;
};

class Visitor {
public:
  virtual ~Visitor() = default;
  virtual void visit(const Constant &C) = 0;
  virtual void visit(const Variable &V) = 0;
  virtual void visit(const BinaryBase &B) = 0;
  virtual void visit(const Select &S) = 0;
};

// Constant folding and algebraic identities (x+0, x*1, x*0, x^x, x-x, ...).
ExprPtr simplify(const Expr &E);

// A fully parenthesised rendering, for the structural fingerprint.
std::string render(const Expr &E);

} // namespace expr

#endif
