// The Oracle's heap (libheal_oracle): every block in a guarded slot. Overflow faults on
// the first byte past a block whose size is a multiple of 16; underflow faults with
// HEAL_ORACLE_ALIGN=left and is found at free() otherwise; freed blocks fault; double and
// invalid frees are reported. libc's own allocations (strdup) come from the slots too.
// A correct run: calloc zeroes, realloc keeps contents, alignments are honoured.
// RUN: rm -rf %t && mkdir -p %t/r0 %t/r1 %t/r2 %t/r3 %t/r4 %t/r5 %t/r6 %t/r7 %t/r8
// RUN: %clang -O1 -g -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_oracle -lheal_rt -Wl,-rpath,%rtdir
// RUN: env HEAL_REPORT_DIR=%t/r0 %t/prog good > %t/out0 2> %t/err0
// RUN: FileCheck --check-prefix=GOOD %s < %t/out0
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err0
// RUN: ls %t/r0 | count 0
// RUN: env HEAL_REPORT_DIR=%t/r1 %expect_crash SIGSEGV %t/prog over 2> %t/err1
// RUN: %report %t/r1 | FileCheck --check-prefix=OVER %s --match-full-lines
// RUN: FileCheck --check-prefix=OVER-ERR %s --match-full-lines < %t/err1
// RUN: env HEAL_REPORT_DIR=%t/r2 HEAL_ORACLE_ALIGN=left %expect_crash SIGSEGV %t/prog under 2> %t/err2
// RUN: %report %t/r2 | FileCheck --check-prefix=UNDER %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r3 %expect_crash SIGABRT %t/prog under 2> %t/err3
// RUN: %report %t/r3 | FileCheck --check-prefix=UNDER-FREE %s --match-full-lines
// RUN: FileCheck --check-prefix=UNDER-FREE-ERR %s --match-full-lines < %t/err3
// RUN: env HEAL_REPORT_DIR=%t/r4 %expect_crash SIGSEGV %t/prog uaf 2> %t/err4
// RUN: %report %t/r4 | FileCheck --check-prefix=UAF %s --match-full-lines
// RUN: FileCheck --check-prefix=UAF-ERR %s --match-full-lines < %t/err4
// RUN: env HEAL_REPORT_DIR=%t/r5 %expect_crash SIGABRT %t/prog double 2> %t/err5
// RUN: %report %t/r5 | FileCheck --check-prefix=DOUBLE %s --match-full-lines
// RUN: FileCheck --check-prefix=DOUBLE-ERR %s --match-full-lines < %t/err5
// RUN: env HEAL_REPORT_DIR=%t/r6 %expect_crash SIGABRT %t/prog invalid 2> %t/err6
// RUN: %report %t/r6 | FileCheck --check-prefix=INVALID %s --match-full-lines
// RUN: FileCheck --check-prefix=INVALID-ERR %s --match-full-lines < %t/err6
// RUN: mkdir %t/r9 %t/r10
// RUN: env HEAL_REPORT_DIR=%t/r9 %expect_crash SIGABRT %t/prog invalid-stack
// RUN: %report %t/r9 | FileCheck --check-prefix=INVALID-STACK %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r10 %expect_crash SIGABRT %t/prog invalid-foreign 2> %t/err10
// RUN: %report %t/r10 | FileCheck --check-prefix=INVALID-FOREIGN %s --match-full-lines
// RUN: FileCheck --check-prefix=INVALID-FOREIGN-ERR %s --match-full-lines < %t/err10
// RUN: env HEAL_REPORT_DIR=%t/r7 %expect_crash SIGSEGV %t/prog strdup 2> %t/err7
// RUN: %report %t/r7 | FileCheck --check-prefix=STRDUP %s --match-full-lines
// RUN: env HEAL_REPORT_DIR=%t/r8 %expect_crash SIGABRT %t/prog slack 2> %t/err8
// RUN: %report %t/r8 | FileCheck --check-prefix=SLACK %s --match-full-lines

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(make_block);
FUNCTION(poke);
FUNCTION(main);
SITE(main, value, 32, 90);

__attribute__((noinline)) char *make_block(size_t n) {
  ENTER(make_block);
  char *p = malloc(n);
  LEAVE();
  return p;
}

