// Builds a greeting with strncat(dst, src, sizeof dst) -- the classic misuse: the bound
// of strncat is the room left, not the size of the destination. Bad input: a long title
// and name that together exceed the 48-byte buffer.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- Dr Who | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "Professor Emeritus" "Archibald Montgomery Fitzwilliam"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void add_part(char *dst, size_t size, const char *part) {
  if (*dst)
    strncat(dst, " ", size);
  strncat(dst, part, size); /* the bug: size is not the room left */
}

static void greet(const char *title, const char *name) {
  char who[48]; // DECL-DAG: buffer_line: [[@LINE]]
  who[0] = '\0';
  add_part(who, sizeof who, title);
  add_part(who, sizeof who, name);
  printf("Dear %s,\n", who);
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  greet(argv[1], argv[2]);
  return 0;
}

// GOOD: Dear Dr Who,
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "who"
// CHECK: buffer_function: "greet"
// CHECK: buffer_size: 48
// CHECK: detected: "access"
// CHECK: function: "add_part"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 48
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "add_part"
// CHECK-NEXT: stack[1]: "greet"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}strncat-misuse.c"
// DECL-DAG: function_file: "{{.*}}strncat-misuse.c"
