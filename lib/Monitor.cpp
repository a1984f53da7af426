#include "Monitor.h"
#include "ModuleRegistration.h"
#include "Skip.h"
#include "SourceInfo.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

#define DEBUG_TYPE "heal-monitor"

using namespace llvm;

STATISTIC(NumMonitored, "Functions given shadow-stack entry/exit");
STATISTIC(NumAlreadyMonitored, "Functions that already called __heal_enter");
STATISTIC(NumExits, "__heal_exit calls inserted");
STATISTIC(NumUnwinds, "__heal_unwind_to calls inserted after returns_twice calls");
STATISTIC(NumSkipped, "Defined functions left alone by the skip list");

namespace heal {

// The fast paths (heal.h): one call each, to assembly in the runtime with LLVM's
// preserve_most convention, so the caller keeps its registers across them. Not inline
// code: a branch around the slow path would split the block, and the optimizer may then
// sink a division of the body (side-effect free in IR, a trap on x86) past the exit, or one
// of the caller's into an inlined callee, and the fault would be reported in the wrong
// frame. A call keeps the order the source has.
static bool isEnter(const Function *Callee) {
  return Callee &&
         (Callee->getName() == HEAL_RT_ENTER || Callee->getName() == HEAL_RT_ENTER_FAST);
}
static bool isExit(const Function *Callee) {
  return Callee && (Callee->getName() == HEAL_RT_EXIT || Callee->getName() == HEAL_RT_EXIT_FAST);
}

CallInst *findEnter(Function &F) {
  if (F.isDeclaration())
    return nullptr;
  for (Instruction &I : F.getEntryBlock())
    if (auto *CI = dyn_cast<CallInst>(&I))
      if (isEnter(CI->getCalledFunction()))
        return CI;
  return nullptr;
}

// The memory effects of the enter and exit calls: the descriptor (enter) and the runtime's
// own state. That lets the optimizer keep the program's values in registers across them
// -- this matters once small callees are inlined into hot loops. No `willreturn`: a load
// or store of the function's body cannot be hoisted above its enter, so a fault is
// reported in the frame where the access is written. Leaving a frame that owns guarded
// slots releases them: the buffer guard makes those exits opaque again.
static MemoryEffects enterEffects() {
  return MemoryEffects::argMemOnly(ModRefInfo::Ref) | MemoryEffects::inaccessibleMemOnly();
}
static MemoryEffects exitEffects() { return MemoryEffects::inaccessibleMemOnly(); }

// i32 __heal_enter_fast(ptr fn) / void __heal_exit_fast(i32 depth): preserve_most, bound
// at load time (a lazy-binding resolver would not keep the registers).
static FunctionCallee fastPath(RuntimeAPI &RT, StringRef Name, Type *Ret, Type *Arg) {
  FunctionCallee FC = RT.M.getOrInsertFunction(Name, FunctionType::get(Ret, {Arg}, false));
  if (auto *F = dyn_cast<Function>(FC.getCallee())) {
    F->setCallingConv(CallingConv::PreserveMost);
    F->addFnAttr(Attribute::NoUnwind);
    F->addFnAttr(Attribute::NonLazyBind);
  }
  return FC;
}

// private constant struct heal_function {name, file, line, flags = 0}
static GlobalVariable *describe(Function &F, RuntimeAPI &RT) {
  SourceLoc L = functionLoc(F);
  Constant *Init = ConstantStruct::get(
      RT.FunctionTy, {RT.string(functionName(F)), RT.string(L.File),
                      ConstantInt::get(RT.I32, L.Line), ConstantInt::get(RT.I32, 0)});
  auto *GV = new GlobalVariable(RT.M, RT.FunctionTy, /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, Init, "heal.fn." + F.getName());
  GV->setAlignment(RT.DL.getABITypeAlign(RT.FunctionTy));
  return GV;
}

static CallInst *instrument(Function &F, RuntimeAPI &RT) {
  SmallVector<Instruction *, 8> Exits;  // insert __heal_exit before these
  SmallVector<CallBase *, 2> Twice;     // insert __heal_unwind_to after these
  for (BasicBlock &BB : F) {
    Instruction *T = BB.getTerminator();
    if (isa<ReturnInst>(T)) {
      // A musttail call must stay right before its ret; the frame ends at the call (the
      // callee may not use the caller's stack, so releasing the slots first is sound).
      if (CallInst *Tail = BB.getTerminatingMustTailCall())
        Exits.push_back(Tail);
      else
        Exits.push_back(T);
    } else if (isa<ResumeInst>(T)) {
      Exits.push_back(T);
    }
    for (Instruction &I : BB)
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (CB->hasFnAttr(Attribute::ReturnsTwice))
          Twice.push_back(CB);
  }

  BasicBlock &Entry = F.getEntryBlock();
  IRBuilder<> B(&Entry, Entry.getFirstNonPHIOrDbgOrAlloca());
  DISubprogram *SP = F.getSubprogram();
  if (SP)
    B.SetCurrentDebugLocation(
        DILocation::get(RT.C, SP->getScopeLine() ? SP->getScopeLine() : SP->getLine(), 0, SP));
  CallInst *Enter = B.CreateCall(fastPath(RT, HEAL_RT_ENTER_FAST, RT.I32, RT.Ptr),
                                 {describe(F, RT)}, "heal.depth");
  Enter->setCallingConv(CallingConv::PreserveMost);
  Enter->addFnAttr(Attribute::getWithMemoryEffects(RT.C, enterEffects()));

  FunctionCallee ExitFast = fastPath(RT, HEAL_RT_EXIT_FAST, Type::getVoidTy(RT.C), RT.I32);
  for (Instruction *I : Exits) {
    B.SetInsertPoint(I);
    B.SetCurrentDebugLocation(I->getDebugLoc());
    CallInst *Exit = B.CreateCall(ExitFast, {Enter});
    Exit->setCallingConv(CallingConv::PreserveMost);
    Exit->addFnAttr(Attribute::getWithMemoryEffects(RT.C, exitEffects()));
    ++NumExits;
  }
  for (CallBase *CB : Twice) {
    Instruction *At;
    if (auto *II = dyn_cast<InvokeInst>(CB)) {
      BasicBlock *Dest = II->getNormalDest();
      if (!Dest->getSinglePredecessor())
        Dest = SplitEdge(II->getParent(), Dest);
      At = &*Dest->getFirstInsertionPt();
    } else {
      At = CB->getNextNode();
    }
    B.SetInsertPoint(At);
    B.SetCurrentDebugLocation(CB->getDebugLoc());
    B.CreateCall(RT.unwindTo(), {Enter});
    ++NumUnwinds;
  }
  LLVM_DEBUG(dbgs() << "heal-monitor: " << F.getName() << ": " << Exits.size() << " exits, "
                    << Twice.size() << " returns_twice calls\n");
  ++NumMonitored;
  return Enter;
}

void makeExitsOpaque(Function &F, RuntimeAPI &RT) {
  // Such an exit always releases slots: the runtime call, not the inline path.
  for (Instruction &I : instructions(F))
    if (auto *CI = dyn_cast<CallInst>(&I))
      if (isExit(CI->getCalledFunction())) {
        CI->setCalledFunction(RT.exit());
        CI->setCallingConv(CallingConv::C);
        CI->removeFnAttr(Attribute::Memory);
      }
}

CallInst *ensureMonitored(Function &F, RuntimeAPI &RT) {
  if (CallInst *Enter = findEnter(F))
    return Enter;
  return instrument(F, RT);
}

PreservedAnalyses HealMonitorPass::run(Module &M, ModuleAnalysisManager &) {
  if (isRegistered(M))
    return PreservedAnalyses::all();
  SkipList Skip(M);
  RuntimeAPI RT(M);
  SmallVector<Function *, 32> Work;
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    if (!Skip.shouldInstrument(F)) {
      LLVM_DEBUG(dbgs() << "heal-monitor: skip " << F.getName() << " (" << Skip.reason(F)
                        << ")\n");
      ++NumSkipped;
      continue;
    }
    if (findEnter(F)) {
      ++NumAlreadyMonitored;
      continue;
    }
    Work.push_back(&F);
  }
  for (Function *F : Work)
    instrument(*F, RT);
  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}

} // namespace heal
