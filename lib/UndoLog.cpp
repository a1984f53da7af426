#include "UndoLog.h"
#include "Policy.h"
#include "Skip.h"

#include "heal/heal.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

#define DEBUG_TYPE "heal-undo"

STATISTIC(NumLogged, "Writes undo-logged");
STATISTIC(NumInline, "Writes undo-logged by the inline fast path");
STATISTIC(NumClones, "Functions cloned for transactional callers");
STATISTIC(NumAllocs, "Allocation calls sent to __heal_tx_*");
STATISTIC(NumRedirected, "Indirect calls in transactional code sent through __heal_tx_target");

static cl::opt<bool> UndoInline(
    "heal-undo-inline",
    cl::desc("heal: append the undo-log entry of a 1/2/4/8-byte store inline (the runtime is "
             "called only when the log is full); off: always call __heal_undo_log"),
    cl::init(true));

static cl::opt<bool> UndoIndirect(
    "heal-undo-indirect",
    cl::desc("heal: send indirect calls in transactional code through __heal_tx_target to the "
             "undo-logging clones of the module's address-taken functions (off: they call the "
             "original functions, whose writes are not logged)"),
    cl::init(true));

namespace heal {

namespace {

// Marks a function this pass instrumented (F or a clone): running twice changes nothing.
constexpr StringLiteral DoneAttr = "heal-undo";

// How a libc call writes memory. Arguments are indexes into the call's arguments.
struct Writer {
  enum KindTy {
    None,
    Range,   // Dst, Size bytes (Size2 set: Size * Size2 bytes, fread)
    Str,     // strcpy: __heal_undo_log_strcpy(Dst, Src)
    Cat,     // strcat/strncat: __heal_undo_log_strcat(Dst, Src, Max or -1)
    Printf,  // __heal_undo_log_printf(Dst, Limit or -1, Fmt, varargs...)
    VPrintf, // __heal_undo_log_vprintf(Dst, Limit or -1, Fmt, Ap)
  } Kind = None;
  int Dst = -1, Size = -1, Size2 = -1, Src = -1, Fmt = -1, Ap = -1;
  bool SignedSize = false; // fgets' int size
};

Writer writerOf(StringRef Name) {
  Writer W;
  auto range = [&](int Dst, int Size, int Size2 = -1) {
    W.Kind = Writer::Range;
    W.Dst = Dst;
    W.Size = Size;
    W.Size2 = Size2;
  };
  auto str = [&](Writer::KindTy K, int Max = -1) {
    W.Kind = K;
    W.Dst = 0;
    W.Src = 1;
    W.Size = Max;
  };
  auto printf = [&](Writer::KindTy K, int Limit, int Fmt) {
    W.Kind = K;
    W.Dst = 0;
    W.Size = Limit;
    W.Fmt = Fmt;
    W.Ap = K == Writer::VPrintf ? Fmt + 1 : -1;
  };
  // memcpy & co. (as calls: the front end usually emits the intrinsics instead)
  if (is_contained({"memcpy", "memmove", "mempcpy", "memset", "__memcpy_chk", "__memmove_chk",
                    "__mempcpy_chk", "__memset_chk", "strncpy", "stpncpy", "__strncpy_chk",
                    "__stpncpy_chk"},
                   Name))
    range(0, 2);
  else if (Name == "bzero" || Name == "explicit_bzero")
    range(0, 1);
  else if (is_contained({"strcpy", "stpcpy", "__strcpy_chk", "__stpcpy_chk"}, Name))
    str(Writer::Str);
  else if (Name == "strcat" || Name == "__strcat_chk")
    str(Writer::Cat);
  else if (Name == "strncat" || Name == "__strncat_chk")
    str(Writer::Cat, 2);
  else if (Name == "sprintf")
    printf(Writer::Printf, -1, 1);
  else if (Name == "snprintf")
    printf(Writer::Printf, 1, 2);
  else if (Name == "__sprintf_chk") // (dst, flag, dstlen, fmt, ...)
    printf(Writer::Printf, -1, 3);
  else if (Name == "__snprintf_chk") // (dst, n, flag, dstlen, fmt, ...)
    printf(Writer::Printf, 1, 4);
  else if (Name == "vsprintf")
    printf(Writer::VPrintf, -1, 1);
  else if (Name == "vsnprintf")
    printf(Writer::VPrintf, 1, 2);
  else if (Name == "__vsprintf_chk")
    printf(Writer::VPrintf, -1, 3);
  else if (Name == "__vsnprintf_chk")
    printf(Writer::VPrintf, 1, 4);
  else if (is_contained({"read", "__read_chk", "pread", "pread64", "__pread_chk",
                         "__pread64_chk", "recv", "__recv_chk", "recvfrom", "__recvfrom_chk"},
                        Name))
    range(1, 2);
  else if (Name == "fread" || Name == "fread_unlocked")
    range(0, 1, 2);
  else if (Name == "__fread_chk" || Name == "__fread_unlocked_chk") // (buf, buflen, size, n, f)
    range(0, 2, 3);
  else if (Name == "fgets" || Name == "fgets_unlocked") {
    range(0, 1);
    W.SignedSize = true;
  } else if (Name == "__fgets_chk" || Name == "__fgets_unlocked_chk") { // (buf, buflen, n, f)
    range(0, 2);
    W.SignedSize = true;
  }
  return W;
}

// The __heal_tx_* replacement of an allocation function, or "".
StringRef allocReplacement(StringRef Name) {
  return StringSwitch<StringRef>(Name)
      .Case("malloc", "__heal_tx_malloc")
      .Case("calloc", "__heal_tx_calloc")
      .Case("realloc", "__heal_tx_realloc")
      .Case("free", "__heal_tx_free")
      .Cases("strdup", "__strdup", "__heal_tx_strdup")
      .Cases("strndup", "__strndup", "__heal_tx_strndup")
      .Default("");
}

// A block this call allocates inside the transaction (the allocators transactional code
// calls, before and after they are sent to __heal_tx_*). If the transaction aborts, the
// block is freed: what was written into it needs no restoring.
bool freshBlock(StringRef Name) {
  return is_contained({"malloc", "calloc", "realloc", "strdup", "__strdup", "strndup",
                       "__strndup", "__heal_tx_malloc", "__heal_tx_calloc",
                       "__heal_tx_realloc", "__heal_tx_strdup", "__heal_tx_strndup"},
                      Name);
}

// The function a call calls directly (through a cast of a mismatched prototype too).
Function *directCallee(CallBase &CB) {
  return dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
}

// The write needs no logging: every object it may point into is an alloca of F or a
// guarded slot of F from heal-guard (an abort discards that frame, or the transaction
// function returns at once without reading it), or a block F allocated (an abort frees
// it: realloc never works in place inside a transaction).
bool unloggedWrite(Value *P, Function &F) {
  SmallVector<const Value *, 4> Objs;
  getUnderlyingObjects(P, Objs, /*LI=*/nullptr, /*MaxLookup=*/0);
  if (Objs.empty())
    return false;
  for (const Value *O : Objs) {
    if (const auto *A = dyn_cast<AllocaInst>(O)) {
      if (A->getFunction() != &F)
        return false;
      continue;
    }
    if (const auto *CB = dyn_cast<CallBase>(O))
      if (const Function *Callee = directCallee(const_cast<CallBase &>(*CB)))
        if (CB->getFunction() == &F &&
            (Callee->getName() == HEAL_RT_STACK_ALLOC ||
             Callee->getName() == HEAL_STACK_ALLOC_INLINE || freshBlock(Callee->getName())))
          continue;
    return false;
  }
  return true;
}

class UndoLogger {
public:
  UndoLogger(Module &M) : M(M), C(M.getContext()), DL(M.getDataLayout()) {
    I64 = Type::getInt64Ty(C);
    Ptr = PointerType::getUnqual(C);
    Void = Type::getVoidTy(C);
  }

