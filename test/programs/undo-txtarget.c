// The runtime's map of indirect-call targets (runtime/txtarget.c) alone: lookups before and
// after registration, tables registered from two threads while a third looks up (it must
// only ever see the original or its clone), growth past the first table, unregistration
// (dlclose) and registration again, a key registered twice (the first clone stays).
// RUN: %clang -O1 -g -I%srcroot/include %s -o %t %rtdir/libheal_rt.a -lpthread
// RUN: %t | FileCheck %s --match-full-lines
// The shared runtime exports the same entry points.
// RUN: %clang -O1 -g -I%srcroot/include %s -o %t.so-linked -L%rtdir -Wl,-rpath,%rtdir -lheal_rt -lpthread
// RUN: %t.so-linked | FileCheck %s --match-full-lines
#include "heal/heal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define N 3000 /* per table: several times the first table's 256 entries */

// Fake function addresses: 16-byte aligned like functions, distinct.
static _Alignas(16) char origs[2][N][16], clones[2][N][16];
static struct heal_tx_target tab[2][N];
static atomic_int done, bad;

static void *reg(void *arg) {
  int t = (int)(long)arg;
  // In chunks, so the table grows while the other thread and the reader run.
  for (int i = 0; i < N; i += 100)
    __heal_tx_register_targets(&tab[t][i], 100);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  long rounds = 0;
  while (!atomic_load(&done) || rounds < 3) {
    for (int t = 0; t < 2; t++)
      for (int i = 0; i < N; i++) {
        void *r = __heal_tx_target(origs[t][i]);
        if (r != origs[t][i] && r != clones[t][i])
          atomic_fetch_add(&bad, 1);
      }
    rounds++;
  }
  return NULL;
}

static int count_mapped(int t) {
  int n = 0;
  for (int i = 0; i < N; i++)
    n += __heal_tx_target(origs[t][i]) == clones[t][i];
  return n;
}

static int count_self(int t) {
  int n = 0;
  for (int i = 0; i < N; i++)
    n += __heal_tx_target(origs[t][i]) == origs[t][i];
  return n;
}

int main(void) {
  for (int t = 0; t < 2; t++)
    for (int i = 0; i < N; i++)
      tab[t][i] = (struct heal_tx_target){origs[t][i], clones[t][i]};
  printf("before: self %d, NULL %s\n", count_self(0), __heal_tx_target(NULL) ? "?" : "NULL");
  // CHECK: before: self 3000, NULL NULL

  pthread_t a, b, r;
  pthread_create(&r, NULL, reader, NULL);
  pthread_create(&a, NULL, reg, (void *)0L);
  pthread_create(&b, NULL, reg, (void *)1L);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  atomic_store(&done, 1);
  pthread_join(r, NULL);
  printf("registered: mapped %d %d, bad %d\n", count_mapped(0), count_mapped(1),
         atomic_load(&bad));
  // CHECK-NEXT: registered: mapped 3000 3000, bad 0
  char other[16];
  printf("unknown: %s, NULL %s\n", __heal_tx_target(other) == other ? "self" : "?",
         __heal_tx_target(NULL) ? "?" : "NULL");
  // CHECK-NEXT: unknown: self, NULL NULL

  // dlclose of the module of table 0: its keys map to themselves, table 1 is intact.
  __heal_tx_unregister_targets(tab[0], N);
  printf("unregistered: self %d, mapped %d\n", count_self(0), count_mapped(1));
  // CHECK-NEXT: unregistered: self 3000, mapped 3000
  __heal_tx_register_targets(tab[0], N);
  printf("again: mapped %d %d\n", count_mapped(0), count_mapped(1));
  // CHECK-NEXT: again: mapped 3000 3000

  // The same original with another clone: the first registration stays; unregistering the
  // second (a pair that is not in the map) changes nothing.
  struct heal_tx_target dup = {origs[1][7], clones[0][7]};
  __heal_tx_register_targets(&dup, 1);
  __heal_tx_unregister_targets(&dup, 1);
  printf("duplicate: %s\n", __heal_tx_target(origs[1][7]) == clones[1][7] ? "first" : "?");
  // CHECK-NEXT: duplicate: first

  // Many unregister/register cycles (dlopen/dlclose in a loop): tombstones do not fill the
  // table (it is rebuilt without them), lookups of unknown keys still end.
  for (int k = 0; k < 200; k++) {
    __heal_tx_unregister_targets(tab[0], N);
    __heal_tx_register_targets(tab[0], N);
  }
  printf("cycles: mapped %d %d, unknown %s\n", count_mapped(0), count_mapped(1),
         __heal_tx_target(other) == other ? "self" : "?");
  // CHECK-NEXT: cycles: mapped 3000 3000, unknown self
  return 0;
}
