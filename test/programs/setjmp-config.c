// A config reader recovers from syntax errors with setjmp/longjmp: a bad number longjmps
// from three calls deep back to the loop, which reports the line and goes on. Later a
// key longer than the 16-byte key buffer overflows it. Bad input: an error line (longjmp)
// and then a long key. The shadow stack at the fault must be exactly the live frames:
// none of the frames the longjmp skipped.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle --stdin %S/Inputs/config-good.txt -- | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle < %S/Inputs/config-bad.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <ctype.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf on_error;

static void fail(const char *why) {
  fprintf(stdout, "error: %s\n", why);
  longjmp(on_error, 1);
}

static long parse_number(const char *s) {
  char digits[24];
  size_t n = strspn(s, "0123456789");
  if (n == 0 || n >= sizeof digits || s[n] != '\0')
    fail("not a number");
  memcpy(digits, s, n + 1);
  long v = 0;
  for (char *d = digits; *d; d++)
    v = v * 10 + (*d - '0');
  return v;
}

// DECL-DAG: function_line: [[@LINE+1]]
static void copy_key(char *key, const char *line, size_t n) {
  memcpy(key, line, n); /* the bug: n is not checked against the key buffer */
  key[n] = '\0';
}

static void parse_line(const char *line, long *sum) {
  char key[16]; // DECL-DAG: buffer_line: [[@LINE]]
  const char *eq = strchr(line, '=');
  if (!eq)
    fail("no '='");
  copy_key(key, line, (size_t)(eq - line));
  long v = parse_number(eq + 1);
  *sum += v;
  printf("%s = %ld\n", key, v);
}

static long load_config(FILE *in) {
  char line[256];
  int lineno = 0;
  volatile long sum = 0;
  while (fgets(line, sizeof line, in)) {
    line[strcspn(line, "\n")] = '\0';
    lineno++;
    if (setjmp(on_error)) {
      printf("  (line %d skipped)\n", lineno);
      continue;
    }
    long s = sum;
    parse_line(line, &s);
    sum = s;
  }
  return sum;
}

int main(void) {
  printf("sum %ld\n", load_config(stdin));
  return 0;
}

// GOOD: port = 8080
// GOOD-NEXT: error: not a number
// GOOD-NEXT: (line 2 skipped)
// GOOD-NEXT: workers = 4
// GOOD-NEXT: error: no '='
// GOOD-NEXT: (line 4 skipped)
// GOOD-NEXT: timeout = 30
// GOOD-NEXT: sum 8114
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "key"
// CHECK: buffer_function: "parse_line"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "copy_key"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #4
// CHECK-NEXT: stack[0]: "copy_key"
// CHECK-NEXT: stack[1]: "parse_line"
// CHECK-NEXT: stack[2]: "load_config"
// CHECK-NEXT: stack[3]: "main"
// DECL-DAG: buffer_file: "{{.*}}setjmp-config.c"
// DECL-DAG: function_file: "{{.*}}setjmp-config.c"
