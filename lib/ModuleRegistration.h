// HealModuleRegistrationPass: gives a module its heal descriptor and the constructor that
// hands it to the runtime. Every heal pipeline ends with it.
#ifndef HEAL_LIB_MODULEREGISTRATION_H
#define HEAL_LIB_MODULEREGISTRATION_H

#include "heal/heal.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"

namespace heal {

// Names of what the pass emits; tests and later passes refer to them.
inline constexpr const char *DescriptorName = "heal.module";
inline constexpr const char *SourceNameGlobal = "heal.source";
inline constexpr const char *CtorName = "heal.module_ctor";
// Runs before user constructors (priority 1 is the smallest a C program can't take, 0-100
// being reserved for the implementation), so the runtime knows the module early.
inline constexpr int CtorPriority = 1;

// A module with a descriptor has been through a heal pipeline: the first pipeline that ran
// decides what it gets, so every heal pass leaves such a module alone.
inline bool isRegistered(const llvm::Module &M) {
  return M.getNamedGlobal(DescriptorName) != nullptr;
}

class HealModuleRegistrationPass
    : public llvm::PassInfoMixin<HealModuleRegistrationPass> {
public:
  explicit HealModuleRegistrationPass(heal_mode Mode) : Mode(Mode) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  heal_mode Mode;
};

} // namespace heal

#endif
