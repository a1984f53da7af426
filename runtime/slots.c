/* The Oracle's guarded slot allocator (layout in slots.h, policy in docs/runtime.md).
 *
 * Guards: on kernels with MADV_GUARD_INSTALL (Linux >= 6.13) a guard is a range of guard
 * markers inside one read-write mapping, so carving slots does not split the mapping and
 * the number of slots is not limited by vm.max_map_count; quarantining a heap block
 * installs markers over its data (which also returns the pages to the kernel). Older
 * kernels: guards are the PROT_NONE reservation itself and data is mprotect'ed, two
 * mappings per slot, so the slot count is capped below vm.max_map_count.
 *
 * Hot path (a slot from the thread's cache, or back into it): no lock, no system call.
 * Slow paths take a per-class spin lock (refill/flush of half a cache), carve new slots
 * (a lock-free bump per class plus two system calls per slot) or quarantine heap blocks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "slots.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

struct heal_oracle_config heal_oracle_cfg = {0, 64, (uint64_t)256 << 20, 0, 1024, 256,
                                             (uint64_t)8 << 20};
struct heal_slot *heal_slots;
__thread struct heal_thread *heal_self __attribute__((tls_model("initial-exec")));
/* The same variable under its exported name (heal.h HEAL_RT_SELF). */
extern __thread struct heal_thread *__heal_self
    __attribute__((alias("heal_self"), visibility("default"), tls_model("initial-exec")));
/* The slot metadata under its exported name (heal.h HEAL_RT_SLOTS): heal-guard's inline
 * slot paths read it. */
extern struct heal_slot *__heal_slots __attribute__((alias("heal_slots"), visibility("default")));

/* The layout heal-guard's inline slot paths assume (heal.h). */
_Static_assert(offsetof(struct heal_thread, live) == HEAL_THREAD_LIVE, "heal.h layout");
_Static_assert(offsetof(struct heal_thread, busy) == HEAL_THREAD_BUSY, "heal.h layout");
_Static_assert(offsetof(struct heal_thread, seq) == HEAL_THREAD_SEQ, "heal.h layout");
_Static_assert(offsetof(struct heal_thread, cache) == HEAL_THREAD_CACHE0, "heal.h layout");
_Static_assert(HEAL_CACHE_CAP == HEAL_CACHE_CAP_ABI, "heal.h layout");
_Static_assert(sizeof(struct heal_slot) == HEAL_SLOT_BYTES, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, start) == HEAL_SLOT_START, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, size) == HEAL_SLOT_SIZE, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, site) == HEAL_SLOT_SITE, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, fn) == HEAL_SLOT_FN, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, seq) == HEAL_SLOT_SEQ, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, next) == HEAL_SLOT_NEXT, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, depth) == HEAL_SLOT_DEPTH, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, canary_front) == HEAL_SLOT_CANARIES, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, canary_back) == HEAL_SLOT_CANARIES + 2, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, state) == HEAL_SLOT_STATE, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, kind) == HEAL_SLOT_KIND, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, cls) == HEAL_SLOT_CLS, "heal.h layout");
_Static_assert(offsetof(struct heal_slot, placed) == HEAL_SLOT_PLACED, "heal.h layout");
_Static_assert(HEAL_SLOT_LIVE == 1 && HEAL_SLOT_FREE == 0 && HEAL_KIND_STACK == 1, "heal.h");

typedef struct {
  atomic_int v;
} spinlock;

#define INLINE static inline __attribute__((always_inline))
#define COLD static __attribute__((noinline, cold))
#define unlikely(x) __builtin_expect(!!(x), 0)

static void lock(spinlock *l) {
  while (atomic_exchange_explicit(&l->v, 1, memory_order_acquire))
    while (atomic_load_explicit(&l->v, memory_order_relaxed))
      sched_yield();
}
static void unlock(spinlock *l) { atomic_store_explicit(&l->v, 0, memory_order_release); }

struct heal_class {
  uintptr_t base;       /* first slot's front guard */
  uint64_t data;        /* data bytes per slot */
  uint64_t stride;      /* data + HEAL_GUARD */
  uint32_t nslots;      /* capacity of the class region */
  uint32_t first_id;    /* id of slot 0 */
  atomic_uint carved;   /* slots 0..carved-1 have been carved */
  spinlock lock;        /* free list */
  uint32_t free_head;   /* free list through heal_slot.next */
  uint32_t free_count;
};

static struct heal_class classes[HEAL_NCLASSES];
static uintptr_t region_base, region_size;
static unsigned span_shift;
static int guard_markers;         /* MADV_GUARD_INSTALL works */
static uint64_t slot_cap;         /* without markers: carved slots (all classes) allowed */
static atomic_ullong carved_bytes; /* data bytes of all carved slots */
static atomic_ullong carved_total; /* slots carved (all classes) */
static atomic_int ready;          /* 0 no, 1 initializing, 2 ready */

/* Huge buffers (> HEAL_MAX_CLASS_SIZE): [guard][data][guard] mappings of their own. */
static uint32_t huge_first;
static uint64_t huge_len[HEAL_NHUGE]; /* data bytes, 0 = entry unused (nothing mapped) */
/* 1 + the highest huge entry ever used: lookups of addresses outside the slot region (every
 * free of a glibc block with HEAL_ORACLE_HEAP=0) scan only these, none in most programs. */
static _Atomic uint32_t huge_used;
static uint32_t huge_entries(void) {
  return atomic_load_explicit(&huge_used, memory_order_acquire);
}
static uint64_t huge_clock;           /* FIFO order of freed huge blocks */
static spinlock huge_lock;

