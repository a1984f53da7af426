// An RPN calculator reading tokens from stdin keeps its operand stack in a struct on the
// stack (depth plus 15 ints: 64 bytes). The push check is off by one (depth > CAP), so a
// 16th operand is stored one int past the struct. The struct is the guarded buffer.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/rpn-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/rpn-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 15

struct stack {
  int depth;
  int vals[CAP];
};

// DECL-DAG: function_line: [[@LINE+1]]
static int push(struct stack *s, int v) {
  if (s->depth > CAP) /* the bug: should be >= */
    return -1;
  s->vals[s->depth++] = v;
  return 0;
}

static int pop(struct stack *s) { return s->depth > 0 ? s->vals[--s->depth] : 0; }

static int apply(struct stack *s, const char *tok) {
  if (strchr("+-*", tok[0]) && tok[1] == '\0') {
    int b = pop(s), a = pop(s);
    return push(s, tok[0] == '+' ? a + b : tok[0] == '-' ? a - b : a * b);
  }
  return push(s, atoi(tok));
}

static void calc(FILE *in) {
  struct stack st = {0}; // DECL-DAG: buffer_line: [[@LINE]]
  char tok[32];
  while (fscanf(in, "%31s", tok) == 1)
    if (apply(&st, tok) != 0)
      puts("stack full");
  printf("result %d (depth %d)\n", st.depth ? st.vals[st.depth - 1] : 0, st.depth);
}

int main(void) {
  calc(stdin);
  return 0;
}

// GOOD: result 21 (depth 1)
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "st"
// CHECK: buffer_function: "calc"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "push"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "push"
// CHECK-NEXT: stack[1]: "apply"
// CHECK-NEXT: stack[2]: "calc"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}struct-rpn.c"
// DECL-DAG: function_file: "{{.*}}struct-rpn.c"