  // Instruments F; returns the number of writes it logs.
  unsigned instrument(Function &F);

private:
  Module &M;
  LLVMContext &C;
  const DataLayout &DL;
  IntegerType *I64;
  PointerType *Ptr;
  Type *Void;

  unsigned Logged = 0; // in the function being instrumented
  void logged() {
    ++Logged;
    ++NumLogged;
  }
  FunctionCallee declare(StringRef Name, FunctionType *Ty);
  FunctionCallee undoLog();
  GlobalVariable *undoTLS();
  void logScalar(StoreInst &S, uint64_t Size, Function &F);
  bool unlogged(Value *P, Function &F) const;
  void logRange(IRBuilder<> &B, Value *Dst, Value *Size, Function &F);
  void logCall(CallBase &CB, const Writer &W, Function &F);
};

FunctionCallee UndoLogger::declare(StringRef Name, FunctionType *Ty) {
  FunctionCallee FC = M.getOrInsertFunction(Name, Ty);
  if (auto *Fn = dyn_cast<Function>(FC.getCallee()))
    Fn->addFnAttr(Attribute::NoUnwind);
  return FC;
}

// void __heal_undo_log(ptr, i64): reads the bytes it is given and appends to this thread's
// log. No memory effects are declared beyond that: the log's cursor is __heal_undo_tls, a
// global this module names (the inline fast path reads it), so the call must count as
// writing it -- declared as touching only inaccessible memory, the optimizer kept the
// cursor loaded before the call and the next inline append wrote through a stale (null)
// one (zlib's deflateInit2_ at -O2).
FunctionCallee UndoLogger::undoLog() {
  FunctionCallee FC = declare(HEAL_RT_UNDO_LOG, FunctionType::get(Void, {Ptr, I64}, false));
  if (auto *Fn = dyn_cast<Function>(FC.getCallee())) {
    Fn->addFnAttr(Attribute::WillReturn);
    Fn->addParamAttr(0, Attribute::NoCapture);
    Fn->addParamAttr(0, Attribute::ReadOnly);
  }
  return FC;
}

// extern thread_local(initialexec) { ptr cur, ptr limit } __heal_undo_tls (heal.h).
GlobalVariable *UndoLogger::undoTLS() {
  if (GlobalVariable *GV = M.getNamedGlobal(HEAL_RT_UNDO_TLS))
    return GV;
  auto *GV = new GlobalVariable(M, StructType::get(C, {Ptr, Ptr}), /*isConstant=*/false,
                                GlobalValue::ExternalLinkage, nullptr, HEAL_RT_UNDO_TLS,
                                nullptr, GlobalValue::InitialExecTLSModel);
  return GV;
}

// The fast path for a plain 1/2/4/8-byte store S to Dst (heal.h, HEAL_RT_UNDO_TLS):
//
//   %old = load iN, ptr %dst          ; a bad address faults here, in the user's code
//   %blk = threadlocal.address(@__heal_undo_tls); %cur, %limit = the block's two fields
//   if (limit - cur >= 24) { store {zext %old, %dst, N} at %cur; cur += 24 (release) }
//   else                    call @__heal_undo_log(%dst, N)
//   store ...                          ; the original write
//
// The release store keeps the entry before the bump; being atomic, it is also a point no
// other memory access is moved across, so the write cannot complete before its entry is
// visible to the fault handler.
void UndoLogger::logScalar(StoreInst &S, uint64_t Size, Function &F) {
  Value *Dst = S.getPointerOperand();
  IRBuilder<> B(&S);
  IntegerType *ValTy = B.getIntNTy(unsigned(Size * 8));
  LoadInst *Old = B.CreateAlignedLoad(ValTy, Dst, S.getAlign(), "heal.undo.old");
  Value *Blk = B.CreateThreadLocalAddress(undoTLS());
  Value *Cur = B.CreateAlignedLoad(Ptr, Blk, Align(8), "heal.undo.cur");
  Value *Limit =
      B.CreateAlignedLoad(Ptr, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Blk, 8), Align(8),
                          "heal.undo.limit");
  Value *LimitInt = B.CreatePtrToInt(Limit, I64);
  Value *CurInt = B.CreatePtrToInt(Cur, I64);
  Value *Room = B.CreateSub(LimitInt, CurInt);
  Value *Fits = B.CreateICmpUGE(Room, B.getInt64(HEAL_UNDO_SCALAR_ENTRY), "heal.undo.fits");
  Instruction *ThenT, *ElseT;
  SplitBlockAndInsertIfThenElse(Fits, &S, &ThenT, &ElseT,
                                MDBuilder(C).createLikelyBranchWeights());
  ThenT->getParent()->setName("heal.undo.append");
  ElseT->getParent()->setName("heal.undo.full");
  const DebugLoc &Loc = S.getDebugLoc(); // a fault in the sequence is the store's
  B.SetInsertPoint(ThenT);
  B.SetCurrentDebugLocation(Loc);
  B.CreateAlignedStore(B.CreateZExt(Old, I64), Cur, Align(8));
  B.CreateAlignedStore(Dst, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cur, 8), Align(8));
  B.CreateAlignedStore(B.getInt64(Size), B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cur, 16),
                       Align(8));
  Value *Next = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cur, HEAL_UNDO_SCALAR_ENTRY,
                                             "heal.undo.next");
  StoreInst *Bump = B.CreateAlignedStore(Next, Blk, Align(8));
  Bump->setAtomic(AtomicOrdering::Release, SyncScope::SingleThread);
  B.SetInsertPoint(ElseT);
  B.SetCurrentDebugLocation(Loc);
  B.CreateCall(undoLog(), {Dst, B.getInt64(Size)});
  logged();
  ++NumInline;
  (void)F;
}

