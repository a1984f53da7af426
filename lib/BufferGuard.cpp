#include "BufferGuard.h"
#include "InlineState.h"
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
#include "llvm/IR/MDBuilder.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/Local.h"

#define DEBUG_TYPE "heal-guard"

using namespace llvm;

STATISTIC(NumStatic, "Static stack buffers guarded");
STATISTIC(NumDynamic, "Dynamic allocas (alloca(), VLA) guarded");
STATISTIC(NumByVal, "byval arguments copied into guarded slots");
STATISTIC(NumFunctions, "Functions with guarded buffers");
STATISTIC(NumStackSave, "llvm.stacksave/stackrestore turned into slot mark/release");
STATISTIC(NumInlineAlloc, "Slot allocations given the inline fast path");

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

// The inline fast paths of a slot's allocation and of the exit of a frame that owns slots
// (heal.h gives the protocol; InlineState.h what they share with heal-monitor's). The slot
// metadata is accessed like the thread state; the canary loads are volatile too but
// untagged: they may alias the program's (out-of-bounds) stores. Anything not on the fast
// path calls the runtime, which does the whole job as before.
struct SlotFastPath : InlineState {
  using InlineState::InlineState;

  Value *atv(IRBuilder<> &B, Value *P, Value *Off) {
    return B.CreateInBoundsGEP(B.getInt8Ty(), P, Off);
  }
  // The metadata array: set once, before the first thread state exists.
  Value *slots(IRBuilder<> &B) {
    GlobalVariable *GV = RT.M.getNamedGlobal(HEAL_RT_SLOTS);
    if (!GV)
      GV = new GlobalVariable(RT.M, RT.Ptr, false, GlobalValue::ExternalLinkage, nullptr,
                              HEAL_RT_SLOTS);
    LoadInst *L = B.CreateLoad(RT.Ptr, GV, "slots");
    L->setMetadata(LLVMContext::MD_tbaa, Tag);
    return L;
  }
  Value *slot(IRBuilder<> &B, Value *Slots, Value *Id, const Twine &Name) {
    Value *S = atv(B, Slots, B.CreateMul(B.CreateZExt(Id, RT.I64), B.getInt64(HEAL_SLOT_BYTES)));
    S->setName(Name);
    return S;
  }

