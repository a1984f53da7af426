// A variadic transaction (wrapped in place: va_start needs the variadic frame): logf
// formats its arguments and faults on a NULL string argument. It returns -1 and the
// program goes on; later calls still see their arguments.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"logf"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int logf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = 0;
  for (const char *p = fmt; *p; p++) {
    if (*p == 's')
      n += (int)strlen(va_arg(ap, const char *)); /* NULL faults */
    else if (*p == 'd')
      n += va_arg(ap, int);
  }
  va_end(ap);
  return n;
}

int main(void) {
  printf("%d\n", logf("sd", "abc", 10));
  printf("%d\n", logf("ss", "abc", (const char *)0));
  printf("%d\n", logf("dsd", 1, "hello", 2));
  return 0;
}

// OUT: 13
// OUT-NEXT: -1
// OUT-NEXT: 8

// ERR: heal: recovered from SIGSEGV (segv) in logf: returned -1 to main
// ERR-NOT: heal:
