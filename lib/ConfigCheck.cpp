#include "ConfigCheck.h"
#include "Policy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace heal {

PreservedAnalyses HealConfigCheckPass::run(Module &M, ModuleAnalysisManager &) {
  if (!Error.empty()) {
    M.getContext().emitError("heal: " + Error);
    return PreservedAnalyses::all();
  }
  if (PolicyPath.empty())
    return PreservedAnalyses::all();
  // Every problem is reported, not only the first, so one edit fixes a policy.
  std::vector<std::string> Errors;
  if (std::optional<Policy> P = readPolicy(PolicyPath, Errors))
    checkPolicyAgainstModule(*P, M, policyCheckDefinedOption(), Errors);
  // One diagnostic: opt exits at the first error, and every line should be seen.
  if (!Errors.empty())
    M.getContext().emitError(join(Errors, "\nerror: "));
  return PreservedAnalyses::all();
}

} // namespace heal
