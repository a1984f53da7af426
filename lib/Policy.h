// The patch policy (BRIEF §2): which functions run as transactions (with an optional forced
// return value and rollback switch) and which buffers are guarded. Read with llvm::json and
// checked strictly: every mistake (bad JSON, wrong type, unknown key, a value that does not
// fit the function) is an error "heal: FILE:WHERE: problem; fix", because a typo in a
// policy must never silently do nothing. Schema: docs/policy.md.
#ifndef HEAL_LIB_POLICY_H
#define HEAL_LIB_POLICY_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class Function;
class Module;
class Constant;
} // namespace llvm

namespace heal {

// A forced "return" value, as written in the policy.
struct PolicyReturn {
  enum KindTy { Int, Null, Bool, Float, Zero } Kind = Zero;
  int64_t IntValue = 0;   // Kind == Int (a JSON integer; uint64 values above INT64_MAX rejected)
  bool BoolValue = false; // Kind == Bool
  double FloatValue = 0;  // Kind == Float (a JSON number with a fraction or exponent)
  std::string str() const; // as JSON text: -1, null, true, 0.5, "zero"
};

struct PolicyTransaction {
  std::string Function;
  std::optional<PolicyReturn> Return; // absent: synthesized (RetvalSynthesis.h)
  bool Rollback = true;
  std::string Where; // "transactions[0]", for messages
};

struct PolicyGuard {
  std::string Function;
  std::string Buffer;
  std::string Where;
};

struct Policy {
  std::string Path;
  std::vector<PolicyTransaction> Transactions;
  std::vector<PolicyGuard> Guards;
  // Functions with external linkage that transactional code of other modules reaches
  // (heal rebuild computes them, CallSummary.h): a module that defines one gives it an
  // undo-logging clone NAME.heal_tx with external linkage; transactional code of a module
  // that calls one calls that clone (docs/rollback.md, "Other modules").
  std::vector<std::string> RollbackCallees;
  // Types of indirect calls in any module's transactional code (heal rebuild, as typeKey
  // prints them): a module registers clones of its candidate targets of these types, and
  // routes such calls of its own transactional code through __heal_tx_target.
  std::vector<std::string> RollbackIndirectTypes;

  const PolicyTransaction *transaction(llvm::StringRef Function) const;
};

// Reads and checks the schema of a policy file. On failure returns nullopt and appends
// one message per problem to Errors (each "heal: FILE:WHERE: problem; fix").
std::optional<Policy> readPolicy(llvm::StringRef Path, std::vector<std::string> &Errors);
// Same, from text (Path is only used in messages).
std::optional<Policy> parsePolicy(llvm::StringRef Text, llvm::StringRef Path,
                                  std::vector<std::string> &Errors);

// Checks the policy against one module: a forced return value must suit the function's
// return type (once the function is defined here). A name the module does not define is
// fine (another module may define it) unless CheckDefined. Appends messages to Errors.
void checkPolicyAgainstModule(const Policy &P, const llvm::Module &M, bool CheckDefined,
                              std::vector<std::string> &Errors);

// The forced value as a constant of F's return type, or null when it does not fit (void,
// wrong kind); Why then says what is wrong. sret functions take only "zero".
llvm::Constant *forcedReturnConstant(const PolicyReturn &R, const llvm::Function &F,
                                     std::string *Why = nullptr);

// The policy a pass acts on: PipelinePath when the pass is in a heal pipeline, else (opt
// -passes=NAME) the -heal-policy option; *Path gets the file used. nullopt when there is
// none or it cannot be read -- standalone, the problems become module errors; in a
// pipeline the config check has reported them already.
std::optional<Policy> policyForPass(llvm::Module &M, const std::string &PipelinePath,
                                    std::string *Path = nullptr);

// -heal-policy=FILE ("" when absent) and -heal-policy-check-defined.
std::string policyOption();
bool policyCheckDefinedOption();

} // namespace heal

#endif
