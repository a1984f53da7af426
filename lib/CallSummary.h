// HealCallSummaryPass (heal-calls): the module's direct call graph as JSON, for heal
// rebuild's whole-program view of transactional code (docs/rollback.md, "Other modules").
// Each module is compiled alone, so a transaction's undo-logging clones stop at the module's
// edge; heal rebuild reads every module's summary, follows calls across modules from the
// policy's transactions, and tells each module which of its functions other modules'
// transactional code reaches (the policy key "rollback_callees").
//
// Output (-heal-calls-out=FILE; standard output when the option is absent or "-"). With
// the option, the heal-sensor/oracle/patch pipelines also run this pass first, so a module
// build leaves its summary behind at no extra process (heal rebuild's object cache).
//
//   {"version": 1, "functions": [{"name": "f", "local": true, "cloneable": true,
//                                 "calls": ["g", "h"], "type": "void (ptr)",
//                                 "candidate": false, "indirect": ["i32 (i32)"]}, ...]}
// One entry per definition in the module: local = internal/private linkage (the name means
// nothing outside the module); cloneable = heal-undo may clone it (undoCloneable:
// not interposable, not skipped, no computed goto); calls = the names of the functions it calls directly (through a prototype cast
// too), defined here or not, sorted, once each; intrinsics and heal's runtime are left out;
// type = its function type (typeKey); candidate = a target heal-undo would register for
// indirect calls (indirectCandidate); indirect = the types of its indirect calls.
#ifndef HEAL_LIB_CALLSUMMARY_H
#define HEAL_LIB_CALLSUMMARY_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace heal {

// The -heal-calls-out value ("" when absent).
std::string callSummaryOption();

class HealCallSummaryPass : public llvm::PassInfoMixin<HealCallSummaryPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace heal

#endif
