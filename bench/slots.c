/* Micro-benchmark of the Oracle runtime's hot paths (bench/oracle-runtime.sh builds and
 * runs it): a plain call, the same call bracketed by __heal_enter/__heal_exit, plus a
 * guarded stack slot (alloc + release), plus a VLA-style slot mark/release, and a heap
 * block malloc + free (libc's malloc, or the Oracle's when linked with libheal_oracle).
 * Each case runs N iterations per sample; the median of the samples is printed in ns per
 * iteration. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timing.h"

#include "heal/heal.h"

static const struct heal_function fn = {"bench_fn", "slots.c", 1, 0};
static const struct heal_buffer_site site = {"bench_fn", "buf", "slots.c", 2, HEAL_SITE_STACK, 64};
static void *volatile sink;
static volatile int v;

__attribute__((noinline)) static void plain(int i) { v = i; }

__attribute__((noinline)) static void monitored(int i) {
  uint32_t d = __heal_enter(&fn);
  v = i;
  __heal_exit(d);
}

__attribute__((noinline)) static void with_slot(int i) {
  uint32_t d = __heal_enter(&fn);
  char *buf = __heal_stack_alloc(64, 16, &site);
  buf[0] = (char)i;
  v = buf[0];
  __heal_exit(d);
}

__attribute__((noinline)) static void with_scope(int i) {
  uint32_t d = __heal_enter(&fn);
  uint64_t m = __heal_slot_mark();
  char *buf = __heal_stack_alloc((uint64_t)(i & 63) + 1, 1, &site);
  buf[0] = (char)i;
  v = buf[0];
  __heal_slot_release(m);
  __heal_exit(d);
}

__attribute__((noinline)) static void heap(int i) {
  char *p = malloc(64);
  p[0] = (char)i;
  sink = p;
  free(p);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  int heap_n = argc > 3 ? atoi(argv[3]) : n / 20;
  if (samples < 1 || samples > 64)
    samples = 11;
  printf("plain call              %7.1f ns\n", median_ns(plain, n, samples));
  printf("enter + exit            %7.1f ns\n", median_ns(monitored, n, samples));
  printf("+ stack slot            %7.1f ns\n", median_ns(with_slot, n, samples));
  printf("+ mark/slot/release     %7.1f ns\n", median_ns(with_scope, n, samples));
  printf("malloc + free (64 B)    %7.1f ns\n", median_ns(heap, heap_n, samples));
  return 0;
}
