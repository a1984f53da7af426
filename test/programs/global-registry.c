// A symbol registry in a global array of 8 structs interns names; the "table full" check
// compares with > instead of >=, so the 9th distinct name is stored in table[8], just past
// the global array.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- x y x z y x | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle a b c d e f g h a i
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define MAXSYM 8

struct symbol {
  char name[12];
  int uses;
};

struct symbol symtab[MAXSYM]; // DECL-DAG: buffer_line: [[@LINE]]
static int nsyms;

// DECL-DAG: function_line: [[@LINE+1]]
static int intern(const char *name) {
  for (int i = 0; i < nsyms; i++)
    if (strncmp(symtab[i].name, name, sizeof symtab[i].name) == 0) {
      symtab[i].uses++;
      return i;
    }
  if (nsyms > MAXSYM) /* the bug: should be >= */
    return -1;
  snprintf(symtab[nsyms].name, sizeof symtab[nsyms].name, "%s", name);
  symtab[nsyms].uses = 1;
  return nsyms++;
}

static void intern_all(int n, char **names) {
  for (int i = 0; i < n; i++)
    if (intern(names[i]) < 0)
      printf("table full: %s\n", names[i]);
}

int main(int argc, char **argv) {
  intern_all(argc - 1, argv + 1);
  for (int i = 0; i < nsyms; i++)
    printf("%s %d\n", symtab[i].name, symtab[i].uses);
  return 0;
}

// GOOD: x 3
// GOOD-NEXT: y 2
// GOOD-NEXT: z 1
// GOOD-NEXT: status: exit 0

// snprintf writes the 9th name at symtab[8].name, offset 128 of the 128-byte array.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "symtab"
// CHECK: buffer_function: null
// CHECK: buffer_size: 128
// CHECK: detected: "access"
// CHECK: function: "intern"
// CHECK: kind: "global-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 128
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "intern"
// CHECK-NEXT: stack[1]: "intern_all"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}global-registry.c"
// DECL-DAG: function_file: "{{.*}}global-registry.c"
