// HealConfigCheckPass: first pass of every heal pipeline. Reports configuration errors as
// LLVM diagnostics (a clean "error: heal: ..." from opt and clang, no crash, no
// report_fatal_error): an unknown HEAL_MODE seen by the -fpass-plugin hook, and every
// problem of the policy file (Policy.h: unreadable, bad JSON, schema, values that do not
// suit the module's functions).
#ifndef HEAL_LIB_CONFIGCHECK_H
#define HEAL_LIB_CONFIGCHECK_H

#include "llvm/IR/PassManager.h"

#include <string>

namespace heal {

class HealConfigCheckPass : public llvm::PassInfoMixin<HealConfigCheckPass> {
public:
  // PolicyPath: "" when no policy was given. Error: a problem found while building the
  // pipeline, reported when the pipeline runs (there is no context to report it to earlier).
  HealConfigCheckPass(std::string PolicyPath, std::string Error)
      : PolicyPath(std::move(PolicyPath)), Error(std::move(Error)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  std::string PolicyPath;
  std::string Error;
};

} // namespace heal

#endif
