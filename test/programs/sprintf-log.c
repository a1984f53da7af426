// Formats log records "[LEVEL] component: message (code N)" into a fixed line with
// sprintf(). Bad input: a long message.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- warn disk "almost full" 28 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle error network "connection reset by peer while reading response headers" 104
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void upcase(char *s) {
  for (; *s; s++)
    *s = (char)toupper((unsigned char)*s);
}

// DECL-DAG: function_line: [[@LINE+1]]
static int emit(const char *level, const char *comp, const char *msg, int code) {
  char lvl[16];
  char line[64]; // DECL-DAG: buffer_line: [[@LINE]]
  snprintf(lvl, sizeof lvl, "%s", level);
  upcase(lvl);
  int n = sprintf(line, "[%s] %s: %s (code %d)", lvl, comp, msg, code); /* the bug */
  puts(line);
  return n;
}

static int log_event(char **argv) {
  return emit(argv[0], argv[1], argv[2], atoi(argv[3]));
}

int main(int argc, char **argv) {
  if (argc != 5)
    return 2;
  int n = log_event(argv + 1);
  printf("%d chars\n", n);
  return 0;
}

// GOOD: [WARN] disk: almost full (code 28)
// GOOD-NEXT: 34 chars
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "line"
// CHECK: buffer_function: "emit"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "emit"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "emit"
// CHECK-NEXT: stack[1]: "log_event"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}sprintf-log.c"
// DECL-DAG: function_file: "{{.*}}sprintf-log.c"
