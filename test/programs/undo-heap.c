// Rollback of heap memory: an inventory kept in heap blocks (a hash table of chained
// records, allocated before the transaction). restock() updates a record's count and
// history, moves it to the front of its chain and bumps the table's counters, all in heap
// blocks, and then crashes on a corrupt order line (atoi(NULL) on a missing field). The
// table, the chains and the records come back exactly as they were.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"restock"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
  char name[16];
  int count;
  int history[4];
  struct item *next;
};

struct table {
  struct item *buckets[4];
  int updates;
  long units;
};

static unsigned hash(const char *s) {
  unsigned h = 0;
  while (*s)
    h = h * 31 + (unsigned char)*s++;
  return h % 4;
}

static struct item *add(struct table *t, const char *name, int count) {
  struct item *it = calloc(1, sizeof *it);
  strcpy(it->name, name);
  it->count = count;
  unsigned h = hash(name);
  it->next = t->buckets[h];
  t->buckets[h] = it;
  t->units += count;
  return it;
}

/* "name:amount" */
int restock(struct table *t, char *order) {
  char *name = strtok(order, ":");
  char *amount = strtok(NULL, ":");
  unsigned h = hash(name);
  struct item **pp = &t->buckets[h];
  while (*pp && strcmp((*pp)->name, name) != 0)
    pp = &(*pp)->next;
  struct item *it = *pp;
  if (!it)
    return -1;
  *pp = it->next; /* move to the front */
  it->next = t->buckets[h];
  t->buckets[h] = it;
  memmove(it->history + 1, it->history, 3 * sizeof(int));
  t->updates++;
  int n = atoi(amount); /* the bug: a line without ':' has no amount (NULL) */
  it->history[0] = n;
  it->count += n;
  t->units += n;
  return 0;
}

static void show(const struct table *t) {
  printf("updates=%d units=%ld\n", t->updates, t->units);
  for (int b = 0; b < 4; b++)
    for (const struct item *it = t->buckets[b]; it; it = it->next)
      printf("  [%d] %s %d (%d %d %d %d)\n", b, it->name, it->count, it->history[0],
             it->history[1], it->history[2], it->history[3]);
}

int main(void) {
  struct table *t = calloc(1, sizeof *t);
  const char *names[] = {"bolt", "nut", "gear", "axle", "cog", "pin"};
  for (int i = 0; i < 6; i++)
    add(t, names[i], 10 * (i + 1));
  char o1[] = "gear:5", o2[] = "nut", o3[] = "pin:7";
  printf("gear:5 -> %d\n", restock(t, o1));
  show(t);
  printf("nut -> %d\n", restock(t, o2)); /* nut is not at the front of its chain */
  show(t);
  printf("pin:7 -> %d\n", restock(t, o3));
  show(t);
  return 0;
}

// OUT: gear:5 -> 0
// OUT-NEXT: updates=1 units=215
// OUT-NEXT:   [0] axle 40 (0 0 0 0)
// OUT-NEXT:   [1] pin 60 (0 0 0 0)
// OUT-NEXT:   [1] nut 20 (0 0 0 0)
// OUT-NEXT:   [1] bolt 10 (0 0 0 0)
// OUT-NEXT:   [3] gear 35 (5 0 0 0)
// OUT-NEXT:   [3] cog 50 (0 0 0 0)
// OUT-NEXT: nut -> -1
// OUT-NEXT: updates=1 units=215
// OUT-NEXT:   [0] axle 40 (0 0 0 0)
// OUT-NEXT:   [1] pin 60 (0 0 0 0)
// OUT-NEXT:   [1] nut 20 (0 0 0 0)
// OUT-NEXT:   [1] bolt 10 (0 0 0 0)
// OUT-NEXT:   [3] gear 35 (5 0 0 0)
// OUT-NEXT:   [3] cog 50 (0 0 0 0)
// OUT-NEXT: pin:7 -> 0
// OUT-NEXT: updates=2 units=222
// OUT-NEXT:   [0] axle 40 (0 0 0 0)
// OUT-NEXT:   [1] pin 67 (7 0 0 0)
// OUT-NEXT:   [1] nut 20 (0 0 0 0)
// OUT-NEXT:   [1] bolt 10 (0 0 0 0)
// OUT-NEXT:   [3] gear 35 (5 0 0 0)
// OUT-NEXT:   [3] cog 50 (0 0 0 0)

// ERR: heal: recovered from SIGSEGV (segv) in restock: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGSEGV"
// CHECK: transaction: "restock"
