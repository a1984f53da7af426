#include "BufferGuard.h"
#include "Monitor.h"
#include "ModuleRegistration.h"
#include "Runtime.h"
#include "Sites.h"
#include "Skip.h"
#include "SourceInfo.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "heal-guard"

using namespace llvm;

STATISTIC(NumStatic, "Static stack buffers guarded");
STATISTIC(NumDynamic, "Dynamic allocas (alloca(), VLA) guarded");
STATISTIC(NumByVal, "byval arguments copied into guarded slots");
STATISTIC(NumFunctions, "Functions with guarded buffers");
STATISTIC(NumStackSave, "llvm.stacksave/stackrestore turned into slot mark/release");

namespace heal {
namespace {

struct Buffer {
  AllocaInst *AI = nullptr; // or
  Argument *Arg = nullptr;  // a byval argument
  SiteInfo Site;
};

bool usedByLocalEscape(const AllocaInst &AI) {
  for (const User *U : AI.users())
    if (const auto *II = dyn_cast<IntrinsicInst>(U))
      if (II->getIntrinsicID() == Intrinsic::localescape)
        return true;
  return false;
}

// x86-64's va_list is an array of one __va_list_tag: not a user buffer.
bool isVaList(const Type *Ty) {
  const auto *AT = dyn_cast<ArrayType>(Ty);
  const auto *ST = AT ? dyn_cast<StructType>(AT->getElementType()) : nullptr;
  return ST && ST->hasName() && ST->getName().starts_with("struct.__va_list_tag");
}

// Is the alloca a buffer the Oracle guards?
bool isBuffer(const AllocaInst &AI, const DILocalVariable *Var) {
  if (AI.isSwiftError() || AI.isUsedWithInAlloca() || usedByLocalEscape(AI) ||
      AI.getAddressSpace() != 0 || isVaList(AI.getAllocatedType()))
    return false;
  const auto *Count = dyn_cast<ConstantInt>(AI.getArraySize());
  if (!Count || !Count->isOne()) // alloca(), VLA, or an explicit element count
    return true;
  if (!AI.getAllocatedType()->isAggregateType()) // scalars, pointers, vectors
    return false;
  if (Var && Var->getType())
    return containsArray(Var->getType()); // exact for unions; ignores padding arrays
  return containsArray(AI.getAllocatedType());
}

// The name of an alloca() buffer is that of the pointer variable it is stored into:
// `char *p = alloca(n)` is `store ptr %a, ptr %p.addr` with p declared on %p.addr.
DILocalVariable *pointerVariableHolding(AllocaInst &AI) {
  for (User *U : AI.users())
    if (auto *SI = dyn_cast<StoreInst>(U))
      if (SI->getValueOperand() == &AI)
        if (auto *Holder = dyn_cast<AllocaInst>(SI->getPointerOperand()->stripPointerCasts()))
          if (DILocalVariable *V = declaredVariable(Holder))
            return V;
  return nullptr;
}

SiteInfo makeSite(const Function &F, Value *V, DILocalVariable *NameVar,
                  const DebugLoc &Loc) {
  SiteInfo S;
  S.Function = functionName(F);
  if (NameVar && !NameVar->getName().empty())
    S.Buffer = NameVar->getName().str();
  else if (V->hasName())
    S.Buffer = V->getName().str();
  else
    S.Buffer = UnnamedBuffer;
  if (NameVar && NameVar->getLine()) {
    S.File = NameVar->getFilename().str();
    S.Line = NameVar->getLine();
  } else if (Loc) {
    S.File = Loc->getFilename().str();
    S.Line = Loc.getLine();
  }
  if (S.File.empty())
    S.File = functionLoc(F).File;
  return S;
}

class FunctionGuard {
public:
  FunctionGuard(Function &F, RuntimeAPI &RT, const BufferGuardOptions &Opts)
      : F(F), RT(RT), Opts(Opts) {}

  bool run() {
    collect();
    if (Buffers.empty())
      return false;
    CallInst *Enter = ensureMonitored(F, RT);
    makeExitsOpaque(F, RT);
    StaticPos = Enter->getNextNode();
    bool AnyDynamic = false;
    for (Buffer &B : Buffers) {
      if (B.Arg) {
        guardByVal(B);
      } else {
        AnyDynamic |= !B.AI->isStaticAlloca();
        guardAlloca(B);
      }
    }
    if (AnyDynamic)
      rewriteStackSaves();
    ++NumFunctions;
    return true;
  }

private:
  Function &F;
  RuntimeAPI &RT;
  const BufferGuardOptions &Opts;
  SmallVector<Buffer, 8> Buffers;
  Instruction *StaticPos = nullptr; // static slots are allocated right before this

