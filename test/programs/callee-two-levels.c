// A tiny HTTP responder: serve() owns the 128-byte reply buffer and passes it down to
// build_reply(), which passes it down again to add_header(). add_header() appends with
// strcpy at the current length and no capacity. Bad input: a long header value. The
// fault is two calls below the buffer's owner; the report names the function that wrote
// (add_header) and the owner's buffer (reply), and the stack shows the chain.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- /index.html text/html | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle /index.html "text/html; charset=utf-8; profile=https://example.org/a/very/long/profile/uri"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static size_t add_header(char *out, size_t len, const char *name, const char *value) {
  strcpy(out + len, name); /* the bug: no capacity anywhere in this chain */
  len += strlen(name);
  strcpy(out + len, ": ");
  len += 2;
  strcpy(out + len, value);
  len += strlen(value);
  strcpy(out + len, "\r\n");
  return len + 2;
}

static size_t build_reply(char *out, const char *path, const char *type) {
  size_t len = (size_t)sprintf(out, "HTTP/1.0 200 OK\r\n");
  len = add_header(out, len, "Content-Type", type);
  len = add_header(out, len, "X-Path", path);
  return len;
}

static void serve(const char *path, const char *type) {
  char reply[128]; // DECL-DAG: buffer_line: [[@LINE]]
  size_t len = build_reply(reply, path, type);
  for (size_t i = 0; i < len; i++)
    if (reply[i] != '\r')
      putchar(reply[i]);
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  serve(argv[1], argv[2]);
  return 0;
}

// GOOD: HTTP/1.0 200 OK
// GOOD-NEXT: Content-Type: text/html
// GOOD-NEXT: X-Path: /index.html
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "reply"
// CHECK: buffer_function: "serve"
// CHECK: buffer_size: 128
// CHECK: detected: "access"
// CHECK: function: "add_header"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 128
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "add_header"
// CHECK-NEXT: stack[1]: "build_reply"
// CHECK-NEXT: stack[2]: "serve"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}callee-two-levels.c"
// DECL-DAG: function_file: "{{.*}}callee-two-levels.c"
