// Sorts names case-insensitively with qsort(); the comparator lowers both keys into
// 16-byte stack buffers first, with no length limit. Bad input: a name of 16 characters
// or more. The overflow happens in an instrumented callback called by uninstrumented
// libc (qsort): the shadow stack goes from the comparator straight to qsort's caller.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- bob Alice carol Dave | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle bob Alice Bartholomew-Jones-III carol
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void lower_copy(char *dst, const char *src) {
  while ((*dst++ = (char)tolower((unsigned char)*src++))) /* the bug: no bound */
    ;
}

static int compare_names(const void *a, const void *b) {
  char ka[16], kb[16]; // DECL-DAG: buffer_line: [[@LINE]]
  lower_copy(ka, *(const char *const *)a);
  lower_copy(kb, *(const char *const *)b);
  return strcmp(ka, kb);
}

static void sort_names(char **names, int n) {
  qsort(names, (size_t)n, sizeof *names, compare_names);
}

int main(int argc, char **argv) {
  sort_names(argv + 1, argc - 1);
  for (int i = 1; i < argc; i++)
    printf("%s\n", argv[i]);
  return 0;
}

// GOOD: Alice
// GOOD-NEXT: bob
// GOOD-NEXT: carol
// GOOD-NEXT: Dave
// GOOD-NEXT: status: exit 0

// Which key buffer overflows first depends on qsort's order of comparisons; both are
// 16 bytes in compare_names.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "{{ka|kb}}"
// CHECK: buffer_function: "compare_names"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "lower_copy"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "lower_copy"
// CHECK-NEXT: stack[1]: "compare_names"
// CHECK-NEXT: stack[2]: "sort_names"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}qsort-callback.c"
// DECL-DAG: function_file: "{{.*}}qsort-callback.c"