bool UndoLogger::unlogged(Value *P, Function &F) const { return unloggedWrite(P, F); }

void UndoLogger::logRange(IRBuilder<> &B, Value *Dst, Value *Size, Function &F) {
  if (unlogged(Dst, F))
    return;
  if (auto *CI = dyn_cast<ConstantInt>(Size); CI && CI->isZero())
    return;
  B.CreateCall(undoLog(), {Dst, B.CreateZExtOrTrunc(Size, I64)});
  logged();
}

void UndoLogger::logCall(CallBase &CB, const Writer &W, Function &F) {
  auto arg = [&](int I) -> Value * {
    return I >= 0 && unsigned(I) < CB.arg_size() ? CB.getArgOperand(I) : nullptr;
  };
  auto size = [&](IRBuilder<> &B, int I) -> Value * {
    Value *V = arg(I);
    if (!V || !V->getType()->isIntegerTy())
      return nullptr;
    return B.CreateZExtOrTrunc(V, I64);
  };
  Value *Dst = arg(W.Dst);
  if (!Dst || !Dst->getType()->isPointerTy() || unlogged(Dst, F))
    return;
  IRBuilder<> B(&CB);
  Constant *NoLimit = ConstantInt::get(I64, -1, /*isSigned=*/true);
  switch (W.Kind) {
  case Writer::None:
    return;
  case Writer::Range: {
    Value *N;
    if (W.SignedSize) { // fgets(buf, n <= 0, f) writes nothing
      Value *S = arg(W.Size);
      if (!S || !S->getType()->isIntegerTy())
        return;
      Value *Pos = B.CreateICmpSGT(S, ConstantInt::get(S->getType(), 0));
      N = B.CreateSelect(Pos, B.CreateSExtOrTrunc(S, I64), ConstantInt::get(I64, 0));
    } else if (!(N = size(B, W.Size))) {
      return;
    }
    if (W.Size2 >= 0) {
      Value *N2 = size(B, W.Size2);
      if (!N2)
        return;
      N = B.CreateMul(N, N2);
    }
    logRange(B, Dst, N, F);
    return;
  }
  case Writer::Str:
  case Writer::Cat: {
    Value *Src = arg(W.Src);
    if (!Src || !Src->getType()->isPointerTy())
      return;
    if (W.Kind == Writer::Str) {
      B.CreateCall(declare("__heal_undo_log_strcpy", FunctionType::get(Void, {Ptr, Ptr}, false)),
                   {Dst, Src});
    } else {
      Value *Max = W.Size >= 0 ? size(B, W.Size) : NoLimit;
      if (!Max)
        return;
      B.CreateCall(
          declare("__heal_undo_log_strcat", FunctionType::get(Void, {Ptr, Ptr, I64}, false)),
          {Dst, Src, Max});
    }
    logged();
    return;
  }
  case Writer::Printf:
  case Writer::VPrintf: {
    Value *Limit = W.Size >= 0 ? size(B, W.Size) : NoLimit;
    Value *Fmt = arg(W.Fmt);
    if (!Limit || !Fmt || !Fmt->getType()->isPointerTy())
      return;
    SmallVector<Value *, 8> Args = {Dst, Limit, Fmt};
    if (W.Kind == Writer::VPrintf) {
      Value *Ap = arg(W.Ap);
      if (!Ap || !Ap->getType()->isPointerTy())
        return;
      Args.push_back(Ap);
      B.CreateCall(declare("__heal_undo_log_vprintf",
                           FunctionType::get(Void, {Ptr, I64, Ptr, Ptr}, false)),
                   Args);
    } else {
      for (unsigned I = W.Fmt + 1; I < CB.arg_size(); ++I)
        Args.push_back(CB.getArgOperand(I));
      B.CreateCall(
          declare("__heal_undo_log_printf", FunctionType::get(Void, {Ptr, I64, Ptr}, true)),
          Args);
    }
    logged();
    return;
  }
  }
}

