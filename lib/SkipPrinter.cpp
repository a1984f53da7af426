#include "SkipPrinter.h"
#include "Skip.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace heal {

PreservedAnalyses HealSkipPrinterPass::run(Module &M, ModuleAnalysisManager &) {
  SkipList Skip(M);
  for (const Function &F : M) {
    StringRef Why = Skip.reason(F);
    errs() << "heal-skip: " << F.getName() << ": ";
    if (Why.empty())
      errs() << "instrument\n";
    else
      errs() << "skip (" << Why << ")\n";
  }
  return PreservedAnalyses::all();
}

} // namespace heal
