// Parses "USER name uid" commands with sscanf("%s") into a 16-byte user name: %s has no
// width. Bad input: a 20-character user name.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "USER alice 1000" "USER bob 1001" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "USER alice 1000" "USER administrator-backup 0"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>

// DECL-DAG: function_line: [[@LINE+1]]
static int parse_command(const char *cmd) {
  char user[16]; // DECL-DAG: buffer_line: [[@LINE]]
  int uid;
  if (sscanf(cmd, "USER %s %d", user, &uid) != 2) /* the bug: %s without a width */
    return -1;
  printf("user %s has uid %d%s\n", user, uid, uid == 0 ? " (root!)" : "");
  return uid;
}

static int run_all(int n, char **cmds) {
  int errors = 0;
  for (int i = 0; i < n; i++)
    errors += parse_command(cmds[i]) < 0;
  return errors;
}

int main(int argc, char **argv) {
  return run_all(argc - 1, argv + 1);
}

// GOOD: user alice has uid 1000
// GOOD-NEXT: user bob has uid 1001
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "user"
// CHECK: buffer_function: "parse_command"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "parse_command"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "parse_command"
// CHECK-NEXT: stack[1]: "run_all"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}sscanf-field.c"
// DECL-DAG: function_file: "{{.*}}sscanf-field.c"
