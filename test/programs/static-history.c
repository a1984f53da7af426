// A shell-like command loop keeps the last commands in a function-static ring of 8
// entries. The slot index wraps with "if (next > 8) next = 0" instead of >= 8, so the
// 9th command is stored one entry past the end of the static array.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/history-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/history-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define KEEP 8

// DECL-DAG: function_line: [[@LINE+1]]
static const char *remember(const char *cmd, int recall) {
  static const char *ring[KEEP]; // DECL-DAG: buffer_line: [[@LINE]]
  static int next, count;
  static char store[64][32];
  if (recall)
    return count ? ring[(next + KEEP - 1) % KEEP] : "";
  char *copy = store[count++ % 64];
  snprintf(copy, 32, "%s", cmd);
  ring[next++] = copy;
  if (next > KEEP) /* the bug: should be >= */
    next = 0;
  return copy;
}

static void run(const char *line) {
  if (strcmp(line, "!!") == 0)
    printf("again: %s\n", remember(NULL, 1));
  else
    printf("run: %s\n", remember(line, 0));
}

static void loop(FILE *in) {
  char line[32];
  while (fgets(line, sizeof line, in)) {
    line[strcspn(line, "\n")] = '\0';
    run(line);
  }
}

int main(void) {
  loop(stdin);
  return 0;
}

// GOOD: run: ls
// GOOD-NEXT: run: cd /tmp
// GOOD-NEXT: again: cd /tmp
// GOOD-NEXT: run: make
// GOOD-NEXT: status: exit 0

// The static is named by its source name.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "ring"
// CHECK: buffer_function: "remember"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "remember"
// CHECK: kind: "global-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "remember"
// CHECK-NEXT: stack[1]: "run"
// CHECK-NEXT: stack[2]: "loop"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}static-history.c"
// DECL-DAG: function_file: "{{.*}}static-history.c"
