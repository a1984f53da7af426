// A packet decoder trusts the length field of its input and memcpy()s the payload into a
// fixed stack buffer. Bad input: length 80 > 64 bytes of payload buffer.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 12:hello,world! | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 80:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 2> %t/err
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines < %t/err
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct packet {
  unsigned len;
  const char *data;
};

static int parse_header(const char *wire, struct packet *p) {
  char *end;
  p->len = (unsigned)strtoul(wire, &end, 10);
  if (*end != ':')
    return -1;
  p->data = end + 1;
  return 0;
}

static unsigned checksum(const unsigned char *b, unsigned n) {
  unsigned s = 0;
  for (unsigned i = 0; i < n; i++)
    s = s * 31 + b[i];
  return s;
}

// DECL-DAG: function_line: [[@LINE+1]]
static int decode(const char *wire) {
  struct packet p;
  char payload[64]; // DECL-DAG: buffer_line: [[@LINE]]
  if (parse_header(wire, &p) != 0)
    return -1;
  memcpy(payload, p.data, p.len); /* the bug: p.len is never checked against 64 */
  printf("payload %u bytes, checksum %08x\n", p.len, checksum((unsigned char *)payload, p.len));
  return 0;
}

static int handle(int argc, char **argv) {
  int bad = 0;
  for (int i = 1; i < argc; i++)
    bad += decode(argv[i]) != 0;
  return bad;
}

int main(int argc, char **argv) { return handle(argc, argv); }

// GOOD: payload 12 bytes, checksum {{[0-9a-f]+}}
// GOOD: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "payload"
// CHECK: buffer_function: "decode"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "decode"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "decode"
// CHECK-NEXT: stack[1]: "handle"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}memcpy-packet.c"
// DECL-DAG: function_file: "{{.*}}memcpy-packet.c"

// The stderr line is one sentence.
// ERR: heal: stack-buffer-overflow in decode: write 1 byte past the end of 'payload' (64 bytes, {{.*}}memcpy-packet.c:{{[0-9]+}}); stack: decode < handle < main; terminated; report: {{.*}}.json