  bool selected(const SiteInfo &S) const {
    return !Opts.Only || Opts.Only->contains(S.Function + ":" + S.Buffer);
  }

  void collect() {
    const DataLayout &DL = RT.DL;
    for (Argument &A : F.args()) {
      if (!A.hasByValAttr())
        continue;
      DILocalVariable *Var = declaredVariable(&A);
      if (Var ? !containsArray(Var->getType()) : !containsArray(A.getParamByValType()))
        continue;
      Buffer B{nullptr, &A, makeSite(F, &A, Var, DebugLoc())};
      B.Site.Flags = HEAL_SITE_STACK;
      B.Site.Size = DL.getTypeAllocSize(A.getParamByValType());
      if (selected(B.Site))
        Buffers.push_back(B);
    }
    for (Instruction &I : instructions(F)) {
      auto *AI = dyn_cast<AllocaInst>(&I);
      if (!AI)
        continue;
      DILocalVariable *Var = declaredVariable(AI);
      if (!isBuffer(*AI, Var))
        continue;
      DILocalVariable *NameVar = Var ? Var : pointerVariableHolding(*AI);
      Buffer B{AI, nullptr, makeSite(F, AI, NameVar, AI->getDebugLoc())};
      B.Site.Flags = HEAL_SITE_STACK;
      if (std::optional<TypeSize> Size = AI->getAllocationSize(DL))
        B.Site.Size = Size->getFixedValue();
      else
        B.Site.Flags |= HEAL_SITE_DYNAMIC;
      if (selected(B.Site))
        Buffers.push_back(B);
    }
  }

  // Kept as at least the type's ABI alignment: the IR's accesses may assume it.
  Align alignOf(const Buffer &B) const {
    if (B.Arg) {
      Type *Ty = B.Arg->getParamByValType();
      return std::max(B.Arg->getParamAlign().valueOrOne(), RT.DL.getABITypeAlign(Ty));
    }
    return std::max(B.AI->getAlign(), RT.DL.getABITypeAlign(B.AI->getAllocatedType()));
  }

  CallInst *allocate(IRBuilder<> &IRB, Value *Size, Align A, const Buffer &B) {
    GlobalVariable *Site = createSite(RT, B.Site);
    CallInst *Slot =
        IRB.CreateCall(RT.stackAlloc(), {Size, IRB.getInt64(A.value()), Site});
    // What the runtime promises (never NULL, aligned); nothing more, so that the optimizer
    // keeps every access to the slot (see Runtime.h).
    Slot->addRetAttr(Attribute::NonNull);
    Slot->addRetAttr(Attribute::getWithAlignment(RT.C, A));
    return Slot;
  }

  void guardAlloca(Buffer &B) {
    AllocaInst *AI = B.AI;
    bool Static = AI->isStaticAlloca();
    IRBuilder<> IRB(Static ? StaticPos : AI);
    IRB.SetCurrentDebugLocation(AI->getDebugLoc());
    Value *Size;
    if (Static) {
      Size = IRB.getInt64(B.Site.Size);
    } else {
      Value *Count = IRB.CreateZExtOrTrunc(AI->getArraySize(), RT.I64);
      uint64_t Elem = RT.DL.getTypeAllocSize(AI->getAllocatedType());
      Size = Elem == 1 ? Count : IRB.CreateMul(Count, IRB.getInt64(Elem), "", /*NUW=*/true);
    }
    CallInst *Slot = allocate(IRB, Size, alignOf(B), B);

    // The slot lives until the frame exits: the alloca's lifetime markers go.
    SmallVector<Instruction *, 4> Dead;
    for (User *U : AI->users())
      if (auto *II = dyn_cast<IntrinsicInst>(U))
        if (II->isLifetimeStartOrEnd())
          Dead.push_back(II);
    for (Instruction *I : Dead)
      I->eraseFromParent();
    keepDebugInfo(B, Slot);
    AI->replaceAllUsesWith(Slot); // dbg.declare records follow (metadata RAUW)
    if (AI->hasName())
      Slot->takeName(AI);
    else
      Slot->setName(B.Site.Buffer != UnnamedBuffer ? B.Site.Buffer : "heal.slot");
    AI->eraseFromParent();
    describeSlot(Slot, Slot);
    (Static ? NumStatic : NumDynamic)++;
  }

