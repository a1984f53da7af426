// What heal's per-function passes must leave alone. One place, so every pass skips the same
// functions (the way the sanitizers share their skip rules).
//
// A function is not instrumented when it is
//   - a declaration, or available_externally (its real copy is instrumented where it lives);
//   - an intrinsic (llvm.*);
//   - the runtime's own code or heal's generated code: names starting with "__heal_" or
//     "heal." (e.g. heal.module_ctor) -- instrumenting them would recurse into the runtime;
//   - naked (no prologue, so nothing may be inserted);
//   - marked __attribute__((disable_sanitizer_instrumentation)) (IR attribute of the same
//     name; clang's "instrument nothing here" for every sanitizer), or
//   - marked __attribute__((annotate("heal_skip"))) (heal-only opt-out; clang records it in
//     @llvm.global.annotations, read once per module here), or
//   - calling vfork: the child borrows the parent's memory, runtime state included, until
//     it execs or exits, so the child's shadow-stack and slot updates would be the
//     parent's.
// __attribute__((no_sanitize("..."))) is not a criterion: without the sanitizer enabled it
// leaves no trace in the IR.
#ifndef HEAL_LIB_SKIP_H
#define HEAL_LIB_SKIP_H

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

namespace heal {

inline constexpr llvm::StringLiteral SkipAnnotation = "heal_skip";

class SkipList {
public:
  explicit SkipList(const llvm::Module &M) { collectAnnotations(M); }

  // Why F is skipped, or "" if it is to be instrumented.
  llvm::StringRef reason(const llvm::Function &F) const {
    if (F.isDeclaration())
      return "declaration";
    if (F.hasAvailableExternallyLinkage())
      return "available_externally";
    if (F.isIntrinsic() || F.getName().starts_with("llvm."))
      return "intrinsic";
    if (F.getName().starts_with("__heal_") || F.getName().starts_with("heal."))
      return "heal runtime";
    if (F.hasFnAttribute(llvm::Attribute::Naked))
      return "naked";
    if (F.hasFnAttribute(llvm::Attribute::DisableSanitizerInstrumentation))
      return "disable_sanitizer_instrumentation";
    if (Annotated.contains(&F))
      return "annotate(heal_skip)";
    if (callsVfork(F))
      return "calls vfork";
    return "";
  }

  bool shouldInstrument(const llvm::Function &F) const { return reason(F).empty(); }

private:
  llvm::SmallPtrSet<const llvm::Function *, 8> Annotated;

  static bool callsVfork(const llvm::Function &F) {
    for (const llvm::Instruction &I : llvm::instructions(F))
      if (const auto *CB = llvm::dyn_cast<llvm::CallBase>(&I))
        if (const llvm::Function *Callee = CB->getCalledFunction())
          if (Callee->getName() == "vfork" || Callee->getName() == "__vfork")
            return true;
    return false;
  }

  // @llvm.global.annotations = [N x { ptr fn, ptr str, ptr file, i32 line, ptr args }]
  void collectAnnotations(const llvm::Module &M) {
    const llvm::GlobalVariable *GA = M.getNamedGlobal("llvm.global.annotations");
    if (!GA || !GA->hasInitializer())
      return;
    const auto *Arr = llvm::dyn_cast<llvm::ConstantArray>(GA->getInitializer());
    if (!Arr)
      return;
    for (const llvm::Use &U : Arr->operands()) {
      const auto *Entry = llvm::dyn_cast<llvm::ConstantStruct>(U.get());
      if (!Entry || Entry->getNumOperands() < 2)
        continue;
      const auto *Fn = llvm::dyn_cast<llvm::Function>(Entry->getOperand(0)->stripPointerCasts());
      const auto *Str =
          llvm::dyn_cast<llvm::GlobalVariable>(Entry->getOperand(1)->stripPointerCasts());
      if (!Fn || !Str || !Str->hasInitializer())
        continue;
      const auto *Text = llvm::dyn_cast<llvm::ConstantDataSequential>(Str->getInitializer());
      if (Text && Text->isCString() && Text->getAsCString() == SkipAnnotation)
        Annotated.insert(Fn);
    }
  }
};

} // namespace heal

#endif
