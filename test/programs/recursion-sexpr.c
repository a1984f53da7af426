// A recursive-descent reader for s-expressions counts atoms and the maximum nesting. Each
// level of parse_expr() has its own 16-byte atom buffer, filled by read_atom() with no
// length limit. Bad input: an over-long atom at nesting depth 4. The shadow stack shows
// read_atom, then the four active parse_expr frames, then the callers.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "(define (square x) (* x x))" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "(a (b (c (d an-atom-far-too-long-for-its-buffer) e) f) g)"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct stats {
  int atoms, max_depth;
};

// DECL-DAG: function_line: [[@LINE+1]]
static const char *read_atom(const char *s, char *atom) {
  while (*s && !isspace((unsigned char)*s) && *s != '(' && *s != ')')
    *atom++ = *s++; /* the bug: no limit */
  *atom = '\0';
  return s;
}

static const char *parse_expr(const char *s, int depth, struct stats *st) {
  char atom[16]; // DECL-DAG: buffer_line: [[@LINE]]
  if (depth > st->max_depth)
    st->max_depth = depth;
  while (*s) {
    if (isspace((unsigned char)*s)) {
      s++;
    } else if (*s == '(') {
      s = parse_expr(s + 1, depth + 1, st);
    } else if (*s == ')') {
      return s + 1;
    } else {
      s = read_atom(s, atom);
      st->atoms++;
    }
  }
  return s;
}

static struct stats measure(const char *text) {
  struct stats st = {0, 0};
  parse_expr(text, 0, &st);
  return st;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    struct stats st = measure(argv[i]);
    printf("%d atoms, depth %d\n", st.atoms, st.max_depth);
  }
  return 0;
}

// GOOD: 6 atoms, depth 2
// GOOD-NEXT: status: exit 0

// Depth 0 is the call from measure; the atom is read at depth 4.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "atom"
// CHECK: buffer_function: "parse_expr"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "read_atom"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #8
// CHECK-NEXT: stack[0]: "read_atom"
// CHECK-NEXT: stack[1]: "parse_expr"
// CHECK-NEXT: stack[2]: "parse_expr"
// CHECK-NEXT: stack[3]: "parse_expr"
// CHECK-NEXT: stack[4]: "parse_expr"
// CHECK-NEXT: stack[5]: "parse_expr"
// CHECK-NEXT: stack[6]: "measure"
// CHECK-NEXT: stack[7]: "main"
// DECL-DAG: buffer_file: "{{.*}}recursion-sexpr.c"
// DECL-DAG: function_file: "{{.*}}recursion-sexpr.c"
