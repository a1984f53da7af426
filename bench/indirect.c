/* A transaction dispatching through a table of handlers (bench/txtarget.sh): built by
 * heal-cc with "rollback": true, once with indirect calls redirected to the handlers'
 * clones (the default) and once with -heal-undo-indirect=false. The difference per call
 * is the lookup plus what the clone logs: the handlers write one global each, so the
 * redirected build also logs that write (which the other build leaves unlogged).
 *
 * usage: indirect [ITERATIONS [SAMPLES]]; prints "case median-ns-per-call" lines. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "timing.h"

static long acc;
static int pure_acc;

static int h_add(int v) { return v + 1; }
static int h_mul(int v) { return v * 3; }
static int w_add(int v) { acc += v; return 0; }
static int w_sub(int v) { acc -= v; return 0; }

static int (*volatile pure[2])(int) = {h_add, h_mul};
static int (*volatile writers[2])(int) = {w_add, w_sub};

/* The transactions (bench policy): one indirect call each. */
__attribute__((noinline)) int dispatch_pure(int v) { return pure[v & 1](v); }
__attribute__((noinline)) int dispatch_write(int v) { return writers[v & 1](v); }

static void c_pure(int i) { pure_acc += dispatch_pure(i); }
static void c_write(int i) { dispatch_write(i); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  printf("tx-pure %.2f\n", median_ns(c_pure, n, samples));
  printf("tx-write %.2f\n", median_ns(c_write, n, samples));
  return pure_acc == 42 && acc == 42;
}
