#include "SourceInfo.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfo.h"

using namespace llvm;

namespace heal {

std::string functionName(const Function &F) {
  StringRef IRName = F.getName();
  if (IRName.starts_with("_Z"))
    return demangle(IRName);
  if (const DISubprogram *SP = F.getSubprogram())
    if (!SP->getName().empty())
      return SP->getName().str();
  return IRName.str();
}

SourceLoc functionLoc(const Function &F) {
  SourceLoc L;
  if (const DISubprogram *SP = F.getSubprogram()) {
    L.File = SP->getFilename().str();
    L.Line = SP->getLine();
  }
  return L;
}

DILocalVariable *declaredVariable(Value *V) {
  for (DbgVariableRecord *DVR : findDVRDeclares(V))
    return DVR->getVariable();
  for (DbgDeclareInst *DDI : findDbgDeclares(V))
    return DDI->getVariable();
  // Assignment tracking (clang -O1+ -g after declare-to-assign) replaces the declare of an
  // alloca by dbg.assign records linked to it.
  if (auto *I = dyn_cast<Instruction>(V)) {
    for (DbgVariableRecord *DVR : at::getDVRAssignmentMarkers(I))
      return DVR->getVariable();
    for (DbgAssignIntrinsic *DAI : at::getAssignmentMarkers(I))
      return DAI->getVariable();
  }
  return nullptr;
}

DIGlobalVariable *globalVariable(const GlobalVariable &GV) {
  SmallVector<DIGlobalVariableExpression *, 1> GVEs;
  GV.getDebugInfo(GVEs);
  for (DIGlobalVariableExpression *GVE : GVEs)
    if (DIGlobalVariable *Var = GVE->getVariable())
      return Var;
  return nullptr;
}

static bool containsArray(const DIType *Ty, SmallPtrSetImpl<const DIType *> &Seen) {
  while (Ty) {
    if (!Seen.insert(Ty).second)
      return false;
    if (const auto *D = dyn_cast<DIDerivedType>(Ty)) {
      switch (D->getTag()) {
      case dwarf::DW_TAG_typedef:
      case dwarf::DW_TAG_const_type:
      case dwarf::DW_TAG_volatile_type:
      case dwarf::DW_TAG_restrict_type:
      case dwarf::DW_TAG_atomic_type:
      case dwarf::DW_TAG_member:
        Ty = D->getBaseType();
        continue;
      default: // pointers, references, pointer-to-member
        return false;
      }
    }
    const auto *Comp = dyn_cast<DICompositeType>(Ty);
    if (!Comp)
      return false;
    switch (Comp->getTag()) {
    case dwarf::DW_TAG_array_type:
      return !Comp->isVector();
    case dwarf::DW_TAG_structure_type:
    case dwarf::DW_TAG_union_type:
    case dwarf::DW_TAG_class_type:
      for (const DINode *E : Comp->getElements())
        if (const auto *M = dyn_cast_or_null<DIDerivedType>(E))
          if (M->getTag() == dwarf::DW_TAG_member && !M->isStaticMember() &&
              containsArray(M->getBaseType(), Seen))
            return true;
      return false;
    default:
      return false;
    }
  }
  return false;
}

bool containsArray(const DIType *Ty) {
  SmallPtrSet<const DIType *, 8> Seen;
  return containsArray(Ty, Seen);
}

bool containsArray(const Type *Ty) {
  if (Ty->isArrayTy())
    return true;
  if (const auto *ST = dyn_cast<StructType>(Ty)) {
    // A C union is laid out as its most aligned member (plus padding), so an array member
    // may not show in the IR type: without debug info every union counts.
    if (ST->hasName() && ST->getName().starts_with("union."))
      return true;
    for (const Type *E : ST->elements())
      if (containsArray(E))
        return true;
  }
  return false;
}

} // namespace heal
