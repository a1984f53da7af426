#include "Monitor.h"
#include "InlineState.h"
#include "ModuleRegistration.h"
#include "Skip.h"
#include "SourceInfo.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
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
STATISTIC(NumPinned, "Integer divisions pinned in place (they may trap)");

namespace heal {

// The inline fast paths (heal.h): internal alwaysinline functions, so the instrumented IR
// stays readable and clang's pipeline inlines them at every -O level.
static constexpr StringLiteral EnterFastName = "heal.enter";
static constexpr StringLiteral ExitFastName = "heal.exit";

static bool isEnter(const Function *Callee) {
  return Callee && (Callee->getName() == HEAL_RT_ENTER || Callee->getName() == EnterFastName);
}
static bool isExit(const Function *Callee) {
  return Callee && (Callee->getName() == HEAL_RT_EXIT || Callee->getName() == ExitFastName);
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

namespace {
// heal.enter / heal.exit (InlineState.h says what the inline paths share).
struct FastPath : InlineState {
  using InlineState::InlineState;

  // The runtime's slow path (heal.h): preserve_most, so the fast path's code needs no
  // register saves for it; bound at load time, as lazy binding would clobber registers.
  FunctionCallee slow(StringRef Name, Type *Ret) {
    Type *Arg = Ret->isVoidTy() ? static_cast<Type *>(RT.I32) : RT.Ptr;
    FunctionCallee FC = RT.M.getOrInsertFunction(Name, FunctionType::get(Ret, {Arg}, false));
    if (auto *F = dyn_cast<Function>(FC.getCallee())) {
      F->setCallingConv(CallingConv::PreserveMost);
      F->addFnAttr(Attribute::NoUnwind);
      F->addFnAttr(Attribute::NonLazyBind);
    }
    return FC;
  }

  // i32 heal.enter(ptr fn)
  Function *enter() {
    if (Function *F = RT.M.getFunction(EnterFastName))
      return F;
    Function *F = create(EnterFastName, FunctionType::get(RT.I32, {RT.Ptr}, false));
    Argument *Fn = F->getArg(0);
    Fn->setName("fn");
    auto *Entry = BasicBlock::Create(RT.C, "entry", F);
    auto *Check = BasicBlock::Create(RT.C, "check", F);
    auto *Push = BasicBlock::Create(RT.C, "push", F);
    auto *Slow = BasicBlock::Create(RT.C, "slow", F);
    IRBuilder<> B(Entry);
    Value *T = selfOrSlow(B, Check, Slow);
    Value *D0 = load(B, RT.I32, at(B, T, HEAL_THREAD_DEPTH, "depth.addr"), "d0");
    Value *LD = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE_DEPTH, "live.addr"), "live");
    // Room for the frame, and no slots left over by a longjmp nobody unwound.
    Value *Ok = B.CreateAnd(B.CreateICmpULT(D0, B.getInt32(HEAL_SHADOW_CAP)),
                            B.CreateICmpULE(LD, D0), "ok");
    B.CreateCondBr(Ok, Push, Slow, Likely);
    B.SetInsertPoint(Push);
    Value *D = B.CreateNUWAdd(D0, B.getInt32(1), "d");
    store(B, D, at(B, T, HEAL_THREAD_DEPTH, "depth.addr"));
    Value *Frames = at(B, T, HEAL_THREAD_FRAMES, "frames");
    store(B, Fn, B.CreateInBoundsGEP(RT.Ptr, Frames, B.CreateZExt(D0, RT.I64), "frame"));
    B.CreateRet(D);
    B.SetInsertPoint(Slow);
    CallInst *Call = B.CreateCall(slow(HEAL_RT_ENTER_SLOW, RT.I32), {Fn}, "d");
    Call->setCallingConv(CallingConv::PreserveMost);
    Call->addFnAttr(Attribute::getWithMemoryEffects(RT.C, enterEffects()));
    B.CreateRet(Call);
    return F;
  }

  // void heal.exit(i32 depth)
  Function *exit() {
    if (Function *F = RT.M.getFunction(ExitFastName))
      return F;
    Function *F = create(ExitFastName, FunctionType::get(Type::getVoidTy(RT.C), {RT.I32}, false));
    Argument *D = F->getArg(0);
    D->setName("depth");
    auto *Entry = BasicBlock::Create(RT.C, "entry", F);
    auto *Check = BasicBlock::Create(RT.C, "check", F);
    auto *Pop = BasicBlock::Create(RT.C, "pop", F);
    auto *Slow = BasicBlock::Create(RT.C, "slow", F);
    IRBuilder<> B(Entry);
    Value *T = selfOrSlow(B, Check, Slow);
    Value *LD = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE_DEPTH, "live.addr"), "live");
    // Slots of this frame or deeper to release (or depth 0): the runtime does it.
    B.CreateCondBr(B.CreateICmpULT(LD, D, "none"), Pop, Slow, Likely);
    B.SetInsertPoint(Pop);
    store(B, B.CreateSub(D, B.getInt32(1)), at(B, T, HEAL_THREAD_DEPTH, "depth.addr"));
    B.CreateRetVoid();
    B.SetInsertPoint(Slow);
    CallInst *Call = B.CreateCall(slow(HEAL_RT_EXIT_SLOW, Type::getVoidTy(RT.C)), {D});
    Call->setCallingConv(CallingConv::PreserveMost);
    Call->addFnAttr(Attribute::getWithMemoryEffects(RT.C, exitEffects()));
    B.CreateRetVoid();
    return F;
  }
};
} // namespace

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