  // Assignment tracking (clang -O1+ -g, seen at OptimizerLast) describes a variable by
  // dbg.assign records whose address is its alloca; they cannot describe a slot. Drop
  // them and declare the variable at the new pointer instead (see describeSlot).
  void keepDebugInfo(Buffer &B, Instruction *Slot) {
    SmallVector<DbgVariableIntrinsic *, 4> Intrinsics;
    SmallVector<DbgVariableRecord *, 4> Records;
    findDbgUsers(Intrinsics, B.AI, &Records);
    SmallVector<std::pair<DILocalVariable *, DebugLoc>, 2> Vars;
    for (DbgVariableRecord *DVR : Records)
      if (DVR->isDbgAssign() && DVR->getAddress() == B.AI) {
        Vars.push_back({DVR->getVariable(), DVR->getDebugLoc()});
        DVR->eraseFromParent();
      }
    for (DbgVariableIntrinsic *DVI : Intrinsics)
      if (auto *DAI = dyn_cast<DbgAssignIntrinsic>(DVI); DAI && DAI->getAddress() == B.AI) {
        Vars.push_back({DAI->getVariable(), DAI->getDebugLoc()});
        DAI->eraseFromParent();
      }
    DIBuilder DIB(*F.getParent(), /*AllowUnresolved=*/false);
    SmallPtrSet<DILocalVariable *, 2> Done;
    for (auto &[Var, Loc] : Vars)
      if (Done.insert(Var).second)
        DIB.insertDeclare(Slot, Var, DIB.createExpression(), Loc.get(), Slot->getNextNode());
  }

  // Debug info: the code generator drops a dbg.declare whose address is not an alloca
  // (at -O1 and above), and a dbg.value of the pointer with DW_OP_deref is lost or wrong
  // once the pointer is spilled. So the slot pointer is also stored (volatile, so that
  // it is never promoted) into a pointer-sized alloca, and the variable is declared
  // there with DW_OP_deref: "at the address held in this stack slot", valid for the
  // whole function at every -O level, for one store per buffer.
  void describeSlot(Instruction *Slot, Instruction *After) {
    SmallVector<std::tuple<DILocalVariable *, DIExpression *, DebugLoc>, 2> Vars;
    for (DbgVariableRecord *DVR : findDVRDeclares(Slot)) {
      Vars.push_back({DVR->getVariable(), DVR->getExpression(), DVR->getDebugLoc()});
      DVR->eraseFromParent();
    }
    for (DbgDeclareInst *DDI : findDbgDeclares(Slot)) {
      Vars.push_back({DDI->getVariable(), DDI->getExpression(), DDI->getDebugLoc()});
      DDI->eraseFromParent();
    }
    if (Vars.empty())
      return;
    BasicBlock &Entry = F.getEntryBlock();
    IRBuilder<> IRB(&Entry, Entry.getFirstInsertionPt());
    AllocaInst *Addr = IRB.CreateAlloca(RT.Ptr, nullptr, Slot->getName() + ".addr");
    IRB.SetInsertPoint(After->getNextNode());
    IRB.SetCurrentDebugLocation(After->getDebugLoc());
    StoreInst *Keep = IRB.CreateStore(Slot, Addr, /*isVolatile=*/true);
    DIBuilder DIB(*F.getParent(), /*AllowUnresolved=*/false);
    for (auto &[Var, Expr, Loc] : Vars)
      DIB.insertDeclare(Addr, Var, DIExpression::prepend(Expr, DIExpression::DerefBefore),
                        Loc.get(), Keep->getNextNode());
  }

