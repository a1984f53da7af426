// A line editor applies keystrokes to a function-static 4 KiB line buffer: letters are
// inserted, '<' is backspace. Backspace at the start of the line is not ignored, so the
// cursor goes to -1 and the next key is written one byte before the buffer. The buffer
// is exactly one page, so no slack separates it from its front guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "helo<lo world" "abc<<<xyz" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "ok" "<x"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>

// DECL-DAG: function_line: [[@LINE+1]]
static int key(char c, int reset) {
  static char line[4096]; // DECL-DAG: buffer_line: [[@LINE]]
  static int pos;
  if (reset) {
    line[pos] = '\0';
    printf("%s\n", line);
    pos = 0;
    return 0;
  }
  if (c == '<')
    pos--; /* the bug: pos can go below 0 */
  else if (pos < (int)sizeof line - 1)
    line[pos++] = c;
  return pos;
}

static void type_line(const char *keys) {
  for (; *keys; keys++)
    key(*keys, 0);
  key(0, 1);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    type_line(argv[i]);
  return 0;
}

// GOOD: hello world
// GOOD-NEXT: xyz
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "line"
// CHECK: buffer_function: "key"
// CHECK: buffer_size: 4096
// CHECK: detected: "access"
// CHECK: function: "key"
// CHECK: kind: "global-buffer-underflow"
// CHECK: mode: "oracle"
// CHECK: offset: -1
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "key"
// CHECK-NEXT: stack[1]: "type_line"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}static-underflow.c"
// DECL-DAG: function_file: "{{.*}}static-underflow.c"
