// Normalizes directory names: each argument is strdup()ed and, if it lacks a trailing
// slash, one is appended in place -- but strdup() allocated exactly strlen + 1 bytes.
// Bad input: "/usr/local/sbin", 15 characters in a 16-byte block: the '/' replaces the
// NUL at offset 15 and the new NUL is written at offset 16, the first byte past the end.
// (strdup is one of the libc allocators the Oracle serves from guarded slots.)
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- /tmp/ /home/user/ | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle /tmp/ /usr/local/sbin
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void add_slash(char *dir) {
  size_t n = strlen(dir);
  if (n == 0 || dir[n - 1] != '/')
    strcat(dir, "/"); /* the bug: no room was allocated for it */
}

static char *normalize(const char *arg) {
  char *dir = strdup(arg);
  add_slash(dir);
  return dir;
}

static void list_dirs(int n, char **args) {
  for (int i = 0; i < n; i++) {
    char *d = normalize(args[i]);
    printf("%s\n", d);
    free(d);
  }
}

int main(int argc, char **argv) {
  list_dirs(argc - 1, argv + 1);
  return 0;
}

// GOOD: /tmp/
// GOOD-NEXT: /home/user/
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "normalize"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "add_slash"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "add_slash"
// CHECK-NEXT: stack[1]: "normalize"
// CHECK-NEXT: stack[2]: "list_dirs"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: function_file: "{{.*}}heap-strdup.c"
