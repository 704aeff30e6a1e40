// expr.cpp: visitor dispatch, the simplifier and the printer.
#include "expr.hpp"

#include <cstring>

namespace expr {

void Constant::accept(Visitor &V) const { V.visit(*this); }
void Variable::accept(Visitor &V) const { V.visit(*this); }
void BinaryBase::accept(Visitor &V) const { V.visit(*this); }
void Select::accept(Visitor &V) const { V.visit(*this); }

namespace {

const Constant *asConstant(const Expr &E) {
  return dynamic_cast<const Constant *>(&E);
}

bool isConstant(const Expr &E, std::uint64_t Value) {
  const Constant *C = asConstant(E);
  return C && C->value() == Value;
}

bool sameVariable(const Expr &A, const Expr &B) {
  auto *VA = dynamic_cast<const Variable *>(&A);
  auto *VB = dynamic_cast<const Variable *>(&B);
  return VA && VB && VA->index() == VB->index();
}

// Bottom-up rewriting; the result of each visit is left in Result.
class Simplifier final : public Visitor {
public:
  ExprPtr Result;

  void visit(const Constant &C) override { Result = C.clone(); }
  void visit(const Variable &V) override { Result = V.clone(); }

  void visit(const BinaryBase &B) override {
    ExprPtr L = run(B.left()), R = run(B.right());
    const Constant *CL = asConstant(*L), *CR = asConstant(*R);
    if (CL && CR) {
      Result = std::make_unique<Constant>(B.combine(CL->value(), CR->value()));
      return;
    }
    const char *Op = B.name();
    auto is = [Op](const char *Name) { return std::strcmp(Op, Name) == 0; };
    if ((is("+") || is("^") || is("-") || is("rotl")) && isConstant(*R, 0)) {
      Result = std::move(L);
      return;
    }
    if ((is("+") || is("^")) && isConstant(*L, 0)) {
      Result = std::move(R);
      return;
    }
    if (is("*") && (isConstant(*L, 0) || isConstant(*R, 0))) {
      Result = std::make_unique<Constant>(0);
      return;
    }
    if (is("*") && isConstant(*R, 1)) {
      Result = std::move(L);
      return;
    }
    if (is("*") && isConstant(*L, 1)) {
      Result = std::move(R);
      return;
    }
    if ((is("^") || is("-")) && sameVariable(*L, *R)) {
      Result = std::make_unique<Constant>(0);
      return;
    }
    if (is("&") && sameVariable(*L, *R)) {
      Result = std::move(L);
      return;
    }
    Result = B.rebuild(std::move(L), std::move(R));
  }

  void visit(const Select &S) override {
    ExprPtr A = run(S.lhs()), B = run(S.rhs());
    const Constant *CA = asConstant(*A), *CB = asConstant(*B);
    if (CA && CB) {
      Result = CA->value() < CB->value() ? run(S.thenExpr())
                                         : run(S.elseExpr());
      return;
    }
    // x < x is false for every x.
    if (sameVariable(*A, *B)) {
      Result = run(S.elseExpr());
      return;
    }
    Result = std::make_unique<Select>(std::move(A), std::move(B),
                                      run(S.thenExpr()), run(S.elseExpr()));
  }

private:
  ExprPtr run(const Expr &E) {
    Simplifier Inner;
    E.accept(Inner);
    return std::move(Inner.Result);
  }
};

class Printer final : public Visitor {
public:
  std::string Out;
  void visit(const Constant &C) override { Out += std::to_string(C.value()); }
  void visit(const Variable &V) override {
    Out += static_cast<char>('a' + V.index());
  }
  void visit(const BinaryBase &B) override {
    Out += '(';
    B.left().accept(*this);
    Out += ' ';
    Out += B.name();
    Out += ' ';
    B.right().accept(*this);
    Out += ')';
  }
  void visit(const Select &S) override {
    Out += "(";
    S.lhs().accept(*this);
    Out += " < ";
    S.rhs().accept(*this);
    Out += " ? ";
    S.thenExpr().accept(*this);
    Out += " : ";
    S.elseExpr().accept(*this);
    Out += ')';
  }
};

} // namespace

ExprPtr simplify(const Expr &E) {
  Simplifier S;
  E.accept(S);
  return std::move(S.Result);
}

std::string render(const Expr &E) {
  Printer P;
  E.accept(P);
  return P.Out;
}

} // namespace expr
