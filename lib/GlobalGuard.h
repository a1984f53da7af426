// HealGlobalGuardPass (heal-guard-globals, Oracle only): global and function-static
// arrays (and structs/unions holding one) get guard pages on both sides. Each such global
// G of type T moves into a new page-aligned private object
//
//   @heal.guard.G = <{ [P x i8] front guard, [pad x i8], T G, [tail x i8], [P x i8] back guard }>
//
// (P = the target's page size) with G's initializer and constness, and G itself becomes
// an alias of the inner T with G's name, linkage and visibility, so references from
// other modules and from constant initializers keep working. By default the buffer ends
// exactly at the back guard (pad chosen so; tail = 0 when the size is a multiple of the
// alignment, else < alignment); with `front` it starts right after the front guard. A
// priority-1 constructor calls __heal_guard_global(base, total size, &G, &site) for each.
#ifndef HEAL_LIB_GLOBALGUARD_H
#define HEAL_LIB_GLOBALGUARD_H

#include "llvm/IR/PassManager.h"

namespace heal {

inline constexpr const char *GlobalsCtorName = "heal.globals_ctor";

struct GlobalGuardOptions {
  bool Front = false; // buffer right after the front guard (exact underflow) instead of
                      // ending at the back guard (exact overflow)
};

class HealGlobalGuardPass : public llvm::PassInfoMixin<HealGlobalGuardPass> {
public:
  explicit HealGlobalGuardPass(GlobalGuardOptions Opts = {}) : Opts(Opts) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  GlobalGuardOptions Opts;
};

} // namespace heal

#endif
