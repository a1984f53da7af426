// The heal pipelines, shared by the opt pipeline names (heal-sensor, heal-oracle,
// heal-patch) and the clang -fpass-plugin OptimizerLast hook.
#ifndef HEAL_LIB_PIPELINES_H
#define HEAL_LIB_PIPELINES_H

#include "Policy.h" // policyOption()
#include "heal/heal.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/PassManager.h"

#include <optional>
#include <string>

namespace heal {

// "sensor" | "oracle" | "patch" -> mode; anything else -> nullopt.
std::optional<heal_mode> parseMode(llvm::StringRef Name);

// Appends the pipeline of Mode. PolicyPath: policy file or "". ConfigError: a configuration
// problem to report instead of instrumenting.
void buildPipeline(llvm::ModulePassManager &MPM, heal_mode Mode, const std::string &PolicyPath,
                   const std::string &ConfigError = "");

// Single passes named in an opt pipeline that Plugin.cpp does not parse itself (heal-tx,
// heal-undo): adds the pass and returns true if Name is one of them.
bool parseHealPass(llvm::StringRef Name, llvm::ModulePassManager &MPM);

} // namespace heal

#endif
