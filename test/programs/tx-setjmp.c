// A program's own setjmp/longjmp crossing transactions: parse (a transaction) calls
// fail() on a syntax error, which longjmps out of it to the loop in main -- skipping the
// transaction's commit. The next transaction must drop that dead frame, and a later fault
// must abort the right (live) transaction, not the dead one. A longjmp inside a
// transaction (to a setjmp in the transaction itself) leaves it live.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"parse"},{"function":"retry"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf on_error;
static int *volatile nowhere;

__attribute__((noinline)) static void fail(const char *why) {
  printf("error: %s\n", why);
  longjmp(on_error, 1);
}

int parse(const char *s) {
  if (s[0] == '!')
    fail("syntax");
  if (s[0] == '?')
    return *nowhere; /* the bug */
  return (int)strlen(s);
}

/* A transaction with its own setjmp inside: the longjmp stays within it. */
int retry(const char *s) {
  jmp_buf local;
  volatile int tries = 0;
  if (setjmp(local) != 0 && tries > 2)
    return -5;
  tries++;
  if (s[0] == '#')
    longjmp(local, 1);
  return parse(s);
}

int main(void) {
  const char *inputs[] = {"abc", "!x", "?", "!!", "hello", "?"};
  for (int i = 0; i < 6; i++) {
    if (setjmp(on_error)) {
      printf("input %d skipped\n", i);
      continue;
    }
    printf("input %d: %d\n", i, parse(inputs[i]));
  }
  printf("retry: %d\n", retry("#"));
  printf("retry: %d\n", retry("?"));
  printf("retry: %d\n", retry("ok"));
  return 0;
}

// OUT: input 0: 3
// OUT-NEXT: error: syntax
// OUT-NEXT: input 1 skipped
// OUT-NEXT: input 2: -1
// OUT-NEXT: error: syntax
// OUT-NEXT: input 3 skipped
// OUT-NEXT: input 4: 5
// OUT-NEXT: input 5: -1
// OUT-NEXT: retry: -5
// OUT-NEXT: retry: -1
// OUT-NEXT: retry: 2

// The fault inside parse called from retry aborts parse (the innermost), not retry.
// ERR: heal: recovered from SIGSEGV (segv) in parse: returned -1 to main
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in parse: returned -1 to main (recovery 2)
// ERR-NEXT: heal: recovered from SIGSEGV (segv) in parse: returned -1 to retry (recovery 3)
// ERR-NOT: heal:
