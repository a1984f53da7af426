// Rollback of the caller's buffers: format_row() writes a report row into its caller's
// stack buffer and statistics struct, with the libc writers the undo log knows (sprintf,
// strcat, strncpy, memset, memcpy, snprintf) and plain stores from a callee, then
// divides by a zero count (SIGFPE). main's buffer and struct are as they were before the
// call: main prints the previous row again.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"format_row"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

struct stats {
  int rows;
  long sum;
  char tag[8];
  unsigned char flags[6];
};

static void account(struct stats *st, const int *v, int n) {
  st->rows++;
  for (int i = 0; i < n; i++)
    st->sum += v[i];
}

int format_row(char *out, size_t size, struct stats *st, const char *name, const int *v,
               int n) {
  int len = sprintf(out, "%-6s|", name);
  strncpy(st->tag, name, sizeof st->tag);
  memset(st->flags, 0xff, sizeof st->flags);
  account(st, v, n);
  for (int i = 0; i < n; i++) {
    char cell[16];
    snprintf(cell, sizeof cell, " %d", v[i]);
    strcat(out, cell);
  }
  memcpy(out + strlen(out), " |", 3);
  int total = 0;
  for (int i = 0; i < n; i++)
    total += v[i];
  snprintf(out + strlen(out), size - strlen(out), " avg %d", total / n); /* n == 0: SIGFPE */
  (void)len;
  return 0;
}

static void show(const char *row, const struct stats *st) {
  printf("row '%s' rows=%d sum=%ld tag='%.8s' flags=%d%d%d%d%d%d\n", row, st->rows, st->sum,
         st->tag, st->flags[0], st->flags[1], st->flags[2], st->flags[3], st->flags[4],
         st->flags[5]);
}

int main(void) {
  char row[128] = "(none)";
  struct stats st = {0, 0, "-", {0}};
  int a[] = {3, 4, 5};
  printf("%d\n", format_row(row, sizeof row, &st, "alpha", a, 3));
  show(row, &st);
  memset(st.flags, 0, sizeof st.flags);
  printf("%d\n", format_row(row, sizeof row, &st, "empty", a, 0));
  show(row, &st);
  printf("%d\n", format_row(row, sizeof row, &st, "beta", a + 1, 2));
  show(row, &st);
  return 0;
}

// OUT: 0
// OUT-NEXT: row 'alpha | 3 4 5 | avg 4' rows=1 sum=12 tag='alpha' flags=255255255255255255
// OUT-NEXT: -1
// OUT-NEXT: row 'alpha | 3 4 5 | avg 4' rows=1 sum=12 tag='alpha' flags=000000
// OUT-NEXT: 0
// OUT-NEXT: row 'beta  | 4 5 | avg 4' rows=2 sum=21 tag='beta' flags=255255255255255255

// ERR: heal: recovered from SIGFPE (fpe) in format_row: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "FPE_INTDIV"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGFPE"
// CHECK: transaction: "format_row"
