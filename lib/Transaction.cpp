#include "Transaction.h"
#include "Policy.h"
#include "RetvalSynthesis.h"
#include "Skip.h"
#include "SourceInfo.h"

#include "heal/heal.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "heal-tx"

using namespace llvm;

STATISTIC(NumWrapped, "Functions wrapped in an execution transaction");
STATISTIC(NumCommits, "Commits inserted");

namespace heal {

static constexpr const char *CommitFastName = "heal.tx.commit"; // the inline commit

Function *transactionBody(Function &F) {
  if (F.getFnAttribute(BodyAttr).isValid())
    return &F;
  if (Function *Body = F.getParent()->getFunction((F.getName() + BodySuffix).str()))
    if (Body->getFnAttribute(BodyAttr).isValid())
      return Body;
  return &F;
}

// The value as the report shows it: "-1", "NULL", "false", "0.5", "NaN", "zero".
static std::string valueText(const Constant *V) {
  if (isa<ConstantPointerNull>(V))
    return "NULL";
  if (const auto *CI = dyn_cast<ConstantInt>(V))
    return CI->getBitWidth() == 1 ? (CI->isZero() ? "false" : "true")
                                  : toString(CI->getValue(), 10, /*Signed=*/true);
  if (const auto *CF = dyn_cast<ConstantFP>(V)) {
    if (CF->isNaN())
      return "NaN";
    SmallString<16> S;
    CF->getValueAPF().toString(S);
    return std::string(S);
  }
  if (V->isNullValue())
    return "zero";
  if (const auto *CE = dyn_cast<ConstantExpr>(V); CE && CE->getOpcode() == Instruction::IntToPtr)
    if (const auto *CI = dyn_cast<ConstantInt>(CE->getOperand(0)))
      return "(void *)" + toString(CI->getValue(), 10, /*Signed=*/true);
  std::string S;
  raw_string_ostream OS(S);
  V->printAsOperand(OS, /*PrintType=*/false);
  return S;
}

static Argument *sretArg(Function &F) {
  for (Argument &A : F.args())
    if (A.hasStructRetAttr())
      return &A;
  return nullptr;
}

// Why F cannot run as a transaction, or "".
static std::string refusal(Function &F, const SkipList &Skip) {
  StringRef Why = Skip.reason(F);
  if (Why == "naked")
    return "it is naked (no prologue to save its state in)";
  if (Why == "calls vfork")
    return "it calls vfork (the child would share the transaction's state)";
  if (Why == "heal runtime")
    return "it is heal's own code";
  for (Instruction &I : instructions(F))
    if (auto *CI = dyn_cast<CallInst>(&I); CI && CI->isMustTailCall()) {
      std::string Where;
      if (const DebugLoc &DL = CI->getDebugLoc())
        Where = " at line " + std::to_string(DL.getLine());
      return "it makes a musttail call" + Where +
             " (the commit must run after every call, so the call cannot end the frame)";
    }
  return "";
}

// A wrapped function calls the entry's slow path (in its heal.tx.slow block).
static bool isWrapped(Function &F) {
  for (Instruction &I : instructions(F))
    if (auto *CI = dyn_cast<CallInst>(&I))
      if (const Function *Callee = CI->getCalledFunction())
        if (Callee->getName() == HEAL_RT_TX_ENTER_SLOW)
          return true;
  return false;
}

// The inline entry (heal.h): heal's own setjmp, inline in the wrapper so that entering
// costs no call. Frame in rdi, site in rsi (tied in/out operands: the abort resumes with
// them undefined); yields eax = 0 (saved and pushed), 2 (saved; the runtime pushes: dead
// frames to drop, frees to drain, an overflow to settle) or, when the abort jumps to the
// resume point `1:` at its end, 1. The registers are saved first (rbp, rsp and the resume
// point mangled with the pointer guard like glibc's setjmp), the frame is published on the
// chain last. AT&T syntax; `$$` is a literal `$` in LLVM inline assembly.
static std::string enterAsm() {
  const std::string Tx = std::to_string(HEAL_TX_OFFSET);
  auto F = [&](unsigned Field) { return std::to_string(HEAL_TX_OFFSET + Field) + "(%rdi)"; };
  std::string A;
  auto L = [&](const std::string &Line) { A += Line + "\n\t"; };
  L("mov %fs:0x30, %rdx"); // the pointer guard
  L("mov %rbx, (%rdi)");
  L("mov %rbp, %rax");
  L("xor %rdx, %rax");
  L("rol $$0x11, %rax");
  L("mov %rax, 8(%rdi)");
  L("mov %r12, 16(%rdi)");
  L("mov %r13, 24(%rdi)");
  L("mov %r14, 32(%rdi)");
  L("mov %r15, 40(%rdi)");
  L("mov %rsp, %rax");
  L("xor %rdx, %rax");
  L("rol $$0x11, %rax");
  L("mov %rax, 48(%rdi)");
  L("lea 1f(%rip), %rax"); // the resume point
  L("xor %rdx, %rax");
  L("rol $$0x11, %rax");
  L("mov %rax, 56(%rdi)");
  L(std::string("mov ") + HEAL_RT_TX_TOP + "@gottpoff(%rip), %r8");
  L("mov %fs:(%r8), %rcx"); // top
  L("lea " + Tx + "(%rdi), %rax"); // tx
  L("lea -1(%rcx), %r10");
  L("cmp %rax, %r10"); // top - 1 < tx: top && top <= tx (dead)
  L("jb 2f");
  L(std::string("mov ") + HEAL_RT_UNDO_TLS + "@gottpoff(%rip), %r9");
  L("cmpw $$0, %fs:" + std::to_string(HEAL_UNDO_ATTN_OFFSET) + "(%r9)"); // frees, overflow
  L("jne 2f");
  L("mov %fs:(%r9), %r10"); // the undo log's cur
  L("mov %rcx, " + F(HEAL_TX_F_PREV));
  L("mov %rsi, " + F(HEAL_TX_F_SITE));
  L("mov %r10, " + F(HEAL_TX_F_UNDO));
  L(std::string("mov ") + HEAL_RT_SELF + "@gottpoff(%rip), %r9");
  L("mov %fs:(%r9), %r9"); // the Oracle's thread state, or NULL
  L("test %r9, %r9");
  L("jne 3f");
  L("mov %r9, " + F(HEAL_TX_F_SLOT));
  L("mov %r9d, " + F(HEAL_TX_F_DEPTH));
  A += "4:\n\t";
  L("xor %rsi, %rcx"); // the check word: tx ^ site ^ prev ^ guard
  L("xor %rax, %rcx");
  L("xor %rdx, %rcx");
  L("mov %rcx, " + F(HEAL_TX_F_COOKIE));
  L("mov %rcx, -8(%rdi)"); // and the guard word below the frame
  L("mov %rax, %fs:(%r8)"); // published last
  L("xor %eax, %eax");
  L("jmp 1f");
  A += "3:\n\t";
  L("mov " + std::to_string(HEAL_TX_THREAD_SEQ) + "(%r9), %r10");
  L("mov " + std::to_string(HEAL_THREAD_DEPTH) + "(%r9), %r11d");
  L("mov %r10, " + F(HEAL_TX_F_SLOT));
  L("mov %r11d, " + F(HEAL_TX_F_DEPTH));
  L("jmp 4b");
  A += "2:\n\t";
  L("mov $$2, %eax");
  A += "1:";
  return A;
}

namespace {
struct TxAPI {
  Module &M;
  LLVMContext &C;
  PointerType *Ptr;
  IntegerType *I32;
  StructType *SiteTy; // struct heal_tx_site {function, file, line, flags, return_value, reason}
  FunctionCallee EnterSlow, Commit;
  InlineAsm *Enter;
  Function *CommitFast = nullptr;
  StringMap<Constant *> Strings;

