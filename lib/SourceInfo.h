// Source-level names for what the passes instrument: function names, variable names,
// declaration file:line and "is this type a buffer" -- from debug info when the module
// has it, else from the IR (names, types).
#ifndef HEAL_LIB_SOURCEINFO_H
#define HEAL_LIB_SOURCEINFO_H

#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"

#include <optional>
#include <string>

namespace heal {

// Where something was declared; File "" and Line 0 when unknown.
struct SourceLoc {
  std::string File;
  unsigned Line = 0;
};

// The function's source name: the demangled name of a C++ symbol, else the
// DISubprogram's name (unaffected by later renaming such as ".llvm.123" suffixes), else
// the IR name. Static functions keep their plain name.
std::string functionName(const llvm::Function &F);
SourceLoc functionLoc(const llvm::Function &F);

// The source variable V (an alloca or a byval argument) was declared as, from its
// dbg.declare / dbg.assign record, or null.
llvm::DILocalVariable *declaredVariable(llvm::Value *V);

// The global's debug-info variable, or null.
llvm::DIGlobalVariable *globalVariable(const llvm::GlobalVariable &GV);

// Does the type hold an array somewhere (itself, or a member of a struct/union, through
// typedefs and qualifiers, not through pointers)? Vectors are not arrays.
bool containsArray(const llvm::DIType *Ty);
bool containsArray(const llvm::Type *Ty);

} // namespace heal

#endif
