#include "Sites.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"

using namespace llvm;

namespace heal {

GlobalVariable *createSite(RuntimeAPI &RT, const SiteInfo &S) {
  Constant *Init = ConstantStruct::get(
      RT.SiteTy, {RT.string(S.Function), RT.string(S.Buffer), RT.string(S.File),
                  ConstantInt::get(RT.I32, S.Line), ConstantInt::get(RT.I32, S.Flags),
                  ConstantInt::get(RT.I64, S.Size)});
  auto *GV = new GlobalVariable(RT.M, RT.SiteTy, /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, Init, SiteName);
  GV->setAlignment(RT.DL.getABITypeAlign(RT.SiteTy));
  return GV;
}

static bool isSite(const GlobalVariable &GV, RuntimeAPI &RT) {
  StringRef N = GV.getName();
  return (N == SiteName || N.starts_with(std::string(SiteName) + ".")) &&
         GV.getValueType() == RT.SiteTy && GV.hasInitializer() && GV.isConstant();
}

std::pair<Constant *, unsigned> buildSiteTable(RuntimeAPI &RT) {
  SmallVector<GlobalVariable *, 16> Sites;
  for (GlobalVariable &GV : RT.M.globals())
    if (isSite(GV, RT))
      Sites.push_back(&GV);
  if (Sites.empty())
    return {nullptr, 0};

  SmallVector<Constant *, 16> Inits;
  for (GlobalVariable *GV : Sites)
    Inits.push_back(GV->getInitializer());
  auto *ArrTy = ArrayType::get(RT.SiteTy, Sites.size());
  auto *Table = new GlobalVariable(RT.M, ArrTy, /*isConstant=*/true,
                                   GlobalValue::PrivateLinkage,
                                   ConstantArray::get(ArrTy, Inits), SiteTableName);
  Table->setAlignment(RT.DL.getABITypeAlign(RT.SiteTy));
  for (unsigned I = 0; I < Sites.size(); ++I) {
    Constant *Idx[] = {ConstantInt::get(RT.I64, 0), ConstantInt::get(RT.I64, I)};
    Sites[I]->replaceAllUsesWith(ConstantExpr::getInBoundsGetElementPtr(ArrTy, Table, Idx));
    Sites[I]->eraseFromParent();
  }
  return {Table, static_cast<unsigned>(Sites.size())};
}

} // namespace heal
