// Return-value synthesis (issue 4, item 4): for a function that a transaction may abort,
// the value its callers will treat as failure. Evidence, in order of weight:
//   (a) how call sites in this module test the result (`< 0`, `== -1`, `== NULL`, `!= 0`,
//       used as a boolean, compared to a named constant: a constant global or an enumerator
//       from debug info), each test read as a set of failure values;
//   (b) constant returns on the function's own error paths;
//   (c) the type: pointer -> NULL, signed -> -1, unsigned -> 0, bool -> false,
//       floating point -> 0.0, struct -> zeroed, void -> nothing.
// The candidate accepted by the most call-site tests wins; ties go to (b), then (c).
// HealRetvalAnalysis is a module analysis (call sites live in other functions);
// print<heal-retval> prints its choices, and opt -pass-remarks-analysis=heal-retval
// explains each one. A policy's forced "return" wins (chooseReturn).
#ifndef HEAL_LIB_RETVALSYNTHESIS_H
#define HEAL_LIB_RETVALSYNTHESIS_H

#include "Policy.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/PassManager.h"

#include <string>

namespace llvm {
class Constant;
class Function;
} // namespace llvm

namespace heal {

struct RetvalChoice {
  // The value to return on failure, of the return type; for a struct returned through a
  // hidden (sret) pointer, the value to store there. Null for void: nothing to return.
  llvm::Constant *Value = nullptr;
  std::string Reason; // one sentence, for reports and remarks
  bool Forced = false; // from the policy
};

class HealRetvalAnalysis : public llvm::AnalysisInfoMixin<HealRetvalAnalysis> {
  friend llvm::AnalysisInfoMixin<HealRetvalAnalysis>;
  static llvm::AnalysisKey Key;

public:
  struct Result {
    llvm::DenseMap<const llvm::Function *, RetvalChoice> Choices;
    // The synthesized choice for a defined function (null for declarations).
    const RetvalChoice *lookup(const llvm::Function &F) const {
      auto It = Choices.find(&F);
      return It == Choices.end() ? nullptr : &It->second;
    }
  };
  Result run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
};

// The synthesized choice, unless the policy entry forces a value (which must fit: the
// config check has reported it otherwise; an unfitting one falls back to the synthesis).
RetvalChoice chooseReturn(const HealRetvalAnalysis::Result &R, const llvm::Function &F,
                          const PolicyTransaction *T);

// An optimization remark (pass name "heal-retval") explaining the choice for F.
void emitRetvalRemark(const llvm::Function &F, const RetvalChoice &C);

// print<heal-retval>: one line per function to stderr, "heal-retval: F: VALUE: REASON";
// every covered function, or only the policy's transactions with -heal-policy. Also emits
// the remarks. A test hook, in no pipeline.
class HealRetvalPrinterPass : public llvm::PassInfoMixin<HealRetvalPrinterPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace heal

#endif