  explicit TxAPI(Module &M)
      : M(M), C(M.getContext()), Ptr(PointerType::getUnqual(C)), I32(Type::getInt32Ty(C)) {
    SiteTy = StructType::get(C, {Ptr, Ptr, I32, I32, Ptr, Ptr});
    Type *Void = Type::getVoidTy(C);
    EnterSlow = M.getOrInsertFunction(HEAL_RT_TX_ENTER_SLOW,
                                      FunctionType::get(Void, {Ptr, Ptr}, false));
    Commit = M.getOrInsertFunction(HEAL_RT_TX_COMMIT, FunctionType::get(Void, {Ptr}, false));
    for (FunctionCallee FC : {EnterSlow, Commit})
      if (auto *F = dyn_cast<Function>(FC.getCallee()))
        F->addFnAttr(Attribute::NoUnwind);
    // { eax, rdi, rsi }: frame and site go in as rdi and rsi and come out undefined (an
    // abort resumes with them clobbered); every other caller-saved register is clobbered
    // too, so nothing the wrapper needs after a resume lives in one.
    std::string Constraints = "={ax},={di},={si},1,2,~{rcx},~{rdx},~{r8},~{r9},~{r10},~{r11}";
    for (int X = 0; X < 16; ++X)
      Constraints += ",~{xmm" + std::to_string(X) + "}";
    Constraints += ",~{memory},~{dirflag},~{fpsr},~{flags}";
    Enter = InlineAsm::get(FunctionType::get(StructType::get(C, {I32, Ptr, Ptr}), {Ptr, Ptr}, false),
                           enterAsm(), Constraints, /*hasSideEffects=*/true);
  }

