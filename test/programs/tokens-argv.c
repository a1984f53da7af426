// A mini shell reads command lines from stdin and splits each into an argv-style array of
// 8 word pointers (the last one NULL). The splitter never checks the count, so a command
// with more than 7 words stores pointers past the end of the array.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/shell-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/shell-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define MAXARGS 8

// DECL-DAG: function_line: [[@LINE+1]]
static int split(char *line, char **args) {
  int n = 0;
  for (char *w = strtok(line, " \t\n"); w; w = strtok(NULL, " \t\n"))
    args[n++] = w; /* the bug: n is never checked against MAXARGS - 1 */
  args[n] = NULL;
  return n;
}

static void execute(char *line) {
  char *args[MAXARGS]; // DECL-DAG: buffer_line: [[@LINE]]
  int n = split(line, args);
  if (n == 0)
    return;
  printf("%s:", args[0]);
  for (int i = 1; i < n; i++)
    printf(" <%s>", args[i]);
  printf("\n");
}

static void repl(FILE *in) {
  char line[256];
  while (fgets(line, sizeof line, in))
    execute(line);
}

int main(void) {
  repl(stdin);
  return 0;
}

// GOOD: echo: <hello> <world>
// GOOD-NEXT: ls: <-l> <-a> </tmp>
// GOOD-NEXT: true:
// GOOD-NEXT: status: exit 0

// The 9th word is stored at args[8], 64 bytes into the 64-byte array.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "args"
// CHECK: buffer_function: "execute"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "split"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "split"
// CHECK-NEXT: stack[1]: "execute"
// CHECK-NEXT: stack[2]: "repl"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}tokens-argv.c"
// DECL-DAG: function_file: "{{.*}}tokens-argv.c"
