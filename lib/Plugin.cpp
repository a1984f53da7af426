// Entry point of libHealPasses.so.
//
//  * opt -load-pass-plugin=libHealPasses.so -passes=heal-sensor|heal-oracle|heal-patch
//    (what heal-cc runs, on clean front-end bitcode before any optimization);
//    print<heal-skip> is a test hook for the skip list.
//  * clang -fpass-plugin=libHealPasses.so: an OptimizerLast hook runs the pipeline of
//    $HEAL_MODE (default sensor; patch when only $HEAL_POLICY is set), with $HEAL_POLICY as
//    the policy, at every -O level (-O0 included).
// Registering twice (a plugin loaded twice) is harmless: the passes are idempotent.
#include "Pipelines.h"
#include "SkipPrinter.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

#include <cstdlib>

using namespace llvm;

static bool parsePipelineName(StringRef Name, ModulePassManager &MPM,
                              ArrayRef<PassBuilder::PipelineElement>) {
  if (Name == "print<heal-skip>") {
    MPM.addPass(heal::HealSkipPrinterPass());
    return true;
  }
  if (!Name.consume_front("heal-"))
    return false;
  std::optional<heal_mode> Mode = heal::parseMode(Name);
  if (!Mode)
    return false;
  heal::buildPipeline(MPM, *Mode, heal::policyOption());
  return true;
}

static void addOptimizerLastPipeline(ModulePassManager &MPM, OptimizationLevel) {
  const char *ModeEnv = std::getenv(HEAL_ENV_MODE);
  const char *PolicyEnv = std::getenv(HEAL_ENV_POLICY);
  std::string Policy = heal::policyOption();
  if (Policy.empty() && PolicyEnv)
    Policy = PolicyEnv;
  StringRef ModeName = (ModeEnv && *ModeEnv) ? ModeEnv : (!Policy.empty() ? "patch" : "sensor");
  std::optional<heal_mode> Mode = heal::parseMode(ModeName);
  if (!Mode) {
    heal::buildPipeline(MPM, HEAL_MODE_SENSOR, "",
                        "unknown " HEAL_ENV_MODE " '" + ModeName.str() +
                            "' (expected sensor, oracle or patch)");
    return;
  }
  heal::buildPipeline(MPM, *Mode, Policy);
}

static void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(parsePipelineName);
  PB.registerOptimizerLastEPCallback(addOptimizerLastPipeline);
}

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default")))
PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "HealPasses", "0.1", registerCallbacks};
}
