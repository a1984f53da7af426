// Stores 3-letter currency codes plus amounts; each code is copied with strncpy into an
// 8-byte field, which leaves it unterminated when the input has 8 or more characters,
// and strlen() then reads past the end of the field (a read inside libc; the report
// names the instrumented caller).
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- EUR:12.50 USD:3 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle EUR:1 BITCOINCASH:2
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static int code_ok(const char *code) {
  size_t n = strlen(code); /* reads past the field when strncpy left no NUL */
  return n == 3;
}

static void price(const char *arg) {
  char code[8]; // DECL-DAG: buffer_line: [[@LINE]]
  const char *colon = strchr(arg, ':');
  if (!colon)
    return;
  size_t n = (size_t)(colon - arg);
  strncpy(code, arg, n < sizeof code ? n : sizeof code);
  if (n < sizeof code)
    code[n] = '\0'; /* the bug: nothing terminates a truncated code */
  if (code_ok(code))
    printf("%s %.2f\n", code, atof(colon + 1));
  else
    printf("bad currency\n");
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    price(argv[i]);
  return 0;
}

// GOOD: EUR 12.50
// GOOD-NEXT: USD 3.00
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "code"
// CHECK: buffer_function: "price"
// CHECK: buffer_size: 8
// CHECK: detected: "access"
// CHECK: function: "code_ok"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 8
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "code_ok"
// CHECK-NEXT: stack[1]: "price"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}strncpy-strlen.c"
// DECL-DAG: function_file: "{{.*}}strncpy-strlen.c"
