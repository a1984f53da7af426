// The runtime's side of the ABI as the passes see it: LLVM types laid out like the structs
// of include/heal/heal.h, the entry points (names from heal.h, declared once here), and a
// pool of private C strings. One RuntimeAPI per module and pass run.
#ifndef HEAL_LIB_RUNTIME_H
#define HEAL_LIB_RUNTIME_H

#include "heal/heal.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Module.h"

namespace heal {

class RuntimeAPI {
public:
  explicit RuntimeAPI(llvm::Module &M);

  llvm::Module &M;
  llvm::LLVMContext &C;
  const llvm::DataLayout &DL;
  llvm::IntegerType *I32, *I64;
  llvm::PointerType *Ptr;
  // Literal struct types: a named one could collide with a user's struct of that name.
  llvm::StructType *FunctionTy; // struct heal_function {name, file, line, flags}
  llvm::StructType *SiteTy;     // struct heal_buffer_site {function, buffer, file, line, flags, size}

  // Entry points. Only `nounwind`: the optimizer must treat them as opaque calls that may
  // read and write any escaped memory, so it cannot move accesses to a guarded buffer past
  // the __heal_exit that releases it, nor delete stores to it as dead.
  llvm::FunctionCallee enter();       // i32 (ptr fn)
  llvm::FunctionCallee exit();        // void (i32 depth)
  llvm::FunctionCallee unwindTo();    // void (i32 depth)
  llvm::FunctionCallee stackAlloc();  // ptr (i64 size, i64 align, ptr site)
  llvm::FunctionCallee slotMark();    // i64 ()
  llvm::FunctionCallee slotRelease(); // void (i64 mark)
  llvm::FunctionCallee guardGlobal(); // void (ptr base, i64 size, ptr buffer, ptr site)

  // A private unnamed_addr constant holding S and a NUL, shared by equal strings.
  llvm::Constant *string(llvm::StringRef S);

private:
  llvm::FunctionCallee declare(llvm::StringRef Name, llvm::FunctionType *Ty);
  llvm::StringMap<llvm::Constant *> Strings;
};

} // namespace heal

#endif
