#include "Runtime.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"

using namespace llvm;

namespace heal {

static constexpr const char *StringPrefix = "heal.str";

RuntimeAPI::RuntimeAPI(Module &M)
    : M(M), C(M.getContext()), DL(M.getDataLayout()), I32(Type::getInt32Ty(C)),
      I64(Type::getInt64Ty(C)), Ptr(PointerType::getUnqual(C)) {
  FunctionTy = StructType::get(C, {Ptr, Ptr, I32, I32});
  SiteTy = StructType::get(C, {Ptr, Ptr, Ptr, I32, I32, I64});
  // Strings an earlier heal pass made are shared too.
  for (GlobalVariable &GV : M.globals())
    if (GV.getName().starts_with(StringPrefix) && GV.hasPrivateLinkage() && GV.isConstant() &&
        GV.hasInitializer()) {
      const Constant *Init = GV.getInitializer();
      if (const auto *CDS = dyn_cast<ConstantDataSequential>(Init); CDS && CDS->isCString())
        Strings.try_emplace(CDS->getAsCString(), &GV);
      else if (isa<ConstantAggregateZero>(Init) && Init->getType()->getArrayNumElements() == 1)
        Strings.try_emplace("", &GV); // "" is printed as zeroinitializer
    }
}

FunctionCallee RuntimeAPI::declare(StringRef Name, FunctionType *Ty) {
  FunctionCallee FC = M.getOrInsertFunction(Name, Ty);
  if (auto *F = dyn_cast<Function>(FC.getCallee()))
    F->addFnAttr(Attribute::NoUnwind);
  return FC;
}

FunctionCallee RuntimeAPI::enter() {
  return declare(HEAL_RT_ENTER, FunctionType::get(I32, {Ptr}, false));
}
FunctionCallee RuntimeAPI::exit() {
  return declare(HEAL_RT_EXIT, FunctionType::get(Type::getVoidTy(C), {I32}, false));
}
FunctionCallee RuntimeAPI::unwindTo() {
  return declare(HEAL_RT_UNWIND_TO, FunctionType::get(Type::getVoidTy(C), {I32}, false));
}
FunctionCallee RuntimeAPI::stackAlloc() {
  return declare(HEAL_RT_STACK_ALLOC, FunctionType::get(Ptr, {I64, I64, Ptr}, false));
}
FunctionCallee RuntimeAPI::slotMark() {
  return declare(HEAL_RT_SLOT_MARK, FunctionType::get(I64, {}, false));
}
FunctionCallee RuntimeAPI::slotRelease() {
  return declare(HEAL_RT_SLOT_RELEASE, FunctionType::get(Type::getVoidTy(C), {I64}, false));
}
FunctionCallee RuntimeAPI::guardGlobal() {
  return declare(HEAL_RT_GUARD_GLOBAL,
                 FunctionType::get(Type::getVoidTy(C), {Ptr, I64, Ptr, Ptr}, false));
}

Constant *RuntimeAPI::string(StringRef S) {
  Constant *&Slot = Strings[S];
  if (!Slot) {
    Constant *Init = ConstantDataArray::getString(C, S);
    auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Init, StringPrefix);
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    Slot = GV;
  }
  return Slot;
}

} // namespace heal
