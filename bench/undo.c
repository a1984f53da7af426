/* Undo-log micro-benchmark (bench/undo.sh builds and runs it; docs/benchmarks.md, "Undo
 * log"). Each case is a transaction function called in a loop; bench/undo.sh builds this
 * file three times: plain clang, heal-cc with the functions as transactions without
 * rollback, and with rollback (bench/undo-policy.json). The difference between the last
 * two, divided by the writes per call, is the cost of one logged write (the log append;
 * the outermost commit's truncation is part of the transaction's cost).
 *
 * usage: undo [ITERATIONS [SAMPLES]]; prints "case median-ns-per-call" lines (thread CPU
 * time, median of SAMPLES after a warm-up). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timing.h"

#define FILL 256

int arr[FILL];
long g64;
int g32;
short g16;
char g8;
double gd;
struct rec {
  int a;
  long b;
  char name[16];
} recs[8];

/* 256 int stores through a pointer, in a loop. */
__attribute__((noinline)) int fill(int *dst, int n, int v) {
  for (int i = 0; i < n; i++)
    dst[i] = v + i;
  return 0;
}

/* One 8-byte store to a global. */
__attribute__((noinline)) int one(int v) {
  g64 = v;
  return 0;
}

/* 16 stores of 1, 2, 4 and 8 bytes to globals and through a pointer. */
__attribute__((noinline)) int mixed(struct rec *r, int v) {
  g64 = v;
  g32 = v;
  g16 = (short)v;
  g8 = (char)v;
  gd = v;
  r->a = v;
  r->b = v;
  r->name[0] = (char)v;
  r[1].a = v + 1;
  r[1].b = v + 1;
  r[1].name[1] = (char)v;
  r[2].a = v + 2;
  r[2].b = v + 2;
  arr[v & (FILL - 1)] = v;
  arr[(v + 1) & (FILL - 1)] = v;
  g64 += v;
  return 0;
}

/* A 16-byte memcpy and a strcpy (runtime-sized log entries). */
__attribute__((noinline)) int copy(struct rec *r, const char *s) {
  memcpy(r->name, s, 16);
  strcpy(r[1].name, s + 1);
  return 0;
}

static int volatile sink;
static const char *volatile text = "fifteen chars..";

static void run_case(int which, int i) {
  switch (which) {
  case 0: sink = fill(arr, FILL, i); break;
  case 1: sink = one(i); break;
  case 2: sink = mixed(recs, i); break;
  default: sink = copy(recs, text); break;
  }
}

static const char *const names[] = {"fill256", "one", "mixed16", "copy"};

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  if (samples < 1 || samples > 64)
    samples = 11;
  for (int c = 0; c < 4; c++) {
    double s[64];
    for (int i = 0; i < n / 10 + 1; i++)
      run_case(c, i);
    for (int k = 0; k < samples; k++) {
      double t0 = now_ns();
      for (int i = 0; i < n; i++)
        run_case(c, i);
      s[k] = (now_ns() - t0) / n;
    }
    qsort(s, (size_t)samples, sizeof s[0], cmp_double);
    printf("%s %.2f\n", names[c], s[samples / 2]);
  }
  return 0;
}