  GlobalVariable *tls(StringRef Name, Type *Ty) {
    if (GlobalVariable *GV = M.getNamedGlobal(Name))
      return GV;
    return new GlobalVariable(M, Ty, /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr,
                              Name, nullptr, GlobalValue::InitialExecTLSModel);
  }

  // The commit, inline (heal.h): pop the frame if it is the thread's top and the transaction
  // is nested or its undo log is empty; an outermost one whose log holds only memory
  // entries (the log's attn word is 0) of at most HEAL_UNDO_INLINE_MAX bytes truncates it
  // (cur = base) and pops; else call the runtime. An internal alwaysinline function, so
  // the wrappers stay readable and clang inlines it at every -O level.
  Function *commitFast() {
    if (CommitFast)
      return CommitFast;
    if ((CommitFast = M.getFunction(CommitFastName)))
      return CommitFast;
    CommitFast = Function::Create(FunctionType::get(Type::getVoidTy(C), {Ptr}, false),
                                  GlobalValue::InternalLinkage, CommitFastName, M);
    CommitFast->addFnAttr(Attribute::AlwaysInline);
    CommitFast->addFnAttr(Attribute::NoUnwind);
    Argument *Frame = CommitFast->getArg(0);
    Frame->setName("frame");
    auto *Entry = BasicBlock::Create(C, "entry", CommitFast);
    auto *Top = BasicBlock::Create(C, "live", CommitFast);
    auto *Outer = BasicBlock::Create(C, "outermost", CommitFast);
    auto *Logged = BasicBlock::Create(C, "logged", CommitFast);
    auto *Truncate = BasicBlock::Create(C, "truncate", CommitFast);
    auto *Pop = BasicBlock::Create(C, "pop", CommitFast);
    auto *Slow = BasicBlock::Create(C, "slow", CommitFast);
    MDBuilder MDB(C);
    IRBuilder<> B(Entry);
    Value *Tx = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Frame, HEAL_TX_OFFSET, "tx");
    Value *TopAddr = B.CreateThreadLocalAddress(tls(HEAL_RT_TX_TOP, Ptr));
    Value *Cur = B.CreateLoad(Ptr, TopAddr, "top");
    B.CreateCondBr(B.CreateICmpEQ(Cur, Tx, "is.top"), Top, Slow,
                   MDB.createLikelyBranchWeights());
    B.SetInsertPoint(Top);
    Value *Prev = B.CreateLoad(Ptr, Tx, "prev"); // struct heal_tx starts with prev
    B.CreateCondBr(B.CreateIsNotNull(Prev, "nested"), Pop, Outer);
    B.SetInsertPoint(Outer);
    // extern thread_local { ptr cur, ptr limit, ptr base, ... } __heal_undo_tls (heal.h)
    Value *Undo = B.CreateThreadLocalAddress(tls(HEAL_RT_UNDO_TLS, StructType::get(C, {Ptr, Ptr})));
    Value *UCur = B.CreateLoad(Ptr, Undo, "undo.cur");
    Value *UBase =
        B.CreateLoad(Ptr, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Undo, 16), "undo.base");
    B.CreateCondBr(B.CreateICmpEQ(UCur, UBase, "undo.empty"), Pop, Logged,
                   MDB.createLikelyBranchWeights());
    B.SetInsertPoint(Logged);
    Value *Attn = B.CreateLoad(
        B.getInt64Ty(), B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Undo, HEAL_UNDO_ATTN_OFFSET),
        "undo.attn");
    Value *CurInt = B.CreatePtrToInt(UCur, B.getInt64Ty());
    Value *BaseInt = B.CreatePtrToInt(UBase, B.getInt64Ty());
    Value *Used = B.CreateSub(CurInt, BaseInt, "undo.used");
    Value *Clean = B.CreateICmpEQ(Attn, B.getInt64(0), "undo.clean");
    Value *Small = B.CreateICmpULE(Used, B.getInt64(HEAL_UNDO_INLINE_MAX), "undo.small");
    Value *Plain = B.CreateAnd(Clean, Small, "undo.inline");
    B.CreateCondBr(Plain, Truncate, Slow, MDB.createLikelyBranchWeights());
    B.SetInsertPoint(Truncate);
    B.CreateStore(UBase, Undo); // cur = base: the outermost commit drops the entries
    B.CreateBr(Pop);
    B.SetInsertPoint(Pop);
    B.CreateStore(Prev, TopAddr);
    B.CreateRetVoid();
    B.SetInsertPoint(Slow);
    B.CreateCall(Commit, {Frame});
    B.CreateRetVoid();
    return CommitFast;
  }

  Constant *string(StringRef S) {
    Constant *&Slot = Strings[S];
    if (!Slot) {
      Constant *Init = ConstantDataArray::getString(C, S);
      auto *GV = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage, Init,
                                    "heal.str");
      GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      GV->setAlignment(Align(1));
      Slot = GV;
    }
    return Slot;
  }
};
} // namespace

