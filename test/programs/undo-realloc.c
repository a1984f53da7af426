// realloc inside an aborted transaction: append_all() grows a vector with realloc while
// it appends parsed numbers, then crashes on a malformed token (the end pointer of strtol
// read through NULL). The vector's data pointer, length and capacity are restored, the
// old block still holds the old elements (a realloc in place or a free of the old block
// would have lost them), and appending works again afterwards.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"append_all"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec {
  long *data;
  size_t len, cap;
};

static void push(struct vec *v, long x) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 2;
    v->data = realloc(v->data, v->cap * sizeof *v->data);
  }
  v->data[v->len++] = x;
}

int append_all(struct vec *v, const char *text) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", text);
  char **ends[2] = {NULL, NULL};
  char *end;
  ends[0] = &end;
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
    /* the bug: a token starting with '#' selects the missing second end pointer */
    char **endp = ends[tok[0] == '#'];
    long x = strtol(tok + (tok[0] == '#'), endp, 10);
    if (**endp != '\0')
      return -1;
    push(v, x);
  }
  return 0;
}

static void show(const struct vec *v, const long *old_data) {
  printf("len=%zu cap=%zu same-block=%s:", v->len, v->cap, v->data == old_data ? "yes" : "no");
  for (size_t i = 0; i < v->len; i++)
    printf(" %ld", v->data[i]);
  printf("\n");
}

int main(void) {
  struct vec v = {0};
  printf("%d\n", append_all(&v, "1 2 3"));
  long *data = v.data;
  show(&v, data);
  printf("%d\n", append_all(&v, "4 5 6 7 8 9 10 #11"));
  show(&v, data);
  printf("%d\n", append_all(&v, "4 5"));
  show(&v, data);
  return 0;
}

// OUT: 0
// OUT-NEXT: len=3 cap=4 same-block=yes: 1 2 3
// OUT-NEXT: -1
// OUT-NEXT: len=3 cap=4 same-block=yes: 1 2 3
// OUT-NEXT: 0
// OUT-NEXT: len=5 cap=8 same-block=no: 1 2 3 4 5

// ERR: heal: recovered from SIGSEGV (segv) in append_all: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: transaction: "append_all"
