// Serializes a message: a fixed 16-byte header buffer on the stack is copied into the
// output with the length the caller claims for it. Callers that pass the header plus the
// body length make memcpy read past the end of the header (a read overflow inside libc;
// nothing is written out of bounds). Bad input: the "combined" mode.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- split hello | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle combined hello
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

static unsigned char out[256];

// DECL-DAG: function_line: [[@LINE+1]]
static size_t put(size_t at, const void *src, size_t n) {
  memcpy(out + at, src, n);
  return at + n;
}

static size_t serialize(const char *mode, const char *body) {
  unsigned char header[16]; // DECL-DAG: buffer_line: [[@LINE]]
  size_t blen = strlen(body);
  memset(header, 0, sizeof header);
  memcpy(header, "MSG1", 4);
  header[4] = (unsigned char)blen;
  size_t at = 0;
  if (strcmp(mode, "combined") == 0) {
    at = put(at, header, sizeof header + blen); /* the bug: the body is not in header */
  } else {
    at = put(at, header, sizeof header);
    at = put(at, body, blen);
  }
  return at;
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  size_t n = serialize(argv[1], argv[2]);
  printf("%zu bytes:", n);
  for (size_t i = 0; i < n; i++)
    printf(" %02x", out[i]);
  printf("\n");
  return 0;
}

// GOOD: 21 bytes: 4d 53 47 31 05 00 00 00 00 00 00 00 00 00 00 00 68 65 6c 6c 6f
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "header"
// CHECK: buffer_function: "serialize"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "put"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "put"
// CHECK-NEXT: stack[1]: "serialize"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}memcpy-read.c"
// DECL-DAG: function_file: "{{.*}}memcpy-read.c"
