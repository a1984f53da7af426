// Joins its arguments with ", " into a scratch buffer from alloca(). The size adds up the
// words and the separators but forgets the terminating NUL, so the last byte written is one
// past the end. The size is rounded up to 16, as the runtime's dynamic slots keep 16-byte
// alignment; the rounding is exact only when the total is a multiple of 16, which the bad
// input is (so the NUL lands on the guard page).
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- red green blue pink | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle alpha beta gamma delta omega
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <alloca.h>
#include <stdio.h>
#include <string.h>

static size_t joined_size(int n, char **words) {
  size_t total = 0;
  for (int i = 0; i < n; i++)
    total += strlen(words[i]) + (i ? 2 : 0);
  return (total + 15) & ~(size_t)15; /* the bug: no room for the NUL when total % 16 == 0 */
}

// DECL-DAG: function_line: [[@LINE+1]]
static void join_into(char *out, int n, char **words) {
  char *p = out;
  for (int i = 0; i < n; i++) {
    if (i) {
      memcpy(p, ", ", 2);
      p += 2;
    }
    size_t len = strlen(words[i]);
    memcpy(p, words[i], len);
    p += len;
  }
  *p = '\0';
}

static void print_joined(int n, char **words) {
  char *list = alloca(joined_size(n, words));
  join_into(list, n, words);
  printf("{%s} %zu\n", list, strlen(list));
}

int main(int argc, char **argv) {
  print_joined(argc - 1, argv + 1);
  return 0;
}

// GOOD: {red, green, blue, pink} 22
// GOOD-NEXT: status: exit 0

// alloca() has no declared size (buffer_size is the size asked at run time) and its
// buffer is named after the variable that holds it.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "list"
// CHECK: buffer_function: "print_joined"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "join_into"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "join_into"
// CHECK-NEXT: stack[1]: "print_joined"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}alloca-join.c"