unsigned UndoLogger::instrument(Function &F) {
  if (F.hasFnAttribute(DoneAttr))
    return 0;
  F.addFnAttr(DoneAttr);
  Logged = 0;
  SmallVector<Instruction *, 32> Work;
  for (Instruction &I : instructions(F))
    if (isa<StoreInst, AtomicRMWInst, AtomicCmpXchgInst, CallBase>(I))
      Work.push_back(&I);

  for (Instruction *I : Work) {
    IRBuilder<> B(I);
    if (auto *S = dyn_cast<StoreInst>(I)) {
      uint64_t Size = DL.getTypeStoreSize(S->getValueOperand()->getType()).getFixedValue();
      if (UndoInline && !S->isAtomic() && !S->isVolatile() && isPowerOf2_64(Size) &&
          Size <= 8 && !unlogged(S->getPointerOperand(), F))
        logScalar(*S, Size, F);
      else
        logRange(B, S->getPointerOperand(), ConstantInt::get(I64, Size), F);
      continue;
    }
    if (auto *RMW = dyn_cast<AtomicRMWInst>(I)) {
      logRange(B, RMW->getPointerOperand(),
               ConstantInt::get(I64, DL.getTypeStoreSize(RMW->getValOperand()->getType())), F);
      continue;
    }
    if (auto *X = dyn_cast<AtomicCmpXchgInst>(I)) {
      logRange(B, X->getPointerOperand(),
               ConstantInt::get(I64, DL.getTypeStoreSize(X->getNewValOperand()->getType())),
               F);
      continue;
    }
    auto &CB = cast<CallBase>(*I);
    if (auto *MI = dyn_cast<AnyMemIntrinsic>(&CB)) { // memcpy/memmove/memset, all flavours
      logRange(B, MI->getRawDest(), MI->getLength(), F);
      continue;
    }
    if (auto *II = dyn_cast<IntrinsicInst>(&CB)) {
      if (II->getIntrinsicID() == Intrinsic::masked_store) // (value, ptr, align, mask)
        logRange(B, II->getArgOperand(1),
                 ConstantInt::get(I64, DL.getTypeStoreSize(II->getArgOperand(0)->getType())),
                 F);
      continue;
    }
    Function *Callee = directCallee(CB);
    if (!Callee || !Callee->isDeclaration())
      continue;
    StringRef Name = Callee->getName();
    if (StringRef R = allocReplacement(Name); !R.empty()) {
      // Same prototype as the libc function (heal.h): keep the call's own function type.
      FunctionCallee FC = M.getOrInsertFunction(R, CB.getFunctionType());
      if (auto *Fn = dyn_cast<Function>(FC.getCallee()))
        Fn->addFnAttr(Attribute::NoUnwind);
      CB.setCalledOperand(FC.getCallee());
      ++NumAllocs;
      continue;
    }
    Writer W = writerOf(Name);
    if (W.Kind != Writer::None)
      logCall(CB, W, F);
  }
  return Logged;
}

