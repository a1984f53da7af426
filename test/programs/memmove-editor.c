// A line editor inserts text into a fixed line buffer, shifting the tail right with
// memmove(). The room check uses the length of the text before the cursor instead of the
// whole line, so a long insertion in the middle moves the tail past the end.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "hello world" 5 ", big" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "the quick brown fox jumps over the lazy dog, then keeps running on and on through the long field" 4 "very very very very very very quick "
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_ 128

// DECL-DAG: function_line: [[@LINE+1]]
static void insert_at(char *line, size_t pos, const char *text) {
  size_t tail = strlen(line + pos) + 1, n = strlen(text);
  if (pos + n >= LINE_MAX_) /* the bug: ignores the tail that moves right too */
    return;
  memmove(line + pos + n, line + pos, tail);
  memcpy(line + pos, text, n);
}

static void edit(const char *orig, size_t pos, const char *text) {
  char line[LINE_MAX_]; // DECL-DAG: buffer_line: [[@LINE]]
  snprintf(line, sizeof line, "%s", orig);
  if (pos > strlen(line))
    pos = strlen(line);
  insert_at(line, pos, text);
  printf("[%s] (%zu chars)\n", line, strlen(line));
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: editor LINE POS TEXT\n");
    return 2;
  }
  edit(argv[1], (size_t)atoi(argv[2]), argv[3]);
  return 0;
}

// GOOD: [hello, big world] (16 chars)
// GOOD-NEXT: status: exit 0

// The tail is moved first, so the fault is memmove's, while insert_at is the innermost
// instrumented function.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "line"
// CHECK: buffer_function: "edit"
// CHECK: buffer_size: 128
// CHECK: detected: "access"
// CHECK: function: "insert_at"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 128
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "insert_at"
// CHECK-NEXT: stack[1]: "edit"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}memmove-editor.c"
// DECL-DAG: function_file: "{{.*}}memmove-editor.c"
