// Quotes each argument for a POSIX shell into a VLA allocated inside the loop (a new one
// per iteration, released at the end of each). The size allows 2 extra characters per
// single quote, but ' becomes '\'' (3 extra). Bad input: the third word, "don't-panic",
// needs 17 bytes in a 16-byte VLA; the earlier iterations' VLAs are gone by then.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- hello "two words" "a;b" "" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle one "two words" "don't-panic" four
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

// DECL-DAG: function_line: [[@LINE+1]]
static void quote_into(char *out, const char *s) {
  *out++ = '\'';
  for (; *s; s++) {
    if (*s == '\'') {
      memcpy(out, "'\\''", 4);
      out += 4;
    } else {
      *out++ = *s;
    }
  }
  *out++ = '\'';
  *out = '\0';
}

static void quote_all(int n, char **words) {
  for (int i = 0; i < n; i++) {
    size_t quotes = 0, len = strlen(words[i]);
    for (size_t j = 0; j < len; j++)
      quotes += words[i][j] == '\'';
    char out[len + 2 * quotes + 3]; // DECL-DAG: buffer_line: [[@LINE]]
    quote_into(out, words[i]);
    printf("%s%s", i ? " " : "", out);
  }
  printf("\n");
}

int main(int argc, char **argv) {
  quote_all(argc - 1, argv + 1);
  return 0;
}

// GOOD: 'hello' 'two words' 'a;b' ''
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "out"
// CHECK: buffer_function: "quote_all"
// CHECK: buffer_size: 16
// CHECK: detected: "access"
// CHECK: function: "quote_into"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 16
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "quote_into"
// CHECK-NEXT: stack[1]: "quote_all"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}vla-loop-quote.c"
// DECL-DAG: function_file: "{{.*}}vla-loop-quote.c"
