// HealMonitorPass (heal-monitor): DYBOC's "which functions are active". Every covered
// function gets a private constant struct heal_function (source name, file, line), calls
// heal.enter(&fn) on entry and keeps the depth it returns, calls heal.exit(depth) before
// every return, resume and musttail call (the inline fast paths of __heal_enter and
// __heal_exit, heal.h, defined in the module), and __heal_unwind_to(depth) right after
// every call to a returns_twice function (setjmp & co.: when a longjmp lands there, the
// frames it skipped are dropped and their guarded slots released).
#ifndef HEAL_LIB_MONITOR_H
#define HEAL_LIB_MONITOR_H

#include "Runtime.h"

#include "llvm/IR/Instructions.h"
#include "llvm/IR/PassManager.h"

namespace heal {

// The function's heal.enter (or __heal_enter) call, in its entry block, or null.
llvm::CallInst *findEnter(llvm::Function &F);

// findEnter(F), instrumenting F first if it is not monitored yet. The buffer guard uses it
// so that a function whose buffers it guards always has a frame owning the slots.
llvm::CallInst *ensureMonitored(llvm::Function &F, RuntimeAPI &RT);

// Turns F's heal.exit calls into __heal_exit calls without the memory effects heal-monitor
// puts on them ("touches only the runtime's state"): once F owns guarded slots, its exits
// always release them (no inline path), and no access to a buffer may move past them.
void makeExitsOpaque(llvm::Function &F, RuntimeAPI &RT);

class HealMonitorPass : public llvm::PassInfoMixin<HealMonitorPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace heal

#endif