/* Heap quarantine: two FIFOs of freed slots, bounded in slots and bytes, under one lock.
 * Guarding a block's data discards its page and its next use refaults it: about 7 us each
 * on a KVM guest, a batched process_madvise saves only the system call (0.3 us). So
 * only some blocks are guarded (`guarded`: data inaccessible, holds no memory); the rest
 * stay mapped, filled with HEAL_POISON (`poisoned`: resident, so bounded tighter), and
 * the poison is checked when they leave. */
#define QCAP (1u << 16)
struct qring {
  uint32_t id[QCAP];
  uint32_t head, count;
  uint64_t bytes; /* guarded: slot data; poisoned: resident pages of the block */
};
static struct qring q_guarded, q_poisoned;
static spinlock qlock;
static atomic_ullong frees; /* heap frees so far: which ones are guarded */

const char *heal_allocator_name(unsigned a) {
  static const char *const names[HEAL_ALLOC_COUNT] = {
      "malloc", "calloc", "realloc", "reallocarray", "posix_memalign", "aligned_alloc",
      "memalign", "valloc", "pvalloc", "free"};
  return a < HEAL_ALLOC_COUNT ? names[a] : "malloc";
}

/* ---- configuration ----------------------------------------------------------------- */

static uint64_t env_u64(const char *name, uint64_t dflt, uint64_t max) {
  const char *v = getenv(name);
  if (!v || !*v)
    return dflt;
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  if (*end || n > max)
    return dflt;
  return n;
}

void heal_oracle_configure(void) {
  const char *a = getenv("HEAL_ORACLE_ALIGN");
  heal_oracle_cfg.align_left = a && strcmp(a, "left") == 0;
  heal_oracle_cfg.canary = (unsigned)env_u64("HEAL_ORACLE_CANARY", 64, 4096);
  heal_oracle_cfg.quarantine = env_u64("HEAL_ORACLE_QUARANTINE_MB", 256, 1u << 30) << 20;
  long pages = sysconf(_SC_PHYS_PAGES);
  uint64_t half = pages > 0 ? (uint64_t)pages * (HEAL_PAGE / 2) : (uint64_t)8 << 30;
  heal_oracle_cfg.max_bytes = env_u64("HEAL_ORACLE_MAX_MB", half >> 20, 1ull << 40) << 20;
  heal_oracle_cfg.protect_first = env_u64("HEAL_ORACLE_PROTECT_FIRST", 1024, UINT64_MAX);
  heal_oracle_cfg.protect_every = env_u64("HEAL_ORACLE_PROTECT_EVERY", 256, UINT64_MAX);
  heal_oracle_cfg.poison_bytes = env_u64("HEAL_ORACLE_POISON_MB", 8, 1u << 30) << 20;
}

/* ---- init ---------------------------------------------------------------------------- */

static int probe_guard_markers(void) {
  char *p = mmap(NULL, HEAL_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return 0;
  int ok = madvise(p, HEAL_PAGE, MADV_GUARD_INSTALL) == 0 &&
           madvise(p, HEAL_PAGE, MADV_GUARD_REMOVE) == 0;
  munmap(p, HEAL_PAGE);
  return ok;
}

/* Without guard markers every slot costs two mappings: stay well below the limit. */
static uint64_t map_count_budget(void) {
  char buf[32] = {0};
  long max = 65530;
  int fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n > 0)
      max = strtol(buf, NULL, 10);
    close(fd);
  }
  return max > 8192 ? (uint64_t)(max - 4096) / 2 : 2048;
}

static void atfork_prepare(void);
static void atfork_release(void);
static void atfork_child(void);

