// A text buffer keeps a malloc()ed array of line-start offsets; "delete line N" (1-based)
// shifts the later entries down with lines[i - 1] = lines[i] from i = N. N is checked
// against the number of lines but not against 1, so deleting line 0 writes lines[-1], 4
// bytes before the block. Replayed with HEAL_ORACLE_ALIGN=left: the
// block's start touches the front guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r %t/r2
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 2 | FileCheck --check-prefix=GOOD %s
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --env HEAL_ORACLE_ALIGN=left -- 2 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r HEAL_ORACLE_ALIGN=left %expect_crash SIGSEGV %t/oracle 0
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// Default (right-aligned) replay: the write lands in the slack in front of the block and
// is found when edit() frees it.
// RUN: env HEAL_REPORT_DIR=%t/r2 %expect_crash SIGABRT %t/oracle 0
// RUN: %report %t/r2 | FileCheck %s --check-prefix=REL --match-full-lines
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text[] = "alpha\nbeta\ngamma\ndelta\n";

static int index_lines(int *lines, int cap) {
  int n = 0;
  for (int off = 0; text[off] && n < cap; off += (int)strcspn(text + off, "\n") + 1)
    lines[n++] = off;
  return n;
}

// DECL-DAG: function_line: [[@LINE+1]]
static int delete_line(int *lines, int n, int number) {
  if (number > n) /* the bug: number < 1 is not rejected */
    return n;
  for (int i = number; i < n; i++)
    lines[i - 1] = lines[i];
  return n - 1;
}

static void edit(int number) {
  int *lines = malloc(4 * sizeof *lines);
  int n = index_lines(lines, 4);
  n = delete_line(lines, n, number);
  for (int i = 0; i < n; i++)
    printf("%.*s\n", (int)strcspn(text + lines[i], "\n"), text + lines[i]);
  free(lines);
}

int main(int argc, char **argv) {
  edit(argc > 1 ? atoi(argv[1]) : 1);
  return 0;
}

// GOOD: alpha
// GOOD-NEXT: gamma
// GOOD-NEXT: delta
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "edit"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "delete_line"
// CHECK: kind: "heap-buffer-underflow"
// CHECK: mode: "oracle"
// CHECK: offset: -4
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "delete_line"
// CHECK-NEXT: stack[1]: "edit"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-underflow.c"

// lines[-1] = lines[0] wrote four zero bytes; the nearest one to the block is at -1.
// REL: access: null
// REL: action: "terminated"
// REL: buffer: "malloc"
// REL: buffer_function: "edit"
// REL: buffer_size: 16
// REL: detected: "release"
// REL: function: "edit"
// REL: kind: "heap-buffer-underflow"
// REL: mode: "oracle"
// REL: offset: -1
// REL: signal: "SIGABRT"
// REL: stack: #2
// REL-NEXT: stack[0]: "edit"
// REL-NEXT: stack[1]: "main"
