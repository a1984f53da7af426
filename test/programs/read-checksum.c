// Verifies a record "N:DATA" by summing N bytes of a 32-byte copy of DATA. N is trusted:
// a length larger than the buffer reads past its end (a read overflow, nothing written).
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 5:hello 3:abc | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 5:hello 40:short
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static unsigned adler(const unsigned char *p, size_t n) {
  unsigned a = 1, b = 0;
  for (size_t i = 0; i < n; i++) { /* the bug: n is the record's claim, not the size */
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

static unsigned verify(const char *rec) {
  unsigned char data[32]; // DECL-DAG: buffer_line: [[@LINE]]
  char *colon;
  size_t n = strtoul(rec, &colon, 10);
  memset(data, 0, sizeof data);
  strncpy((char *)data, colon + 1, sizeof data);
  return adler(data, n);
}

static void verify_all(int n, char **recs) {
  for (int i = 0; i < n; i++)
    printf("%s -> %08x\n", recs[i], verify(recs[i]));
}

int main(int argc, char **argv) {
  verify_all(argc - 1, argv + 1);
  return 0;
}

// GOOD: 5:hello -> 062c0215
// GOOD-NEXT: 3:abc -> 024d0127
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "data"
// CHECK: buffer_function: "verify"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "adler"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "adler"
// CHECK-NEXT: stack[1]: "verify"
// CHECK-NEXT: stack[2]: "verify_all"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}read-checksum.c"
// DECL-DAG: function_file: "{{.*}}read-checksum.c"
