// End to end through heal-cc (HEAL_MODE=oracle, -O2): the good run prints exactly what a
// plain clang -O2 build prints and reports nothing; each bad run faults on the first
// byte past a guarded buffer and the report names it -- a VLA in a loop, a byval struct,
// a global and a function-static array -- with the shadow stack, which is right after a
// longjmp skipped five frames holding guarded buffers.
// RUN: rm -rf %t && mkdir -p %t/vla %t/byval %t/global %t/static
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %t/ref ok 0 > %t/ref.out 2>&1
// RUN: %t/oracle ok 0 > %t/oracle.out 2>&1
// RUN: diff %t/ref.out %t/oracle.out
// RUN: env HEAL_REPORT_DIR=%t/vla %expect_crash SIGSEGV %t/oracle vla 112
// RUN: %report %t/vla | FileCheck %s --check-prefix=VLA --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/byval %expect_crash SIGSEGV %t/oracle byval 60
// RUN: %report %t/byval | FileCheck %s --check-prefix=BYVAL --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/global %expect_crash SIGSEGV %t/oracle global 100
// RUN: %report %t/global | FileCheck %s --check-prefix=GLOBAL --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/static %expect_crash SIGSEGV %t/oracle static 16
// RUN: %report %t/static | FileCheck %s --check-prefix=STATIC --match-full-lines
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct packet { int len; char data[60]; }; // 64 bytes, aligned 4: ends at the guard

int hist[100];
static jmp_buf back;

static void descend(int n) {
  char note[24];
  snprintf(note, sizeof note, "level %d", n);
  if (n == 0)
    longjmp(back, 1);
  descend(n - 1);
}

static int fill_rows(int rows, int bad) {
  int sum = 0;
  for (int r = 0; r < rows; r++) {
    char row[64 + 16 * r]; // multiples of 16 (its alignment): no slack after it
    memset(row, 'a' + r, sizeof row);
    if (r == rows - 1 && bad)
      row[bad] = 0;
    sum += row[r];
  }
  return sum;
}

static int checksum(struct packet pkt, int at) {
  pkt.data[at] = 1;
  return pkt.data[0] + pkt.len;
}

static char *label(int at) {
  static char scratch[16];
  strcpy(scratch, "label");
  scratch[at] = 0;
  return scratch;
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  const char *mode = argv[1];
  int at = atoi(argv[2]);
  if (!setjmp(back))
    descend(5);
  struct packet p = {3, "payload"};
  if (!strcmp(mode, "vla"))
    printf("%d\n", fill_rows(4, at));
  else if (!strcmp(mode, "byval"))
    printf("%d\n", checksum(p, at));
  else if (!strcmp(mode, "global"))
    hist[at]++;
  else if (!strcmp(mode, "static"))
    puts(label(at));
  printf("rows %d packet %d label %s hist %d\n", fill_rows(4, 0), checksum(p, 1), label(5),
         hist[0]);
  return 0;
}

// The report's keys come sorted.
// VLA: buffer: "row"
// VLA: buffer_function: "fill_rows"
// VLA: buffer_size: 112
// VLA: function: "fill_rows"
// VLA: kind: "stack-buffer-overflow"
// VLA: offset: 112
// VLA: stack: #2
// VLA-NEXT: stack[0]: "fill_rows"
// VLA-NEXT: stack[1]: "main"

// BYVAL: buffer: "pkt"
// BYVAL: buffer_size: 64
// BYVAL: function: "checksum"
// BYVAL: kind: "stack-buffer-overflow"
// BYVAL: offset: 64
// BYVAL: stack: #2
// BYVAL-NEXT: stack[0]: "checksum"
// BYVAL-NEXT: stack[1]: "main"

// GLOBAL: buffer: "hist"
// GLOBAL: buffer_size: 400
// GLOBAL: function: "main"
// GLOBAL: kind: "global-buffer-overflow"
// GLOBAL: offset: 400
// GLOBAL: stack: #1
// GLOBAL-NEXT: stack[0]: "main"

// STATIC: buffer: "scratch"
// STATIC: buffer_function: "label"
// STATIC: buffer_size: 16
// STATIC: function: "label"
// STATIC: kind: "global-buffer-overflow"
// STATIC: offset: 16
// STATIC: stack: #2
// STATIC-NEXT: stack[0]: "label"
// STATIC-NEXT: stack[1]: "main"
