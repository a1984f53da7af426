// Parses dates "YYYY-MM-DD" into a 20-byte field and terminates it at field[len]: a
// 20-character argument writes the NUL one byte past the end. A char array of 20 bytes is
// 16-byte aligned (x86-64 ABI), so a right-aligned slot leaves 12 bytes of slack after
// it: the stray byte lands in the slack, not in the guard page. The Oracle finds the
// broken canary when parse_stamp releases the buffer (detected "release", reported for
// the owner, SIGABRT) instead of at the access.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 2024-02-29 1999-12-31T23:59 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/oracle 2024-02-29T12:00:00.00 2> %t/err
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines < %t/err
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD 20

static void copy_field(char *dst, const char *src) {
  size_t n = strlen(src);
  if (n > FIELD)
    n = FIELD;
  memcpy(dst, src, n);
  dst[n] = '\0'; /* the bug: n can be FIELD */
}

// DECL-DAG: function_line: [[@LINE+1]]
static int parse_stamp(const char *arg, int *y, int *m, int *d) {
  char field[FIELD]; // DECL-DAG: buffer_line: [[@LINE]]
  copy_field(field, arg);
  return sscanf(field, "%d-%d-%d", y, m, d) == 3 ? 0 : -1;
}

static int day_of_year(const char *arg) {
  static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int y, m, d;
  if (parse_stamp(arg, &y, &m, &d) != 0 || m < 1 || m > 12)
    return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return before[m - 1] + d + (leap && m > 2);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    printf("%s: day %d\n", argv[i], day_of_year(argv[i]));
  return 0;
}

// GOOD: 2024-02-29: day 60
// GOOD-NEXT: 1999-12-31T23:59: day 365
// GOOD-NEXT: status: exit 0

// The access was in copy_field; the canary check runs when parse_stamp, the owner,
// returns: that is the function the report names.
// CHECK: access: null
// CHECK: action: "terminated"
// CHECK: buffer: "field"
// CHECK: buffer_function: "parse_stamp"
// CHECK: buffer_size: 20
// CHECK: detected: "release"
// CHECK: function: "parse_stamp"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 20
// CHECK: signal: "SIGABRT"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "parse_stamp"
// CHECK-NEXT: stack[1]: "day_of_year"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}offbyone-slack.c"
// DECL-DAG: function_file: "{{.*}}offbyone-slack.c"

// The stderr line is one sentence.
// ERR: heal: stack-buffer-overflow in parse_stamp: 'field' (20 bytes, {{.*}}offbyone-slack.c:{{[0-9]+}}) was overwritten 1 byte past its end (found when it was released); stack: parse_stamp < day_of_year < main; terminated; report: {{.*}}.json
