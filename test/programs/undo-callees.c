// Writes made by callees are rolled back too: rebalance() calls helpers two and three
// levels deep (one of them recursive) that rewrite a binary tree of heap nodes, a global
// histogram and a static counter; an assert deep inside fails (SIGABRT). The tree, the
// histogram and the counter are as before. The same helpers, called outside the
// transaction, keep working (and are not logged: they are the original functions).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"rebalance"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O1 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// The helpers run as clones inside the transaction; main calls the originals.
// RUN: nm %t/prog | FileCheck %s --check-prefix=SYMS
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  int key;
  int weight;
  struct node *left, *right;
};

int histogram[8];
static int visits;

__attribute__((noinline)) static void count(int key) {
  histogram[key & 7]++;
  visits++;
}

__attribute__((noinline)) static int reweigh(struct node *n, int depth) {
  if (!n)
    return 0;
  count(n->key);
  assert(n->key >= 0); /* the bug: negative keys are not filtered on insert */
  n->weight = 1 + reweigh(n->left, depth + 1) + reweigh(n->right, depth + 1);
  return n->weight;
}

__attribute__((noinline)) static void mirror(struct node *n) {
  if (!n)
    return;
  struct node *t = n->left;
  n->left = n->right;
  n->right = t;
  mirror(n->left);
  mirror(n->right);
}

int rebalance(struct node *root) {
  mirror(root);
  return reweigh(root, 0);
}

static struct node *mk(int key, struct node *l, struct node *r) {
  struct node *n = malloc(sizeof *n);
  *n = (struct node){key, 0, l, r};
  return n;
}

static void print(const struct node *n) {
  if (!n) {
    printf(".");
    return;
  }
  printf("(%d:%d ", n->key, n->weight);
  print(n->left);
  printf(" ");
  print(n->right);
  printf(")");
}

static void show(const struct node *root) {
  print(root);
  printf(" visits=%d hist=%d%d%d%d%d%d%d%d\n", visits, histogram[0], histogram[1], histogram[2],
         histogram[3], histogram[4], histogram[5], histogram[6], histogram[7]);
}

int main(void) {
  struct node *good = mk(4, mk(2, mk(1, 0, 0), 0), mk(6, 0, mk(7, 0, 0)));
  printf("rebalance good: %d\n", rebalance(good));
  show(good);
  struct node *bad = mk(5, mk(3, 0, mk(-1, 0, 0)), mk(8, 0, 0));
  printf("rebalance bad: %d\n", rebalance(bad));
  show(bad);
  show(good);
  mirror(bad); /* outside any transaction: the original function */
  reweigh(good, 0);
  show(bad);
  return 0;
}

// OUT: rebalance good: 5
// OUT-NEXT: (4:5 (6:2 (7:1 . .) .) (2:2 . (1:1 . .))) visits=5 hist=01101011
// OUT-NEXT: rebalance bad: -1
// OUT-NEXT: (5:0 (3:0 . (-1:0 . .)) (8:0 . .)) visits=5 hist=01101011
// OUT-NEXT: (4:5 (6:2 (7:1 . .) .) (2:2 . (1:1 . .))) visits=5 hist=01101011
// OUT-NEXT: (5:0 (8:0 . .) (3:0 (-1:0 . .) .)) visits=10 hist=02202022

// ERR: heal: recovered from SIGABRT (abort) in rebalance: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGABRT"
// Frames of the clones carry the source names.
// CHECK: stack[2]: "__assert_fail"
// CHECK-NEXT: stack[3]: "reweigh"
// CHECK-NEXT: stack[4]: "reweigh"
// CHECK-NEXT: stack[5]: "reweigh"
// CHECK-NEXT: stack[6]: "rebalance"
// CHECK-NEXT: stack[7]: "main"
// CHECK: transaction: "rebalance"

// SYMS-DAG: t count
// SYMS-DAG: t count.heal_tx
// SYMS-DAG: t mirror
// SYMS-DAG: t mirror.heal_tx
// SYMS-DAG: t reweigh
// SYMS-DAG: t reweigh.heal_tx
