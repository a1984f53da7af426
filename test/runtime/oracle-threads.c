// Shadow stacks and slot caches are per thread: eight threads allocate and release stack
// slots of many sizes and alignments and heap blocks at the same time, with no report and
// intact data; then one thread overflows a buffer and the report has that thread's id
// and its own shadow stack.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1
// RUN: %clang -O1 -g -pthread -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog > %t/out0 2> %t/err0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog crash 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=CRASH %s --match-full-lines
// RUN: FileCheck --check-prefix=CRASH-ERR %s --match-full-lines < %t/err1

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(fill);
FUNCTION(worker);
FUNCTION(main);
SITE(fill, buf, 0, 30);

enum { THREADS = 8, ITERS = 3000 };
static int crash;
static volatile int bad;

__attribute__((noinline)) static void fill(unsigned id, unsigned i) {
  ENTER(fill);
  uint64_t size = 1 + (i * 7919u + id * 104729u) % 9000;
  uint64_t align = (uint64_t)1 << (i % 7);
  unsigned char *b = __heal_stack_alloc(size, align, &site_fill_buf);
  if ((uintptr_t)b % align)
    bad = 1;
  memset(b, (int)id, size);
  char *h = malloc(size);
  memcpy(h, b, size);
  if (crash && id == 3 && i == ITERS / 2)
    b[size] = 0; /* one byte past the end */
  for (uint64_t k = 0; k < size; k += 97)
    if (b[k] != id || (unsigned char)h[k] != id)
      bad = 1;
  free(h);
  LEAVE();
}

static void *worker(void *arg) {
  ENTER(worker);
  unsigned id = (unsigned)(uintptr_t)arg;
  for (unsigned i = 0; i < ITERS; i++)
    fill(id, i);
  LEAVE();
  return NULL;
}

int main(int argc, char **argv) {
  ENTER(main);
  crash = argc > 1;
  pthread_t t[THREADS];
  for (uintptr_t i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  printf("done, bad=%d\n", bad);
  LEAVE();
  return 0;
}

// GOOD: done, bad=0
// NONE-NOT: heal

// CRASH:      access: "write"
// CRASH:      buffer: "buf"
// CRASH:      function: "fill"
// CRASH:      kind: "stack-buffer-overflow"
// CRASH:      pid: [[PID:[0-9]+]]
// CRASH:      stack: #2
// CRASH-NEXT: stack[0]: "fill"
// CRASH-NEXT: stack[1]: "worker"
// CRASH-NOT:  tid: [[PID]]
// CRASH:      version: 1
// CRASH-ERR: heal: stack-buffer-overflow in fill: write 1 byte past the end of 'buf' ({{[0-9]+}} bytes, prog.c:30); stack: fill < worker; terminated; report: {{.*}}.json