static GlobalVariable *createSite(TxAPI &A, Function &F, const RetvalChoice &RC,
                                  const PolicyTransaction &T) {
  SourceLoc L = functionLoc(F);
  uint32_t Flags = (T.Rollback ? HEAL_TX_ROLLBACK : 0) | (RC.Forced ? HEAL_TX_FORCED : 0);
  Constant *Value = ConstantPointerNull::get(A.Ptr);
  if (RC.Value)
    Value = A.string(valueText(RC.Value));
  Constant *Init = ConstantStruct::get(
      A.SiteTy, {A.string(functionName(F)), A.string(L.File), ConstantInt::get(A.I32, L.Line),
                 ConstantInt::get(A.I32, Flags), Value, A.string(RC.Reason)});
  auto *GV = new GlobalVariable(A.M, A.SiteTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                Init, "heal.tx." + F.getName());
  GV->setAlignment(A.M.getDataLayout().getABITypeAlign(A.SiteTy));
  return GV;
}

// The body can move to a function of its own unless it uses its variable arguments
// (va_start needs the variadic frame) or the address of one of its blocks.
static bool canOutline(Function &F) {
  if (F.isVarArg())
    return false;
  for (BasicBlock &BB : F)
    if (BB.hasAddressTaken())
      return false;
  for (Argument &Arg : F.args())
    if (Arg.hasInAllocaAttr() || Arg.hasPreallocatedAttr() || Arg.hasSwiftErrorAttr())
      return false;
  return true;
}

// Moves F's body (blocks, arguments' uses, debug info) into a new internal function
// F.heal_body with F's attributes, leaving F empty.
static Function *outlineBody(Function &F) {
  Function *Body = Function::Create(F.getFunctionType(), GlobalValue::InternalLinkage,
                                    F.getAddressSpace(), F.getName() + BodySuffix, F.getParent());
  Body->copyAttributesFrom(&F);
  Body->setLinkage(GlobalValue::InternalLinkage);
  Body->setVisibility(GlobalValue::DefaultVisibility);
  Body->setDSOLocal(true);
  Body->setComdat(nullptr);
  Body->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  Body->removeFnAttr(Attribute::AlwaysInline);
  // Inlined back into F, the body's epilogue (the stack protector's check) would run after
  // the commit, outside the transaction.
  Body->addFnAttr(Attribute::NoInline);
  Body->addFnAttr(BodyAttr, functionName(F));
  Body->splice(Body->begin(), &F);
  for (unsigned I = 0; I < F.arg_size(); ++I) {
    F.getArg(I)->replaceAllUsesWith(Body->getArg(I));
    Body->getArg(I)->setName(F.getArg(I)->getName());
  }
  if (DISubprogram *SP = F.getSubprogram()) {
    Body->setSubprogram(SP);
    F.setSubprogram(nullptr);
  }
  return Body;
}

