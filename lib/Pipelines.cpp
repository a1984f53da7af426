// The heal pipelines. Sensor is the registration only. The Oracle
// guards global buffers, monitors every covered function and guards its stack buffers;
// monitoring runs before the buffer guard because a guarded slot belongs to the frame at
// the current shadow depth (the guard pass would add monitoring itself anyway). The
// registration pass stays last so that it can gather the sites the other passes created.
// Patch (docs/transactions.md): the policy's guard entries through heal-guard's selection
// (which monitors the functions owning them), then the policy's transactions (heal-tx),
// then the undo log, then the registration.
#include "Pipelines.h"
#include "BufferGuard.h"
#include "CallSummary.h"
#include "ConfigCheck.h"
#include "GlobalGuard.h"
#include "ModuleRegistration.h"
#include "Monitor.h"
#include "Transaction.h"
#include "UndoLog.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;

static cl::opt<bool> GlobalsFront(
    "heal-guard-globals-front",
    cl::desc("heal: place guarded global buffers right after their front guard page "
             "(exact underflow) instead of ending at the back guard (exact overflow)"),
    cl::init(false));

namespace heal {

std::optional<heal_mode> parseMode(StringRef Name) {
  if (Name == "sensor")
    return HEAL_MODE_SENSOR;
  if (Name == "oracle")
    return HEAL_MODE_ORACLE;
  if (Name == "patch")
    return HEAL_MODE_PATCH;
  return std::nullopt;
}

void buildPipeline(ModulePassManager &MPM, heal_mode Mode, const std::string &PolicyPath,
                   const std::string &ConfigError) {
  MPM.addPass(HealConfigCheckPass(PolicyPath, ConfigError));
  if (!ConfigError.empty())
    return;
  if (!callSummaryOption().empty()) // of the clean module, before heal changes it
    MPM.addPass(HealCallSummaryPass());
  if (Mode == HEAL_MODE_ORACLE) {
    GlobalGuardOptions GOpts;
    GOpts.Front = GlobalsFront;
    MPM.addPass(HealGlobalGuardPass(GOpts));
    MPM.addPass(HealMonitorPass());
    MPM.addPass(HealBufferGuardPass());
  }
  if (Mode == HEAL_MODE_PATCH && !PolicyPath.empty()) {
    // A policy that cannot be read was reported by the config check; nothing to apply.
    std::vector<std::string> Errors;
    if (std::optional<Policy> P = readPolicy(PolicyPath, Errors)) {
      if (!P->Guards.empty()) {
        BufferGuardOptions GOpts;
        GOpts.Only.emplace();
        for (const PolicyGuard &G : P->Guards)
          GOpts.Only->insert(G.Function + ":" + G.Buffer);
        MPM.addPass(HealBufferGuardPass(std::move(GOpts)));
      }
      MPM.addPass(HealTransactionPass(PolicyPath));
      MPM.addPass(HealUndoLogPass(PolicyPath));
    }
  }
  MPM.addPass(HealModuleRegistrationPass(Mode));
}

bool parseHealPass(StringRef Name, ModulePassManager &MPM) {
  if (Name == "heal-tx") {
    MPM.addPass(HealTransactionPass());
    return true;
  }
  if (Name == "heal-undo") {
    MPM.addPass(HealUndoLogPass());
    return true;
  }
  return false;
}

} // namespace heal
