// Parses "key=value" settings into a malloc()ed config. On a malformed entry the error
// path frees the value, and the cleanup at the end frees it again. Bad input: a setting
// without '='. The runtime's free() sees a block that is already free: double-free,
// reported and then the process is aborted (SIGABRT).
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- name=demo level=3 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/oracle name=demo broken level=3 2> %t/err
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines < %t/err
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct setting {
  char *key, *value;
};

static int parse_setting(struct setting *s, const char *arg) {
  s->key = strdup(arg);
  s->value = malloc(64);
  char *eq = strchr(s->key, '=');
  if (!eq) {
    free(s->value); /* the error path frees, but leaves the pointer */
    return -1;
  }
  *eq = '\0';
  snprintf(s->value, 64, "%s", eq + 1);
  return 0;
}

// DECL-DAG: function_line: [[@LINE+1]]
static void release(struct setting *s, int n) {
  for (int i = 0; i < n; i++) {
    free(s[i].key);
    free(s[i].value); /* the bug: freed again after a parse error */
  }
}

static int configure(int n, char **args) {
  struct setting s[8];
  int errors = 0, i;
  for (i = 0; i < n && i < 8; i++)
    if (parse_setting(&s[i], args[i]) != 0)
      errors++;
    else
      printf("%s -> %s\n", s[i].key, s[i].value);
  release(s, i);
  return errors;
}

int main(int argc, char **argv) {
  return configure(argc - 1, argv + 1) ? 1 : 0;
}

// GOOD: name -> demo
// GOOD-NEXT: level -> 3
// GOOD-NEXT: status: exit 0

// CHECK: access: null
// CHECK: action: "terminated"
// CHECK: buffer: "malloc"
// CHECK: buffer_function: "parse_setting"
// CHECK: buffer_size: 64
// CHECK: function: "release"
// CHECK: kind: "double-free"
// CHECK: mode: "oracle"
// CHECK: signal: "SIGABRT"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "release"
// CHECK-NEXT: stack[1]: "configure"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-double-free.c"

// The stderr line is one sentence.
// ERR: heal: double-free in release: double free of heap block (64 bytes from malloc in parse_setting); stack: release < configure < main; terminated; report: {{.*}}.json
