// A fault with a garbage frame pointer, in code whose unwind rules use it (-O0): the
// unwinder faults inside the handler. The handler must neither hang nor loop: it keeps
// the frames it has (here only the faulting one) and still reports and dies.
// REQUIRES: x86_64
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

__attribute__((noinline)) void smash_and_crash(void) {
  /* rbp := 16 (the CFA of this frame is rbp + 16), then store through NULL. */
  __asm__ volatile("movq $16, %%rbp\n\tmovl $1, (%0)" : : "r"(0L) : "memory");
}

int main(void) {
  smash_and_crash();
  return 0;
}

// CHECK:      address: "0x0"
// CHECK:      function: "smash_and_crash"
// CHECK-NEXT: kind: "segv"
// CHECK:      stack: #1
// CHECK-NEXT: stack[0]: "smash_and_crash"
// ERR: heal: SIGSEGV (segv) at address 0x0 in smash_and_crash (pc 0x{{[0-9a-f]+}}); stack: smash_and_crash; terminated; report: {{.*}}.json
