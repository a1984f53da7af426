// A -static Oracle program: libheal_oracle.a linked whole (libc.a's malloc stays out, even
// with malloc_trim/mallinfo2 referenced), libheal_rt.a with --wrap=pthread_create. The
// heap, threads and reports work as in a dynamic program.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1
// RUN: %clang -O1 -g -static -pthread -I%srcroot/include -I%S/Inputs %s -o %t/prog -Wl,--whole-archive %rtdir/libheal_oracle.a -Wl,--no-whole-archive %rtdir/libheal_rt.a -Wl,-u,__heal_register_module -Wl,--wrap=pthread_create
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog > %t/out0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog uaf 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=UAF %s --match-full-lines

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(reader);
FUNCTION(main);

static char *shared;

static void *reader(void *arg) {
  ENTER(reader);
  int r = ((volatile char *)shared)[(long)arg];
  LEAVE();
  return (void *)(long)r;
}

int main(int argc, char **argv) {
  ENTER(main);
  shared = strdup("static heap");
  if (argc > 1)
    free(shared);
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, reader, (void *)3L);
  pthread_join(t, &r);
  printf("read %c, trim %d, arena %zu\n", (int)(long)r, malloc_trim(0), mallinfo2().arena);
  LEAVE();
  return 0;
}

// GOOD: read t, trim 0, arena 0

// UAF:      buffer: "malloc"
// UAF-NEXT: buffer_file: null
// UAF-NEXT: buffer_function: "main"
// UAF:      function: "reader"
// UAF:      kind: "use-after-free"
// UAF:      stack: #1
// UAF-NEXT: stack[0]: "reader"