static void init_now(void) {
  heal_oracle_configure();
  /* 64 GiB of address space per class if the system lets us, less under a ulimit. */
  void *base = MAP_FAILED;
  for (span_shift = 36; span_shift >= 28; span_shift--) {
    region_size = (uintptr_t)HEAL_NCLASSES << span_shift;
    base = mmap(NULL, region_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED)
      break;
  }
  if (base == MAP_FAILED)
    heal_oracle_exhausted("address space for the slot region", 0, 0);
  region_base = (uintptr_t)base;
  uint32_t id = 1; /* 0 means "no slot" */
  for (int c = 0; c < HEAL_NCLASSES; c++) {
    struct heal_class *k = &classes[c];
    k->base = region_base + ((uintptr_t)c << span_shift);
    k->data = (uint64_t)HEAL_PAGE << c;
    k->stride = k->data + HEAL_GUARD;
    uint64_t n = (((uint64_t)1 << span_shift) - HEAL_GUARD) / k->stride; /* + a last guard */
    k->nslots = n > 0xffffffu ? 0xffffffu : (uint32_t)n;
    k->first_id = id;
    id += k->nslots;
  }
  huge_first = id;
  id += HEAL_NHUGE;
  void *meta = mmap(NULL, (size_t)id * sizeof(struct heal_slot), PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (meta == MAP_FAILED)
    heal_oracle_exhausted("memory for slot metadata", 0, 0);
  heal_slots = meta;
  /* HEAL_ORACLE_NO_GUARD_MARKERS=1 forces the older kernels' path (for testing it). */
  const char *nm = getenv("HEAL_ORACLE_NO_GUARD_MARKERS");
  guard_markers = !(nm && nm[0] == '1') && probe_guard_markers();
  slot_cap = guard_markers ? UINT64_MAX : map_count_budget();
}

void heal_slots_init(void) {
  if (atomic_load_explicit(&ready, memory_order_acquire) == 2)
    return;
  int expected = 0;
  if (!atomic_compare_exchange_strong(&ready, &expected, 1)) {
    while (atomic_load(&ready) != 2)
      sched_yield();
    return;
  }
  init_now();
  atomic_store_explicit(&ready, 2, memory_order_release);
  /* After `ready`: pthread_atfork may call malloc, which may be ours. */
  pthread_atfork(atfork_prepare, atfork_release, atfork_child);
}

/* ---- carving ------------------------------------------------------------------------ */

/* Make slots [i, i + n) of class c usable; lock-free (a signal handler may carve). */
static void carve_range(int c, uint32_t i, uint32_t n) {
  struct heal_class *k = &classes[c];
  uintptr_t first = k->base + (uintptr_t)i * k->stride;
  int err = 0;
  if (guard_markers) {
    err = mprotect((void *)first, (size_t)n * k->stride, PROT_READ | PROT_WRITE);
    for (uint32_t j = 0; j < n && !err; j++)
      err = madvise((void *)(first + (uintptr_t)j * k->stride), HEAL_GUARD, MADV_GUARD_INSTALL);
  } else {
    for (uint32_t j = 0; j < n && !err; j++)
      err = mprotect((void *)(first + (uintptr_t)j * k->stride + HEAL_GUARD), k->data,
                     PROT_READ | PROT_WRITE);
  }
  if (err)
    heal_oracle_exhausted("mappings for guarded slots (mprotect/madvise failed: errno %)", errno, 0);
  for (uint32_t j = 0; j < n; j++) {
    struct heal_slot *s = &heal_slots[k->first_id + i + j];
    s->data = first + (uintptr_t)j * k->stride + HEAL_GUARD;
    s->cls = (uint8_t)c;
    s->guarded = 0;
    s->kind = 0;
    atomic_store_explicit(&s->state, HEAL_SLOT_FREE, memory_order_relaxed);
  }
}

/* Returns the id of the first of n new slots. */
static uint32_t carve(int c, uint32_t n) {
  struct heal_class *k = &classes[c];
  uint64_t bytes = atomic_fetch_add(&carved_bytes, (uint64_t)n * k->data) + (uint64_t)n * k->data;
  if (bytes > heal_oracle_cfg.max_bytes)
    heal_oracle_exhausted("memory for guarded slots: % KiB carved, limit % KiB (HEAL_ORACLE_MAX_MB)",
                          bytes >> 10, heal_oracle_cfg.max_bytes >> 10);
  if (atomic_fetch_add(&carved_total, n) + n > slot_cap)
    heal_oracle_exhausted("guarded slots within vm.max_map_count (kernel without "
                          "MADV_GUARD_INSTALL): limit % slots", slot_cap, 0);
  uint32_t i = atomic_fetch_add(&k->carved, n);
  if ((uint64_t)i + n > k->nslots)
    heal_oracle_exhausted("guarded slots of one size class: % bytes each, limit % slots", k->data, k->nslots);
  carve_range(c, i, n);
  return k->first_id + i;
}

/* ---- guarding data (heap quarantine) ---------------------------------------------------- */

INLINE uint64_t data_size(const struct heal_slot *s) {
  if (__builtin_expect(s->cls < HEAL_NCLASSES, 1))
    return classes[s->cls].data;
  return huge_len[(s - heal_slots) - huge_first];
}

static void guard_data(struct heal_slot *s) {
  uint64_t n = data_size(s);
  if (guard_markers) {
    if (madvise((void *)s->data, n, MADV_GUARD_INSTALL) != 0)
      heal_oracle_exhausted("memory to quarantine a freed block (madvise: errno %)", errno, 0);
  } else {
    mprotect((void *)s->data, n, PROT_NONE);
    madvise((void *)s->data, n, MADV_DONTNEED);
  }
  s->guarded = 1;
}

static void unguard_data(struct heal_slot *s) {
  uint64_t n = data_size(s);
  int err = guard_markers ? madvise((void *)s->data, n, MADV_GUARD_REMOVE)
                          : mprotect((void *)s->data, n, PROT_READ | PROT_WRITE);
  if (err)
    heal_oracle_exhausted("memory to reuse a quarantined slot (errno %)", errno, 0);
  s->guarded = 0;
}

/* ---- global free lists and thread caches ------------------------------------------------ */

static void list_push_locked(struct heal_class *k, uint32_t id) {
  heal_slots[id].next = k->free_head;
  k->free_head = id;
  k->free_count++;
}

static void give_back(uint32_t id) {
  struct heal_slot *s = &heal_slots[id];
  struct heal_class *k = &classes[s->cls];
  lock(&k->lock);
  list_push_locked(k, id);
  unlock(&k->lock);
}

static void drain_deferred(struct heal_thread *t) {
  uint32_t id = atomic_exchange(&t->deferred, 0);
  while (id) {
    uint32_t next = heal_slots[id].next;
    give_back(id);
    id = next;
  }
}

/* A signal handler that interrupted a slow path must leave the caches alone. */
static void defer(struct heal_thread *t, uint32_t id) {
  uint32_t head = atomic_load(&t->deferred);
  do
    heal_slots[id].next = head;
  while (!atomic_compare_exchange_weak(&t->deferred, &head, id));
}

COLD uint32_t refill(struct heal_thread *t, int c) {
  struct heal_cache *cache = &t->cache[c];
  struct heal_class *k = &classes[c];
  t->busy++;
  if (atomic_load_explicit(&t->deferred, memory_order_relaxed))
    drain_deferred(t);
  lock(&k->lock);
  while (cache->n < HEAL_CACHE_CAP / 2 && k->free_head) {
    uint32_t id = k->free_head;
    k->free_head = heal_slots[id].next;
    k->free_count--;
    cache->id[cache->n++] = id;
  }
  unlock(&k->lock);
  if (cache->n == 0) {
    /* Fewer at once for big classes: they are mostly used one at a time. */
    uint32_t n = c < 4 ? HEAL_CACHE_CAP / 4 : 1;
    uint32_t first = carve(c, n);
    for (uint32_t j = n; j-- > 0;)
      cache->id[cache->n++] = first + j;
  }
  uint32_t id = cache->id[--cache->n];
  t->busy--;
  return id;
}

COLD uint32_t carve_one(int c) { return carve(c, 1); }

INLINE uint32_t cache_pop(struct heal_thread *t, int c) {
  if (unlikely(t->busy))
    return carve_one(c); /* a signal handler during a slow path: a slot of its own */
  struct heal_cache *cache = &t->cache[c];
  uint32_t n = cache->n;
  if (unlikely(n == 0))
    return refill(t, c);
  cache->n = n - 1;
  return cache->id[n - 1];
}

/* Half of a full cache (the oldest) goes back to the class. */
COLD void cache_flush(struct heal_thread *t, struct heal_cache *cache, int c) {
  struct heal_class *k = &classes[c];
  t->busy++;
  lock(&k->lock);
  for (uint32_t j = 0; j < HEAL_CACHE_CAP / 2; j++)
    list_push_locked(k, cache->id[j]);
  unlock(&k->lock);
  memmove(cache->id, cache->id + HEAL_CACHE_CAP / 2, (HEAL_CACHE_CAP / 2) * sizeof cache->id[0]);
  cache->n = HEAL_CACHE_CAP / 2;
  t->busy--;
}

COLD void defer_cold(struct heal_thread *t, uint32_t id) { defer(t, id); }

INLINE void cache_push(struct heal_thread *t, uint32_t id, int c) {
  if (unlikely(t->busy)) {
    defer_cold(t, id);
    return;
  }
  struct heal_cache *cache = &t->cache[c];
  uint32_t n = cache->n;
  if (unlikely(n == HEAL_CACHE_CAP)) {
    cache_flush(t, cache, c);
    n = cache->n;
  }
  cache->id[n] = id;
  cache->n = n + 1;
}

void heal_slots_thread_exit(struct heal_thread *t) {
  t->busy++;
  for (int c = 0; c < HEAL_NCLASSES; c++) {
    for (uint32_t j = 0; j < t->cache[c].n; j++)
      give_back(t->cache[c].id[j]);
    t->cache[c].n = 0;
  }
  drain_deferred(t);
  t->busy--;
}

/* ---- huge buffers ------------------------------------------------------------------------- */

static uint32_t huge_take(uint64_t size, uint64_t align, int fatal) {
  uint64_t len = (size + align + HEAL_PAGE - 1) & ~(uint64_t)(HEAL_PAGE - 1);
  if (len < size) /* overflow */
    return fatal ? (heal_oracle_exhausted("address space for a huge buffer of % bytes", size, 0), 0) : 0;
  lock(&huge_lock);
  int pick = -1, oldest = -1;
  for (int i = 0; i < HEAL_NHUGE; i++) {
    struct heal_slot *s = &heal_slots[huge_first + i];
    if (huge_len[i] == 0) {
      pick = i;
      break;
    }
    if (s->state == HEAL_SLOT_FREED && (oldest < 0 || s->seq < heal_slots[huge_first + oldest].seq))
      oldest = i;
  }
  if (pick < 0 && oldest >= 0) { /* the oldest quarantined huge block leaves quarantine */
    struct heal_slot *s = &heal_slots[huge_first + oldest];
    munmap((void *)(s->data - HEAL_GUARD), huge_len[oldest] + 2 * HEAL_GUARD);
    huge_len[oldest] = 0;
    pick = oldest;
  }
  if (pick < 0) {
    unlock(&huge_lock);
    return fatal ? (heal_oracle_exhausted("huge buffer entries (% buffers over 64 MiB live or quarantined)", HEAL_NHUGE, 0), 0) : 0;
  }
  char *m = mmap(NULL, len + 2 * HEAL_GUARD, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED || mprotect(m + HEAL_GUARD, len, PROT_READ | PROT_WRITE) != 0) {
    if (m != MAP_FAILED)
      munmap(m, len + 2 * HEAL_GUARD);
    unlock(&huge_lock);
    return fatal ? (heal_oracle_exhausted("memory for a huge buffer of % bytes", size, 0), 0) : 0;
  }
  struct heal_slot *s = &heal_slots[huge_first + pick];
  s->data = (uintptr_t)m + HEAL_GUARD;
  s->cls = HEAL_HUGE_CLASS;
  s->guarded = 0;
  huge_len[pick] = len;
  atomic_store(&s->state, HEAL_SLOT_FREE);
  if ((uint32_t)pick >= atomic_load_explicit(&huge_used, memory_order_relaxed))
    atomic_store_explicit(&huge_used, (uint32_t)pick + 1, memory_order_release);
  unlock(&huge_lock);
  return huge_first + (uint32_t)pick;
}

static void huge_release(uint32_t id, int heap) {
  struct heal_slot *s = &heal_slots[id];
  uint32_t i = id - huge_first;
  lock(&huge_lock);
  if (heap) { /* quarantined until the entry is needed again */
    mprotect((void *)s->data, huge_len[i], PROT_NONE);
    madvise((void *)s->data, huge_len[i], MADV_DONTNEED);
    s->guarded = 1;
    s->seq = ++huge_clock;
  } else {
    munmap((void *)(s->data - HEAL_GUARD), huge_len[i] + 2 * HEAL_GUARD);
    huge_len[i] = 0;
  }
  unlock(&huge_lock);
}

/* ---- taking and giving slots ---------------------------------------------------------- */

INLINE int class_for(uint64_t size, uint64_t align) {
  uint64_t need = align <= HEAL_PAGE ? size : size + align;
  if (__builtin_expect(need <= HEAL_PAGE, 1))
    return 0;
  if (need < size || need > HEAL_MAX_CLASS_SIZE)
    return HEAL_HUGE_CLASS;
  return 64 - __builtin_clzll(need - 1) - 12; /* log2 of the next power of two, - 12 */
}

#define CANARY_WORD (0x0101010101010101ull * HEAL_CANARY)

/* 16-byte vectors (SSE2 on x86-64, plain words elsewhere), unaligned loads and stores. */
typedef uint64_t heal_v2 __attribute__((vector_size(16), aligned(1), may_alias));
#define CANARY_VEC ((heal_v2){CANARY_WORD, CANARY_WORD})

#define V(p) (*(heal_v2 *)(p))
#define CV(p) (*(const heal_v2 *)(p))

/* True if the n bytes at p are all the canary: 64 bytes per step (the default window in
 * one), then 16, the last step overlapping the one before when n is not a multiple of 16;
 * words or bytes for windows under 16 bytes. No early exit in the common case. */
INLINE int canary_intact(const unsigned char *p, size_t n) {
  if (__builtin_expect(n == 64, 1)) { /* the default window, in full */
    heal_v2 d = (CV(p) ^ CANARY_VEC) | (CV(p + 16) ^ CANARY_VEC) | (CV(p + 32) ^ CANARY_VEC) |
                (CV(p + 48) ^ CANARY_VEC);
    return (d[0] | d[1]) == 0;
  }
  if (n == 0)
    return 1;
  if (n >= 16) {
    heal_v2 diff = {0, 0};
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
      diff |= (CV(p + i) ^ CANARY_VEC) | (CV(p + i + 16) ^ CANARY_VEC) |
              (CV(p + i + 32) ^ CANARY_VEC) | (CV(p + i + 48) ^ CANARY_VEC);
    for (; i + 16 < n; i += 16)
      diff |= CV(p + i) ^ CANARY_VEC;
    if (i < n)
      diff |= CV(p + n - 16) ^ CANARY_VEC;
    return (diff[0] | diff[1]) == 0;
  }
  uint64_t diff = 0, a, b;
  if (n >= 8) {
    memcpy(&a, p, 8);
    memcpy(&b, p + n - 8, 8);
    diff = (a ^ CANARY_WORD) | (b ^ CANARY_WORD);
  } else {
    for (size_t i = 0; i < n; i++)
      diff |= p[i] ^ HEAL_CANARY;
  }
  return diff == 0;
}

/* Inline stores instead of a memset call: windows are short. Same steps as the check. */
INLINE void canary_fill(unsigned char *p, size_t n) {
  if (__builtin_expect(n >= 16, 1)) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
      V(p + i) = CANARY_VEC;
      V(p + i + 16) = CANARY_VEC;
      V(p + i + 32) = CANARY_VEC;
      V(p + i + 48) = CANARY_VEC;
    }
    for (; i + 16 < n; i += 16)
      V(p + i) = CANARY_VEC;
    if (i < n)
      V(p + n - 16) = CANARY_VEC;
    return;
  }
  const uint64_t w = CANARY_WORD;
  if (n >= 8) {
    memcpy(p, &w, 8);
    memcpy(p + n - 8, &w, 8);
  } else {
    for (size_t i = 0; i < n; i++)
      p[i] = HEAL_CANARY;
  }
}

