/* The Oracle's instrumentation as heal-cc emits it (bench/oracle-runtime.sh builds this
 * file twice: clang -O2, and HEAL_MODE=oracle heal-cc -O2): a small function, and the same
 * with a 64-byte stack buffer (a guarded slot in the Oracle). The difference between the
 * two builds is the inline shadow-stack enter/exit, and the slot's allocation and release
 * (inline too: heal.stack.alloc / heal.stack.exit; the second call on finds its slot on
 * top of the thread's cache). Median of the samples, in ns of thread CPU time per call. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timing.h"

static volatile int v;

__attribute__((noinline)) static void leaf(int i) { v = i; }

__attribute__((noinline)) static void with_buffer(int i) {
  char buf[64];
  buf[i & 63] = (char)i;
  v = buf[(i >> 3) & 63];
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  if (samples < 1 || samples > 64)
    samples = 11;
  printf("small function          %7.1f ns\n", median_ns(leaf, n, samples));
  printf("+ 64-byte buffer        %7.1f ns\n", median_ns(with_buffer, n, samples));
  return 0;
}
