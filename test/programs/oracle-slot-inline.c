// The inline fast paths of a guarded stack slot (heal-guard's heal.stack.alloc and
// heal.stack.exit): a 64-byte buffer in a function called in a loop takes the slot its
// previous call gave back, every time; a recursion holds one slot per level; a frame
// with two buffers and a VLA release through the runtime; a longjmp out of frames with
// buffers leaves slots that the setjmp's unwind releases, and the next call takes the
// same slot again. (Within a phase only: the Oracle's malloc takes 4 KiB slots from the
// same cache, and the first printf allocates stdout's buffer.) Bad inputs: a byte written in front of the buffer breaks the canary
// the inline exit checks (reported at release by the runtime, exactly as before), and a
// byte past its end faults on the guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r1 %t/r2
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 1000 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGABRT %t/oracle 1000 -1
// RUN: %report %t/r1 | FileCheck --check-prefix=UNDER %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGSEGV %t/oracle 1000 64
// RUN: %report %t/r2 | FileCheck --check-prefix=OVER %s --match-full-lines
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf env;
static const unsigned char *volatile last; /* the block of the previous call */
static volatile int bad_index = 0, bad_at = -1;

/* One 64-byte buffer: (front, back) canaries (64, 0), the inline paths' case. */
__attribute__((noinline)) static unsigned block_sum(int i) {
  unsigned char blk[64];
  for (int k = 0; k < 64; k++)
    blk[k] = (unsigned char)(i + k);
  if (i == bad_at)
    blk[bad_index] = 7; /* the bug */
  unsigned s = blk[i & 63] + (last == blk ? 1000u : 0u);
  last = blk;
  return s;
}

/* One slot per level, all live at once. */
__attribute__((noinline)) static unsigned levels(int n, const unsigned char *above) {
  unsigned char blk[64];
  memset(blk, n, sizeof blk);
  unsigned distinct = above != blk;
  if (n > 0)
    distinct += levels(n - 1, blk);
  return distinct + blk[n & 63] - n;
}

/* Two buffers: the exit releases both through the runtime. */
__attribute__((noinline)) static unsigned two(int i) {
  unsigned char a[64], b[64];
  memset(a, i, sizeof a);
  memset(b, i + 1, sizeof b);
  return a[i & 63] + b[(i >> 1) & 63];
}

/* A VLA: its slot is the runtime's. */
__attribute__((noinline)) static unsigned vla(int n) {
  unsigned char v[n];
  memset(v, 3, (size_t)n);
  return v[n - 1];
}

__attribute__((noinline)) static void jump_from(int depth) {
  unsigned char blk[64];
  memset(blk, depth, sizeof blk);
  if (depth == 0)
    longjmp(env, 1);
  jump_from(depth - 1);
  (void)*(volatile unsigned char *)&blk[depth];
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  if (argc > 2) {
    bad_index = atoi(argv[2]);
    bad_at = n / 2;
  }
  unsigned long sum = 0, reused = 0;
  for (int i = 0; i < n; i++) {
    unsigned s = block_sum(i);
    reused += s >= 1000;
    sum += s % 1000;
  }
  printf("loop: %lu, same block %lu of %d\n", sum, reused, n);
  printf("levels: %u\n", levels(20, 0));
  unsigned t = 0;
  last = 0; /* printf may have taken the slot for stdout's buffer (Oracle heap) */
  for (int i = 0; i < 100; i++)
    t += two(i) + vla(1 + i % 7) + (block_sum(i) >= 1000);
  printf("mixed: %u\n", t);
  block_sum(3);
  if (setjmp(env) == 0)
    jump_from(5);
  printf("after longjmp: same block %d\n", block_sum(3) >= 1000);
  printf("levels again: %u\n", levels(3, 0));
  return 0;
}

// GOOD: loop: 129112, same block 999 of 1000
// GOOD-NEXT: levels: 21
// GOOD-NEXT: mixed: 10399
// GOOD-NEXT: after longjmp: same block 1
// GOOD-NEXT: levels again: 4
// GOOD-NEXT: status: exit 0

// UNDER: access: null
// UNDER: buffer: "blk"
// UNDER: buffer_function: "block_sum"
// UNDER: buffer_size: 64
// UNDER: detected: "release"
// UNDER: function: "block_sum"
// UNDER: kind: "stack-buffer-underflow"
// UNDER: offset: -1
// UNDER: signal: "SIGABRT"
// UNDER: stack: #2
// UNDER-NEXT: stack[0]: "block_sum"
// UNDER-NEXT: stack[1]: "main"

// OVER: access: "write"
// OVER: buffer: "blk"
// OVER: buffer_function: "block_sum"
// OVER: buffer_size: 64
// OVER: detected: "access"
// OVER: function: "block_sum"
// OVER: kind: "stack-buffer-overflow"
// OVER: offset: 64
// OVER: signal: "SIGSEGV"
// OVER: stack: #2
// OVER-NEXT: stack[0]: "block_sum"
// OVER-NEXT: stack[1]: "main"
