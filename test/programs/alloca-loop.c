// Prints the lines of stdin as the columns of one row, tabs expanded to 4 spaces. The
// expansion buffer comes from alloca() inside the loop (every one stays live until the
// function returns) and is sized strlen + 1, as if a tab took one column. Bad input: the
// third column, 15 characters with a tab, gets a 16-byte buffer and needs 19. The earlier
// iterations' alloca blocks are still live and must not absorb the overflow.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/columns-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/columns-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <alloca.h>
#include <stdio.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void expand(char *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\t') {
      memcpy(out, "    ", 4);
      out += 4;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
}

static int columns(FILE *in) {
  char text[64];
  int width = 0;
  for (int i = 0; fgets(text, sizeof text, in); i++) {
    text[strcspn(text, "\n")] = '\0';
    char *col = alloca(strlen(text) + 1); /* the bug: a tab takes 4 columns */
    expand(col, text);
    width += printf("%s%s", i ? " | " : "", col);
  }
  printf("\n");
  return width;
}

int main(void) {
  printf("width %d\n", columns(stdin));
  return 0;
}

// GOOD: name | size | owner
// GOOD-NEXT: width 19
// GOOD-NEXT: status: exit 0

// alloca has no declared size: buffer_size is the size asked for at run time, and the
// buffer is named after the variable that holds it.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "col"
// CHECK: buffer_function: "columns"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "expand"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "expand"
// CHECK-NEXT: stack[1]: "columns"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}alloca-loop.c"