// An integer division is side-effect free in IR (division by zero is undefined behaviour)
// but traps on x86, and the optimizer moves it freely: once the inline enter/exit have
// split the blocks, InstCombine sinks a division whose only use is the return value past
// the exit, or a caller's division into an inlined callee that uses the quotient, and the
// SIGFPE would be reported in the wrong frame. An empty `asm sideeffect` that takes the
// result right after the division pins it in place (side effects keep their order), at
// the cost of one register. Divisors that are constants cannot trap: left alone.
static unsigned pinDivisions(Function &F) {
  SmallVector<BinaryOperator *, 4> Divs;
  for (Instruction &I : instructions(F))
    if (auto *BO = dyn_cast<BinaryOperator>(&I))
      switch (BO->getOpcode()) {
      case Instruction::SDiv:
      case Instruction::UDiv:
      case Instruction::SRem:
      case Instruction::URem:
        // Scalars a general register holds (vectors have no integer division on x86).
        if (!isa<Constant>(BO->getOperand(1)) && BO->getType()->isIntegerTy())
          if (unsigned W = BO->getType()->getIntegerBitWidth(); W >= 8 && W <= 64 && !(W & (W - 1)))
            Divs.push_back(BO);
        break;
      default:
        break;
      }
  for (BinaryOperator *BO : Divs) {
    auto *Ty = FunctionType::get(Type::getVoidTy(F.getContext()), {BO->getType()}, false);
    IRBuilder<> B(BO->getNextNode());
    B.SetCurrentDebugLocation(BO->getDebugLoc());
    B.CreateCall(InlineAsm::get(Ty, "", "r", /*hasSideEffects=*/true), {BO});
  }
  return Divs.size();
}

static CallInst *instrument(Function &F, RuntimeAPI &RT) {
  NumPinned += pinDivisions(F);
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
  FastPath Fast(RT);
  CallInst *Enter = B.CreateCall(Fast.enter(), {describe(F, RT)}, "heal.depth");
  Enter->addFnAttr(Attribute::getWithMemoryEffects(RT.C, enterEffects()));

  for (Instruction *I : Exits) {
    B.SetInsertPoint(I);
    B.SetCurrentDebugLocation(I->getDebugLoc());
    CallInst *Exit = B.CreateCall(Fast.exit(), {Enter});
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
