// A greeter copies the user name into a fixed-size field of a form with strcpy().
// Bad input: a name longer than the 32-byte field.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- Ada Grace | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle Ada Maximilian-Alexander-von-Humboldt-Sohn
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void capitalize(char *s) {
  for (int start = 1; *s; s++) {
    *s = start ? (char)toupper((unsigned char)*s) : *s;
    start = *s == ' ' || *s == '-';
  }
}

// DECL-DAG: function_line: [[@LINE+1]]
static void greet(const char *who) {
  char name[32]; // DECL-DAG: buffer_line: [[@LINE]]
  strcpy(name, who); /* the bug: no length check */
  capitalize(name);
  printf("Hello, %s!\n", name);
}

static void greet_all(int n, char **names) {
  for (int i = 0; i < n; i++)
    greet(names[i]);
}

int main(int argc, char **argv) {
  greet_all(argc - 1, argv + 1);
  return 0;
}

// GOOD: Hello, Ada!
// GOOD-NEXT: Hello, Grace!
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "name"
// CHECK: buffer_function: "greet"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "greet"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "greet"
// CHECK-NEXT: stack[1]: "greet_all"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}strcpy-greeting.c"
// DECL-DAG: function_file: "{{.*}}strcpy-greeting.c"
