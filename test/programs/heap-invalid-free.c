// Splits a command line into words in a malloc()ed copy, skipping leading blanks by
// advancing the pointer it later frees. Bad input: a line with leading blanks; free()
// gets a pointer into the middle of the block: invalid-free, reported, then SIGABRT.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "ls -l /tmp" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/oracle "   ls -l /tmp"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_words(char *s) {
  int n = 0;
  for (char *w = strtok(s, " "); w; w = strtok(NULL, " "))
    printf("word %d: %s\n", ++n, w);
  return n;
}

// DECL-DAG: function_line: [[@LINE+1]]
static int split(const char *line) {
  char *copy = malloc(strlen(line) + 1);
  strcpy(copy, line);
  while (*copy == ' ')
    copy++; /* the bug: the pointer to free is lost */
  int n = count_words(copy);
  free(copy);
  return n;
}

static int run(int argc, char **argv) {
  int total = 0;
  for (int i = 1; i < argc; i++)
    total += split(argv[i]);
  return total;
}

int main(int argc, char **argv) {
  printf("%d words\n", run(argc, argv));
  return 0;
}

// GOOD: word 1: ls
// GOOD-NEXT: word 2: -l
// GOOD-NEXT: word 3: /tmp
// GOOD-NEXT: 3 words
// GOOD-NEXT: status: exit 0

// The pointer is 3 bytes into the 14-byte block.
// CHECK: access: null
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "split"
// CHECK: buffer_size: 14
// CHECK: function: "split"
// CHECK: kind: "invalid-free"
// CHECK: mode: "oracle"
// CHECK: offset: 3
// CHECK: signal: "SIGABRT"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "split"
// CHECK-NEXT: stack[1]: "run"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-invalid-free.c"
