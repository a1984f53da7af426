// Decodes a hex-encoded 16-byte key ("00112233...") into a binary key buffer. The decoder
// stops at the end of the string, not at the end of the buffer. Bad input: a 40-digit
// (20-byte) key.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 00112233445566778899aabbccddeeff | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 00112233445566778899aabbccddeeff0badf00d
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>

static int nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

// DECL-DAG: function_line: [[@LINE+1]]
static int decode(const char *hex, unsigned char *out) {
  int n = 0;
  for (; hex[0] && hex[1]; hex += 2) { /* the bug: no bound on n */
    int hi = nibble(hex[0]), lo = nibble(hex[1]);
    if (hi < 0 || lo < 0)
      return -1;
    out[n++] = (unsigned char)(hi << 4 | lo);
  }
  return n;
}

static void show_key(const char *hex) {
  unsigned char key[16]; // DECL-DAG: buffer_line: [[@LINE]]
  int n = decode(hex, key);
  unsigned x = 0;
  for (int i = 0; i < n; i++)
    x = x * 33 ^ key[i];
  printf("%d bytes, fingerprint %08x\n", n, x);
}

int main(int argc, char **argv) {
  if (argc > 1)
    show_key(argv[1]);
  return 0;
}

// GOOD: 16 bytes, fingerprint {{[0-9a-f]+}}
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "key"
// CHECK: buffer_function: "show_key"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "decode"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "decode"
// CHECK-NEXT: stack[1]: "show_key"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}hex-decode.c"
// DECL-DAG: function_file: "{{.*}}hex-decode.c"