// Calls that write none of the program's memory (libc's own buffers and I/O aside), so the
// coverage remark need not name them.
bool writesNothing(const Function &G) {
  if (G.onlyReadsMemory())
    return true;
  return is_contained({"printf", "fprintf", "dprintf", "vprintf", "vfprintf", "puts", "fputs",
                       "putchar", "putc", "fputc", "fwrite", "write", "send", "fflush",
                       "perror", "strlen", "strnlen", "strcmp", "strncmp", "strcasecmp",
                       "strncasecmp", "strchr", "strrchr", "strstr", "strspn", "strcspn",
                       "strpbrk", "memcmp", "memchr", "atoi", "atol", "atoll", "atof", "abs",
                       "labs", "exit", "_exit", "abort", "__assert_fail", "__stack_chk_fail",
                       "__ctype_b_loc", "__ctype_toupper_loc", "__ctype_tolower_loc",
                       "toupper", "tolower", "isalpha", "isdigit", "isspace", "isalnum",
                       "isupper", "islower", "getenv", "time", "clock", "rand", "__errno_location",
                       "__printf_chk", "__fprintf_chk"},
                      G.getName());
}

// The indirect calls of transactional code and where they may go (docs/rollback.md,
// "Indirect calls"): the module's address-taken function definitions, by function type.
constexpr StringLiteral TargetsName = "heal.tx.targets";
constexpr StringLiteral TargetsCtorName = "heal.tx.targets_ctor";
constexpr StringLiteral TargetsDtorName = "heal.tx.targets_dtor";

// An indirect call: not inline assembly, not an intrinsic, no function (or a cast of one)
// as its callee. callbr is left alone (asm goto only).
bool isIndirectCall(const CallBase &CB) {
  return !CB.isInlineAsm() && !isa<CallBrInst>(CB) &&
         !isa<Function>(CB.getCalledOperand()->stripPointerCasts());
}

// The call already goes through __heal_tx_target (an earlier run of the pass).
bool isRouted(const CallBase &CB) {
  auto *Lookup = dyn_cast<CallInst>(CB.getCalledOperand());
  Function *Fn = Lookup ? Lookup->getCalledFunction() : nullptr;
  return Fn && Fn->getName() == HEAL_RT_TX_TARGET;
}

// G's address is taken in this module: a use other than being called, ignoring the
// constructor/destructor lists, llvm.used and heal's own target table (which the pass adds:
// a second run must see the same functions as the first).
bool addressTaken(const Function &G) {
  SmallVector<const Use *, 8> Work;
  SmallPtrSet<const User *, 8> Seen;
  for (const Use &U : G.uses())
    Work.push_back(&U);
  while (!Work.empty()) {
    const Use *U = Work.pop_back_val();
    const User *Usr = U->getUser();
    if (const auto *CB = dyn_cast<CallBase>(Usr)) {
      if (CB->isCallee(U))
        continue;
      return true;
    }
    if (const auto *GV = dyn_cast<GlobalVariable>(Usr)) {
      if (is_contained({"llvm.global_ctors", "llvm.global_dtors", "llvm.used",
                        "llvm.compiler.used"},
                       GV->getName()) ||
          GV->getName() == TargetsName)
        continue;
      return true;
    }
    if (isa<BlockAddress>(Usr)) // a label's address, not the function's
      continue;
    if (isa<Constant>(Usr) && !isa<GlobalValue>(Usr)) { // casts, aggregates
      if (Seen.insert(Usr).second)
        for (const Use &UU : Usr->uses())
          Work.push_back(&UU);
      continue;
    }
    return true; // stores, phis, selects, comparisons, aliases, ...
  }
  return false;
}

// G writes no memory but its own frame and calls nothing (a comparator, a hash, a
// predicate): its clone would be the same code, so an indirect call may reach the original
// as well. Anything else (a call, an atomic, va_arg, an intrinsic that writes) needs one.
bool writesOnlyOwnFrame(Function &G) {
  for (Instruction &I : instructions(G)) {
    if (auto *S = dyn_cast<StoreInst>(&I)) {
      if (!unloggedWrite(S->getPointerOperand(), G))
        return false;
      continue;
    }
    if (auto *MI = dyn_cast<AnyMemIntrinsic>(&I)) {
      if (!unloggedWrite(MI->getRawDest(), G))
        return false;
      continue;
    }
    if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
      if (!II->isAssumeLikeIntrinsic() && II->mayWriteToMemory())
        return false;
      continue;
    }
    if (isa<CallBase, AtomicRMWInst, AtomicCmpXchgInst, VAArgInst>(I))
      return false;
  }
  return true;
}

// Candidate targets of the indirect calls of each function type, and their clones.
struct IndirectTargets {
  DenseMap<FunctionType *, SmallVector<Function *, 4>> ByType; // those that need a clone
  SmallPtrSet<FunctionType *, 8> PureTypes; // types with candidates that need none
  const DenseMap<Function *, Function *> *Clones = nullptr;
  ArrayRef<Function *> of(const CallBase &CB) const {
    auto It = ByType.find(CB.getFunctionType());
    return It == ByType.end() ? ArrayRef<Function *>() : ArrayRef<Function *>(It->second);
  }
};

