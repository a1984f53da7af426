// The heal pipelines. Sensor and patch are the registration only, for now. The Oracle
// guards global buffers, monitors every covered function and guards its stack buffers;
// monitoring runs before the buffer guard because a guarded slot belongs to the frame at
// the current shadow depth (the guard pass would add monitoring itself anyway). The
// registration pass stays last so that it can gather the sites the other passes created.
#include "Pipelines.h"
#include "BufferGuard.h"
#include "ConfigCheck.h"
#include "GlobalGuard.h"
#include "ModuleRegistration.h"
#include "Monitor.h"

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
  if (Mode == HEAL_MODE_ORACLE) {
    GlobalGuardOptions GOpts;
    GOpts.Front = GlobalsFront;
    MPM.addPass(HealGlobalGuardPass(GOpts));
    MPM.addPass(HealMonitorPass());
    MPM.addPass(HealBufferGuardPass());
  }
  MPM.addPass(HealModuleRegistrationPass(Mode));
}

} // namespace heal