/* Right-aligned (default): the buffer ends at the back guard, or as close as `align`
 * allows; left-aligned (HEAL_ORACLE_ALIGN=left): it starts at the front guard. The
 * canary windows are the slack bytes next to the buffer, up to HEAL_ORACLE_CANARY each. */
INLINE void place(struct heal_slot *s, uint64_t size, uint64_t align) {
  uintptr_t lo = s->data, hi = s->data + data_size(s);
  uint64_t pos = size ? size : 1; /* a 0-byte buffer still gets a distinct address */
  uintptr_t start = unlikely(heal_oracle_cfg.align_left)
                        ? (lo + align - 1) & ~(uintptr_t)(align - 1)
                        : (hi - pos) & ~(uintptr_t)(align - 1);
  uintptr_t end = start + size;
  uint64_t w = heal_oracle_cfg.canary;
  uint64_t front = start - lo < w ? start - lo : w;
  uint64_t back = hi - end < w ? hi - end : w;
  canary_fill((unsigned char *)(start - front), front);
  canary_fill((unsigned char *)end, back);
  s->start = start;
  s->size = size;
  s->canary_front = (uint16_t)front;
  s->canary_back = (uint16_t)back;
}

COLD uint32_t take_huge(uint64_t size, uint64_t align, int fatal) {
  return huge_take(size, align, fatal);
}

