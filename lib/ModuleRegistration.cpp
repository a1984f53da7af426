// Emits, once per module:
//   @heal.source = private unnamed_addr constant [N x i8] c"<source_filename>\00"
//   @heal.module = private constant { i32, i32, ptr, i32, i32, ptr }
//                    { ABI version, mode, @heal.source, nsites, 0, sites }
//   define internal void @heal.module_ctor() { call @__heal_register_module(@heal.module) }
// plus an llvm.global_ctors entry of priority 1. The struct is the C `struct heal_module`
// of heal.h laid out by the module's DataLayout, so both sides agree on every target.
// sites/nsites: the buffer sites the guard passes created, gathered here into the table
// @heal.sites (Sites.h); null/0 when there are none (sensor).
//
// Every module registers, also one without function definitions: its globals are what the
// Oracle will guard, and one constructor call per module costs nothing measurable.
// Idempotent: a module that already has @heal.module is left alone (the first pipeline
// that ran decides the mode), so the pipeline may run twice (opt -passes=heal-sensor,
// heal-sensor; or a plugin loaded twice by clang) without a second constructor.
#include "ModuleRegistration.h"
#include "Runtime.h"
#include "Sites.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#define DEBUG_TYPE "heal-register"

using namespace llvm;

STATISTIC(NumRegistered, "Modules given a heal descriptor and constructor");
STATISTIC(NumAlreadyRegistered, "Modules that already had a heal descriptor");

namespace heal {

PreservedAnalyses HealModuleRegistrationPass::run(Module &M, ModuleAnalysisManager &) {
  if (M.getNamedGlobal(DescriptorName)) {
    LLVM_DEBUG(dbgs() << "heal: " << M.getModuleIdentifier() << " already registered\n");
    ++NumAlreadyRegistered;
    return PreservedAnalyses::all();
  }

  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C);
  PointerType *Ptr = PointerType::getUnqual(C);
  // Literal (unnamed) struct: a named one could collide with a user's struct.heal_module.
  StructType *DescTy = StructType::get(C, {I32, I32, Ptr, I32, I32, Ptr});

  Constant *SrcInit = ConstantDataArray::getString(C, M.getSourceFileName());
  auto *Src = new GlobalVariable(M, SrcInit->getType(), /*isConstant=*/true,
                                 GlobalValue::PrivateLinkage, SrcInit, SourceNameGlobal);
  Src->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  Src->setAlignment(Align(1));

  RuntimeAPI RT(M);
  auto [Sites, NumSites] = buildSiteTable(RT);
  Constant *DescInit = ConstantStruct::get(
      DescTy, {ConstantInt::get(I32, HEAL_ABI_VERSION), ConstantInt::get(I32, Mode), Src,
               ConstantInt::get(I32, NumSites), ConstantInt::get(I32, 0) /*reserved*/,
               Sites ? Sites : ConstantPointerNull::get(Ptr)});
  auto *Desc = new GlobalVariable(M, DescTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                  DescInit, DescriptorName);
  Desc->setAlignment(M.getDataLayout().getABITypeAlign(DescTy));

  // Same helper the sanitizers use: internal nounwind ctor calling the runtime's init.
  auto [Ctor, Register] = createSanitizerCtorAndInitFunctions(
      M, CtorName, HEAL_RT_REGISTER_MODULE, {Ptr}, {Desc});
  (void)Register;
  appendToGlobalCtors(M, Ctor, CtorPriority);

  LLVM_DEBUG(dbgs() << "heal: registered " << M.getModuleIdentifier() << " mode " << Mode
                    << "\n");
  ++NumRegistered;
  return PreservedAnalyses::none();
}

} // namespace heal
