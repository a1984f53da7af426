// HealUndoLogPass (heal-undo): memory rollback for execution transactions (issue 4, item 3;
// docs/rollback.md). Runs after heal-tx.
//
// Transactional code is each policy transaction F with "rollback" on, and every function
// this module defines that F reaches through direct calls. Each such callee g gets an
// internal clone `g.heal_tx` (HEAL_TX_CLONE_SUFFIX) and the calls inside F and inside the
// clones go to the clones, so g itself, called from anywhere else, stays as it was (no
// cost outside transactions). A call to another transaction function stays a call to it:
// it is a transaction of its own.
//
// In F and the clones, right before each write to memory that is not the writer's own
// (the underlying objects are all its allocas, its guarded slots or blocks it allocated):
//   store, atomicrmw, cmpxchg        -> __heal_undo_log(ptr, store size)
//   llvm.memcpy/memmove/memset[.inline], llvm.masked.store, element-atomic ones
//                                    -> __heal_undo_log(dest, length)
//   calls of known libc writers      -> __heal_undo_log or a __heal_undo_log_* helper that
//                                       computes the size the call will write
// and malloc, calloc, realloc, free, strdup, strndup are called as __heal_tx_*.
// Indirect calls in transactional code whose function type matches address-taken
// definitions of the module (the candidates, each cloned like a direct callee unless it
// writes only its own frame and calls nothing) call
// __heal_tx_target(fp) first, which gives the clone registered for fp (the module's table
// @heal.tx.targets, registered by a priority-1 constructor) or fp itself.
// Policy "rollback_callees" (heal rebuild's whole-program view, xmodule.h): a listed function
// defined here gets an external hidden clone for other modules' transactional code, and
// transactional calls to a listed declaration go to its clone `g.heal_tx`. Policy
// "rollback_indirect_types": candidates of those types are cloned and registered, and
// transactional indirect calls of those types are routed, whatever this module has.
// Not covered (documented): indirect calls without a candidate anywhere in the program,
// calls into other binaries or without heal bitcode, other libc writers.
#ifndef HEAL_LIB_UNDOLOG_H
#define HEAL_LIB_UNDOLOG_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace llvm {
class Function;
class FunctionType;
}

namespace heal {

class SkipList;

// Whether heal-undo may give G an undo-logging clone: its code is here and is the code that
// runs (not a declaration, not a weak definition another module may replace), heal does
// not leave it alone (Skip.h), and no block of it has its address taken (computed gotos).
// Shared with heal-calls, whose summaries tell heal rebuild the same.
bool undoCloneable(const llvm::Function &G, const SkipList &Skip);
// Whether G is a candidate target of indirect calls: cloneable, its address taken here (a
// table, a pointer stored or passed), and that address the one the program uses (local or
// dso_local). Its clone is registered for __heal_tx_target (docs/rollback.md).
bool indirectCandidate(const llvm::Function &G, const SkipList &Skip);
// A function type as text ("void (ptr, i32)"): how heal rebuild names the types of
// indirect calls across modules (policy "rollback_indirect_types").
std::string typeKey(llvm::FunctionType *T);

class HealUndoLogPass : public llvm::PassInfoMixin<HealUndoLogPass> {
public:
  // PolicyPath "" means -heal-policy (opt -passes=heal-undo).
  explicit HealUndoLogPass(std::string PolicyPath = "") : PolicyPath(std::move(PolicyPath)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  std::string PolicyPath;
};

} // namespace heal

#endif
