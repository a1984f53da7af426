// A latency histogram in a global array of 1024 counters, one per millisecond from 1 to
// 1024, filled with hist[ms - 1]++. A latency of 0 ms is not rejected and decrements
// the index to -1: a write 4 bytes before the array. The array fills exactly one page, so
// there is no slack in front of it: its first byte touches the front guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 12 12 3 1024 7 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 12 0 3
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

#define MAX_MS 1024

unsigned hist[MAX_MS]; // DECL-DAG: buffer_line: [[@LINE]]

// DECL-DAG: function_line: [[@LINE+1]]
static int record(long ms) {
  if (ms > MAX_MS) /* the bug: ms < 1 is not rejected */
    return -1;
  hist[ms - 1]++;
  return 0;
}

static void load(int n, char **samples) {
  for (int i = 0; i < n; i++)
    if (record(atol(samples[i])) != 0)
      printf("dropped %s\n", samples[i]);
}

static void print_percentile(int pct, int total) {
  int seen = 0;
  for (int ms = 1; ms <= MAX_MS; ms++) {
    seen += hist[ms - 1];
    if (seen * 100 >= pct * total) {
      printf("p%d: %d ms\n", pct, ms);
      return;
    }
  }
}

int main(int argc, char **argv) {
  load(argc - 1, argv + 1);
  print_percentile(50, argc - 1);
  print_percentile(99, argc - 1);
  return 0;
}

// GOOD: p50: 12 ms
// GOOD-NEXT: p99: 1024 ms
// GOOD-NEXT: status: exit 0

// A read-modify-write: at -O2 one instruction, whose fault the CPU reports as a write.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "hist"
// CHECK: buffer_function: null
// CHECK: buffer_size: 4096
// CHECK: detected: "access"
// CHECK: function: "record"
// CHECK: kind: "global-buffer-underflow"
// CHECK: mode: "oracle"
// CHECK: offset: -4
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "record"
// CHECK-NEXT: stack[1]: "load"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}global-underflow.c"
// DECL-DAG: function_file: "{{.*}}global-underflow.c"
