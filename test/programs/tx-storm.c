// A fault storm: the same transaction aborts a million times in a loop (guarded buffer
// overflow, so each abort also releases a guarded slot). The run must finish quickly,
// write few reports (the first 10, then the 2^k-th), leak no slots or memory (VmRSS after
// a million aborts within 2 MiB of the RSS after 1000) and still serve good requests.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"fill"}],"guard":[{"function":"fill","buffer":"buf"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog 2000000 > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: ls %t/r | FileCheck %s --check-prefix=FILES
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fill(size_t n) {
  char buf[64];
  memset(buf, 'x', n); /* the bug: n is not checked */
  return buf[n / 2];
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      v = atol(line + 6);
  if (f)
    fclose(f);
  return v;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000, failed = 0, rss1000 = 0;
  for (long i = 0; i < n; i++) {
    if (fill(i % 2 ? 4096 : 16) < 0)
      failed++;
    if (i == 1000)
      rss1000 = rss_kib();
  }
  long grown = rss_kib() - rss1000;
  printf("%ld calls, %ld failed\n", n, failed);
  printf("rss growth %s\n", grown < 2048 ? "bounded" : "too large");
  if (grown >= 2048)
    printf("grew by %ld KiB\n", grown);
  printf("good call: %d\n", fill(8));
  return 0;
}

// OUT: 2000000 calls, 1000000 failed
// OUT-NEXT: rss growth bounded
// OUT-NEXT: good call: 120

// ERR-COUNT-10: heal: recovered from a stack-buffer-overflow in fill: returned -1 to main
// ERR-NEXT: heal: recovered from a stack-buffer-overflow in fill: returned -1 to main (recovery 16; further reports of this transaction only at powers of two)
// ERR: (recovery 524288; further reports
// ERR-NEXT: heal: transaction fill recovered 1000000 times; 26 reported (the first 10, then the 2^k-th)

// FILES-COUNT-26: heal-{{[0-9]+}}-{{[0-9]+}}-{{[0-9]+}}.json
// FILES-NOT: json