__attribute__((noinline)) int poke(char *p, long i, int write) {
  ENTER(poke);
  int r = 0;
  if (write)
    ((volatile char *)p)[i] = 1;
  else
    r = ((volatile char *)p)[i];
  LEAVE();
  return r;
}

static void *volatile sink; /* keeps the compiler from eliding allocations */

static int aligned(void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static void good(void) {
  char *z = calloc(1000, 3);
  int zeros = 1;
  for (int i = 0; i < 3000; i++)
    zeros &= z[i] == 0;
  memset(z, 7, 3000);
  free(z);
  z = calloc(1000, 3); /* likely a reused slot: still zeroed */
  for (int i = 0; i < 3000; i++)
    zeros &= z[i] == 0;
  free(z);
  printf("calloc zeroed %d\n", zeros);

  char *r = malloc(10);
  memcpy(r, "0123456789", 10);
  r = realloc(r, 20000);
  int kept = memcmp(r, "0123456789", 10) == 0;
  r = realloc(r, 5);
  kept &= memcmp(r, "01234", 5) == 0;
  printf("realloc kept %d usable %zu\n", kept, malloc_usable_size(r));
  free(r);
  r = realloc(NULL, 8);
  sink = r;
  int ok_null = r != NULL;
  sink = realloc(r, 0);
  printf("realloc(NULL) %d realloc(p, 0) %d\n", ok_null, sink == NULL);

  void *pm = NULL;
  int rc = posix_memalign(&pm, 256, 100);
  void *aa = aligned_alloc(64, 128);
  void *ma = memalign(4096, 10);
  void *va = valloc(1);
  void *big = NULL;
  int rc2 = posix_memalign(&big, 1 << 16, 70000);
  printf("posix_memalign %d %d aligned_alloc %d memalign %d valloc %d big %d %d\n", rc,
         aligned(pm, 256), aligned(aa, 64), aligned(ma, 4096), aligned(va, 4096), rc2,
         aligned(big, 1 << 16));
  printf("EINVAL %d\n", posix_memalign(&pm, 3, 10));
  free(pm), free(aa), free(ma), free(va), free(big);
  void *m0 = malloc(0), *m1 = malloc(0);
  printf("malloc(0) distinct %d\n", m0 != m1);
  free(m0), free(m1);
  sink = calloc(SIZE_MAX / 2, 4);
  printf("calloc overflow %d\n", sink == NULL);
  free(NULL);

  /* Enough blocks to cycle through the quarantine and reuse slots. */
  for (int i = 0; i < 20000; i++) {
    char *p = malloc((size_t)(i % 5000) + 1);
    p[i % 5000] = 1;
    sink = p;
    free(sink);
  }
  char *s = strdup("strdup works");
  printf("%s\n", s);
  free(s);
}

int main(int argc, char **argv) {
  ENTER(main);
  const char *what = argc > 1 ? argv[1] : "good";
  if (!strcmp(what, "good"))
    good();
  char *p = make_block(64);
  if (!strcmp(what, "over"))
    poke(p, 64, 1);
  if (!strcmp(what, "under"))
    poke(p, -1, 1);
  if (!strcmp(what, "uaf")) {
    free(p);
    poke(p, 8, 0);
  }
  if (!strcmp(what, "double")) {
    free(p);
    free(p);
  }
  if (!strcmp(what, "invalid"))
    free(p + 16);
  if (!strcmp(what, "invalid-stack")) {
    sink = __heal_stack_alloc(32, 1, &site_main_value);
    free(sink);
  }
  if (!strcmp(what, "invalid-foreign")) {
    static char not_heap[8];
    sink = not_heap;
    free(sink);
  }
  if (!strcmp(what, "strdup")) {
    char *s = strdup("0123456789abcde"); /* 16 bytes with the NUL */
    poke(s, 16, 0);
  }
  if (!strcmp(what, "slack")) {
    char *q = make_block(10); /* 16-byte aligned: 6 bytes of canary after it */
    poke(q, 10, 1);
    free(q);
  }
  free(p);
  LEAVE();
  return 0;
}

// GOOD:      calloc zeroed 1
// GOOD-NEXT: realloc kept 1 usable 5
// GOOD-NEXT: realloc(NULL) 1 realloc(p, 0) 1
// GOOD-NEXT: posix_memalign 0 1 aligned_alloc 1 memalign 1 valloc 1 big 0 1
// GOOD-NEXT: EINVAL 22
// GOOD-NEXT: malloc(0) distinct 1
// GOOD-NEXT: calloc overflow 1
// GOOD-NEXT: strdup works
// NONE-NOT: heal

// OVER:      access: "write"
// OVER-NEXT: action: "terminated"
// OVER-NEXT: address: "0x{{[0-9a-f]+}}"
// OVER-NEXT: buffer: "malloc"
// OVER-NEXT: buffer_file: null
// OVER-NEXT: buffer_function: "make_block"
// OVER-NEXT: buffer_line: null
// OVER-NEXT: buffer_size: 64
// OVER-NEXT: code: "SEGV_MAPERR"
// OVER-NEXT: detected: "access"
// OVER:      function: "poke"
// OVER:      kind: "heap-buffer-overflow"
// OVER-NEXT: mode: "oracle"
// OVER-NEXT: offset: 64
// OVER:      stack: #2
// OVER-NEXT: stack[0]: "poke"
// OVER-NEXT: stack[1]: "main"
// OVER-ERR: heal: heap-buffer-overflow in poke: write 1 byte past the end of heap block (64 bytes from malloc in make_block); stack: poke < main; terminated; report: {{.*}}.json

// UNDER:      kind: "heap-buffer-underflow"
// UNDER-NEXT: mode: "oracle"
// UNDER-NEXT: offset: -1

// UNDER-FREE:      detected: "release"
// UNDER-FREE:      function: "main"
// UNDER-FREE:      kind: "heap-buffer-underflow"
// UNDER-FREE-NEXT: mode: "oracle"
// UNDER-FREE-NEXT: offset: -1
// UNDER-FREE-ERR: heal: heap-buffer-underflow in main: heap block (64 bytes from malloc in make_block) was overwritten 1 byte before its start (found when it was released); stack: main; terminated; report: {{.*}}.json

// UAF:      access: "read"
// UAF:      buffer: "malloc"
// UAF:      buffer_size: 64
// UAF:      function: "poke"
// UAF:      kind: "use-after-free"
// UAF-NEXT: mode: "oracle"
// UAF-NEXT: offset: 8
// UAF-ERR: heal: use-after-free in poke: read at offset 8 of freed heap block (64 bytes from malloc in make_block); stack: poke < main; terminated; report: {{.*}}.json

// DOUBLE:      buffer: "malloc"
// DOUBLE:      buffer_size: 64
// DOUBLE-NEXT: code: null
// DOUBLE-NEXT: detected: "release"
// DOUBLE:      function: "main"
// DOUBLE:      kind: "double-free"
// DOUBLE:      signal: "SIGABRT"
// DOUBLE-ERR: heal: double-free in main: double free of heap block (64 bytes from malloc in make_block); stack: main; terminated; report: {{.*}}.json

// INVALID:      buffer: "malloc"
// INVALID:      buffer_size: 64
// INVALID:      function: "main"
// INVALID:      kind: "invalid-free"
// INVALID-NEXT: mode: "oracle"
// INVALID-NEXT: offset: 16
// INVALID:      signal: "SIGABRT"
// INVALID-ERR: heal: invalid-free in main: free of 0x{{[0-9a-f]+}}, at offset 16 of heap block (64 bytes from malloc in make_block); stack: main; terminated; report: {{.*}}.json
// INVALID-STACK:      buffer: "value"
// INVALID-STACK:      kind: "invalid-free"
// INVALID-STACK-NEXT: mode: "oracle"
// INVALID-STACK-NEXT: offset: 0
// INVALID-FOREIGN:      buffer: null
// INVALID-FOREIGN:      kind: "invalid-free"
// INVALID-FOREIGN-ERR: heal: invalid-free in main: free of 0x{{[0-9a-f]+}}, which is not the start of a heap block; stack: main; terminated; report: {{.*}}.json

// STRDUP:      access: "read"
// STRDUP:      buffer: "malloc"
// STRDUP:      buffer_function: "main"
// STRDUP:      buffer_size: 16
// STRDUP:      kind: "heap-buffer-overflow"

// SLACK:      detected: "release"
// SLACK:      kind: "heap-buffer-overflow"
// SLACK-NEXT: mode: "oracle"
// SLACK-NEXT: offset: 10
