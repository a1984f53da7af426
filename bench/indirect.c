/* A transaction dispatching through a table of handlers (bench/txtarget.sh): built by
 * heal-cc with "rollback": true, once with indirect calls redirected to the handlers'
 * clones (the default) and once with -heal-undo-indirect=false. The difference per call
 * is the lookup plus what the clone logs:
 *   tx-pure   handlers that write nothing but call a helper (so they are candidates with
 *             clones): the lookup alone
 *   tx-write  handlers that update a global: the lookup and the logging of that write
 *             (which the other build leaves unlogged)
 *   tx-leaf   handlers that write nothing and call nothing, of a type no other function
 *             has: they need no clone, so the call is not redirected in either build
 *
 * usage: indirect [ITERATIONS [SAMPLES]]; prints "case median-ns-per-call" lines. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "timing.h"

static long acc;
static int pure_acc;

__attribute__((noinline)) static int twice(int v) { return v * 2; }
static int h_add(int v) { return twice(v) + 1; }
static int h_mul(int v) { return twice(v) * 3; }
static long l_add(long v) { return v + 1; }
static long l_mul(long v) { return v * 3; }
static int w_add(int v) { acc += v; return 0; }
static int w_sub(int v) { acc -= v; return 0; }

static int (*volatile pure[2])(int) = {h_add, h_mul};
static int (*volatile writers[2])(int) = {w_add, w_sub};
static long (*volatile leaves[2])(long) = {l_add, l_mul};

/* The transactions (bench policy): one indirect call each. */
__attribute__((noinline)) int dispatch_pure(int v) { return pure[v & 1](v); }
__attribute__((noinline)) int dispatch_write(int v) { return writers[v & 1](v); }
__attribute__((noinline)) int dispatch_leaf(int v) { return (int)leaves[v & 1](v); }

static void c_pure(int i) { pure_acc += dispatch_pure(i); }
static void c_write(int i) { dispatch_write(i); }
static void c_leaf(int i) { pure_acc += dispatch_leaf(i); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  printf("tx-pure %.2f\n", median_ns(c_pure, n, samples));
  printf("tx-write %.2f\n", median_ns(c_write, n, samples));
  printf("tx-leaf %.2f\n", median_ns(c_leaf, n, samples));
  return pure_acc == 42 && acc == 42;
}
