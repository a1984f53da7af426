#include "Policy.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <limits>

using namespace llvm;

static cl::opt<std::string>
    PolicyFile("heal-policy", cl::desc("heal: policy JSON file (transactions, guards)"),
               cl::value_desc("file"), cl::init(""));

static cl::opt<bool> PolicyCheckDefined(
    "heal-policy-check-defined",
    cl::desc("heal: a policy function this module does not define is an error (for a "
             "whole program in one module, and tests)"),
    cl::init(false));

namespace heal {

std::string policyOption() { return PolicyFile; }
bool policyCheckDefinedOption() { return PolicyCheckDefined; }

std::optional<Policy> policyForPass(Module &M, const std::string &PipelinePath,
                                    std::string *PathOut) {
  bool Standalone = PipelinePath.empty();
  std::string Path = Standalone ? policyOption() : PipelinePath;
  if (PathOut)
    *PathOut = Path;
  if (Path.empty())
    return std::nullopt;
  std::vector<std::string> Errors;
  std::optional<Policy> P = readPolicy(Path, Errors);
  if (!P && Standalone) {
    std::string Text;
    for (const std::string &E : Errors)
      Text += (Text.empty() ? "" : "\nerror: ") + E;
    M.getContext().emitError(Text);
  }
  return P;
}

std::string PolicyReturn::str() const {
  switch (Kind) {
  case Int:
    return std::to_string(IntValue);
  case Null:
    return "null";
  case Bool:
    return BoolValue ? "true" : "false";
  case Float: {
    if (std::isnan(FloatValue))
      return "\"nan\"";
    std::string S;
    raw_string_ostream OS(S);
    OS << json::Value(FloatValue);
    return S;
  }
  case Zero:
    return "\"zero\"";
  }
  return "";
}

const PolicyTransaction *Policy::transaction(StringRef Function) const {
  for (const PolicyTransaction &T : Transactions)
    if (T.Function == Function)
      return &T;
  return nullptr;
}

namespace {

// Collects "heal: FILE:WHERE: problem; fix" messages.
struct Checker {
  StringRef Path;
  std::vector<std::string> &Errors;
  void error(const Twine &Where, const Twine &Problem, const Twine &Fix) {
    Errors.push_back(("heal: " + Path + ":" + Where + ": " + Problem + "; " + Fix).str());
  }
};

const char *kindName(const json::Value &V) {
  switch (V.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "an array";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

// Unknown keys are errors: a misspelt "rollbak" must not be ignored.
void checkKeys(Checker &C, const json::Object &O, const std::string &Where,
               ArrayRef<StringRef> Known) {
  for (const auto &KV : O) {
    StringRef Key = KV.first;
    if (llvm::is_contained(Known, Key))
      continue;
    std::string List;
    for (StringRef K : Known)
      List += (List.empty() ? "\"" : ", \"") + K.str() + "\"";
    C.error(Where.empty() ? Key : Twine(Where) + "." + Key, "unknown key \"" + Key + "\"",
            "the keys here are " + List);
  }
}

// A required non-empty string member.
std::optional<std::string> getName(Checker &C, const json::Object &O, const std::string &Where,
                                   StringRef Key, StringRef What) {
  const json::Value *V = O.get(Key);
  if (!V) {
    C.error(Where, "missing \"" + Key + "\"", "add \"" + Key + "\": \"<" + What + " name>\"");
    return std::nullopt;
  }
  std::optional<StringRef> S = V->getAsString();
  if (!S || S->empty()) {
    C.error(Where + "." + Key,
            Twine("expected a ") + What + " name (a non-empty string), got " +
                (S ? "an empty string" : kindName(*V)),
            "write the " + What + "'s name in quotes");
    return std::nullopt;
  }
  return S->str();
}

std::optional<PolicyReturn> getReturn(Checker &C, const json::Value &V, const std::string &Where) {
  PolicyReturn R;
  if (V.kind() == json::Value::Null) {
    R.Kind = PolicyReturn::Null;
    return R;
  }
  if (std::optional<bool> B = V.getAsBoolean()) {
    R.Kind = PolicyReturn::Bool;
    R.BoolValue = *B;
    return R;
  }
  if (std::optional<int64_t> I = V.getAsInteger()) {
    R.Kind = PolicyReturn::Int;
    R.IntValue = *I;
    return R;
  }
  if (V.getAsUINT64()) {
    C.error(Where, "integer too large (above INT64_MAX)",
            "write an unsigned all-ones value as -1");
    return std::nullopt;
  }
  if (std::optional<double> D = V.getAsNumber()) {
    R.Kind = PolicyReturn::Float;
    R.FloatValue = *D;
    return R;
  }
  if (std::optional<StringRef> S = V.getAsString(); S && *S == "zero")
    return R; // Kind == Zero
  if (std::optional<StringRef> S = V.getAsString(); S && *S == "nan") {
    R.Kind = PolicyReturn::Float; // JSON has no NaN
    R.FloatValue = std::numeric_limits<double>::quiet_NaN();
    return R;
  }
  C.error(Where,
          Twine("expected an integer, null, true/false, a number, \"nan\" or \"zero\", got ") +
              (V.getAsString() ? "the string \"" + V.getAsString()->str() + "\""
                               : std::string(kindName(V))),
          "fix the value or remove \"return\" to let heal choose");
  return std::nullopt;
}

void parseTransactions(Checker &C, const json::Value &V, Policy &P) {
  const json::Array *A = V.getAsArray();
  if (!A) {
    C.error("transactions", Twine("expected an array, got ") + kindName(V),
            "write \"transactions\": [{\"function\": \"f\"}, ...]");
    return;
  }
  StringSet<> Seen;
  for (size_t I = 0; I < A->size(); ++I) {
    std::string Where = "transactions[" + std::to_string(I) + "]";
    const json::Object *O = (*A)[I].getAsObject();
    if (!O) {
      C.error(Where, Twine("expected an object, got ") + kindName((*A)[I]),
              "write {\"function\": \"f\"}");
      continue;
    }
    checkKeys(C, *O, Where, {"function", "return", "rollback"});
    PolicyTransaction T;
    T.Where = Where;
    std::optional<std::string> Name = getName(C, *O, Where, "function", "function");
    bool Ok = Name.has_value();
    if (Name) {
      T.Function = *Name;
      if (!Seen.insert(*Name).second) {
        C.error(Where + ".function", "\"" + *Name + "\" is already listed in transactions",
                "keep one entry per function");
        Ok = false;
      }
    }
    if (const json::Value *Ret = O->get("return")) {
      T.Return = getReturn(C, *Ret, Where + ".return");
      Ok &= T.Return.has_value();
    }
    if (const json::Value *RB = O->get("rollback")) {
      if (std::optional<bool> B = RB->getAsBoolean()) {
        T.Rollback = *B;
      } else {
        C.error(Where + ".rollback", Twine("expected true or false, got ") + kindName(*RB),
                "write \"rollback\": true or false (default true)");
        Ok = false;
      }
    }
    if (Ok)
      P.Transactions.push_back(std::move(T));
  }
}

void parseGuards(Checker &C, const json::Value &V, Policy &P) {
  const json::Array *A = V.getAsArray();
  if (!A) {
    C.error("guard", Twine("expected an array, got ") + kindName(V),
            "write \"guard\": [{\"function\": \"f\", \"buffer\": \"buf\"}, ...]");
    return;
  }
  for (size_t I = 0; I < A->size(); ++I) {
    std::string Where = "guard[" + std::to_string(I) + "]";
    const json::Object *O = (*A)[I].getAsObject();
    if (!O) {
      C.error(Where, Twine("expected an object, got ") + kindName((*A)[I]),
              "write {\"function\": \"f\", \"buffer\": \"buf\"}");
      continue;
    }
    checkKeys(C, *O, Where, {"function", "buffer"});
    std::optional<std::string> F = getName(C, *O, Where, "function", "function");
    std::optional<std::string> B = getName(C, *O, Where, "buffer", "buffer");
    if (F && B)
      P.Guards.push_back({*F, *B, Where});
  }
}

// "rollback_callees": ["g", ...] and "rollback_indirect_types": ["void (ptr)", ...],
// normally written by heal rebuild (CallSummary.h): arrays of non-empty strings.
void parseStrings(Checker &C, const json::Value &V, StringRef Key, StringRef Example,
                  StringRef Noun, StringRef Fix, std::vector<std::string> &Out) {
  const json::Array *A = V.getAsArray();
  if (!A) {
    C.error(Key, Twine("expected an array, got ") + kindName(V),
            "write \"" + Key + "\": [\"" + Example + "\", ...]");
    return;
  }
  for (size_t I = 0; I < A->size(); ++I) {
    std::optional<StringRef> S = (*A)[I].getAsString();
    if (!S || S->empty()) {
      std::string Why = S ? "empty " + Noun.str()
                          : "expected a string, got " + std::string(kindName((*A)[I]));
      C.error(Key + "[" + std::to_string(I) + "]", Why, Fix);
      continue;
    }
    Out.push_back(S->str());
  }
}

} // namespace

std::optional<Policy> parsePolicy(StringRef Text, StringRef Path,
                                  std::vector<std::string> &Errors) {
  Checker C{Path, Errors};
  size_t Before = Errors.size();
  Expected<json::Value> V = json::parse(Text);
  if (!V) {
    // llvm::json says "[LINE:COL, byte=N]: message"; lead with FILE:LINE:COL like a compiler.
    std::string Msg = toString(V.takeError());
    SmallVector<StringRef, 4> Groups;
    Regex Pos("^\\[([0-9]+):([0-9]+), byte=[0-9]+\\]: (.*)$");
    if (Pos.match(Msg, &Groups))
      C.error(Groups[1] + ":" + Groups[2], "invalid JSON: " + Groups[3],
              "fix the syntax (a policy is one JSON object)");
    else
      C.error("1:1", "invalid JSON: " + Msg, "fix the syntax (a policy is one JSON object)");
    return std::nullopt;
  }
  const json::Object *O = V->getAsObject();
  if (!O) {
    C.error("top level", Twine("expected an object, got ") + kindName(*V),
            "write {\"version\": 1, \"transactions\": [...], \"guard\": [...]}");
    return std::nullopt;
  }
  Policy P;
  P.Path = Path.str();
  checkKeys(C, *O, "", {"version", "transactions", "guard", "rollback_callees",
                        "rollback_indirect_types"});
  const json::Value *Ver = O->get("version");
  if (!Ver)
    C.error("version", "missing \"version\"", "add \"version\": 1");
  else if (Ver->getAsInteger() != std::optional<int64_t>(1))
    C.error("version", "unsupported version " + [&] {
      std::string S;
      raw_string_ostream OS(S);
      OS << *Ver;
      return S;
    }(), "this heal reads \"version\": 1");
  if (const json::Value *T = O->get("transactions"))
    parseTransactions(C, *T, P);
  if (const json::Value *G = O->get("guard"))
    parseGuards(C, *G, P);
  if (const json::Value *R = O->get("rollback_callees"))
    parseStrings(C, *R, "rollback_callees", "f", "function name",
                 "write the name of a function with external linkage", P.RollbackCallees);
  if (const json::Value *R = O->get("rollback_indirect_types"))
    parseStrings(C, *R, "rollback_indirect_types", "void (ptr)", "type",
                 "write a function type as LLVM prints it, e.g. \"i32 (ptr, i64)\"",
                 P.RollbackIndirectTypes);
  if (Errors.size() != Before)
    return std::nullopt;
  return P;
}

std::optional<Policy> readPolicy(StringRef Path, std::vector<std::string> &Errors) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Errors.push_back("heal: " + Path.str() + ": cannot read the policy: " +
                     Buf.getError().message() + "; check the path given to HEAL_POLICY, " +
                     "heal rebuild --policy or -heal-policy");
    return std::nullopt;
  }
  return parsePolicy((*Buf)->getBuffer(), Path, Errors);
}

static const Type *sretType(const Function &F) {
  for (const Argument &A : F.args())
    if (A.hasStructRetAttr())
      return A.getParamStructRetType();
  return nullptr;
}

Constant *forcedReturnConstant(const PolicyReturn &R, const Function &F, std::string *Why) {
  auto Fail = [&](const Twine &W) -> Constant * {
    if (Why)
      *Why = W.str();
    return nullptr;
  };
  Type *T = F.getReturnType();
  if (T->isVoidTy()) {
    if (const Type *S = sretType(F)) {
      if (R.Kind == PolicyReturn::Zero)
        return Constant::getNullValue(const_cast<Type *>(S));
      return Fail("the function returns a struct through a hidden pointer (only \"zero\" fits)"
);
    }
    return Fail("the function returns void");
  }
  if (R.Kind == PolicyReturn::Zero)
    return Constant::getNullValue(T);
  if (auto *IT = dyn_cast<IntegerType>(T)) {
    unsigned W = IT->getBitWidth();
    if (W == 1) {
      if (R.Kind == PolicyReturn::Bool)
        return ConstantInt::get(IT, R.BoolValue);
      if (R.Kind == PolicyReturn::Int && (R.IntValue == 0 || R.IntValue == 1))
        return ConstantInt::get(IT, R.IntValue);
      return Fail("the function returns a bool (use true or false)");
    }
    if (R.Kind != PolicyReturn::Int)
      return Fail("the function returns an integer (i" + Twine(W) + ")");
    if (W < 64 && !isIntN(W, R.IntValue) && !isUIntN(W, static_cast<uint64_t>(R.IntValue)))
      return Fail(Twine(R.IntValue) + " does not fit the function's " + Twine(W) +
                  "-bit integer");
    return ConstantInt::get(IT, R.IntValue, /*IsSigned=*/true);
  }
  if (auto *PT = dyn_cast<PointerType>(T)) {
    if (R.Kind == PolicyReturn::Null)
      return ConstantPointerNull::get(PT);
    if (R.Kind == PolicyReturn::Int) // an address such as MAP_FAILED, (void *)-1
      return ConstantExpr::getIntToPtr(
          ConstantInt::get(Type::getInt64Ty(F.getContext()), R.IntValue, true), PT);
    return Fail("the function returns a pointer (use null or an integer address)");
  }
  if (T->isFloatingPointTy()) {
    if (R.Kind == PolicyReturn::Float)
      return ConstantFP::get(T, R.FloatValue);
    if (R.Kind == PolicyReturn::Int)
      return ConstantFP::get(T, static_cast<double>(R.IntValue));
    return Fail("the function returns a floating-point number");
  }
  return Fail("the function returns an aggregate (only \"zero\" fits)");
}

void checkPolicyAgainstModule(const Policy &P, const Module &M, bool CheckDefined,
                              std::vector<std::string> &Errors) {
  Checker C{P.Path, Errors};
  auto Defined = [&](StringRef Name) {
    const Function *F = M.getFunction(Name);
    return F && !F->isDeclaration() ? F : nullptr;
  };
  for (const PolicyTransaction &T : P.Transactions) {
    const Function *F = Defined(T.Function);
    if (!F) {
      if (CheckDefined)
        C.error(T.Where + ".function", "unknown function \"" + T.Function + "\"",
                "name a function defined in the program (its C name)");
      continue;
    }
    std::string Why;
    if (T.Return && !forcedReturnConstant(*T.Return, *F, &Why))
      C.error(T.Where + ".return",
              T.Return->str() + " cannot be returned by \"" + T.Function + "\": " + Why,
              F->getReturnType()->isVoidTy() && !sretType(*F)
                  ? "remove \"return\""
                  : "fix the value or remove \"return\" to let heal choose");
  }
  if (CheckDefined)
    for (const PolicyGuard &G : P.Guards)
      if (!Defined(G.Function))
        C.error(G.Where + ".function", "unknown function \"" + G.Function + "\"",
                "name a function defined in the program (its C name)");
}

} // namespace heal
