// A web server parses each request line with parse_uri, which copies the path into a
// 32-byte buffer with strcpy. The patch policy wraps parse_uri in a transaction and guards
// `path`: the overflowing request aborts the transaction, parse_uri returns -1 (its own
// error value, synthesized from the caller's `< 0` test), handle_request answers 400 and
// the server goes on serving the next requests.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"parse_uri"}],"guard":[{"function":"parse_uri","buffer":"path"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog < %S/Inputs/tx-requests.txt > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

struct request {
  char method[8];
  char uri[256];
};

int parse_uri(const char *line, char *uri_out) {
  char path[32];
  const char *sp = strchr(line, ' ');
  if (!sp)
    return -1;
  strcpy(path, sp + 1); /* the bug: no length check */
  if (path[0] != '/')
    return -1;
  strcpy(uri_out, path);
  return (int)strlen(path);
}

__attribute__((noinline)) int handle_request(const char *line) {
  struct request r;
  int n = parse_uri(line, r.uri);
  if (n < 0) {
    printf("400 bad request\n");
    return -1;
  }
  printf("200 %s (%d)\n", r.uri, n);
  return 0;
}

int main(void) {
  char line[512];
  int served = 0, failed = 0;
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (handle_request(line) == 0)
      served++;
    else
      failed++;
  }
  printf("served %d, failed %d\n", served, failed);
  return 0;
}

// OUT: 200 /index.html (11)
// OUT-NEXT: 400 bad request
// OUT-NEXT: 400 bad request
// OUT-NEXT: 200 /about (6)
// OUT-NEXT: served 2, failed 2

// ERR: heal: recovered from a stack-buffer-overflow in parse_uri: returned -1 to handle_request; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: access: "write"
// CHECK: action: "recovered"
// CHECK: buffer: "path"
// CHECK: buffer_function: "parse_uri"
// CHECK: buffer_size: 32
// CHECK: caller: "handle_request"
// CHECK: function: "parse_uri"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: offset: 32
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "parse_uri"
