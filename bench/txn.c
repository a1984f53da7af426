/* Micro-benchmark of execution transactions (bench/txn.sh builds it with heal-cc and a
 * policy wrapping tx_off (rollback off) and tx_on (rollback on)).
 *
 * Cases, each a noinline function doing the same store to a global:
 *   plain      -- not a transaction (the baseline: a plain call)
 *   sigsetjmp  -- plain + glibc's __sigsetjmp(buf, 0) on a local buffer (what the entry
 *                 of a transaction cost before heal had its own)
 *   regs       -- plain + only the register saves of heal's entry (8 stores, 3 of them
 *                 mangled with the pointer guard; asm below) in a function of their own:
 *                 the floor of any called setjmp-style snapshot
 *   regs_body  -- regs + the body as a call of its own (the wrapper's shape)
 *   inline_body -- regs_body with the same saves inline in the caller instead of called
 *                 (the wrapper's shape without the chain and the commit; never resumed)
 *   tx_off     -- a transaction, rollback off: the inline entry (heal's setjmp + the push)
 *                 + the body's call + the inline commit; minus inline_body, this is what
 *                 the chain costs (its checks, the push, the commit)
 *   tx_on      -- a transaction, rollback on (its store is undo-logged, and its outermost
 *                 commit truncates the log inline)
 * Samples are interleaved (case order rotates per sample) and the median of the samples
 * is printed, in ns per call and, where perf counters are readable, instructions per call
 * (user space only). */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

static volatile int g;

__attribute__((noinline)) int plain(int i) {
  g = i;
  return i;
}

__attribute__((noinline)) int with_sigsetjmp(int i) {
  sigjmp_buf b;
  if (sigsetjmp(b, 0))
    return -1;
  __asm__ volatile("" ::"r"(&b) : "memory");
  g = i;
  return i;
}

/* The register saves of heal's entry (lib/Transaction.cpp, enterAsm), returning 0. */
int regs_save(void *frame) __attribute__((returns_twice));
__asm__(".text\n"
        ".globl regs_save\n"
        ".type regs_save,@function\n"
        "regs_save:\n"
        "  mov %fs:0x30, %rdx\n"
        "  mov %rbx, (%rdi)\n"
        "  mov %rbp, %rax\n"
        "  xor %rdx, %rax\n"
        "  rol $0x11, %rax\n"
        "  mov %rax, 8(%rdi)\n"
        "  mov %r12, 16(%rdi)\n"
        "  mov %r13, 24(%rdi)\n"
        "  mov %r14, 32(%rdi)\n"
        "  mov %r15, 40(%rdi)\n"
        "  lea 8(%rsp), %rax\n"
        "  xor %rdx, %rax\n"
        "  rol $0x11, %rax\n"
        "  mov %rax, 48(%rdi)\n"
        "  mov (%rsp), %rax\n"
        "  xor %rdx, %rax\n"
        "  rol $0x11, %rax\n"
        "  mov %rax, 56(%rdi)\n"
        "  xor %eax, %eax\n"
        "  ret\n"
        ".size regs_save, .-regs_save\n");

__attribute__((noinline)) int with_regs(int i) {
  uint64_t frame[8];
  if (regs_save(frame))
    return -1;
  __asm__ volatile("" ::"r"(frame) : "memory");
  g = i;
  return i;
}

__attribute__((noinline)) static int body(int i) {
  g = i;
  return i;
}

__attribute__((noinline)) int with_regs_body(int i) {
  uint64_t frame[8];
  if (regs_save(frame))
    return -1;
  __asm__ volatile("" ::"r"(frame) : "memory");
  return body(i);
}

__attribute__((noinline)) int with_inline_body(int i) {
  uint64_t frame[8];
  __asm__ volatile("mov %%fs:0x30, %%rdx\n"
                   "mov %%rbx, (%0)\n"
                   "mov %%rbp, %%rax\n"
                   "xor %%rdx, %%rax\n"
                   "rol $0x11, %%rax\n"
                   "mov %%rax, 8(%0)\n"
                   "mov %%r12, 16(%0)\n"
                   "mov %%r13, 24(%0)\n"
                   "mov %%r14, 32(%0)\n"
                   "mov %%r15, 40(%0)\n"
                   "mov %%rsp, %%rax\n"
                   "xor %%rdx, %%rax\n"
                   "rol $0x11, %%rax\n"
                   "mov %%rax, 48(%0)\n"
                   "lea 1f(%%rip), %%rax\n"
                   "xor %%rdx, %%rax\n"
                   "rol $0x11, %%rax\n"
                   "mov %%rax, 56(%0)\n"
                   "1:\n"
                   :
                   : "r"(frame)
                   : "rax", "rdx", "memory");
  return body(i);
}

__attribute__((noinline)) int tx_off(int i) {
  g = i;
  return i;
}

__attribute__((noinline)) int tx_on(int i) {
  g = i;
  return i;
}

typedef int (*fn_t)(int);
static const struct {
  const char *name;
  fn_t fn;
} cases[] = {{"plain", plain},
             {"sigsetjmp", with_sigsetjmp},
             {"regs", with_regs},
             {"regs_body", with_regs_body},
             {"inline_body", with_inline_body},
             {"tx_off", tx_off},
             {"tx_on", tx_on}};
enum { NCASES = sizeof cases / sizeof cases[0], MAXS = 101 };

static int perf_fd = -1;

static void perf_open(void) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.type = PERF_TYPE_HARDWARE;
  a.size = sizeof a;
  a.config = PERF_COUNT_HW_INSTRUCTIONS;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  perf_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static uint64_t instructions(void) {
  uint64_t v = 0;
  if (perf_fd < 0 || read(perf_fd, &v, sizeof v) != sizeof v)
    return 0;
  return v;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  int samples = argc > 2 ? atoi(argv[2]) : 15;
  if (samples > MAXS)
    samples = MAXS;
  perf_open();
  static double ns[NCASES][MAXS], ins[NCASES][MAXS];
  for (int s = 0; s < samples; s++)
    for (int k = 0; k < NCASES; k++) {
      int c = (k + s) % NCASES;
      fn_t f = cases[c].fn;
      uint64_t i0 = instructions();
      double t0 = now();
      for (long i = 0; i < n; i++)
        f((int)i);
      double t1 = now();
      uint64_t i1 = instructions();
      ns[c][s] = (t1 - t0) / n;
      ins[c][s] = (double)(i1 - i0) / n;
    }
  double base_ns = 0, base_ins = 0;
  printf("%-11s %10s %10s %12s %12s\n", "case", "ns/call", "+ns", "instr/call", "+instr");
  for (int c = 0; c < NCASES; c++) {
    qsort(ns[c], samples, sizeof(double), cmp_double);
    qsort(ins[c], samples, sizeof(double), cmp_double);
    double m = ns[c][samples / 2], mi = ins[c][samples / 2];
    if (c == 0) {
      base_ns = m;
      base_ins = mi;
    }
    if (perf_fd >= 0)
      printf("%-11s %10.2f %10.2f %12.1f %12.1f\n", cases[c].name, m, m - base_ns, mi, mi - base_ins);
    else
      printf("%-11s %10.2f %10.2f %12s %12s\n", cases[c].name, m, m - base_ns, "n/a", "n/a");
  }
  return 0;
}
