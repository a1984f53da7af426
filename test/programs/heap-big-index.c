// "Set bit N" commands on a malloc()ed bitmap of 512 bits (64 bytes). The bit number is
// checked against the protocol's limit (65536) instead of the bitmap's size. Bad input:
// bit 40000, i.e. byte 5000, thousands of bytes past the block: the guard region must be
// wide enough that the write does not reach another live block.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 3 64 511 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 3 40000
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>

#define BITS 512
#define PROTOCOL_MAX_BIT 65536

struct bitmap {
  unsigned char *bytes;
  unsigned nbits;
};

// DECL-DAG: function_line: [[@LINE+1]]
static int set_bit(struct bitmap *b, unsigned long bit) {
  if (bit >= PROTOCOL_MAX_BIT) /* the bug: should be b->nbits */
    return -1;
  b->bytes[bit / 8] |= (unsigned char)(1u << (bit % 8));
  return 0;
}

static int count(const struct bitmap *b) {
  int n = 0;
  for (unsigned i = 0; i < b->nbits / 8; i++)
    n += __builtin_popcount(b->bytes[i]);
  return n;
}

static void run(int n, char **bits) {
  struct bitmap b = {calloc(BITS / 8, 1), BITS};
  for (int i = 0; i < n; i++)
    if (set_bit(&b, strtoul(bits[i], NULL, 10)) != 0)
      printf("rejected %s\n", bits[i]);
  printf("%d bits set\n", count(&b));
  free(b.bytes);
}

int main(int argc, char **argv) {
  run(argc - 1, argv + 1);
  return 0;
}

// GOOD: 3 bits set
// GOOD-NEXT: status: exit 0

// A read-modify-write: at -O2 one instruction, whose fault the CPU reports as a write.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "calloc"
// CHECK: buffer_function: "run"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "set_bit"
// CHECK: kind: "heap-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 5000
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "set_bit"
// CHECK-NEXT: stack[1]: "run"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-big-index.c"