static void wrap(TxAPI &A, Function &F, const RetvalChoice &RC, GlobalVariable *Site) {
  const DataLayout &DL = A.M.getDataLayout();
  IRBuilder<> B(A.C);
  BasicBlock *Entry, *Body;
  DebugLoc Loc;
  bool Outlined = canOutline(F);
  if (Outlined) {
    // F becomes the wrapper: enter, call the body, commit, return.
    Function *BodyFn = outlineBody(F);
    Entry = BasicBlock::Create(A.C, "entry", &F);
    Body = BasicBlock::Create(A.C, "heal.tx.body", &F);
    B.SetInsertPoint(Body);
    SmallVector<Value *, 8> Args;
    for (Argument &Arg : F.args())
      Args.push_back(&Arg);
    CallInst *CI = B.CreateCall(BodyFn, Args);
    CI->setCallingConv(F.getCallingConv());
    CI->setAttributes(F.getAttributes().removeFnAttributes(A.C));
    CI->setTailCallKind(CallInst::TCK_NoTail); // the commit follows
    if (F.getReturnType()->isVoidTy())
      B.CreateRetVoid();
    else
      B.CreateRet(CI);
    B.SetInsertPoint(Entry);
  } else {
    // Wrapped in place (varargs, block addresses). Static allocas stay in the entry block
    // above the split, or they would become dynamic.
    Entry = &F.getEntryBlock();
    Instruction *SplitAt = &*Entry->getFirstNonPHIOrDbgOrAlloca();
    SmallVector<AllocaInst *, 4> LateAllocas;
    for (auto It = SplitAt->getIterator(); It != Entry->end(); ++It)
      if (auto *AI = dyn_cast<AllocaInst>(&*It); AI && AI->isStaticAlloca())
        LateAllocas.push_back(AI);
    for (AllocaInst *AI : LateAllocas)
      AI->moveBefore(SplitAt);
    if (DISubprogram *SP = F.getSubprogram())
      Loc = DILocation::get(A.C, SP->getScopeLine() ? SP->getScopeLine() : SP->getLine(), 0, SP);
    Body = Entry->splitBasicBlock(SplitAt, "heal.tx.body");
    Entry->getTerminator()->eraseFromParent();
    B.SetInsertPoint(Entry);
  }

  // A struct of words, not an array: the stack protector lays arrays out next to its
  // canary and plain objects below them, so an overflowing buffer runs into the canary,
  // not into the frame (the runtime also checks the frame before it jumps to it).
  // HEAL_TX_FRAME_GUARD bytes below the frame hold the runtime's guard word.
  SmallVector<Type *, 50> Words((HEAL_TX_FRAME_GUARD + HEAL_TX_FRAME_SIZE) / 8, B.getInt64Ty());
  AllocaInst *Space = B.CreateAlloca(StructType::get(A.C, Words), nullptr, "heal.tx.space");
  Space->setAlignment(Align(HEAL_TX_FRAME_ALIGN));
  Value *Frame = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Space, HEAL_TX_FRAME_GUARD,
                                              "heal.tx.frame");
  BasicBlock *Abort = BasicBlock::Create(A.C, "heal.tx.abort", &F, Body);
  BasicBlock *Slow = BasicBlock::Create(A.C, "heal.tx.slow", &F, Body);
  B.SetCurrentDebugLocation(Loc);
  CallInst *Enter = B.CreateCall(A.Enter, {Frame, Site}, "heal.tx.enter");
  // returns_twice: the abort comes back here (LLVM then keeps the function's state safe
  // across it, as for setjmp).
  Enter->addFnAttr(Attribute::ReturnsTwice);
  Enter->addFnAttr(Attribute::NoUnwind);
  Value *Jmp = B.CreateExtractValue(Enter, 0, "heal.tx.jmp");
  // The abort and the slow path are cold: lay the body out as the fall-through.
  MDBuilder MDB(A.C);
  SwitchInst *SI = B.CreateSwitch(Jmp, Slow, 2, MDB.createBranchWeights({1, 2000, 1}));
  SI->addCase(B.getInt32(0), Body);
  SI->addCase(B.getInt32(1), Abort);
  B.SetInsertPoint(Slow);
  B.SetCurrentDebugLocation(Loc);
  B.CreateCall(A.EnterSlow, {Frame, Site});
  B.CreateBr(Body);

  B.SetInsertPoint(Abort);
  B.SetCurrentDebugLocation(Loc);
  Type *RetTy = F.getReturnType();
  if (Argument *Sret = sretArg(F)) {
    Type *ST = F.getParamStructRetType(Sret->getArgNo());
    if (RC.Value && RC.Value->getType() == ST)
      B.CreateStore(RC.Value, Sret);
    else
      B.CreateMemSet(Sret, B.getInt8(0), DL.getTypeAllocSize(ST), MaybeAlign(1));
  }
  if (RetTy->isVoidTy())
    B.CreateRetVoid();
  else if (RC.Value && RC.Value->getType() == RetTy)
    B.CreateRet(RC.Value);
  else if (Argument *Sret = sretArg(F); Sret && RetTy == Sret->getType())
    B.CreateRet(Sret); // an sret function that also returns its pointer
  else
    B.CreateRet(Constant::getNullValue(RetTy));

  SmallVector<ReturnInst *, 4> Rets;
  for (BasicBlock &BB : F)
    if (&BB != Abort)
      if (auto *R = dyn_cast<ReturnInst>(BB.getTerminator()))
        Rets.push_back(R);
  for (ReturnInst *R : Rets) {
    B.SetInsertPoint(R);
    B.SetCurrentDebugLocation(R->getDebugLoc() ? R->getDebugLoc() : Loc);
    // In place, the body's code is F's own: the undo log instruments F (and would log the
    // inline commit's pop), so it calls the runtime.
    B.CreateCall(Outlined ? FunctionCallee(A.commitFast()) : A.Commit, {Frame});
    ++NumCommits;
  }

  // A boundary at every -O level: inlined, the frame would belong to the caller.
  F.removeFnAttr(Attribute::AlwaysInline);
  F.addFnAttr(Attribute::NoInline);
  ++NumWrapped;
}