// One remark per transaction: what its rollback covers and what it cannot (indirect calls
// with no candidate target in the module, functions of other modules that are not known
// libc writers), so a policy author knows.
void remarkCoverage(Function &Root, const Policy &P, const DenseMap<Function *, unsigned> &Logged,
                    const IndirectTargets &Targets) {
  SmallVector<Function *, 16> Work = {&Root};
  SmallPtrSet<Function *, 16> Seen = {&Root};
  unsigned Writes = 0, Indirect = 0, Redirected = 0;
  SmallPtrSet<Function *, 8> Candidates;
  SmallVector<StringRef, 8> Unknown;
  SmallPtrSet<Function *, 8> UnknownSeen, OtherSeen;
  auto visit = [&](Function *Clone) {
    if (Seen.insert(Clone).second)
      Work.push_back(Clone);
  };
  for (size_t I = 0; I < Work.size(); ++I) {
    Function *F = Work[I];
    Writes += Logged.lookup(F);
    for (Instruction &Inst : instructions(*F)) {
      auto *CB = dyn_cast<CallBase>(&Inst);
      if (!CB || isa<IntrinsicInst>(CB) || CB->isInlineAsm())
        continue;
      Function *G = directCallee(*CB);
      if (!G) {
        if (!isRouted(*CB)) {
          // Its candidates in the module write nothing: nothing to log (if it goes there).
          if (!Targets.PureTypes.contains(CB->getFunctionType()))
            ++Indirect;
          continue;
        }
        ++Redirected;
        for (Function *T : Targets.of(*CB)) {
          Candidates.insert(T);
          if (Function *Clone = Targets.Clones->lookup(T))
            visit(Clone);
        }
        continue;
      }
      if (P.transaction(G->getName()) || G->getName().starts_with("__heal_") ||
          G->getName().starts_with("heal.") || G->getName().starts_with("__sigsetjmp"))
        continue; // heal's own code (heal.tx.commit in the wrapper), other transactions
      if (G->getName().ends_with(HEAL_TX_CLONE_SUFFIX)) {
        if (G->isDeclaration()) // another module's clone: its writes are logged there
          OtherSeen.insert(G);
        else
          visit(G);
        continue;
      }
      if (writerOf(G->getName()).Kind == Writer::None && !writesNothing(*G) &&
          UnknownSeen.insert(G).second)
        Unknown.push_back(G->getName());
    }
  }
  llvm::sort(Unknown);
  OptimizationRemarkEmitter ORE(&Root);
  ORE.emit([&] {
    OptimizationRemarkAnalysis R(DEBUG_TYPE, "Rollback", Root.getSubprogram(),
                                 &Root.getEntryBlock());
    R << "transaction " << ore::NV("Function", Root.getName()) << ": "
      << ore::NV("Writes", Writes) << " writes undo-logged in "
      << ore::NV("Functions", unsigned(Seen.size())) << " functions";
    if (!OtherSeen.empty())
      R << " and calls of " << ore::NV("OtherModules", unsigned(OtherSeen.size()))
        << " functions of other modules (logged there)";
    if (Redirected)
      R << "; " << ore::NV("RedirectedCalls", Redirected)
        << " indirect calls redirected to the clones of "
        << ore::NV("Candidates", unsigned(Candidates.size())) << " candidate targets";
    if (!Indirect && Unknown.empty()) {
      R << "; every call is covered";
      return R;
    }
    R << "; not logged: writes made through ";
    if (Indirect)
      R << ore::NV("IndirectCalls", Indirect) << " indirect calls"
        << (Unknown.empty() ? "" : " and ");
    if (!Unknown.empty()) {
      R << "calls to ";
      for (size_t I = 0; I < Unknown.size(); ++I)
        R << (I ? ", " : "") << Unknown[I];
    }
    return R;
  });
}

