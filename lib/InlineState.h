// What the passes' inline fast paths share (heal-monitor's shadow stack, heal-guard's
// stack slots; protocol in heal.h): internal alwaysinline helper functions, and accesses
// to the runtime's thread state through the exported initial-exec TLS pointer. The
// accesses are volatile -- the runtime's slow paths change the state behind the
// optimizer's back, and a signal handler reads it between any two instructions, so no
// value may be forwarded and no store dropped or reordered -- and carry a TBAA type of
// heal's own under clang's C root, so they alias no typed access of the program.
#ifndef HEAL_LIB_INLINESTATE_H
#define HEAL_LIB_INLINESTATE_H

#include "Runtime.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"

namespace heal {

struct InlineState {
  RuntimeAPI &RT;
  llvm::MDNode *Tag;
  llvm::MDNode *Likely;

  explicit InlineState(RuntimeAPI &RT) : RT(RT) {
    llvm::MDBuilder MDB(RT.C);
    llvm::MDNode *Root = MDB.createTBAARoot("Simple C/C++ TBAA");
    llvm::MDNode *Char = MDB.createTBAAScalarTypeNode("omnipotent char", Root);
    llvm::MDNode *Ty = MDB.createTBAAScalarTypeNode("heal shadow stack", Char);
    Tag = MDB.createTBAAStructTagNode(Ty, Ty, 0);
    Likely = MDB.createLikelyBranchWeights();
  }

  // An internal alwaysinline function: the instrumented IR stays readable, and clang's
  // pipeline inlines it at every -O level.
  llvm::Function *create(llvm::StringRef Name, llvm::FunctionType *Ty) {
    llvm::Function *F =
        llvm::Function::Create(Ty, llvm::GlobalValue::InternalLinkage, Name, RT.M);
    F->addFnAttr(llvm::Attribute::AlwaysInline);
    F->addFnAttr(llvm::Attribute::NoUnwind);
    return F;
  }

  llvm::Value *at(llvm::IRBuilder<> &B, llvm::Value *P, uint64_t Off,
                  const llvm::Twine &Name = "") {
    return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), P, Off, Name);
  }
  llvm::LoadInst *load(llvm::IRBuilder<> &B, llvm::Type *Ty, llvm::Value *P,
                       const llvm::Twine &Name = "") {
    llvm::LoadInst *L = B.CreateLoad(Ty, P, /*isVolatile=*/true, Name);
    L->setMetadata(llvm::LLVMContext::MD_tbaa, Tag);
    return L;
  }
  void store(llvm::IRBuilder<> &B, llvm::Value *V, llvm::Value *P) {
    llvm::StoreInst *S = B.CreateStore(V, P, /*isVolatile=*/true);
    S->setMetadata(llvm::LLVMContext::MD_tbaa, Tag);
  }

  // The thread's state (HEAL_RT_SELF), null before its first slow path. The pointer itself
  // may be reused from an earlier load: it only changes from null to the thread's state
  // (inside a slow path), and a stale null just takes the slow path.
  llvm::Value *self(llvm::IRBuilder<> &B) {
    llvm::GlobalVariable *GV = RT.M.getNamedGlobal(HEAL_RT_SELF);
    if (!GV)
      GV = new llvm::GlobalVariable(RT.M, RT.Ptr, /*isConstant=*/false,
                                    llvm::GlobalValue::ExternalLinkage, nullptr, HEAL_RT_SELF,
                                    nullptr, llvm::GlobalValue::InitialExecTLSModel);
    llvm::LoadInst *T = B.CreateLoad(RT.Ptr, B.CreateThreadLocalAddress(GV), "t");
    T->setMetadata(llvm::LLVMContext::MD_tbaa, Tag);
    return T;
  }

  // Every fast path starts so: the thread's state, or the slow path when it has none yet.
  // Leaves B in Check.
  llvm::Value *selfOrSlow(llvm::IRBuilder<> &B, llvm::BasicBlock *Check,
                          llvm::BasicBlock *Slow) {
    llvm::Value *T = self(B);
    B.CreateCondBr(B.CreateIsNotNull(T), Check, Slow, Likely);
    B.SetInsertPoint(Check);
    return T;
  }
};

} // namespace heal

#endif
