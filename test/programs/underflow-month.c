// Sums sales per month from "MONTH:AMOUNT" records into by_month[month - 1]. Month 0 is
// not rejected, so it writes by_month[-1], 4 bytes before the array. Right-aligned slots
// put the slack on the front side; the replay with HEAL_ORACLE_ALIGN=left puts the start
// of the buffer against the front guard page, so the underflow faults at the access.
// RUN: rm -rf %t && mkdir -p %t/g %t/r %t/r2
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 1:100 2:250 2:50 12:75 | FileCheck --check-prefix=GOOD %s
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --env HEAL_ORACLE_ALIGN=left -- 1:100 2:250 2:50 12:75 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r HEAL_ORACLE_ALIGN=left %expect_crash SIGSEGV %t/oracle 3:10 0:99
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// Default (right-aligned) replay: the write lands in the canary-filled slack in front of
// the buffer and is found when report() releases it.
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGABRT %t/oracle 3:10 0:99
// RUN: %report %t/r2 | FileCheck %s --check-prefix=REL --match-full-lines
#include <stdio.h>
#include <stdlib.h>

// DECL-DAG: function_line: [[@LINE+1]]
static int add_record(int *by_month, const char *rec) {
  char *end;
  long month = strtol(rec, &end, 10);
  if (*end != ':' || month > 12) /* the bug: month < 1 is not rejected */
    return -1;
  by_month[month - 1] += atoi(end + 1);
  return 0;
}

static void report(int n, char **recs) {
  int by_month[12] = {0}; // DECL-DAG: buffer_line: [[@LINE]]
  for (int i = 0; i < n; i++)
    if (add_record(by_month, recs[i]) != 0)
      printf("skipped %s\n", recs[i]);
  for (int m = 0; m < 12; m++)
    if (by_month[m])
      printf("month %2d: %d\n", m + 1, by_month[m]);
}

int main(int argc, char **argv) {
  report(argc - 1, argv + 1);
  return 0;
}

// GOOD: month  1: 100
// GOOD-NEXT: month  2: 300
// GOOD-NEXT: month 12: 75
// GOOD-NEXT: status: exit 0

// A read-modify-write: at -O2 one instruction, whose fault the CPU reports as a write.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "by_month"
// CHECK: buffer_function: "report"
// CHECK: buffer_size: 48
// CHECK: detected: "access"
// CHECK: function: "add_record"
// CHECK: kind: "stack-buffer-underflow"
// CHECK: mode: "oracle"
// CHECK: offset: -4
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "add_record"
// CHECK-NEXT: stack[1]: "report"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}underflow-month.c"
// DECL-DAG: function_file: "{{.*}}underflow-month.c"

// by_month[-1] += 99 turned the canary bytes a5 a5 a5 a5 at -4..-1 into 08 a6 a5 a5: the
// corrupted byte nearest the buffer is at -3 (the runtime reports that one, not the
// access's first byte).
// REL: access: null
// REL: action: "terminated"
// REL: buffer: "by_month"
// REL: buffer_function: "report"
// REL: buffer_size: 48
// REL: detected: "release"
// REL: function: "report"
// REL: kind: "stack-buffer-underflow"
// REL: mode: "oracle"
// REL: offset: -3
// REL: signal: "SIGABRT"
// REL: stack: #2
// REL-NEXT: stack[0]: "report"
// REL-NEXT: stack[1]: "main"