// The module's table of {original, clone} pairs (heal.h, struct heal_tx_target) and the
// constructor registering it (priority 1, like the module's registration: before any
// user constructor may call a transaction) and the destructor unregistering it (dlclose:
// the addresses may be reused). A table from an earlier run is extended, never
// duplicated.
void emitTargetTable(Module &M, const SetVector<std::pair<Function *, Function *>> &Pairs) {
  LLVMContext &C = M.getContext();
  PointerType *Ptr = PointerType::getUnqual(C);
  IntegerType *I64 = Type::getInt64Ty(C);
  StructType *PairTy = StructType::get(C, {Ptr, Ptr});
  SetVector<std::pair<Constant *, Constant *>> All;
  GlobalVariable *Old = M.getNamedGlobal(TargetsName);
  if (Old && Old->hasInitializer())
    if (auto *Arr = dyn_cast<ConstantArray>(Old->getInitializer()))
      for (Use &E : Arr->operands())
        if (auto *P = dyn_cast<ConstantStruct>(E.get()))
          All.insert({P->getOperand(0), P->getOperand(1)});
  size_t Before = All.size();
  for (auto [Orig, Clone] : Pairs)
    All.insert({Orig, Clone});
  if (Old && All.size() == Before)
    return;
  SmallVector<Constant *, 16> Elems;
  for (auto [Orig, Clone] : All)
    Elems.push_back(ConstantStruct::get(PairTy, {Orig, Clone}));
  ArrayType *ArrTy = ArrayType::get(PairTy, Elems.size());
  auto *Table = new GlobalVariable(M, ArrTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                   ConstantArray::get(ArrTy, Elems), TargetsName);
  Table->setAlignment(Align(8));
  Constant *N = ConstantInt::get(I64, Elems.size());
  if (Old) { // the constructor and destructor are there: point them at the new table
    Table->takeName(Old);
    Old->replaceAllUsesWith(Table);
    Old->eraseFromParent();
    for (User *U : Table->users())
      if (auto *CI = dyn_cast<CallInst>(U))
        CI->setArgOperand(1, N);
    return;
  }
  FunctionType *RegTy = FunctionType::get(Type::getVoidTy(C), {Ptr, I64}, false);
  auto addCall = [&](StringRef FnName, StringRef Callee) {
    Function *Fn = createSanitizerCtor(M, FnName);
    FunctionCallee Reg = M.getOrInsertFunction(Callee, RegTy);
    if (auto *RegFn = dyn_cast<Function>(Reg.getCallee()))
      RegFn->addFnAttr(Attribute::NoUnwind);
    IRBuilder<> B(Fn->getEntryBlock().getTerminator());
    B.CreateCall(Reg, {Table, N});
    return Fn;
  };
  appendToGlobalCtors(M, addCall(TargetsCtorName, HEAL_RT_TX_REGISTER_TARGETS), 1);
  appendToGlobalDtors(M, addCall(TargetsDtorName, HEAL_RT_TX_UNREGISTER_TARGETS), 1);
}

} // namespace

bool undoCloneable(const Function &G, const SkipList &Skip) {
  if (G.isDeclaration() || G.isInterposable() || !Skip.shouldInstrument(G))
    return false;
  // A computed goto's targets are blockaddress constants of G kept in tables (Lua's
  // luaV_execute): a clone would jump from its own frame into G's blocks.
  for (const BasicBlock &BB : G)
    if (BB.hasAddressTaken())
      return false;
  return true;
}

bool indirectCandidate(const Function &G, const SkipList &Skip) {
  return undoCloneable(G, Skip) && (G.hasLocalLinkage() || G.isDSOLocal()) && addressTaken(G);
}

std::string typeKey(FunctionType *T) {
  std::string S;
  raw_string_ostream OS(S);
  T->print(OS);
  return S;
}

