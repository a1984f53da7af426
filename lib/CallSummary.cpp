#include "CallSummary.h"
#include "Skip.h"
#include "UndoLog.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace llvm;

static cl::opt<std::string>
    CallsOut("heal-calls-out",
             cl::desc("heal: where heal-calls writes the module's call summary (JSON; - or "
                      "absent: standard output); the heal-MODE pipelines then write it too"),
             cl::init(""));

namespace heal {

std::string callSummaryOption() { return CallsOut; }

PreservedAnalyses HealCallSummaryPass::run(Module &M, ModuleAnalysisManager &) {
  SkipList Skip(M);
  std::error_code EC;
  std::string Path = CallsOut.empty() ? std::string("-") : std::string(CallsOut);
  raw_fd_ostream OS(Path, EC, sys::fs::OF_None);
  if (EC) {
    M.getContext().emitError("heal: cannot write the call summary to '" + Path +
                             "': " + EC.message());
    return PreservedAnalyses::all();
  }
  json::OStream J(OS);
  J.object([&] {
    J.attribute("version", 1);
    J.attributeArray("functions", [&] {
      for (Function &F : M) {
        if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
          continue;
        SmallVector<StringRef, 16> Calls;
        SmallVector<std::string, 4> Indirect;
        for (Instruction &I : instructions(F)) {
          auto *CB = dyn_cast<CallBase>(&I);
          if (!CB || CB->isInlineAsm())
            continue;
          auto *G = dyn_cast<Function>(CB->getCalledOperand()->stripPointerCasts());
          if (!G) {
            if (!isa<CallBrInst>(CB))
              Indirect.push_back(typeKey(CB->getFunctionType()));
            continue;
          }
          if (G->isIntrinsic() || G->getName().starts_with("__heal_") || !G->hasName())
            continue;
          Calls.push_back(G->getName());
        }
        llvm::sort(Calls);
        Calls.erase(std::unique(Calls.begin(), Calls.end()), Calls.end());
        llvm::sort(Indirect);
        Indirect.erase(std::unique(Indirect.begin(), Indirect.end()), Indirect.end());
        J.object([&] {
          J.attribute("name", F.getName());
          J.attribute("local", F.hasLocalLinkage());
          J.attribute("cloneable", undoCloneable(F, Skip));
          J.attributeArray("calls", [&] {
            for (StringRef C : Calls)
              J.value(C);
          });
          J.attribute("type", typeKey(F.getFunctionType()));
          J.attribute("candidate", indirectCandidate(F, Skip));
          J.attributeArray("indirect", [&] {
            for (const std::string &T : Indirect)
              J.value(T);
          });
        });
      }
    });
  });
  OS << "\n";
  return PreservedAnalyses::all();
}

} // namespace heal
