// HealBufferGuardPass (heal-guard): DYBOC's stack buffer guarding. In every covered
// function, each stack buffer -- an alloca whose type is an array or a struct/union
// holding one, any dynamic alloca (alloca(), VLA), and any byval argument of such a type
// -- is allocated by __heal_stack_alloc(size, align, &site) from the runtime's guarded
// slots instead of the machine stack. Slots belong to the frame at the current shadow
// depth, so the function is monitored first (heal-monitor's instrumentation, added here if
// missing); the runtime releases them at __heal_exit / __heal_unwind_to.
//
//  * static buffers: one call each, right after __heal_enter, in the original order;
//  * dynamic allocas: the call replaces the alloca where it was (loops included), size =
//    count * element size; llvm.stacksave/llvm.stackrestore become __heal_slot_mark /
//    __heal_slot_release, so a VLA's slot dies with its scope as its stack memory did;
//  * byval arguments: copied into a slot on entry, the body uses the copy;
//  * lifetime markers of a replaced alloca are removed (the slot lives until exit);
//    dbg.declare follows the new pointer.
// Each buffer gets a struct heal_buffer_site (see Sites.h).
#ifndef HEAL_LIB_BUFFERGUARD_H
#define HEAL_LIB_BUFFERGUARD_H

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/PassManager.h"

#include <optional>

namespace heal {

struct BufferGuardOptions {
  // If set, guard only these buffers, named "function:buffer" (source names as in the
  // site table); functions without one of them are not touched. Unset: every buffer of
  // every covered function (the Oracle).
  std::optional<llvm::StringSet<>> Only;
};

class HealBufferGuardPass : public llvm::PassInfoMixin<HealBufferGuardPass> {
public:
  explicit HealBufferGuardPass(BufferGuardOptions Opts = {}) : Opts(std::move(Opts)) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  BufferGuardOptions Opts;
};

} // namespace heal

#endif