PreservedAnalyses HealUndoLogPass::run(Module &M, ModuleAnalysisManager &) {
  std::string Path;
  std::optional<Policy> P = policyForPass(M, PolicyPath, &Path);
  if (!P)
    return PreservedAnalyses::all();

  // Transaction functions of this module: all of them stay calls (their own transactions);
  // those with rollback on are the roots of transactional code.
  SmallPtrSet<Function *, 8> TxFunctions;
  SmallVector<Function *, 8> Roots;
  for (const PolicyTransaction &T : P->Transactions) {
    Function *F = M.getFunction(T.Function);
    if (!F || F->isDeclaration() || F->hasAvailableExternallyLinkage())
      continue;
    TxFunctions.insert(F);
    if (T.Rollback)
      Roots.push_back(F);
  }
  // Functions other modules' transactional code reaches (heal rebuild's whole-program
  // view): those defined here get an external clone, calls to those declared here go to it.
  StringSet<> Extern;
  for (const std::string &Name : P->RollbackCallees)
    Extern.insert(Name);
  auto external = [&](const Function *G) {
    return !G->hasLocalLinkage() && Extern.contains(G->getName());
  };
  // Function types whose indirect calls in any module's transactional code may reach this
  // module's candidates (heal rebuild): those candidates are cloned and registered, and
  // such calls here go through __heal_tx_target even without a candidate of this module.
  StringSet<> IndirectTypes;
  for (const std::string &T : P->RollbackIndirectTypes)
    IndirectTypes.insert(T);
  if (Roots.empty() && Extern.empty() && IndirectTypes.empty())
    return PreservedAnalyses::all();

  SkipList Skip(M);
  auto cloneable = [&](Function *G) {
    return !TxFunctions.contains(G) && !G->getName().ends_with(HEAL_TX_CLONE_SUFFIX) &&
           undoCloneable(*G, Skip);
  };

  // Candidate targets of indirect calls: address-taken definitions that would be cloned
  // as direct callees, whose address in the table is the one the program uses: local or
  // dso_local (a -fPIC definition another module may interpose is left out).
  IndirectTargets Targets;
  SmallVector<Function *, 16> Candidates; // in module order, those that need a clone
  for (Function &G : M)
    if (UndoIndirect && cloneable(&G) && indirectCandidate(G, Skip)) {
      if (writesOnlyOwnFrame(G)) {
        Targets.PureTypes.insert(G.getFunctionType());
      } else {
        Targets.ByType[G.getFunctionType()].push_back(&G);
        Candidates.push_back(&G);
      }
    }

  // Reachable callees, breadth first, each cloned once for all transactions. A clone is
  // internal, unless other modules call it too: then it is G.heal_tx with external linkage,
  // hidden (the modules of one binary share it; it is not the binary's interface).
  DenseMap<Function *, Function *> Clones;
  Targets.Clones = &Clones;
  SmallVector<Function *, 16> Transactional(Roots.begin(), Roots.end());
  auto cloneOf = [&](Function *G) {
    Function *&Clone = Clones[G];
    if (Clone)
      return Clone;
    std::string Name = (G->getName() + HEAL_TX_CLONE_SUFFIX).str();
    Clone = M.getFunction(Name); // an earlier run's clone
    if (!Clone) {
      ValueToValueMapTy VMap;
      Clone = CloneFunction(G, VMap);
      Clone->setName(Name);
      Clone->setComdat(nullptr);
      ++NumClones;
    }
    bool Ext = external(G);
    // An ODR definition may be in several modules: so may its clone, merged like it.
    Clone->setLinkage(!Ext ? GlobalValue::InternalLinkage
                      : G->hasLinkOnceODRLinkage() || G->hasWeakODRLinkage()
                          ? G->getLinkage()
                          : GlobalValue::ExternalLinkage);
    Clone->setVisibility(Ext ? GlobalValue::HiddenVisibility : GlobalValue::DefaultVisibility);
    Clone->setDSOLocal(true);
    Transactional.push_back(Clone);
    return Clone;
  };
  SmallVector<Function *, 8> Called; // by other modules' transactional code
  for (Function &G : M)
    if (external(&G) && cloneable(&G))
      Called.push_back(&G);
  for (Function *G : Called)
    cloneOf(G);
  SetVector<std::pair<Function *, Function *>> TablePairs;
  for (Function *G : Candidates) // pointers other modules' transactional code may call
    if (IndirectTypes.contains(typeKey(G->getFunctionType())))
      TablePairs.insert({G, cloneOf(G)});
  if (Transactional.empty())
    return PreservedAnalyses::all();
  FunctionCallee TargetFn;
  for (size_t I = 0; I < Transactional.size(); ++I) {
    Function *F = Transactional[I];
    for (Instruction &Inst : instructions(*F)) {
      auto *CB = dyn_cast<CallBase>(&Inst);
      if (!CB)
        continue;
      if (isIndirectCall(*CB)) {
        // Every candidate gets a clone and a table entry; the call asks the runtime which
        // function to call: the clone registered for the pointer, or the pointer itself.
        ArrayRef<Function *> Cands = Targets.of(*CB);
        if (Cands.empty() && !IndirectTypes.contains(typeKey(CB->getFunctionType())))
          continue; // no function of the program it may reach has a clone
        for (Function *G : Cands)
          TablePairs.insert({G, cloneOf(G)});
        if (isRouted(*CB))
          continue;
        if (!TargetFn) {
          PointerType *Ptr = PointerType::getUnqual(M.getContext());
          TargetFn = M.getOrInsertFunction(HEAL_RT_TX_TARGET,
                                           FunctionType::get(Ptr, {Ptr}, false));
          if (auto *Fn = dyn_cast<Function>(TargetFn.getCallee())) {
            Fn->addFnAttr(Attribute::NoUnwind);
            Fn->addFnAttr(Attribute::WillReturn);
            Fn->setMemoryEffects(MemoryEffects::inaccessibleMemOnly(ModRefInfo::Ref));
          }
        }
        IRBuilder<> B(CB);
        CallInst *T = B.CreateCall(TargetFn, {CB->getCalledOperand()}, "heal.tx.target");
        T->setDebugLoc(CB->getDebugLoc());
        CB->setCalledOperand(T);
        ++NumRedirected;
        continue;
      }
      Function *G = directCallee(*CB);
      if (!G || G->getName().ends_with(HEAL_TX_CLONE_SUFFIX))
        continue;
      Function *Clone = nullptr;
      if (cloneable(G))
        Clone = cloneOf(G);
      else if (G->isDeclaration() && !P->transaction(G->getName()) && external(G))
        Clone = cast<Function>( // defined by another module of the binary (heal rebuild)
            M.getOrInsertFunction((G->getName() + HEAL_TX_CLONE_SUFFIX).str(),
                                  G->getFunctionType(), G->getAttributes())
                .getCallee()
                ->stripPointerCasts());
      if (!Clone)
        continue;
      if (Clone->isDeclaration()) {
        Clone->setVisibility(GlobalValue::HiddenVisibility);
        Clone->setDSOLocal(true);
      }
      // The operand may be a cast of G (a call through an old-style prototype).
      if (CB->getCalledOperand() == G)
        CB->setCalledOperand(Clone);
      else
        CB->setCalledOperand(ConstantExpr::getPointerCast(Clone, CB->getCalledOperand()->getType()));
    }
  }
  if (!TablePairs.empty())
    emitTargetTable(M, TablePairs);

  UndoLogger L(M);
  DenseMap<Function *, unsigned> Logged;
  for (Function *F : Transactional)
    Logged[F] = L.instrument(*F);
  for (Function *F : Roots)
    remarkCoverage(*F, *P, Logged, Targets);
  return PreservedAnalyses::none();
}

} // namespace heal
