// A string pool appends strings to one growing malloc()ed arena and hands out pointers
// into it. When the arena is full, realloc() moves it, and the pointers handed out
// earlier dangle into the freed old block. Bad input: enough text to make the arena grow
// after the first string was taken; printing that string reads freed memory.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- red green blue | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle red green blue a-much-longer-string-that-no-longer-fits
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pool {
  char *base;
  size_t used, cap;
};

static const char *intern(struct pool *p, const char *s) {
  size_t n = strlen(s) + 1;
  if (p->used + n > p->cap) {
    while (p->used + n > p->cap)
      p->cap *= 2;
    p->base = realloc(p->base, p->cap); /* the bug: earlier pointers now dangle */
  }
  char *at = p->base + p->used;
  memcpy(at, s, n);
  p->used += n;
  return at;
}

// DECL-DAG: function_line: [[@LINE+1]]
static size_t print_all(const char **names, int n) {
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    total += strlen(names[i]);
    printf("%d: %s\n", i, names[i]);
  }
  return total;
}

static void run(int n, char **args) {
  struct pool p = {malloc(32), 0, 32};
  const char *names[16];
  for (int i = 0; i < n && i < 16; i++)
    names[i] = intern(&p, args[i]);
  printf("%zu chars\n", print_all(names, n < 16 ? n : 16));
  free(p.base);
}

int main(int argc, char **argv) {
  run(argc - 1, argv + 1);
  return 0;
}

// GOOD: 0: red
// GOOD-NEXT: 1: green
// GOOD-NEXT: 2: blue
// GOOD-NEXT: 12 chars
// GOOD-NEXT: status: exit 0

// The first read of freed memory is strlen(names[0]) in print_all: offset 0 of the old
// 32-byte arena.
// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "run"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "print_all"
// CHECK: kind: "use-after-free"
// CHECK: mode: "oracle"
// CHECK: offset: 0
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "print_all"
// CHECK-NEXT: stack[1]: "run"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-realloc-stale.c"
