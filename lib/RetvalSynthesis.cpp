#include "RetvalSynthesis.h"
#include "Skip.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/ConstantFold.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

#define DEBUG_TYPE "heal-retval"

using namespace llvm;

namespace heal {

AnalysisKey HealRetvalAnalysis::Key;

namespace {

// One call site's test of the result: failure is `Result Pred C` == FailWhenTrue.
struct Test {
  CmpInst::Predicate Pred;
  Constant *C;
  bool FailWhenTrue;
  std::string Desc; // "`< 0`", "`== NULL`", "used as a boolean", ...
};

std::string constText(const Constant *C) {
  if (isa<ConstantPointerNull>(C))
    return "NULL";
  if (const auto *CI = dyn_cast<ConstantInt>(C))
    return CI->getBitWidth() == 1 ? (CI->isZero() ? "false" : "true")
                                  : toString(CI->getValue(), 10, /*Signed=*/true);
  if (const auto *CF = dyn_cast<ConstantFP>(C)) {
    if (CF->isNaN())
      return "NaN";
    SmallString<16> S;
    CF->getValueAPF().toString(S);
    return std::string(S);
  }
  std::string S;
  raw_string_ostream OS(S);
  C->printAsOperand(OS, /*PrintType=*/false);
  return S;
}

std::string valueText(const Constant *C) {
  std::string S;
  raw_string_ostream OS(S);
  C->printAsOperand(OS, /*PrintType=*/true);
  return S;
}

StringRef predText(CmpInst::Predicate P) {
  switch (P) {
  case CmpInst::ICMP_EQ:
  case CmpInst::FCMP_OEQ:
  case CmpInst::FCMP_UEQ:
    return "==";
  case CmpInst::ICMP_NE:
  case CmpInst::FCMP_ONE:
  case CmpInst::FCMP_UNE:
    return "!=";
  case CmpInst::ICMP_SLT:
  case CmpInst::ICMP_ULT:
  case CmpInst::FCMP_OLT:
  case CmpInst::FCMP_ULT:
    return "<";
  case CmpInst::ICMP_SLE:
  case CmpInst::ICMP_ULE:
  case CmpInst::FCMP_OLE:
  case CmpInst::FCMP_ULE:
    return "<=";
  case CmpInst::ICMP_SGT:
  case CmpInst::ICMP_UGT:
  case CmpInst::FCMP_OGT:
  case CmpInst::FCMP_UGT:
    return ">";
  case CmpInst::ICMP_SGE:
  case CmpInst::ICMP_UGE:
  case CmpInst::FCMP_OGE:
  case CmpInst::FCMP_UGE:
    return ">=";
  default:
    return "?";
  }
}

bool isTrue(const Value *V) {
  const auto *CI = dyn_cast<ConstantInt>(V);
  return CI && CI->isOne() && CI->getBitWidth() == 1;
}

bool errorishName(StringRef N) {
  std::string L = N.lower();
  StringRef S(L);
  return S.contains("err") || S.contains("fail") || S.contains("die") ||
         S.contains("panic") || S.contains("abort") || S.contains("fatal") ||
         S.contains("log") || S == "warn" || S == "warnx";
}

// Does this block look like an error path? Follows single-successor chains a few blocks:
// a noreturn call (exit, abort), a call to perror/err/log-like functions or writing to
// stderr, a block labelled like an error, or a return of a negative/NULL constant.
bool looksLikeError(const BasicBlock *BB) {
  for (int Depth = 0; BB && Depth < 4; ++Depth) {
    if (BB->hasName() && errorishName(BB->getName()) && !BB->getName().starts_with("if.end"))
      return true;
    for (const Instruction &I : *BB) {
      if (const auto *CB = dyn_cast<CallBase>(&I)) {
        if (CB->doesNotReturn())
          return true;
        if (const Function *Callee = CB->getCalledFunction())
          if (!Callee->isIntrinsic() && errorishName(Callee->getName()))
            return true;
        for (const Value *A : CB->args())
          if (const auto *L = dyn_cast<LoadInst>(A))
            if (const auto *G = dyn_cast<GlobalVariable>(L->getPointerOperand()))
              if (G->getName() == "stderr")
                return true;
      }
      const Value *RV = nullptr;
      if (const auto *R = dyn_cast<ReturnInst>(&I))
        RV = R->getReturnValue();
      else if (const auto *S = dyn_cast<StoreInst>(&I);
               S && S->getPointerOperand()->getName().starts_with("retval"))
        RV = S->getValueOperand();
      if (const auto *CI = dyn_cast_or_null<ConstantInt>(RV);
          CI && CI->getBitWidth() > 1 && CI->isNegative())
        return true;
      if (RV && isa<ConstantPointerNull>(RV))
        return true;
    }
    BB = BB->getSingleSuccessor();
  }
  return false;
}

// Which outcome of a condition leads to an error path: true, false, or unknown. Follows
// `!x` (xor with true) to the branch.
std::optional<bool> errorOutcome(const Value *Cond) {
  bool Flip = false;
  for (int Depth = 0; Depth < 4; ++Depth) {
    const Value *Next = nullptr;
    for (const User *U : Cond->users()) {
      if (const auto *BI = dyn_cast<BranchInst>(U); BI && BI->isConditional()) {
        bool T = looksLikeError(BI->getSuccessor(0)), F = looksLikeError(BI->getSuccessor(1));
        if (T == F)
          return std::nullopt;
        return T != Flip;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(U);
          BO && BO->getOpcode() == Instruction::Xor && isTrue(BO->getOperand(1)))
        Next = BO;
      else if (isa<ZExtInst>(U) || isa<TruncInst>(U))
        Next = U;
    }
    if (!Next)
      return std::nullopt;
    if (const auto *BO = dyn_cast<BinaryOperator>(Next); BO && BO->getOpcode() == Instruction::Xor)
      Flip = !Flip;
    Cond = Next;
  }
  return std::nullopt;
}

} // namespace


namespace {

// A value derived from a call's result: the casts applied to it on the way.
struct Derived {
  const Value *V;
  SmallVector<std::pair<unsigned, Type *>, 2> Casts;
};

struct Facts {
  std::map<int64_t, std::string> Enumerators; // value -> first enumerator name (debug info)
};

CmpInst::Predicate swapped(CmpInst::Predicate P) { return CmpInst::getSwappedPredicate(P); }

// The failure test a compare expresses, with the derived result on the left.
std::optional<Test> classify(const CmpInst *Cmp, const Derived &D, bool BoolResult,
                             const Facts &Facts) {
  CmpInst::Predicate P = Cmp->getPredicate();
  const Value *Other = Cmp->getOperand(1);
  if (Cmp->getOperand(1) == D.V) {
    Other = Cmp->getOperand(0);
    P = swapped(P);
  }
  Constant *C = nullptr;
  std::string Name;
  if (auto *K = dyn_cast<Constant>(Other)) {
    C = const_cast<Constant *>(K);
    // Zero is "success" in too many enums to name it after one.
    if (auto *CI = dyn_cast<ConstantInt>(C); CI && CI->getBitWidth() > 1 && !CI->isZero())
      if (auto It = Facts.Enumerators.find(CI->getSExtValue()); It != Facts.Enumerators.end())
        Name = It->second;
  } else if (const auto *L = dyn_cast<LoadInst>(Other)) {
    // `r == ERR_X` with `static const int ERR_X = -5;`, as the front end leaves it.
    const auto *G = dyn_cast<GlobalVariable>(L->getPointerOperand());
    if (G && G->isConstant() && G->hasDefinitiveInitializer() &&
        G->getInitializer()->getType() == L->getType()) {
      C = const_cast<Constant *>(G->getInitializer());
      Name = G->getName().str();
    }
  }
  bool IsNan = false;
  if (Cmp->getOperand(0) == Cmp->getOperand(1) &&
      (P == CmpInst::FCMP_UNO || P == CmpInst::FCMP_ORD)) {
    // isnan(r) is `fcmp uno r, r`; against 0.0 it means the same and folds per candidate.
    C = ConstantFP::get(Other->getType(), 0.0);
    IsNan = true;
  }
  if (!C)
    return std::nullopt;
  // `<= -1` is `< 0`, `> -1` is `>= 0`: one spelling per sign test.
  if (auto *CI = dyn_cast<ConstantInt>(C); CI && CI->isMinusOne()) {
    if (P == CmpInst::ICMP_SLE || P == CmpInst::ICMP_SGT) {
      P = P == CmpInst::ICMP_SLE ? CmpInst::ICMP_SLT : CmpInst::ICMP_SGE;
      C = ConstantInt::get(CI->getType(), 0);
    }
  }
  bool Eq = P == CmpInst::ICMP_EQ || P == CmpInst::FCMP_OEQ || P == CmpInst::FCMP_UEQ;
  bool Ne = P == CmpInst::ICMP_NE || P == CmpInst::FCMP_ONE || P == CmpInst::FCMP_UNE;
  bool EqNe = Eq || Ne;
  // Default reading of which outcome is the failure.
  bool FailWhenTrue;
  if (EqNe && C->isNullValue() && C->getType()->isIntegerTy() && !BoolResult)
    FailWhenTrue = Ne; // C convention: 0 is success, nonzero an error
  else if (EqNe)
    FailWhenTrue = Eq; // `== -1`, `== NULL`, `== E_X`; a bool's `== false`
  else if (P == CmpInst::FCMP_UNO || P == CmpInst::FCMP_ORD)
    FailWhenTrue = P == CmpInst::FCMP_UNO; // isnan() is the failure
  else
    // `< 0`, `<= 0` test for failure; `>= 0`, `> 0` test for success.
    FailWhenTrue = !(CmpInst::isIntPredicate(P) ? ICmpInst::isGT(P) || ICmpInst::isGE(P)
                                                : P == CmpInst::FCMP_OGT ||
                                                      P == CmpInst::FCMP_UGT ||
                                                      P == CmpInst::FCMP_OGE ||
                                                      P == CmpInst::FCMP_UGE);
  // For equality tests the caller's own code says which side is the error path.
  if (EqNe)
    if (std::optional<bool> Out = errorOutcome(Cmp))
      FailWhenTrue = *Out;
  if (!FailWhenTrue)
    P = CmpInst::getInversePredicate(P);
  Test T{P, C, true, ""};
  bool Tobool = Cmp->getName().starts_with("tobool");
  std::string Rhs = Name.empty() ? constText(C) : Name;
  T.Desc = "`" + predText(P).str() + " " + Rhs + "`";
  if (!Name.empty())
    T.Desc += " (" + constText(C) + ")";
  if (IsNan)
    T.Desc = P == CmpInst::FCMP_UNO ? "`isnan()`" : "`!isnan()`";
  else if (BoolResult)
    T.Desc = P == CmpInst::ICMP_EQ ? "the result as a boolean (false is failure)"
                                   : "the result as a boolean (true is failure)";
  else if (Tobool)
    T.Desc = "the result as a boolean (" + T.Desc + ")";
  return T;
}

// The test one call site applies to the result, following casts and local variables.
std::optional<Test> testAt(const CallBase *CB, bool BoolResult, const Facts &Facts,
                           std::vector<Derived> &Chain) {
  SmallVector<Derived, 8> Work{{CB, {}}};
  SmallPtrSet<const Value *, 8> Seen{CB};
  while (!Work.empty()) {
    Derived D = Work.pop_back_val();
    for (const User *U : D.V->users()) {
      if (const auto *Cast = dyn_cast<CastInst>(U)) {
        Derived N{Cast, D.Casts};
        N.Casts.push_back({Cast->getOpcode(), Cast->getType()});
        if (Seen.insert(Cast).second)
          Work.push_back(N);
      } else if (const auto *S = dyn_cast<StoreInst>(U); S && S->getValueOperand() == D.V) {
        if (const auto *A = dyn_cast<AllocaInst>(S->getPointerOperand()))
          for (const User *AU : A->users())
            if (const auto *L = dyn_cast<LoadInst>(AU);
                L && L->getType() == D.V->getType() && Seen.insert(L).second)
              Work.push_back({L, D.Casts});
      } else if (const auto *Cmp = dyn_cast<CmpInst>(U)) {
        if (std::optional<Test> T = classify(Cmp, D, BoolResult, Facts)) {
          Chain.push_back(D);
          return T;
        }
      } else if (const auto *SI = dyn_cast<SwitchInst>(U); SI && SI->getCondition() == D.V) {
        // `switch (f()) { case -1: perror(...); ... }`: the first case on an error path.
        for (const auto &Case : SI->cases())
          if (looksLikeError(Case.getCaseSuccessor())) {
            Chain.push_back(D);
            auto *C = const_cast<ConstantInt *>(Case.getCaseValue());
            return Test{CmpInst::ICMP_EQ, C, true,
                        "`case " + constText(C) + ":` on an error path"};
          }
      } else if (D.V->getType()->isIntegerTy(1) &&
                 ((isa<BranchInst>(U) && cast<BranchInst>(U)->isConditional()) ||
                  (isa<BinaryOperator>(U) &&
                   cast<BinaryOperator>(U)->getOpcode() == Instruction::Xor &&
                   isTrue(U->getOperand(1))))) {
        // `if (f())` / `if (!f())` on a bool: a branch on the result itself.
        std::optional<bool> Out = errorOutcome(D.V);
        bool TrueFails = Out.value_or(false);
        Chain.push_back(D);
        return Test{TrueFails ? CmpInst::ICMP_NE : CmpInst::ICMP_EQ,
                    ConstantInt::getFalse(D.V->getContext()), true,
                    TrueFails ? "the result as a boolean (true is failure)"
                              : "the result as a boolean (false is failure)"};
      }
    }
  }
  return std::nullopt;
}

bool fails(const Test &T, const Derived &D, Constant *Cand) {
  Constant *X = Cand;
  for (const auto &[Op, Ty] : D.Casts) {
    X = ConstantFoldCastInstruction(Op, X, Ty);
    if (!X)
      return false;
  }
  if (X->getType() != T.C->getType())
    return false;
  Constant *R = ConstantFoldCompareInstruction(T.Pred, X, T.C);
  auto *CI = dyn_cast_or_null<ConstantInt>(R);
  return CI && CI->isOne() == T.FailWhenTrue;
}

const DIType *returnDIType(const Function &F) {
  const DISubprogram *SP = F.getSubprogram();
  if (!SP || !SP->getType())
    return nullptr;
  DITypeRefArray Types = SP->getType()->getTypeArray();
  if (Types.size() == 0)
    return nullptr;
  const DIType *T = Types[0];
  while (const auto *DT = dyn_cast_or_null<DIDerivedType>(T)) {
    unsigned Tag = DT->getTag();
    if (Tag != dwarf::DW_TAG_typedef && Tag != dwarf::DW_TAG_const_type &&
        Tag != dwarf::DW_TAG_volatile_type && Tag != dwarf::DW_TAG_atomic_type)
      break;
    T = DT->getBaseType();
  }
  return T;
}

// (c): the value a type fails as, and how to say so.
Constant *fallback(const Function &F, std::string &Why) {
  Type *T = F.getReturnType();
  const DIType *DT = returnDIType(F);
  const auto *Comp = dyn_cast_or_null<DICompositeType>(DT);
  bool DIAggregate = Comp && (Comp->getTag() == dwarf::DW_TAG_structure_type ||
                              Comp->getTag() == dwarf::DW_TAG_union_type);
  if (T->isStructTy() || T->isArrayTy() || T->isVectorTy() || (DIAggregate && !T->isVoidTy())) {
    Why = "a struct is returned zeroed";
    return Constant::getNullValue(T);
  }
  if (T->isPointerTy()) {
    Why = "a pointer fails as NULL";
    return Constant::getNullValue(T);
  }
  if (T->isFloatingPointTy()) {
    Why = "a floating-point result fails as 0.0 (strtod's convention)";
    return Constant::getNullValue(T);
  }
  if (T->isIntegerTy(1)) {
    Why = "a bool fails as false";
    return ConstantInt::getFalse(T);
  }
  if (T->isIntegerTy()) {
    std::optional<bool> Signed;
    if (const auto *B = dyn_cast_or_null<DIBasicType>(DT)) {
      unsigned E = B->getEncoding();
      if (E == dwarf::DW_ATE_boolean) {
        Why = "a bool fails as false";
        return Constant::getNullValue(T);
      }
      Signed = !(E == dwarf::DW_ATE_unsigned || E == dwarf::DW_ATE_unsigned_char);
    } else if (Comp && Comp->getTag() == dwarf::DW_TAG_enumeration_type) {
      Signed = true; // a C enum is an int
    } else if (F.hasRetAttribute(Attribute::ZExt)) {
      Signed = false;
    } else if (F.hasRetAttribute(Attribute::SExt)) {
      Signed = true;
    }
    if (Signed.value_or(true)) {
      Why = Signed ? "a signed integer fails as -1"
                   : "an integer of unknown signedness (no debug info) fails as -1, like int";
      return ConstantInt::get(T, -1, /*IsSigned=*/true);
    }
    Why = "an unsigned integer fails as 0";
    return ConstantInt::get(T, 0);
  }
  if (T->isVoidTy()) {
    for (const Argument &A : F.args())
      if (A.hasStructRetAttr()) {
        Why = "a struct returned through a hidden pointer is stored zeroed";
        return Constant::getNullValue(A.getParamStructRetType());
      }
    Why = "the function returns void: nothing to return";
    return nullptr;
  }
  Why = "zero of the return type";
  return Constant::getNullValue(T);
}

// (b): constants the function returns on its own error paths, with their counts.
void ownErrorReturns(const Function &F, std::vector<std::pair<Constant *, unsigned>> &Out) {
  auto Add = [&](const Value *V, const BasicBlock *BB) {
    auto *C = dyn_cast<Constant>(const_cast<Value *>(V));
    if (!C || isa<UndefValue>(C) || isa<PoisonValue>(C))
      return;
    bool Err = isa<ConstantPointerNull>(C) || looksLikeError(BB);
    if (auto *CI = dyn_cast<ConstantInt>(C); CI && CI->getBitWidth() > 1 && CI->isNegative())
      Err = true;
    if (!Err)
      return;
    for (auto &P : Out)
      if (P.first == C) {
        ++P.second;
        return;
      }
    Out.push_back({C, 1});
  };
  for (const BasicBlock &BB : F) {
    const auto *R = dyn_cast<ReturnInst>(BB.getTerminator());
    if (!R || !R->getReturnValue())
      continue;
    const Value *RV = R->getReturnValue();
    if (const auto *L = dyn_cast<LoadInst>(RV)) {
      // The front end's `retval` slot: every constant stored there is a return.
      if (const auto *A = dyn_cast<AllocaInst>(L->getPointerOperand()))
        for (const User *U : A->users())
          if (const auto *S = dyn_cast<StoreInst>(U); S && S->getPointerOperand() == A)
            Add(S->getValueOperand(), S->getParent());
    } else {
      Add(RV, &BB);
    }
  }
}

std::string plural(unsigned N, StringRef One, StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

RetvalChoice synthesize(const Function &F, const Facts &Facts) {
  RetvalChoice Choice;
  std::string FallbackWhy;
  Constant *Fallback = fallback(F, FallbackWhy);
  Type *T = F.getReturnType();
  if (!Fallback || T->isVoidTy()) { // void, or struct through sret: nothing to weigh
    Choice.Value = Fallback;
    Choice.Reason = FallbackWhy;
    return Choice;
  }
  bool BoolResult = T->isIntegerTy(1);

  std::vector<Test> Tests;
  std::vector<Derived> Chains;
  unsigned CallSites = 0;
  // The use list is newest first; reversed it is (usually) module order, which is the
  // order ties are broken in.
  SmallVector<const CallBase *, 8> Calls;
  for (const Use &U : F.uses())
    if (const auto *CB = dyn_cast<CallBase>(U.getUser()); CB && CB->isCallee(&U))
      Calls.push_back(CB);
  std::reverse(Calls.begin(), Calls.end());
  for (const CallBase *CB : Calls) {
    ++CallSites;
    if (std::optional<Test> Te = testAt(CB, BoolResult, Facts, Chains))
      Tests.push_back(*Te);
  }
  std::vector<std::pair<Constant *, unsigned>> Own;
  ownErrorReturns(F, Own);

  // Candidates, in order of preference for ties.
  std::vector<Constant *> Cands{Fallback};
  auto AddCand = [&](Constant *C) {
    if (C && C->getType() == T && !is_contained(Cands, C))
      Cands.push_back(C);
  };
  for (auto &P : Own)
    AddCand(P.first);
  if (T->isIntegerTy()) {
    AddCand(ConstantInt::get(T, -1, true));
    AddCand(ConstantInt::get(T, 0));
    AddCand(ConstantInt::get(T, 1));
  } else if (T->isFloatingPointTy()) {
    AddCand(ConstantFP::get(T, -1.0));
    AddCand(ConstantFP::getNaN(T));
  }
  for (const Test &Te : Tests)
    AddCand(Te.C);

  auto OwnCount = [&](Constant *C) {
    for (auto &P : Own)
      if (P.first == C)
        return P.second;
    return 0u;
  };
  Constant *Best = nullptr;
  unsigned BestSat = 0, BestOwn = 0;
  for (Constant *C : Cands) {
    unsigned Sat = 0;
    for (size_t I = 0; I < Tests.size(); ++I)
      Sat += fails(Tests[I], Chains[I], C);
    unsigned O = OwnCount(C);
    if (!Best || Sat > BestSat || (Sat == BestSat && O > BestOwn)) {
      Best = C;
      BestSat = Sat;
      BestOwn = O;
    }
  }
  Choice.Value = Best;
  unsigned Tied = 0;
  for (Constant *C : Cands) {
    unsigned Sat = 0;
    for (size_t I = 0; I < Tests.size(); ++I)
      Sat += fails(Tests[I], Chains[I], C);
    Tied += Sat == BestSat && OwnCount(C) == BestOwn;
  }
  std::string TieBreak;
  if (Tied > 1 && !Tests.empty())
    TieBreak = Best == Fallback ? " (among equals, the type's default: " + FallbackWhy + ")"
                                : " (among equals, the first call site's)";

  // The sentence.
  std::string R;
  if (!Tests.empty()) {
    std::vector<std::pair<std::string, unsigned>> Groups;
    for (const Test &Te : Tests) {
      auto It = find_if(Groups, [&](auto &G) { return G.first == Te.Desc; });
      if (It == Groups.end())
        Groups.push_back({Te.Desc, 1});
      else
        ++It->second;
    }
    std::stable_sort(Groups.begin(), Groups.end(),
                     [](auto &A, auto &B) { return A.second > B.second; });
    for (size_t I = 0; I < Groups.size(); ++I) {
      if (I)
        R += I + 1 == Groups.size() ? " and " : ", ";
      R += std::to_string(Groups[I].second);
      if (I == 0)
        R += " of " + plural(CallSites, "call site", "call sites");
      R += Groups[I].second == 1 ? " tests " : " test ";
      R += Groups[I].first;
    }
    if (BestSat < Tests.size())
      R += "; callers disagree: " + constText(Best) + " fails " + std::to_string(BestSat) +
           " of those " + std::to_string(Tests.size()) + " tests, the most" + TieBreak;
    else if (Tests.size() > 1 && Groups.size() > 1)
      R += "; " + constText(Best) + " fails all of them" + TieBreak;
    else
      R += TieBreak;
  } else {
    R = CallSites ? "no call site in this module tests the result"
                  : "no call site in this module";
  }
  if (BestOwn)
    R += "; the function itself returns " + constText(Best) + " on " +
         plural(BestOwn, "error path", "error paths");
  else if (!Own.empty()) {
    R += "; the function's own error paths return ";
    for (size_t I = 0; I < Own.size(); ++I)
      R += (I ? ", " : "") + constText(Own[I].first);
  }
  if (Tests.empty() && !BestOwn)
    R += "; " + FallbackWhy;
  Choice.Reason = R;
  return Choice;
}

} // namespace

HealRetvalAnalysis::Result HealRetvalAnalysis::run(Module &M, ModuleAnalysisManager &) {
  Facts Facts;
  DebugInfoFinder Finder;
  Finder.processModule(M);
  for (const DIType *Ty : Finder.types())
    if (const auto *Comp = dyn_cast<DICompositeType>(Ty);
        Comp && Comp->getTag() == dwarf::DW_TAG_enumeration_type)
      for (const DINode *E : Comp->getElements())
        if (const auto *En = dyn_cast<DIEnumerator>(E))
          Facts.Enumerators.emplace(En->getValue().getSExtValue(), En->getName().str());
  Result R;
  for (const Function &F : M)
    if (!F.isDeclaration())
      R.Choices[&F] = synthesize(F, Facts);
  return R;
}

RetvalChoice chooseReturn(const HealRetvalAnalysis::Result &R, const Function &F,
                          const PolicyTransaction *T) {
  const RetvalChoice *S = R.lookup(F);
  RetvalChoice C = S ? *S : RetvalChoice{};
  if (T && T->Return)
    if (Constant *V = forcedReturnConstant(*T->Return, F)) {
      C.Value = V;
      C.Forced = true;
      C.Reason = "forced by the policy (" + T->Where + ".return); heal would have chosen " +
                 (S && S->Value ? constText(S->Value) : std::string("nothing")) + ": " +
                 (S ? S->Reason : std::string());
    }
  return C;
}

void emitRetvalRemark(const Function &F, const RetvalChoice &C) {
  OptimizationRemarkEmitter ORE(&F);
  ORE.emit([&] {
    OptimizationRemarkAnalysis Rem(DEBUG_TYPE, "FailureValue", DiagnosticLocation(F.getSubprogram()),
                                   &F.getEntryBlock());
    Rem << "on failure " << ore::NV("Function", F.getName()) << " returns "
        << ore::NV("Value", C.Value ? valueText(C.Value) : std::string("nothing")) << ": "
        << ore::NV("Reason", C.Reason);
    return Rem;
  });
}

PreservedAnalyses HealRetvalPrinterPass::run(Module &M, ModuleAnalysisManager &MAM) {
  std::optional<Policy> P;
  std::string Path = policyOption();
  if (!Path.empty()) {
    std::vector<std::string> Errors;
    P = readPolicy(Path, Errors);
    if (!Errors.empty())
      M.getContext().emitError(join(Errors, "\nerror: "));
    if (!P)
      return PreservedAnalyses::all();
  }
  const HealRetvalAnalysis::Result &R = MAM.getResult<HealRetvalAnalysis>(M);
  SkipList Skip(M);
  for (const Function &F : M) {
    if (F.isDeclaration())
      continue;
    const PolicyTransaction *T = P ? P->transaction(F.getName()) : nullptr;
    if (P ? !T : !Skip.shouldInstrument(F))
      continue;
    RetvalChoice C = chooseReturn(R, F, T);
    errs() << "heal-retval: " << F.getName() << ": "
           << (C.Value ? valueText(C.Value) : std::string("void")) << ": " << C.Reason
           << "\n";
    emitRetvalRemark(F, C);
  }
  return PreservedAnalyses::all();
}

} // namespace heal
