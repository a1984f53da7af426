// The slow paths of the inline shadow-stack enter/exit, __heal_enter_slow and
// __heal_exit_slow, use LLVM's preserve_most convention: every general-purpose register
// but r11 survives them (rax too for exit; enter returns the depth in eax). Called here
// from assembly with sentinel values in every register: the first enter of each thread
// (the state is made), nested enters, an exit that releases a guarded slot, and enters
// and exits on a second thread. Then an overflow: the shadow stack is exact.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %clang -O1 -g -pthread -mno-red-zone -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog > %t/out
// RUN: FileCheck --check-prefix=OUT %s --match-full-lines < %t/out
// RUN: %report %t/r | FileCheck %s --match-full-lines

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(main);
FUNCTION(outer);
FUNCTION(inner);
FUNCTION(worker);
SITE(inner, buf, 16, 30);

uint32_t __heal_enter_slow(const struct heal_function *fn);
void __heal_exit_slow(uint32_t depth);

struct regs {
  uint64_t rax, rcx, rdx, rsi, rdi, r8, r9, r10;
};

static int failures;

/* Calls fn (a slow path) with arg in edi/rdi and sentinels in the other registers, on a
 * 16-aligned stack; returns the registers after the call. */
static struct regs call_slow(void *fn, uint64_t arg, uint64_t seed) {
  struct regs r = {seed + 1, seed + 2, seed + 3, seed + 4, arg, seed + 6, seed + 7, seed + 8};
  register uint64_t r8 __asm__("r8") = r.r8;
  register uint64_t r9 __asm__("r9") = r.r9;
  register uint64_t r10 __asm__("r10") = r.r10;
  __asm__ volatile("mov %%rsp, %%rbx\n\t"
                   "and $-16, %%rsp\n\t"
                   "call *%[fn]\n\t"
                   "mov %%rbx, %%rsp"
                   : "+a"(r.rax), "+c"(r.rcx), "+d"(r.rdx), "+S"(r.rsi), "+D"(r.rdi), "+r"(r8),
                     "+r"(r9), "+r"(r10)
                   : [fn] "m"(fn)
                   : "rbx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
                     "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
                     "xmm13", "xmm14", "xmm15");
  r.r8 = r8;
  r.r9 = r9;
  r.r10 = r10;
  return r;
}

static void expect(const char *what, struct regs got, uint64_t arg, uint64_t seed, int enter) {
  struct regs want = {seed + 1, seed + 2, seed + 3, seed + 4, arg, seed + 6, seed + 7, seed + 8};
  if (enter)
    got.rax = want.rax; /* the result */
  if (memcmp(&got, &want, sizeof got) != 0) {
    printf("%s: registers changed\n", what);
    failures++;
  }
}

static uint32_t enter(const struct heal_function *fn, uint64_t seed) {
  void *slow = (void *)__heal_enter_slow;
  struct regs r = call_slow(slow, (uint64_t)fn, seed);
  expect(fn->name, r, (uint64_t)fn, seed, 1);
  return (uint32_t)r.rax;
}

static void leave(uint32_t depth, uint64_t seed) {
  void *slow = (void *)__heal_exit_slow;
  expect("exit", call_slow(slow, depth, seed), depth, seed, 0);
}

static void *worker(void *arg) {
  uint32_t d1 = enter(&fn_worker, 0x5000);
  uint32_t d2 = enter(&fn_inner, 0x6000);
  printf("worker depths %u %u\n", d1, d2);
  leave(d2, 0x7000);
  leave(d1, 0x8000);
  return arg;
}

int main(int argc, char **argv) {
  (void)argv;
  uint32_t d1 = enter(&fn_main, 0x1000); /* makes the thread's state */
  uint32_t d2 = enter(&fn_outer, 0x2000);
  uint32_t d3 = enter(&fn_inner, 0x3000);
  char *buf = STACK_BUF(inner, buf, 16, 16);
  buf[0] = 1;
  leave(d3, 0x4000); /* releases buf */
  printf("depths %u %u %u\n", d1, d2, d3);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, 0);
  printf("failures %d\n", failures);
  fflush(stdout);
  d3 = enter(&fn_inner, 0x9000);
  buf = STACK_BUF(inner, buf, 16, 16);
  buf[16 + argc - 1] = 1; /* past the end: the guard */
  return 0;
}

// OUT: depths 1 2 3
// OUT-NEXT: worker depths 1 2
// OUT-NEXT: failures 0

// CHECK: function: "inner"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: offset: 16
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "inner"
// CHECK-NEXT: stack[1]: "outer"
// CHECK-NEXT: stack[2]: "main"
