// Joins a directory and file names into a path with strcat(). The capacity check counts
// the components but forgets the '/' separators. Bad input: components that fit only
// without the separators.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- usr local share doc | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle applications-and-programs version-1.2.3 documentation index.html
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define PATH_CAP 64

static int fits(int n, char **parts) {
  size_t total = 1; /* the NUL */
  for (int i = 0; i < n; i++)
    total += strlen(parts[i]); /* the bug: no room counted for the '/' */
  return total <= PATH_CAP;
}

// DECL-DAG: function_line: [[@LINE+1]]
static void append(char *path, const char *part) {
  strcat(path, "/");
  strcat(path, part);
}

static void show_path(int n, char **parts) {
  char path[PATH_CAP]; // DECL-DAG: buffer_line: [[@LINE]]
  path[0] = '\0';
  if (!fits(n, parts)) {
    puts("too long");
    return;
  }
  for (int i = 0; i < n; i++)
    append(path, parts[i]);
  printf("%s\n", path);
}

int main(int argc, char **argv) {
  show_path(argc - 1, argv + 1);
  return 0;
}

// GOOD: /usr/local/share/doc
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "path"
// CHECK: buffer_function: "show_path"
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "append"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "append"
// CHECK-NEXT: stack[1]: "show_path"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}strcat-path.c"
// DECL-DAG: function_file: "{{.*}}strcat-path.c"
