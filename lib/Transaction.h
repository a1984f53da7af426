// HealTransactionPass (heal-tx): execution transactions (issue 4, item 2). Each function a
// policy names in "transactions" and this module defines becomes a transaction. Its body
// moves to an internal noinline function F.heal_body (attribute "heal-tx-body"="F"), and F
// becomes the wrapper:
//
//   entry:  %heal.tx.space = alloca {50 x i64}, align 16    ; guard + HEAL_TX_FRAME_SIZE
//           %heal.tx.enter = call { i32, ptr, ptr } asm sideeffect "<the entry>"(frame, site)
//           switch (%heal.tx.jmp = its i32): 0 %heal.tx.body, 1 %heal.tx.abort, else slow
//                                            ; returns_twice inline assembly (heal.h)
//   heal.tx.slow:   call @__heal_tx_enter_slow(frame, site); br %heal.tx.body
//   heal.tx.abort:  ret <failure value>   (sret: store it through the hidden pointer)
//   heal.tx.body:   %r = call @F.heal_body(args); call @heal.tx.commit(frame); ret %r
//
// heal.tx.commit is the inline commit of heal.h (internal, alwaysinline): it pops the frame
// off __heal_tx_top itself and calls __heal_tx_commit only on the slow path.
//
// Outlining keeps the whole body -- its stack-protector check in the epilogue included --
// inside the transaction, and keeps returns_twice (which disables optimizations in the
// function that calls it) out of the body. A variadic function (va_start needs its own
// frame) or one whose block addresses are taken is wrapped in place instead: the entry
// block is split after its static allocas and __heal_tx_commit (the runtime's, since the
// undo log instruments that code itself) goes before every ret.
//
// The entry comes before anything else the function does (heal-monitor's __heal_enter,
// heal-guard's slots), so the recorded shadow depth is the caller's: an abort drops the
// function's own shadow frame and slots too. The failure value is chooseReturn() of the
// return-value synthesis (or the policy's forced one); @heal.tx.F is a private constant
// struct heal_tx_site naming the function, its file:line, the value as text and the reason.
// The wrapper is noinline (alwaysinline dropped) so it stays a boundary at -O2.
// Refused with an error: a musttail call, naked functions, functions calling vfork.
#ifndef HEAL_LIB_TRANSACTION_H
#define HEAL_LIB_TRANSACTION_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace llvm {
class Function;
}

namespace heal {

inline constexpr const char *BodySuffix = ".heal_body";
inline constexpr const char *BodyAttr = "heal-tx-body";

// The function holding F's code once heal-tx ran: F.heal_body when the body was outlined,
// else F (for passes after heal-tx, e.g. the undo log, that instrument the body).
llvm::Function *transactionBody(llvm::Function &F);

class HealTransactionPass : public llvm::PassInfoMixin<HealTransactionPass> {
public:
  // PolicyPath "" means -heal-policy (opt -passes=heal-tx).
  explicit HealTransactionPass(std::string PolicyPath = "") : PolicyPath(std::move(PolicyPath)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  std::string PolicyPath;
};

} // namespace heal

#endif
