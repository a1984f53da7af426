// On good input nothing happens: no report, no heal line, normal exit status and output.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g -pthread %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog 7 > %t/out 2> %t/err
// RUN: FileCheck %s --match-full-lines < %t/out
// RUN: FileCheck --check-prefix=ERR --allow-empty --implicit-check-not=heal %s < %t/err
// RUN: not %report %t/r 2>&1 | FileCheck --check-prefix=NONE %s
// Exit status passes through unchanged.
// RUN: env HEAL_REPORT_DIR=%t/r not %t/prog 0

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *square(void *arg) {
  long v = (long)arg;
  return (void *)(v * v);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0;
  if (n == 0)
    return 3;
  void *r = NULL;
  pthread_t t;
  pthread_create(&t, NULL, square, (void *)n);
  pthread_join(t, &r);
  printf("square %ld\n", (long)r);
  return 0;
}

// CHECK: square 49
// ERR-NOT: heal
// NONE: expected exactly one .json report in {{.*}}, found 0
