#include "GlobalGuard.h"
#include "ModuleRegistration.h"
#include "Runtime.h"
#include "Sites.h"
#include "SourceInfo.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/Debug.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#define DEBUG_TYPE "heal-guard-globals"

using namespace llvm;

STATISTIC(NumGuarded, "Global buffers given guard pages");
STATISTIC(NumSkipped, "Global buffers left unguarded (see the skip reasons)");

namespace heal {
namespace {

// The largest page size the target's Linux may run with: guards must cover whole pages.
uint64_t pageSize(const Module &M) {
  Triple T(M.getTargetTriple());
  return T.isX86() ? 4096 : 65536;
}

// Why a global that holds an array is not guarded, or "" to guard it.
StringRef skipReason(const GlobalVariable &G, uint64_t Page, const DataLayout &DL) {
  if (G.isThreadLocal())
    return "thread_local";
  if (G.isExternallyInitialized())
    return "externally_initialized";
  if (G.hasSection() || G.hasImplicitSection())
    return "explicit section";
  if (G.hasComdat())
    return "comdat";
  if (G.isConstant() && G.hasGlobalUnnamedAddr())
    return "mergeable constant"; // string literals and the like
  switch (G.getLinkage()) {
  case GlobalValue::ExternalLinkage:
  case GlobalValue::InternalLinkage:
  case GlobalValue::PrivateLinkage:
  case GlobalValue::WeakAnyLinkage:
  case GlobalValue::WeakODRLinkage:
    break;
  case GlobalValue::CommonLinkage:
    return "common symbol";
  default:
    return "linkage";
  }
  if (G.getAddressSpace() != 0)
    return "address space";
  if (DL.getPreferredAlign(&G).value() > Page)
    return "aligned beyond a page";
  return "";
}

bool holdsArray(const GlobalVariable &G) {
  if (const DIGlobalVariable *Var = globalVariable(G))
    if (Var->getType())
      return containsArray(Var->getType());
  return containsArray(G.getValueType());
}

// Function-static variables: the owning function from debug info, else from clang's IR
// name "function.variable".
SiteInfo makeSite(const GlobalVariable &G, const Module &M) {
  SiteInfo S;
  S.Flags = HEAL_SITE_GLOBAL;
  S.Size = M.getDataLayout().getTypeAllocSize(G.getValueType());
  if (const DIGlobalVariable *Var = globalVariable(G)) {
    S.Buffer = Var->getName().str();
    S.File = Var->getFilename().str();
    S.Line = Var->getLine();
    for (const DIScope *Scope = Var->getScope(); Scope; Scope = Scope->getScope())
      if (const auto *SP = dyn_cast<DISubprogram>(Scope)) {
        S.Function = SP->getName().str();
        break;
      }
  }
  if (S.Buffer.empty()) {
    S.Buffer = G.getName().str();
    auto [Fn, Rest] = G.getName().split('.');
    if (G.hasLocalLinkage() && !Rest.empty() && M.getFunction(Fn)) {
      S.Function = Fn.str();
      S.Buffer = Rest.str();
    }
  }
  return S;
}

struct Guarded {
  GlobalVariable *Container;
  Constant *Inner;
  uint64_t Total;
  GlobalVariable *Site;
};

} // namespace

PreservedAnalyses HealGlobalGuardPass::run(Module &M, ModuleAnalysisManager &) {
  if (isRegistered(M))
    return PreservedAnalyses::all();
  RuntimeAPI RT(M);
  const DataLayout &DL = M.getDataLayout();
  const uint64_t Page = pageSize(M);

  SmallVector<GlobalVariable *, 16> Work;
  for (GlobalVariable &G : M.globals()) {
    StringRef N = G.getName();
    if (G.isDeclaration() || N.starts_with("llvm.") || N.starts_with("heal.") ||
        N.starts_with("__heal_") || !holdsArray(G))
      continue;
    StringRef Why = skipReason(G, Page, DL);
    if (!Why.empty()) {
      LLVM_DEBUG(dbgs() << "heal-guard-globals: skip " << N << " (" << Why << ")\n");
      ++NumSkipped;
      continue;
    }
    Work.push_back(&G);
  }
  if (Work.empty())
    return PreservedAnalyses::all();

  SmallVector<Guarded, 16> Done;
  for (GlobalVariable *G : Work) {
    Type *T = G->getValueType();
    uint64_t Size = DL.getTypeAllocSize(T);
    uint64_t A = DL.getPreferredAlign(G).value();
    uint64_t Body = alignTo(Size, Page); // whole pages between the guards
    uint64_t Start = Opts.Front ? Page : Page + alignDown(Body - Size, A);
    uint64_t Pad = Start - Page, Tail = Page + Body - Start - Size;
    auto Bytes = [&](uint64_t N) { return ArrayType::get(Type::getInt8Ty(RT.C), N); };
    StructType *CT = StructType::get(RT.C, {Bytes(Page), Bytes(Pad), T, Bytes(Tail), Bytes(Page)},
                                     /*isPacked=*/true);
    assert(DL.getStructLayout(CT)->getElementOffset(2) == Start);

    SiteInfo SI = makeSite(*G, M);
    auto *Container = new GlobalVariable(M, CT, G->isConstant(), GlobalValue::PrivateLinkage,
                                         nullptr, "heal.guard." + G->getName(), G);
    Container->setAlignment(Align(Page));
    Constant *Inner = ConstantExpr::getInBoundsGetElementPtr(
        CT, Container, ArrayRef<Constant *>{ConstantInt::get(RT.I32, 0), ConstantInt::get(RT.I32, 2)});
    auto *Alias = GlobalAlias::create(T, 0, G->getLinkage(), "", Inner, &M);
    Alias->setVisibility(G->getVisibility());
    Alias->setDLLStorageClass(G->getDLLStorageClass());
    Alias->setDSOLocal(G->isDSOLocal());
    Alias->setUnnamedAddr(G->getUnnamedAddr());
    Alias->setPartition(G->getPartition());

    // After the RAUW so that an initializer pointing at G itself points at the alias.
    G->replaceAllUsesWith(Alias);
    Constant *Zero[] = {ConstantAggregateZero::get(Bytes(Page)), ConstantAggregateZero::get(Bytes(Pad))};
    Container->setInitializer(ConstantStruct::get(
        CT, {Zero[0], Zero[1], G->getInitializer(), ConstantAggregateZero::get(Bytes(Tail)),
             ConstantAggregateZero::get(Bytes(Page))}));

    // Debug info: the variable now lives at an offset in the container.
    SmallVector<DIGlobalVariableExpression *, 1> GVEs;
    G->getDebugInfo(GVEs);
    for (DIGlobalVariableExpression *GVE : GVEs)
      Container->addDebugInfo(DIGlobalVariableExpression::get(
          RT.C, GVE->getVariable(),
          DIExpression::prepend(GVE->getExpression(), DIExpression::ApplyOffset, Start)));

    Alias->takeName(G);
    LLVM_DEBUG(dbgs() << "heal-guard-globals: " << Alias->getName() << ": size " << Size
                      << " align " << A << " at offset " << Start << " of " << (Body + 2 * Page)
                      << "\n");
    G->eraseFromParent();
    Done.push_back({Container, Inner, Body + 2 * Page, createSite(RT, SI)});
    ++NumGuarded;
  }

  // The guards go up in a priority-1 constructor, before any user constructor.
  Function *Ctor = createSanitizerCtor(M, GlobalsCtorName);
  IRBuilder<> IRB(Ctor->getEntryBlock().getTerminator());
  for (const Guarded &G : Done)
    IRB.CreateCall(RT.guardGlobal(),
                   {G.Container, IRB.getInt64(G.Total), G.Inner, G.Site});
  appendToGlobalCtors(M, Ctor, CtorPriority);
  return PreservedAnalyses::none();
}

} // namespace heal
