#include "ConfigCheck.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace heal {

// Returns "" if the policy file reads and parses as a JSON object, else the reason.
static std::string checkPolicy(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return "cannot read policy '" + Path.str() + "': " + Buf.getError().message();
  Expected<json::Value> V = json::parse((*Buf)->getBuffer());
  if (!V)
    return "policy '" + Path.str() + "' is not valid JSON: " + toString(V.takeError());
  if (!V->getAsObject())
    return "policy '" + Path.str() + "' is not a JSON object";
  return "";
}

PreservedAnalyses HealConfigCheckPass::run(Module &M, ModuleAnalysisManager &) {
  std::string Msg = Error;
  if (Msg.empty() && !PolicyPath.empty())
    Msg = checkPolicy(PolicyPath);
  if (!Msg.empty())
    M.getContext().emitError("heal: " + Msg);
  return PreservedAnalyses::all();
}

} // namespace heal
