// For now the three pipelines differ only in the mode recorded in the module descriptor;
// buffer guarding (oracle), monitoring and transactions (patch) are added by later issues,
// in front of the registration pass (which must stay last so it can list their sites).
#include "Pipelines.h"
#include "ConfigCheck.h"
#include "ModuleRegistration.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;

static cl::opt<std::string>
    PolicyFile("heal-policy", cl::desc("heal: policy JSON file (transactions, guards)"),
               cl::value_desc("file"), cl::init(""));

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

std::string policyOption() { return PolicyFile; }

void buildPipeline(ModulePassManager &MPM, heal_mode Mode, const std::string &PolicyPath,
                   const std::string &ConfigError) {
  MPM.addPass(HealConfigCheckPass(PolicyPath, ConfigError));
  if (!ConfigError.empty())
    return;
  MPM.addPass(HealModuleRegistrationPass(Mode));
}

} // namespace heal