PreservedAnalyses HealTransactionPass::run(Module &M, ModuleAnalysisManager &MAM) {
  std::string Path;
  std::optional<Policy> P = policyForPass(M, PolicyPath, &Path);
  if (!P)
    return PreservedAnalyses::all();

  SkipList Skip(M);
  SmallVector<std::pair<Function *, const PolicyTransaction *>, 8> Work;
  for (const PolicyTransaction &T : P->Transactions) {
    Function *F = M.getFunction(T.Function);
    if (!F || F->isDeclaration() || F->hasAvailableExternallyLinkage() || isWrapped(*F))
      continue;
    std::string Why = refusal(*F, Skip);
    if (!Why.empty()) {
      M.getContext().emitError("heal: " + Path + ":" + T.Where + ".function: \"" + T.Function +
                               "\" cannot run as a transaction: " + Why +
                               "; remove it from \"transactions\" or change the function");
      continue;
    }
    Work.push_back({F, &T});
  }
  if (Work.empty())
    return PreservedAnalyses::all();

  // The synthesis reads the call sites as the front end wrote them: ask before wrapping.
  const HealRetvalAnalysis::Result &R = MAM.getResult<HealRetvalAnalysis>(M);
  SmallVector<RetvalChoice, 8> Choices;
  for (auto &[F, T] : Work)
    Choices.push_back(chooseReturn(R, *F, T));

  TxAPI A(M);
  for (size_t I = 0; I < Work.size(); ++I) {
    auto [F, T] = Work[I];
    emitRetvalRemark(*F, Choices[I]);
    GlobalVariable *Site = createSite(A, *F, Choices[I], *T);
    wrap(A, *F, Choices[I], Site);
    LLVM_DEBUG(dbgs() << "heal-tx: wrapped " << F->getName() << "\n");
  }
  return PreservedAnalyses::none();
}

} // namespace heal
