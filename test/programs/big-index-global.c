// A sensor calibration table (a global array of 64 ints) is indexed by a channel number
// taken from the input and checked only against the number of channels the hardware
// might have (1024), not against the table. Bad input: channel 800, 3200 bytes past the
// end of the 256-byte table -- far beyond any slack, still inside the guard.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 0=100 5=200 63=50 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 5=200 800=7
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

#define CHANNELS 64
#define HW_MAX 1024

int offset_of_channel[CHANNELS] = {3, -2, 0, 1, 7, -5}; // DECL-DAG: buffer_line: [[@LINE]]

// DECL-DAG: function_line: [[@LINE+1]]
static int calibrate(int ch, int raw) {
  if (ch < 0 || ch >= HW_MAX) /* the bug: checks the hardware limit, not the table */
    return raw;
  return raw + offset_of_channel[ch];
}

static void read_samples(int n, char **samples) {
  for (int i = 0; i < n; i++) {
    int ch, raw;
    if (sscanf(samples[i], "%d=%d", &ch, &raw) == 2)
      printf("channel %d: %d\n", ch, calibrate(ch, raw));
  }
}

int main(int argc, char **argv) {
  read_samples(argc - 1, argv + 1);
  return 0;
}

// GOOD: channel 0: 103
// GOOD-NEXT: channel 5: 195
// GOOD-NEXT: channel 63: 50
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "offset_of_channel"
// CHECK: buffer_function: null
// CHECK: buffer_size: 256
// CHECK: detected: "access"
// CHECK: function: "calibrate"
// CHECK: kind: "global-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 3200
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "calibrate"
// CHECK-NEXT: stack[1]: "read_samples"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}big-index-global.c"
// DECL-DAG: function_file: "{{.*}}big-index-global.c"
