// A to-do list kept as a singly linked list of malloc()ed nodes. "done N" removes the
// entries with priority N; the removal loop frees the node and then reads its next
// pointer to continue. Bad input: removing an entry that has a successor.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- 1:wash 2:cook 3:read done 9 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle 1:wash 2:cook 3:read done 2 2> %t/err
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines < %t/err
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *next;
  int prio;
  char what[20];
};

static struct node *add(struct node *head, const char *arg) {
  struct node *n = calloc(1, sizeof *n);
  sscanf(arg, "%d:%19s", &n->prio, n->what);
  n->next = head;
  return n;
}

// DECL-DAG: function_line: [[@LINE+1]]
static struct node *remove_prio(struct node *head, int prio) {
  struct node **link = &head;
  for (struct node *n = head; n; n = n->next) { /* the bug: n->next after free(n) */
    if (n->prio == prio) {
      *link = n->next;
      free(n);
    } else {
      link = &n->next;
    }
  }
  return head;
}

static void show(const struct node *n) {
  for (; n; n = n->next)
    printf("[%d] %s\n", n->prio, n->what);
}

static struct node *apply(struct node *head, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "done") == 0 && i + 1 < argc)
      head = remove_prio(head, atoi(argv[++i]));
    else
      head = add(head, argv[i]);
  }
  return head;
}

int main(int argc, char **argv) {
  show(apply(NULL, argc, argv));
  return 0;
}

// GOOD: [3] read
// GOOD-NEXT: [2] cook
// GOOD-NEXT: [1] wash
// GOOD-NEXT: status: exit 0

// The freed node is 32 bytes; next is its first member (offset 0).
// CHECK: access: "read"
// CHECK: action: "terminated"
// CHECK: buffer: "calloc"
// CHECK: buffer_function: "add"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "remove_prio"
// CHECK: kind: "use-after-free"
// CHECK: mode: "oracle"
// CHECK: offset: 0
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "remove_prio"
// CHECK-NEXT: stack[1]: "apply"
// CHECK-NEXT: stack[2]: "main"
// DECL-DAG: function_file: "{{.*}}heap-uaf-list.c"

// The stderr line is one sentence.
// ERR: heal: use-after-free in remove_prio: read at offset 0 of freed heap block (32 bytes from calloc in add); stack: remove_prio < apply < main; terminated; report: {{.*}}.json