INLINE uint32_t take(struct heal_thread *t, uint64_t size, uint64_t align, int kind,
                     int *fresh, int fatal) {
  if (unlikely(atomic_load_explicit(&ready, memory_order_acquire) != 2))
    heal_slots_init();
  if (unlikely(align == 0 || (align & (align - 1))))
    align = 1;
  int c = class_for(size, align);
  uint32_t id = unlikely(c == HEAL_HUGE_CLASS) ? take_huge(size, align, fatal) : cache_pop(t, c);
  if (unlikely(!id))
    return 0;
  struct heal_slot *s = &heal_slots[id];
  *fresh = c == HEAL_HUGE_CLASS || s->kind == 0; /* never used since carved */
  /* log2 of the alignment, and the side (configuration may change once, at heal_rt_init) */
  unsigned lg = (unsigned)__builtin_ctzll(align) | (heal_oracle_cfg.align_left ? 64u : 0u);
  if (unlikely(s->guarded)) {
    unguard_data(s);
    *fresh = 1;
    place(s, size, align);
  } else if (s->kind != kind || s->size != size || s->placed != lg || c == HEAL_HUGE_CLASS) {
    place(s, size, align);
  }
  /* else: the same placement as the slot's last buffer, whose canaries were found intact
   * when it was released (a heap block's also when it left the quarantine): they still
   * are, so start and the windows stand. */
  s->kind = (uint8_t)kind;
  s->placed = (uint8_t)lg;
  return id;
}

