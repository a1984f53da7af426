// Trims trailing blanks from each input line before echoing it. The loop tests the
// character before the end without checking that there is one: a line of only blanks
// reads line[-1], one byte before the buffer (a read, not a write). Replayed with
// HEAL_ORACLE_ALIGN=left so the buffer's start touches the front guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r %t/r2
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/trim-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r HEAL_ORACLE_ALIGN=left %expect_crash SIGSEGV %t/oracle < %S/Inputs/trim-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// Default (right-aligned) replay: NOT DETECTED. The stray read lands in the slack in front
// of the buffer, reads a canary byte (neither blank nor tab), and a read breaks no
// canary: the program goes on and no report is written. Only the left-aligned replay
// sees a read underflow of less than the slack.
// RUN: env HEAL_REPORT_DIR=%t/r2 %t/oracle < %S/Inputs/trim-bad.txt | FileCheck %s --check-prefix=SLACK
// RUN: not %report %t/r2 2>&1 | FileCheck %s --check-prefix=NONE
#include <stdio.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static size_t trimmed_length(const char *s, size_t len) {
  while (s[len - 1] == ' ' || s[len - 1] == '\t') /* the bug: len can reach 0 */
    len--;
  return len;
}

static int echo_line(FILE *in, int lineno) {
  char line[64]; // DECL-DAG: buffer_line: [[@LINE]]
  if (!fgets(line, sizeof line, in))
    return 0;
  size_t len = strcspn(line, "\n");
  if (len > 0)
    len = trimmed_length(line, len);
  printf("%d: [%.*s]\n", lineno, (int)len, line);
  return 1;
}

static int echo_all(FILE *in) {
  int n = 0;
  while (echo_line(in, n + 1))
    n++;
  return n;
}

int main(void) {
  printf("%d lines\n", echo_all(stdin));
  return 0;
}

// GOOD: 1: [first line]
// GOOD-NEXT: 2: [  indented]
// GOOD-NEXT: 3: []
// GOOD-NEXT: 4: [tabs]
// GOOD-NEXT: 4 lines
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "line"
// CHECK: buffer_function: "echo_line"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "trimmed_length"
// CHECK: kind: "stack-buffer-underflow"
// CHECK: mode: "oracle"
// CHECK: offset: -1
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "trimmed_length"
// CHECK-NEXT: stack[1]: "echo_line"
// CHECK-NEXT: stack[2]: "echo_all"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}underflow-trim.c"
// DECL-DAG: function_file: "{{.*}}underflow-trim.c"

// SLACK: 1: [ok]
// SLACK-NEXT: 2: []
// SLACK-NEXT: 3: [never]
// SLACK-NEXT: 3 lines
// NONE: expected exactly one .json report in {{.*}}, found 0
