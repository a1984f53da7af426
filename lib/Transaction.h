// HealTransactionPass (heal-tx): execution transactions (issue 4, item 2). Each function a
// policy names in "transactions" and this module defines becomes a transaction:
//
//   entry:  %heal.tx.frame = alloca [HEAL_TX_FRAME_SIZE x i8], align 16
//           <the original static allocas>
//           call void @__heal_tx_begin(ptr %heal.tx.frame, ptr @heal.tx.F)
//           %heal.tx.jmp = call i32 @__sigsetjmp(ptr %heal.tx.frame, i32 0)   ; returns_twice
//           br (%heal.tx.jmp != 0), %heal.tx.abort, %heal.tx.body
//   heal.tx.abort:  ret <failure value>   (sret: store it through the hidden pointer)
//   heal.tx.body:   the original body; __heal_tx_commit(frame) right before every ret
//
// The begin comes before anything else the function does (heal-monitor's __heal_enter,
// heal-guard's slots), so the recorded shadow depth is the caller's: an abort drops the
// function's own shadow frame and slots too. The failure value is chooseReturn() of the
// return-value synthesis (or the policy's forced one); @heal.tx.F is a private constant
// struct heal_tx_site naming the function, its file:line, the value as text and the reason.
// The function is made noinline (alwaysinline dropped) so it stays a boundary at -O2.
// Refused with an error: a musttail call in the function (its frame must end at the call,
// but the commit comes after it).
#ifndef HEAL_LIB_TRANSACTION_H
#define HEAL_LIB_TRANSACTION_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace heal {

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
