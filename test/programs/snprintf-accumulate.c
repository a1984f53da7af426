// Builds a comma-separated list with the common "len += snprintf(buf + len, size - len)"
// idiom. snprintf returns the length it would have written, so after a truncation len is
// past the end, size - len wraps around to a huge size_t and the next snprintf writes
// beyond the 64-byte buffer.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- apple banana cherry | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle apple banana cherry-from-the-orchard-on-the-hill-behind-the-barn date elderberry
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>

// DECL-DAG: function_line: [[@LINE+1]]
static size_t append_item(char *buf, size_t size, size_t len, const char *item) {
  return len + (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", item);
}

static void print_list(int n, char **items) {
  char buf[64]; // DECL-DAG: buffer_line: [[@LINE]]
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < n; i++)
    len = append_item(buf, sizeof buf, len, items[i]); /* the bug: len can pass sizeof buf */
  printf("%s (%zu)\n", buf, len);
}

int main(int argc, char **argv) {
  print_list(argc - 1, argv + 1);
  return 0;
}

// GOOD: apple, banana, cherry (21)
// GOOD-NEXT: status: exit 0

// "apple, banana, cherry-from-..." is truncated (len becomes 66 > 64); the next call
// writes ", date" at buf + 66, 2 bytes past the end.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "buf"
// CHECK: buffer_function: "print_list"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "append_item"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 66
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "append_item"
// CHECK-NEXT: stack[1]: "print_list"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}snprintf-accumulate.c"
// DECL-DAG: function_file: "{{.*}}snprintf-accumulate.c"
