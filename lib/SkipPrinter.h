// print<heal-skip>: prints the skip-list verdict for every function, one line each, to
// stderr. A test hook for Skip.h (like LLVM's print<...> analysis printers); it is in no
// heal pipeline.
#ifndef HEAL_LIB_SKIPPRINTER_H
#define HEAL_LIB_SKIPPRINTER_H

#include "llvm/IR/PassManager.h"

namespace heal {

class HealSkipPrinterPass : public llvm::PassInfoMixin<HealSkipPrinterPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace heal

#endif
