// Entry point of libHealPasses.so.
//
//  * opt -load-pass-plugin=libHealPasses.so -passes=heal-sensor|heal-oracle|heal-patch
//    (what heal-cc runs, on clean front-end bitcode before any optimization);
//    print<heal-skip> and print<heal-retval> are test hooks (skip list, return-value
//    synthesis); the Oracle's passes also run
//    alone as heal-monitor, heal-guard[<only=F:BUF;...>] and heal-guard-globals[<front>];
//    heal-calls prints the module's call summary for heal rebuild (CallSummary.h).
//  * clang -fpass-plugin=libHealPasses.so: an OptimizerLast hook runs the pipeline of
//    $HEAL_MODE (default sensor; patch when only $HEAL_POLICY is set), with $HEAL_POLICY as
//    the policy, at every -O level (-O0 included).
// Registering twice (a plugin loaded twice) is harmless: the passes are idempotent.
#include "BufferGuard.h"
#include "CallSummary.h"
#include "GlobalGuard.h"
#include "Monitor.h"
#include "Pipelines.h"
#include "RetvalSynthesis.h"
#include "SkipPrinter.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

#include <cstdlib>

using namespace llvm;

// heal-guard<only=f:buf;g:buf2> -> that selection; heal-guard -> everything.
static std::optional<heal::BufferGuardOptions> parseGuardParams(StringRef Params) {
  heal::BufferGuardOptions Opts;
  if (Params.empty())
    return Opts;
  if (!Params.consume_front("only="))
    return std::nullopt;
  Opts.Only.emplace();
  SmallVector<StringRef, 4> Items;
  Params.split(Items, ';', -1, /*KeepEmpty=*/false);
  for (StringRef Item : Items) {
    if (!Item.contains(':'))
      return std::nullopt;
    Opts.Only->insert(Item);
  }
  return Opts;
}

// Name, or Name<params> (params returned in Params).
static bool matchPass(StringRef Name, StringRef Pass, StringRef &Params) {
  if (Name == Pass) {
    Params = "";
    return true;
  }
  if (!Name.consume_front(Pass) || !Name.consume_front("<") || !Name.consume_back(">"))
    return false;
  Params = Name;
  return true;
}

static bool parsePipelineName(StringRef Name, ModulePassManager &MPM,
                              ArrayRef<PassBuilder::PipelineElement>) {
  if (Name == "print<heal-skip>") {
    MPM.addPass(heal::HealSkipPrinterPass());
    return true;
  }
  if (Name == "print<heal-retval>") {
    MPM.addPass(heal::HealRetvalPrinterPass());
    return true;
  }
  if (Name == "heal-calls") {
    MPM.addPass(heal::HealCallSummaryPass());
    return true;
  }
  StringRef Params;
  if (Name == "heal-monitor") {
    MPM.addPass(heal::HealMonitorPass());
    return true;
  }
  if (matchPass(Name, "heal-guard-globals", Params)) {
    if (!Params.empty() && Params != "front")
      return false;
    heal::GlobalGuardOptions Opts;
    Opts.Front = Params == "front";
    MPM.addPass(heal::HealGlobalGuardPass(Opts));
    return true;
  }
  if (matchPass(Name, "heal-guard", Params)) {
    std::optional<heal::BufferGuardOptions> Opts = parseGuardParams(Params);
    if (!Opts)
      return false;
    MPM.addPass(heal::HealBufferGuardPass(std::move(*Opts)));
    return true;
  }
  if (heal::parseHealPass(Name, MPM))
    return true;
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
  PB.registerAnalysisRegistrationCallback([](ModuleAnalysisManager &MAM) {
    MAM.registerPass([] { return heal::HealRetvalAnalysis(); });
  });
  PB.registerPipelineParsingCallback(parsePipelineName);
  PB.registerOptimizerLastEPCallback(addOptimizerLastPipeline);
}

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default")))
PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "HealPasses", "0.1", registerCallbacks};
}
