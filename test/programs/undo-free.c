// A free inside an aborted transaction does not happen. evict() unlinks the oldest cache
// entry, frees its key and value and the entry itself, then crashes while updating the
// statistics (a NULL histogram). After the recovery the entry is back in the list, its
// key and value intact (a freed block would have been reused or overwritten by malloc's
// own bookkeeping), and a later successful eviction frees it for real.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"evict"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char *key;
  char *value;
  struct entry *next;
};

static struct entry *head; /* newest first */
static int size;
static int *histogram;     /* allocated on the first successful eviction... supposedly */
static int evictions;

static void put(const char *key, const char *value) {
  struct entry *e = malloc(sizeof *e);
  e->key = strdup(key);
  e->value = strdup(value);
  e->next = head;
  head = e;
  size++;
}

int evict(void) {
  struct entry **pp = &head;
  if (!*pp)
    return -1;
  while ((*pp)->next)
    pp = &(*pp)->next;
  struct entry *old = *pp;
  *pp = NULL;
  size--;
  free(old->key);
  free(old->value);
  free(old);
  evictions++;
  histogram[size]++; /* the bug: histogram is only allocated by reset_stats() */
  return 0;
}

static void show(void) {
  printf("size=%d evictions=%d:", size, evictions);
  for (struct entry *e = head; e; e = e->next)
    printf(" %s=%s", e->key, e->value);
  printf("\n");
}

int main(void) {
  put("alpha", "first value, long enough to be a real block");
  put("beta", "second");
  put("gamma", "third");
  show();
  printf("evict: %d\n", evict());
  show();
  /* Allocations now would reuse the blocks if they had been freed. */
  for (int i = 0; i < 10; i++)
    put("noise", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  for (int i = 0; i < 10; i++) {
    struct entry *e = head;
    head = e->next;
    size--;
    free(e->key);
    free(e->value);
    free(e);
  }
  show();
  histogram = calloc(16, sizeof *histogram);
  size_t before = mallinfo2().uordblks;
  printf("evict: %d\n", evict());
  show();
  printf("freed: %s\n", mallinfo2().uordblks < before ? "yes" : "no");
  return 0;
}

// OUT: size=3 evictions=0: gamma=third beta=second alpha=first value, long enough to be a real block
// OUT-NEXT: evict: -1
// OUT-NEXT: size=3 evictions=0: gamma=third beta=second alpha=first value, long enough to be a real block
// OUT-NEXT: size=3 evictions=0: gamma=third beta=second alpha=first value, long enough to be a real block
// OUT-NEXT: evict: 0
// OUT-NEXT: size=2 evictions=1: gamma=third beta=second
// OUT-NEXT: freed: yes

// ERR: heal: recovered from SIGSEGV (segv) in evict: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: transaction: "evict"