  // ptr heal.stack.alloc(i64 size, i64 align, ptr site); size and align are constants at
  // every call (size <= 4 KiB, align a power of two <= 4 KiB).
  Function *alloc() {
    if (Function *F = RT.M.getFunction(HEAL_STACK_ALLOC_INLINE))
      return F;
    Function *F = create(HEAL_STACK_ALLOC_INLINE,
                         FunctionType::get(RT.Ptr, {RT.I64, RT.I64, RT.Ptr}, false));
    Value *Size = F->getArg(0), *Align = F->getArg(1), *Site = F->getArg(2);
    auto *Entry = BasicBlock::Create(RT.C, "entry", F);
    auto *Check = BasicBlock::Create(RT.C, "check", F);
    auto *Top = BasicBlock::Create(RT.C, "top", F);
    auto *Link = BasicBlock::Create(RT.C, "link", F);
    auto *Slow = BasicBlock::Create(RT.C, "slow", F);
    auto *Done = BasicBlock::Create(RT.C, "done", F);
    IRBuilder<> B(Entry);
    Value *T = selfOrSlow(B, Check, Slow);
    Value *D = load(B, RT.I32, at(B, T, HEAL_THREAD_DEPTH), "d");
    Value *LD = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE_DEPTH), "live.depth");
    Value *Busy = load(B, RT.I32, at(B, T, HEAL_THREAD_BUSY), "busy");
    Value *N = load(B, RT.I32, at(B, T, HEAL_THREAD_CACHE0), "n");
    Value *DM1 = B.CreateSub(D, B.getInt32(1), "dm1");
    Value *Ok = B.CreateAnd(
        B.CreateAnd(B.CreateICmpULE(LD, D), B.CreateICmpEQ(Busy, B.getInt32(0))),
        B.CreateAnd(B.CreateICmpULT(DM1, B.getInt32(HEAL_SHADOW_CAP)),
                    B.CreateICmpNE(N, B.getInt32(0))),
        "ok");
    B.CreateCondBr(Ok, Top, Slow, Likely);
    B.SetInsertPoint(Top);
    Value *NM1 = B.CreateSub(N, B.getInt32(1), "nm1");
    Value *IdAddr = atv(B, T, B.CreateAdd(B.getInt64(HEAL_THREAD_CACHE0 + 4),
                                         B.CreateShl(B.CreateZExt(NM1, RT.I64), 2)));
    Value *Id = load(B, RT.I32, IdAddr, "id");
    Value *S = slot(B, slots(B), Id, "s");
    Value *Kind = load(B, B.getInt8Ty(), at(B, S, HEAL_SLOT_KIND), "kind");
    Value *SSize = load(B, RT.I64, at(B, S, HEAL_SLOT_SIZE), "size");
    Value *Placed = load(B, B.getInt8Ty(), at(B, S, HEAL_SLOT_PLACED), "placed");
    Value *Lg = B.CreateTrunc(
        B.CreateBinaryIntrinsic(Intrinsic::cttz, Align, B.getTrue()), B.getInt8Ty(), "lg");
    Value *Same = B.CreateAnd(B.CreateAnd(B.CreateICmpEQ(Kind, B.getInt8(1)),
                                          B.CreateICmpEQ(SSize, Size)),
                              B.CreateICmpEQ(Placed, Lg), "same");
    B.CreateCondBr(Same, Link, Slow, Likely);
    // Popped, then linked live in the runtime's order (slots.c stack_link).
    B.SetInsertPoint(Link);
    store(B, NM1, at(B, T, HEAL_THREAD_CACHE0));
    store(B, Site, at(B, S, HEAL_SLOT_SITE));
    Value *Fn = load(B, RT.Ptr,
                     atv(B, T, B.CreateAdd(B.getInt64(HEAL_THREAD_FRAMES),
                                          B.CreateShl(B.CreateZExt(DM1, RT.I64), 3))),
                     "fn");
    store(B, Fn, at(B, S, HEAL_SLOT_FN));
    store(B, D, at(B, S, HEAL_SLOT_DEPTH));
    Value *Seq = load(B, RT.I64, at(B, T, HEAL_THREAD_SEQ), "seq");
    store(B, Seq, at(B, S, HEAL_SLOT_SEQ));
    store(B, B.CreateAdd(Seq, B.getInt64(1)), at(B, T, HEAL_THREAD_SEQ));
    Value *Live = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE), "live");
    store(B, Live, at(B, S, HEAL_SLOT_NEXT));
    store(B, B.getInt8(1), at(B, S, HEAL_SLOT_STATE));
    store(B, Id, at(B, T, HEAL_THREAD_LIVE));
    store(B, D, at(B, T, HEAL_THREAD_LIVE_DEPTH));
    Value *Start = load(B, RT.Ptr, at(B, S, HEAL_SLOT_START), "start");
    B.CreateBr(Done);
    B.SetInsertPoint(Slow);
    CallInst *Call = B.CreateCall(RT.stackAlloc(), {Size, Align, Site}, "slot");
    B.CreateBr(Done);
    B.SetInsertPoint(Done);
    PHINode *P = B.CreatePHI(RT.Ptr, 2, "p");
    P->addIncoming(Start, Link);
    P->addIncoming(Call, Slow);
    B.CreateRet(P);
    return F;
  }

  // void heal.stack.exit(i32 depth): the exit of a frame that owns guarded slots.
  Function *exit() {
    if (Function *F = RT.M.getFunction(HEAL_STACK_EXIT_INLINE))
      return F;
    Function *F = create(HEAL_STACK_EXIT_INLINE,
                         FunctionType::get(Type::getVoidTy(RT.C), {RT.I32}, false));
    Value *D = F->getArg(0);
    auto *Entry = BasicBlock::Create(RT.C, "entry", F);
    auto *Check = BasicBlock::Create(RT.C, "check", F);
    auto *Pop = BasicBlock::Create(RT.C, "pop", F);
    auto *Owned = BasicBlock::Create(RT.C, "owned", F);
    auto *One = BasicBlock::Create(RT.C, "one", F);
    auto *Canary = BasicBlock::Create(RT.C, "canary", F);
    auto *Release = BasicBlock::Create(RT.C, "release", F);
    auto *Slow = BasicBlock::Create(RT.C, "slow", F);
    auto *Done = BasicBlock::Create(RT.C, "done", F);
    IRBuilder<> B(Entry);
    Value *T = selfOrSlow(B, Check, Slow);
    Value *LD = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE_DEPTH), "live.depth");
    B.CreateCondBr(B.CreateICmpULT(LD, D), Pop, Owned);
    // No slot of this frame is live (e.g. its VLA scope ended): pop as heal.exit does.
    B.SetInsertPoint(Pop);
    Value *DM1 = B.CreateSub(D, B.getInt32(1), "dm1");
    store(B, DM1, at(B, T, HEAL_THREAD_DEPTH));
    B.CreateBr(Done);
    B.SetInsertPoint(Owned);
    Value *Id = load(B, RT.I32, at(B, T, HEAL_THREAD_LIVE), "id");
    Value *Busy = load(B, RT.I32, at(B, T, HEAL_THREAD_BUSY), "busy");
    Value *N = load(B, RT.I32, at(B, T, HEAL_THREAD_CACHE0), "n");
    Value *Ok = B.CreateAnd(
        B.CreateAnd(B.CreateICmpEQ(LD, D), B.CreateICmpNE(Id, B.getInt32(0))),
        B.CreateAnd(B.CreateICmpEQ(Busy, B.getInt32(0)),
                    B.CreateICmpULT(N, B.getInt32(HEAL_CACHE_CAP_ABI))),
        "ok");
    B.CreateCondBr(Ok, One, Slow, Likely);
    B.SetInsertPoint(One);
    Value *Slots = slots(B);
    Value *S = slot(B, Slots, Id, "s");
    Value *Next = load(B, RT.I32, at(B, S, HEAL_SLOT_NEXT), "next");
    // Slot 0 ("none") has metadata too, never written: its depth reads 0.
    Value *NextDepth = load(B, RT.I32, at(B, slot(B, Slots, Next, "ns"), HEAL_SLOT_DEPTH));
    NextDepth = B.CreateSelect(B.CreateICmpNE(Next, B.getInt32(0)), NextDepth, B.getInt32(0),
                               "next.depth");
    Value *State = load(B, B.getInt8Ty(), at(B, S, HEAL_SLOT_STATE), "state");
    Value *Cls = load(B, B.getInt8Ty(), at(B, S, HEAL_SLOT_CLS), "cls");
    Value *Can = load(B, RT.I32, at(B, S, HEAL_SLOT_CANARIES), "canaries");
    Value *Fast = B.CreateAnd(
        B.CreateAnd(B.CreateICmpULT(NextDepth, D), B.CreateICmpEQ(State, B.getInt8(1))),
        B.CreateAnd(B.CreateICmpEQ(Cls, B.getInt8(0)), B.CreateICmpEQ(Can, B.getInt32(64))),
        "fast");
    B.CreateCondBr(Fast, Canary, Slow, Likely);
    // The 64 canary bytes in front of the buffer; a broken one: the runtime reports it.
    B.SetInsertPoint(Canary);
    Value *Start = load(B, RT.Ptr, at(B, S, HEAL_SLOT_START), "start");
    auto *VTy = FixedVectorType::get(RT.I64, 2);
    Value *Pattern = ConstantVector::getSplat(ElementCount::getFixed(2),
                                              B.getInt64(0xa5a5a5a5a5a5a5a5ull));
    Value *Diff = nullptr;
    for (int K = 0; K < 4; K++) {
      LoadInst *L = B.CreateAlignedLoad(
          VTy, B.CreateConstGEP1_64(B.getInt8Ty(), Start, -64 + 16 * K), MaybeAlign(1),
          /*isVolatile=*/true);
      Value *X = B.CreateXor(L, Pattern);
      Diff = Diff ? B.CreateOr(Diff, X) : X;
    }
    Value *Intact = B.CreateICmpEQ(B.CreateBitCast(Diff, B.getInt128Ty()), ConstantInt::get(B.getInt128Ty(), 0),
                                   "intact");
    B.CreateCondBr(Intact, Release, Slow, Likely);
    // Unlinked, freed, pushed on the cache, frame popped: slots.c's order.
    B.SetInsertPoint(Release);
    store(B, Next, at(B, T, HEAL_THREAD_LIVE));
    store(B, NextDepth, at(B, T, HEAL_THREAD_LIVE_DEPTH));
    store(B, B.getInt8(0), at(B, S, HEAL_SLOT_STATE));
    store(B, Id, atv(B, T, B.CreateAdd(B.getInt64(HEAL_THREAD_CACHE0 + 4),
                                      B.CreateShl(B.CreateZExt(N, RT.I64), 2))));
    store(B, B.CreateAdd(N, B.getInt32(1)), at(B, T, HEAL_THREAD_CACHE0));
    store(B, B.CreateSub(D, B.getInt32(1)), at(B, T, HEAL_THREAD_DEPTH));
    B.CreateBr(Done);
    B.SetInsertPoint(Slow);
    B.CreateCall(RT.exit(), {D});
    B.CreateBr(Done);
    B.SetInsertPoint(Done);
    B.CreateRetVoid();
    return F;
  }
};

class FunctionGuard {
public:
  FunctionGuard(Function &F, RuntimeAPI &RT, const BufferGuardOptions &Opts)
      : F(F), RT(RT), Opts(Opts), Fast(RT) {}

  bool run() {
    collect();
    if (Buffers.empty())
      return false;
    CallInst *Enter = ensureMonitored(F, RT);
    makeExitsOpaque(F, RT);
    // Such an exit releases the frame's slots: inline for the common case of one slot.
    FunctionCallee Exit = RT.exit();
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (CI->getCalledOperand() == Exit.getCallee())
          CI->setCalledFunction(Fast.exit());
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
  SlotFastPath Fast;

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
    // A constant size of at most a page (the 4 KiB class): the inline fast path.
    auto *CSize = dyn_cast<ConstantInt>(Size);
    bool Inline = CSize && CSize->getZExtValue() <= HEAL_INLINE_SLOT_MAX &&
                  A.value() <= HEAL_INLINE_SLOT_MAX;
    CallInst *Slot = IRB.CreateCall(Inline ? FunctionCallee(Fast.alloc()) : RT.stackAlloc(),
                                    {Size, IRB.getInt64(A.value()), Site});
    NumInlineAlloc += Inline;
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