  void guardByVal(Buffer &B) {
    Argument *A = B.Arg;
    IRBuilder<> IRB(StaticPos);
    if (DISubprogram *SP = F.getSubprogram())
      IRB.SetCurrentDebugLocation(DILocation::get(RT.C, SP->getScopeLine(), 0, SP));
    Align Al = alignOf(B);
    CallInst *Slot = allocate(IRB, IRB.getInt64(B.Site.Size), Al, B);
    Slot->setName(A->hasName() ? A->getName() + ".heal" : B.Site.Buffer + ".heal");
    CallInst *Copy = IRB.CreateMemCpy(Slot, Al, A, A->getParamAlign(), B.Site.Size);
    A->replaceUsesWithIf(Slot, [Copy](Use &U) { return U.getUser() != Copy; });
    DIBuilder DIB(*F.getParent(), /*AllowUnresolved=*/false);
    replaceDbgDeclare(A, Slot, DIB, DIExpression::ApplyOffset, 0);
    describeSlot(Slot, Copy);
    ++NumByVal;
  }

  // Once dynamic allocas come from slots, a scope's stacksave/stackrestore must release
  // the slots allocated in it. If unguarded dynamic allocas remain (only some buffers
  // selected), the machine stack must still be restored too: the saved value becomes a
  // small record {stack pointer, slot mark} allocated on the stack right after the save,
  // so the restore it pairs with frees it as well.
  void rewriteStackSaves() {
    bool Mixed = false;
    SmallVector<IntrinsicInst *, 8> Saves, Restores;
    for (Instruction &I : instructions(F)) {
      if (auto *AI = dyn_cast<AllocaInst>(&I))
        Mixed |= !AI->isStaticAlloca();
      if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
        if (II->getIntrinsicID() == Intrinsic::stacksave)
          Saves.push_back(II);
        else if (II->getIntrinsicID() == Intrinsic::stackrestore)
          Restores.push_back(II);
      }
    }
    StructType *RecTy = StructType::get(RT.C, {RT.Ptr, RT.I64});
    for (IntrinsicInst *Save : Saves) {
      IRBuilder<> IRB(Mixed ? Save->getNextNode() : Save);
      IRB.SetCurrentDebugLocation(Save->getDebugLoc());
      Value *Mark = IRB.CreateCall(RT.slotMark(), {}, "heal.mark");
      if (!Mixed) {
        Value *P = IRB.CreateIntToPtr(Mark, Save->getType());
        Save->replaceAllUsesWith(P);
        P->takeName(Save);
        Save->eraseFromParent();
        continue;
      }
      AllocaInst *Rec = IRB.CreateAlloca(RecTy, nullptr, "heal.saved");
      SmallVector<Use *, 4> Uses;
      for (Use &U : Save->uses())
        Uses.push_back(&U);
      IRB.CreateStore(Save, IRB.CreateStructGEP(RecTy, Rec, 0));
      IRB.CreateStore(Mark, IRB.CreateStructGEP(RecTy, Rec, 1));
      for (Use *U : Uses)
        U->set(Rec);
    }
    for (IntrinsicInst *Restore : Restores) {
      IRBuilder<> IRB(Restore);
      IRB.SetCurrentDebugLocation(Restore->getDebugLoc());
      Value *Saved = Restore->getArgOperand(0);
      if (!Mixed) {
        IRB.CreateCall(RT.slotRelease(), {IRB.CreatePtrToInt(Saved, RT.I64)});
        Restore->eraseFromParent();
        continue;
      }
      Value *SP = IRB.CreateLoad(RT.Ptr, IRB.CreateStructGEP(RecTy, Saved, 0));
      Value *Mark = IRB.CreateLoad(RT.I64, IRB.CreateStructGEP(RecTy, Saved, 1));
      IRB.CreateCall(RT.slotRelease(), {Mark});
      Restore->setArgOperand(0, SP);
    }
    NumStackSave += Saves.size();
  }
};

} // namespace

PreservedAnalyses HealBufferGuardPass::run(Module &M, ModuleAnalysisManager &) {
  if (isRegistered(M))
    return PreservedAnalyses::all();
  SkipList Skip(M);
  RuntimeAPI RT(M);
  SmallVector<Function *, 32> Work;
  for (Function &F : M)
    if (Skip.shouldInstrument(F))
      Work.push_back(&F);
  bool Changed = false;
  for (Function *F : Work) {
    bool Guarded = FunctionGuard(*F, RT, Opts).run();
    LLVM_DEBUG(if (Guarded) dbgs() << "heal-guard: " << F->getName() << "\n");
    Changed |= Guarded;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace heal
