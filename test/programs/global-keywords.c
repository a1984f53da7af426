// A tokenizer classifies words through a global table of 16 keyword ids indexed by a
// hash; the hash is reduced with % 17 instead of % 16, so some words index entry 16, one
// past the end of the global array (a read). Bad input: a word that hashes to 16.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- if x else y while | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle if foo 2> %t/err
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines < %t/err
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define SLOTS 16

static const char *names[] = {"?", "if", "else", "while", "return"};
int keyword_of_hash[SLOTS]; // DECL-DAG: buffer_line: [[@LINE]]

static unsigned hash(const char *w) {
  unsigned h = 0;
  for (; *w; w++)
    h = h * 31 + (unsigned char)*w;
  return h % (SLOTS + 1); /* the bug: SLOTS + 1 buckets for SLOTS entries */
}

static void build_table(void) {
  for (int k = 1; k < 5; k++)
    keyword_of_hash[hash(names[k])] = k;
}

// DECL-DAG: function_line: [[@LINE+1]]
static int classify(const char *w) {
  int k = keyword_of_hash[hash(w)];
  return k && strcmp(names[k], w) == 0 ? k : 0;
}

static void scan(int n, char **words) {
  for (int i = 0; i < n; i++) {
    int k = classify(words[i]);
    printf("%s: %s\n", words[i], k ? "keyword" : "identifier");
  }
}

int main(int argc, char **argv) {
  build_table();
  scan(argc - 1, argv + 1);
  return 0;
}

// GOOD: if: keyword
// GOOD-NEXT: x: identifier
// GOOD-NEXT: else: keyword
// GOOD-NEXT: y: identifier
// GOOD-NEXT: while: keyword
// GOOD-NEXT: status: exit 0

// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "keyword_of_hash"
// CHECK: buffer_function: null
// CHECK: buffer_size: 64
// CHECK: detected: "access"
// CHECK: function: "classify"
// CHECK: kind: "global-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 64
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "classify"
// CHECK-NEXT: stack[1]: "scan"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}global-keywords.c"
// DECL-DAG: function_file: "{{.*}}global-keywords.c"

// The stderr line is one sentence.
// ERR: heal: global-buffer-overflow in classify: read 1 byte past the end of 'keyword_of_hash' (64 bytes, {{.*}}global-keywords.c:{{[0-9]+}}); stack: classify < scan < main; terminated; report: {{.*}}.json
