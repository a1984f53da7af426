// The C spellings of the opt-outs reach the skip list through clang's IR.
// RUN: %clang -O0 -S -emit-llvm %s -o - | %opt_heal -passes='print<heal-skip>' -disable-output 2>&1 | FileCheck %s

// CHECK: heal-skip: normal: instrument
int normal(int x) { return x + 1; }

// CHECK-NEXT: heal-skip: opted_out: skip (annotate(heal_skip))
__attribute__((annotate("heal_skip"))) int opted_out(int x) { return x + 2; }

// CHECK-NEXT: heal-skip: no_sanitizers: skip (disable_sanitizer_instrumentation)
__attribute__((disable_sanitizer_instrumentation)) int no_sanitizers(int x) { return x + 3; }

// CHECK-NEXT: heal-skip: bare: skip (naked)
__attribute__((naked)) void bare(void) { __asm__("ret"); }

// CHECK-NEXT: heal-skip: __heal_private: skip (heal runtime)
void __heal_private(void) {}
// CHECK-NOT: heal-skip:
