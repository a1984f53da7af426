// Counts distinct words; each word is copied into a 32-byte buffer, truncated to 32
// characters, and then terminated at word[len]: when a word has 32 or more characters the
// terminator goes one byte past the end. Detected at the access: the buffer's size is a
// multiple of its alignment, so its end touches the guard page.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- "the cat and the dog and the bird" | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle "a pneumonoultramicroscopicsilicovolcanoconiosis case"
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <string.h>

#define WORD 32
#define MAXW 64

static char seen[MAXW][WORD + 1];
static int nseen;

static void remember(const char *w) {
  for (int i = 0; i < nseen; i++)
    if (strcmp(seen[i], w) == 0)
      return;
  if (nseen < MAXW)
    strcpy(seen[nseen++], w);
}

// DECL-DAG: function_line: [[@LINE+1]]
static const char *next_word(const char *s) {
  char word[WORD]; // DECL-DAG: buffer_line: [[@LINE]]
  size_t len = 0;
  while (*s == ' ')
    s++;
  while (s[len] && s[len] != ' ')
    len++;
  if (len == 0)
    return NULL;
  size_t keep = len > WORD ? WORD : len;
  memcpy(word, s, keep);
  word[keep] = '\0'; /* the bug: keep can be WORD */
  remember(word);
  return s + len;
}

static int count_words(const char *text) {
  while ((text = next_word(text)))
    ;
  return nseen;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? count_words(argv[1]) : 0;
  printf("%d distinct words\n", n);
  for (int i = 0; i < nseen; i++)
    printf("  %s\n", seen[i]);
  return 0;
}

// GOOD: 5 distinct words
// GOOD-NEXT: the
// GOOD-NEXT: cat
// GOOD-NEXT: and
// GOOD-NEXT: dog
// GOOD-NEXT: bird
// GOOD-NEXT: status: exit 0

// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "word"
// CHECK: buffer_function: "next_word"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "next_word"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "next_word"
// CHECK-NEXT: stack[1]: "count_words"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: buffer_file: "{{.*}}offbyone-word.c"
// DECL-DAG: function_file: "{{.*}}offbyone-word.c"
