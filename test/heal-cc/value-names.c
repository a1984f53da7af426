// heal-cc keeps value names in the clean bitcode, so an Oracle built without -g still
// names the buffer (clang would discard local names in a release build).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: env HEAL_MODE=oracle %heal_cc -O2 %s -o %t/prog
// RUN: %t/prog ok | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog 2>/dev/null
// RUN: %report %t/r | FileCheck %s
// GOOD: ok
// CHECK: buffer: "label"
// CHECK: function: "fill"
// CHECK: kind: "stack-buffer-overflow"
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void fill(const char *s) {
  char label[16];
  strcpy(label, s);
  puts(label);
}

int main(int argc, char **argv) {
  fill(argc > 1 ? argv[1] : "a label far longer than sixteen bytes");
  return 0;
}