uint32_t heal_slot_take(struct heal_thread *t, uint64_t size, uint64_t align, int kind,
                        int *fresh) {
  return take(t, size, align, kind, fresh, 1);
}

uint32_t heal_slot_take_heap(struct heal_thread *t, uint64_t size, uint64_t align, int *fresh) {
  return take(t, size, align, HEAL_KIND_HEAP, fresh, 0);
}

int heal_slot_check_canary(const struct heal_slot *s, int64_t *offset) {
  const unsigned char *end = (const unsigned char *)(s->start + s->size);
  const unsigned char *start = (const unsigned char *)s->start;
  if (canary_intact(end, s->canary_back) && canary_intact(start - s->canary_front, s->canary_front))
    return 0;
  for (unsigned i = 0; i < s->canary_back; i++)
    if (end[i] != HEAL_CANARY) {
      *offset = (int64_t)(s->size + i);
      return 1;
    }
  for (unsigned i = 1; i <= s->canary_front; i++) /* nearest the buffer first */
    if (start[-(int64_t)i] != HEAL_CANARY) {
      *offset = -(int64_t)i;
      return 1;
    }
  return 0;
}

/* Slow path of the canary check: find and report the first corrupted byte. */
COLD void heal_check_canary(struct heal_slot *s) {
  int64_t off;
  if (heal_slot_check_canary(s, &off)) {
    atomic_store(&s->state, HEAL_SLOT_FAULTED);
    const char *kind = s->kind == HEAL_KIND_HEAP
                           ? (off < 0 ? "heap-buffer-underflow" : "heap-buffer-overflow")
                           : (off < 0 ? "stack-buffer-underflow" : "stack-buffer-overflow");
    heal_oracle_misuse(kind, s, s->start + (uintptr_t)off, off, "release");
  }
}

COLD void huge_release_stack(uint32_t id) { huge_release(id, 0); }

INLINE int canaries_intact(const struct heal_slot *s) {
  const unsigned char *start = (const unsigned char *)s->start;
  return canary_intact(start + s->size, s->canary_back) &&
         canary_intact(start - s->canary_front, s->canary_front);
}

INLINE void put(struct heal_thread *t, uint32_t id) {
  struct heal_slot *s = &heal_slots[id];
  if (unlikely(atomic_load_explicit(&s->state, memory_order_relaxed) == HEAL_SLOT_FAULTED))
    return; /* an access faulted on it: never reused (its frame may outlive the fault) */
  if (unlikely(!canaries_intact(s)))
    heal_check_canary(s);
  atomic_store_explicit(&s->state, HEAL_SLOT_FREE, memory_order_relaxed);
  int c = s->cls;
  if (unlikely(c == HEAL_HUGE_CLASS))
    huge_release_stack(id);
  else
    cache_push(t, id, c);
}

/* For thread exit and transaction abort, which release slots unchecked (canary windows
 * zeroed): the next buffer places itself anew. */
void heal_slot_put(struct heal_thread *t, uint32_t id) {
  heal_slots[id].placed = HEAL_UNPLACED;
  put(t, id);
}

/* The stack-slot entry points live here, not in shadow.c, so that taking and giving back
 * a slot is inlined into them: one call per buffer from the instrumented code. */
#define API __attribute__((visibility("default")))

/* Links a taken slot on the thread's live list as the innermost frame's buffer. */
INLINE void *stack_link(struct heal_thread *t, uint32_t id, const struct heal_buffer_site *site) {
  struct heal_slot *s = &heal_slots[id];
  uint32_t d = t->depth;
  s->site = site;
  s->fn = d && d <= HEAL_SHADOW_CAP ? t->frames[d - 1] : NULL;
  s->depth = d;
  s->seq = t->seq++;
  s->next = t->live;
  atomic_store_explicit(&s->state, HEAL_SLOT_LIVE, memory_order_relaxed);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->live = id;
  t->live_depth = d;
  return (void *)s->start;
}

/* Not cold: a VLA whose size changes, or frames alternating buffer sizes, come here. */
static __attribute__((noinline)) void *stack_alloc_slow(uint64_t size, uint64_t align,
                                                        const struct heal_buffer_site *site) {
  struct heal_thread *t = heal_self;
  if (unlikely(!t))
    t = heal_thread_get();
  if (unlikely(t->live_depth > t->depth)) /* stale slots of frames a longjmp skipped */
    heal_shadow_release_above(t, t->depth);
  int fresh;
  uint32_t id = take(t, size, align, HEAL_KIND_STACK, &fresh, 1);
  return stack_link(t, id, site);
}

/* The slot on top of the thread's 4 KiB cache held another placement: place anew. */
static __attribute__((noinline)) void *stack_place_top(struct heal_thread *t, uint32_t id,
                                                       uint64_t size, uint64_t align,
                                                       const struct heal_buffer_site *site,
                                                       unsigned placed) {
  struct heal_slot *s = &heal_slots[id];
  if (unlikely(s->guarded)) /* a heap block's slot back from the guarded quarantine */
    unguard_data(s);
  place(s, size, align);
  s->kind = HEAL_KIND_STACK;
  s->placed = (uint8_t)placed;
  return stack_link(t, id, site);
}

/* Fast path: a buffer of at most a page whose last slot in the thread's cache held a
 * buffer of the same size and alignment (a frame called again): no placement, no canary
 * fill, few registers. Anything else takes the slow path. */
