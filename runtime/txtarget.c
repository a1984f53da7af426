/* Indirect calls in transactional code (docs/rollback.md, "Indirect calls"): the map from
 * a function's address to its undo-logging `.heal_tx` clone.
 *
 * Each module built with rollback transactions registers its table of {original, clone}
 * pairs from a constructor (and unregisters it from a destructor: dlclose); an indirect
 * call in transactional code calls __heal_tx_target(fp) first and then whatever it
 * returns: the clone registered for fp, or fp.
 *
 * The map is one open-addressing hash table (linear probing, at most half full), mmap'ed:
 * no malloc, so it works before libc is fully up, in -static links and from any thread.
 * Lookups take no lock: an entry's clone is written before its key is published with a
 * release store, and a lookup loads the key with acquire. Writers (register/unregister)
 * hold a mutex. Unregistering turns a key into a tombstone (lookups probe past it; a
 * later registration may reuse the slot); a table that would be more than half full (live
 * keys and tombstones) is copied into a new one of at least twice the live size, published
 * with a release store, and the old one is left mapped: a lookup may still be reading it.
 * Growth leaves at most as much behind as the largest table; a program that keeps loading
 * and unloading heal-built libraries at new addresses leaves one table behind each time
 * tombstones force a rebuild (16 bytes per entry). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>

#include "heal/heal.h"
#include "internal.h"

#define API __attribute__((visibility("default")))

#define TOMB ((uintptr_t)1) /* an unregistered key: not a function address */
#define MIN_BITS 8u         /* 256 entries, 4 KiB */
#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

struct tt_entry {
  _Atomic uintptr_t key; /* 0: empty (ends a probe), TOMB, or an original's address */
  void *clone;           /* written once, before key is published */
};

struct tt_table {
  unsigned shift; /* 64 - log2(capacity): the hash is the product's top bits */
  uint64_t mask;  /* capacity - 1 */
  uint64_t used;  /* keys ever published in this table (tombstones included) */
  uint64_t live;
  struct tt_entry e[];
};

static _Atomic(struct tt_table *) table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static inline uint64_t slot_of(const struct tt_table *t, uintptr_t key) {
  return (uint64_t)key * GOLDEN >> t->shift;
}

/* Past the first slot: a collision (linear probing). */
__attribute__((noinline)) static void *probe(const struct tt_table *t, uintptr_t k, uint64_t i) {
  for (;;) {
    i = (i + 1) & t->mask;
    uintptr_t o = atomic_load_explicit(&t->e[i].key, memory_order_acquire);
    if (o == k)
      return k > TOMB ? t->e[i].clone : (void *)k;
    if (o == 0)
      return (void *)k;
  }
}

/* The transactional path: about 16 instructions when the first slot decides (the table
 * is at most half full: usually). */
API void *__heal_tx_target(void *fp) {
  const struct tt_table *t = atomic_load_explicit(&table, memory_order_acquire);
  if (__builtin_expect(t == NULL, 0))
    return fp;
  uintptr_t k = (uintptr_t)fp;
  uint64_t i = slot_of(t, k);
  uintptr_t o = atomic_load_explicit(&t->e[i].key, memory_order_acquire);
  if (__builtin_expect(o == k, 1))
    return k > TOMB ? t->e[i].clone : fp;
  if (o == 0)
    return fp;
  return probe(t, k, i);
}

static struct tt_table *map_table(unsigned bits) {
  size_t bytes = sizeof(struct tt_table) + (sizeof(struct tt_entry) << bits);
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  struct tt_table *t = p;
  t->shift = 64 - bits;
  t->mask = (UINT64_C(1) << bits) - 1;
  return t;
}

/* With the lock held. A key already live keeps its first clone (the same table registered
 * twice, or two functions the linker folded into one address: their clones are equal).
 * The first tombstone on the key's probe path is reused (a library loaded again after a
 * dlclose lands on its own tombstones), else the empty slot that ends the path. */
static void insert(struct tt_table *t, uintptr_t key, void *clone) {
  uint64_t i = slot_of(t, key), tomb = UINT64_MAX;
  for (;; i = (i + 1) & t->mask) {
    uintptr_t o = atomic_load_explicit(&t->e[i].key, memory_order_relaxed);
    if (o == key)
      return;
    if (o == TOMB && tomb == UINT64_MAX)
      tomb = i;
    if (o == 0)
      break;
  }
  if (tomb != UINT64_MAX)
    i = tomb;
  else
    t->used++;
  /* A lookup of the key that was here before (unregistered: its library is being
   * unloaded while the program still calls into it) may read this clone: that program
   * already races with the unloading. */
  t->e[i].clone = clone;
  atomic_store_explicit(&t->e[i].key, key, memory_order_release);
  t->live++;
}

static void warn_nomem(void) {
  static const char msg[] = "heal: cannot map the table of indirect-call targets; writes made "
                            "through indirect calls in transactions will not be rolled back\n";
  heal_write_all(2, msg, sizeof msg - 1);
}

API void __heal_tx_register_targets(const struct heal_tx_target *tab, uint64_t n) {
  if (!tab || !n)
    return;
  pthread_mutex_lock(&lock);
  struct tt_table *t = atomic_load_explicit(&table, memory_order_relaxed);
  if (!t || (t->used + n) * 2 > t->mask + 1) {
    uint64_t want = ((t ? t->live : 0) + n) * 4; /* room for as many again */
    unsigned bits = MIN_BITS;
    while ((UINT64_C(1) << bits) < want && bits < 40)
      bits++;
    struct tt_table *nt = map_table(bits);
    if (!nt) {
      pthread_mutex_unlock(&lock);
      warn_nomem();
      return;
    }
    if (t)
      for (uint64_t i = 0; i <= t->mask; i++) {
        uintptr_t k = atomic_load_explicit(&t->e[i].key, memory_order_relaxed);
        if (k > TOMB)
          insert(nt, k, t->e[i].clone);
      }
    /* Filled before it is published: lookups see either table, both complete. */
    atomic_store_explicit(&table, nt, memory_order_release);
    t = nt;
  }
  for (uint64_t j = 0; j < n; j++)
    if ((uintptr_t)tab[j].original > TOMB && tab[j].clone)
      insert(t, (uintptr_t)tab[j].original, tab[j].clone);
  pthread_mutex_unlock(&lock);
}

/* A module going away (dlclose): its addresses may be reused by the next library. */
API void __heal_tx_unregister_targets(const struct heal_tx_target *tab, uint64_t n) {
  if (!tab || !n)
    return;
  pthread_mutex_lock(&lock);
  struct tt_table *t = atomic_load_explicit(&table, memory_order_relaxed);
  for (uint64_t j = 0; t && j < n; j++) {
    uintptr_t key = (uintptr_t)tab[j].original;
    if (key <= TOMB)
      continue;
    for (uint64_t i = slot_of(t, key);; i = (i + 1) & t->mask) {
      uintptr_t o = atomic_load_explicit(&t->e[i].key, memory_order_relaxed);
      if (o == 0)
        break;
      if (o == key && t->e[i].clone == tab[j].clone) {
        atomic_store_explicit(&t->e[i].key, TOMB, memory_order_release);
        t->live--;
        break;
      }
    }
  }
  pthread_mutex_unlock(&lock);
}
