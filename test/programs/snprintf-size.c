// A report formatter's helper writes a table row with snprintf(), but is told the size of
// the caller's scratch buffer instead of the cell it writes into: the bound is wrong, so
// snprintf() itself runs past the 16-byte cell. Bad input: a long label.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- apples=3 pears=12 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle apples=3 passion-fruit-from-brazil=7
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void format_cell(char *cell, size_t size, const char *label) {
  snprintf(cell, size, "%-12s", label);
}

static void print_row(const char *arg) {
  char scratch[128];
  char cell[16]; // DECL-DAG: buffer_line: [[@LINE]]
  const char *eq = strchr(arg, '=');
  if (!eq)
    return;
  snprintf(scratch, sizeof scratch, "%.*s", (int)(eq - arg), arg);
  format_cell(cell, sizeof scratch, scratch); /* the bug: sizeof scratch, not sizeof cell */
  printf("|%s|%5d|\n", cell, atoi(eq + 1));
}

static void print_table(int n, char **rows) {
  puts("+------------+-----+");
  for (int i = 0; i < n; i++)
    print_row(rows[i]);
  puts("+------------+-----+");
}

int main(int argc, char **argv) {
  print_table(argc - 1, argv + 1);
  return 0;
}

// GOOD: +------------+-----+
// GOOD-NEXT: |apples      |    3|
// GOOD-NEXT: |pears       |   12|
// GOOD-NEXT: +------------+-----+
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "cell"
// CHECK: buffer_function: "print_row"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "format_cell"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "format_cell"
// CHECK-NEXT: stack[1]: "print_row"
// CHECK-NEXT: stack[2]: "print_table"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}snprintf-size.c"
// DECL-DAG: function_file: "{{.*}}snprintf-size.c"