API void *__heal_stack_alloc(uint64_t size, uint64_t align, const struct heal_buffer_site *site) {
  struct heal_thread *t = heal_self;
  if (t && t->live_depth <= t->depth && !t->busy && size <= HEAL_PAGE && align - 1 < HEAL_PAGE &&
      !(align & (align - 1))) {
    struct heal_cache *cache = &t->cache[0];
    uint32_t n = cache->n;
    if (n != 0) {
      uint32_t id = cache->id[n - 1];
      const struct heal_slot *s = &heal_slots[id];
      unsigned lg = (unsigned)__builtin_ctzll(align) | (heal_oracle_cfg.align_left ? 64u : 0u);
      cache->n = n - 1;
      if (s->kind == HEAL_KIND_STACK && s->size == size && s->placed == lg)
        return stack_link(t, id, site);
      return stack_place_top(t, id, size, align, site, lg);
    }
  }
  return stack_alloc_slow(size, align, site);
}

/* Release the slots owned by frames deeper than `depth`, innermost first. */
void heal_shadow_release_above(struct heal_thread *t, uint32_t depth) {
  while (t->live && t->live_depth > depth) {
    uint32_t id = t->live;
    uint32_t next = heal_slots[id].next;
    t->live = next; /* unlinked before it is released: a handler never sees it twice */
    t->live_depth = next ? heal_slots[next].depth : 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    put(t, id);
  }
}

/* Release the stack slots allocated since `mark` (heal_thread.seq), innermost first. */
API void __heal_slot_release(uint64_t mark) {
  struct heal_thread *t = heal_self;
  if (!t)
    return;
  while (t->live && heal_slots[t->live].seq >= mark) {
    uint32_t id = t->live;
    uint32_t next = heal_slots[id].next;
    t->live = next;
    t->live_depth = next ? heal_slots[next].depth : 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    put(t, id);
  }
}

#define POISON_WORD (0x0101010101010101ull * HEAL_POISON)

/* The first byte of the n at p that is not the poison, or n. */
static size_t poison_first_bad(const unsigned char *p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (w != POISON_WORD)
      break;
  }
  for (; i < n; i++)
    if (p[i] != HEAL_POISON)
      break;
  return i;
}

/* A poisoned block leaves the quarantine: a byte that changed since free() is a write
 * after free (reported now, with the stack of this free); else the slot is reused. */
static void poisoned_leave(uint32_t id) {
  struct heal_slot *s = &heal_slots[id];
  if (atomic_load(&s->state) != HEAL_SLOT_FREED)
    return; /* an access faulted on it: never reused */
  size_t bad = poison_first_bad((const unsigned char *)s->start, s->size);
  int64_t off = (int64_t)bad;
  if (bad < s->size || (!canaries_intact(s) && heal_slot_check_canary(s, &off))) {
    atomic_store(&s->state, HEAL_SLOT_FAULTED);
    heal_oracle_poison_broken(s, off);
  }
  atomic_store(&s->state, HEAL_SLOT_FREE);
  struct heal_thread *t = heal_self;
  if (t && !t->busy)
    cache_push(t, id, s->cls);
  else
    give_back(id);
}

/* A guarded block leaves the quarantine: it stays guarded (and its metadata kept, for a
 * late use-after-free report) until a new buffer takes the slot. */
static void guarded_leave(uint32_t id) {
  if (atomic_load(&heal_slots[id].state) == HEAL_SLOT_FREED) {
    atomic_store(&heal_slots[id].state, HEAL_SLOT_FREE);
    give_back(id);
  }
}

/* Pages a block and its canaries occupy (what a poisoned block keeps resident). */
static uint64_t resident_bytes(const struct heal_slot *s) {
  uintptr_t lo = (s->start - s->canary_front) & ~(uintptr_t)(HEAL_PAGE - 1);
  uintptr_t hi = (s->start + s->size + s->canary_back + HEAL_PAGE - 1) & ~(uintptr_t)(HEAL_PAGE - 1);
  return hi > lo ? hi - lo : HEAL_PAGE;
}

void heal_slot_quarantine(uint32_t id) {
  struct heal_slot *s = &heal_slots[id];
  if (unlikely(!canaries_intact(s)))
    heal_check_canary(s);
  if (s->cls == HEAL_HUGE_CLASS) {
    huge_release(id, 1);
    return;
  }
  const struct heal_oracle_config *cfg = &heal_oracle_cfg;
  uint64_t n = atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
  int guard = s->size >= HEAL_PROTECT_SIZE || cfg->poison_bytes == 0 || n < cfg->protect_first ||
              (cfg->protect_every && (n - cfg->protect_first) % cfg->protect_every == 0);
  struct qring *q;
  uint64_t bytes, limit;
  if (guard) {
    guard_data(s);
    q = &q_guarded;
    bytes = data_size(s);
    limit = cfg->quarantine;
  } else {
    memset((void *)s->start, HEAL_POISON, s->size);
    q = &q_poisoned;
    bytes = resident_bytes(s);
    limit = cfg->poison_bytes < cfg->quarantine ? cfg->poison_bytes : cfg->quarantine;
  }
  /* Evicted outside the lock: checking poison takes time, and a report never returns. */
  uint32_t out[32];
  unsigned nout = 0;
  lock(&qlock);
  while (q->count > 0 && nout < 32 && (q->count == QCAP || q->bytes + bytes > limit)) {
    uint32_t old = q->id[q->head];
    q->head = (q->head + 1) % QCAP;
    q->count--;
    q->bytes -= guard ? data_size(&heal_slots[old]) : resident_bytes(&heal_slots[old]);
    out[nout++] = old;
  }
  if (q->count == QCAP) { /* cannot happen: at least one left above */
    unlock(&qlock);
    heal_oracle_exhausted("quarantine entries (%)", QCAP, 0);
  }
  q->id[(q->head + q->count) % QCAP] = id;
  q->count++;
  q->bytes += bytes;
  unlock(&qlock);
  for (unsigned i = 0; i < nout; i++) {
    if (guard)
      guarded_leave(out[i]);
    else
      poisoned_leave(out[i]);
  }
}

/* ---- lookups ---------------------------------------------------------------------------- */

static struct heal_slot *carved_slot(int c, uint64_t i) {
  const struct heal_class *k = &classes[c];
  if (i >= atomic_load_explicit(&k->carved, memory_order_relaxed) || i >= k->nslots)
    return 0;
  return &heal_slots[k->first_id + i];
}

uint32_t heal_slot_of_block(uintptr_t p, int *state_out) {
  *state_out = -1;
  if (atomic_load_explicit(&ready, memory_order_acquire) != 2)
    return 0;
  uintptr_t off = p - region_base;
  struct heal_slot *s = 0;
  if (off < region_size) {
    int c = (int)(off >> span_shift);
    uintptr_t o = off & (((uintptr_t)1 << span_shift) - 1);
    uint64_t i = o / classes[c].stride;
    if (o % classes[c].stride < HEAL_GUARD) {
      /* A 0-byte block may sit at the very end of its slot (start == guard). */
      if (i == 0)
        return 0;
      i--;
    }
    s = carved_slot(c, i);
  } else {
    for (uint32_t j = 0, n = huge_entries(); j < n; j++)
      if (huge_len[j] && p >= heal_slots[huge_first + j].data &&
          p <= heal_slots[huge_first + j].data + huge_len[j])
        s = &heal_slots[huge_first + j];
  }
  if (!s)
    return 0;
  *state_out = atomic_load(&s->state);
  if (s->start != p || s->kind != HEAL_KIND_HEAP)
    return 0;
  return (uint32_t)(s - heal_slots);
}

struct heal_slot *heal_slot_containing(uintptr_t p) {
  if (atomic_load_explicit(&ready, memory_order_acquire) != 2)
    return 0;
  uintptr_t off = p - region_base;
  if (off < region_size) {
    int c = (int)(off >> span_shift);
    uintptr_t o = off & (((uintptr_t)1 << span_shift) - 1);
    if (o % classes[c].stride < HEAL_GUARD)
      return 0;
    return carved_slot(c, o / classes[c].stride);
  }
  for (uint32_t j = 0, n = huge_entries(); j < n; j++)
    if (huge_len[j] && p >= heal_slots[huge_first + j].data &&
        p < heal_slots[huge_first + j].data + huge_len[j])
      return &heal_slots[huge_first + j];
  return 0;
}

/* A buffer an access near it may belong to: one that is or was in use. */
static int had_buffer(const struct heal_slot *s) {
  if (!s || s->kind == 0)
    return 0;
  int st = atomic_load_explicit(&s->state, memory_order_relaxed);
  return st != HEAL_SLOT_FREE || (s->guarded && s->kind == HEAL_KIND_HEAP);
}

/* In a guard between `below` (overflow of its buffer) and `above` (underflow): the
 * buffer whose edge is nearer wins. */
static void pick(uintptr_t a, struct heal_slot *below, struct heal_slot *above,
                 struct heal_slot_hit *hit) {
  int ob = had_buffer(below), oa = had_buffer(above);
  hit->in_guard = 1;
  hit->slot = 0;
  if (ob && oa)
    hit->slot = a - (below->start + below->size) <= above->start - a ? below : above;
  else if (ob)
    hit->slot = below;
  else if (oa)
    hit->slot = above;
  hit->id = hit->slot ? (uint32_t)(hit->slot - heal_slots) : 0;
}

int heal_slot_lookup(uintptr_t a, struct heal_slot_hit *hit) {
  hit->slot = 0;
  hit->id = 0;
  hit->in_guard = 0;
  if (atomic_load_explicit(&ready, memory_order_acquire) != 2)
    return 0;
  uintptr_t off = a - region_base;
  if (off < region_size) {
    int c = (int)(off >> span_shift);
    const struct heal_class *k = &classes[c];
    uintptr_t o = off & (((uintptr_t)1 << span_shift) - 1);
    uint64_t i = o / k->stride;
    uint64_t w = o % k->stride;
    if (i >= k->nslots) { /* the class's last guard and unused tail */
      i = k->nslots;
      w = 0;
    }
    if (w < HEAL_GUARD) {
      pick(a, i > 0 ? carved_slot(c, i - 1) : 0, carved_slot(c, i), hit);
    } else {
      struct heal_slot *s = carved_slot(c, i);
      if (had_buffer(s)) {
        hit->slot = s;
        hit->id = (uint32_t)(s - heal_slots);
      }
    }
    return 1;
  }
  for (uint32_t j = 0, n = huge_entries(); j < n; j++) {
    struct heal_slot *s = &heal_slots[huge_first + j];
    if (huge_len[j] && a >= s->data - HEAL_GUARD && a < s->data + huge_len[j] + HEAL_GUARD) {
      hit->in_guard = a < s->data || a >= s->data + huge_len[j];
      if (had_buffer(s)) {
        hit->slot = s;
        hit->id = huge_first + j;
      }
      return 1;
    }
  }
  return 0;
}

/* ---- fork --------------------------------------------------------------------------------- */

static void atfork_prepare(void) {
  lock(&qlock);
  lock(&huge_lock);
  for (int c = 0; c < HEAL_NCLASSES; c++)
    lock(&classes[c].lock);
}

static void atfork_release(void) {
  for (int c = HEAL_NCLASSES; c-- > 0;)
    unlock(&classes[c].lock);
  unlock(&huge_lock);
  unlock(&qlock);
}

/* The child has only the forking thread: the others' caches and live stack slots are
 * lost to it (a bounded leak), everything else is consistent. */
static void atfork_child(void) { atfork_release(); }
