/* The Oracle's guarded slot allocator and per-thread state (slots.c, shadow.c, oracle.c,
 * heap entry points in heapapi.c). Internal to the runtime; see docs/runtime.md, "Oracle".
 *
 * One reservation of address space, split into one region per size class. A class region
 * is an array of slots, each [guard][data], so every data area has a guard in front and
 * the next slot's guard behind it:
 *
 *   class c: [G][data c]  [G][data c]  [G][data c] ... [G]      data c = 4 KiB << c
 *
 * Guards are HEAL_GUARD (64 KiB) wide: an index up to 64 KiB outside a buffer faults in a
 * guard and never reaches another slot. Ownership of an address is arithmetic: one
 * subtraction and compare for the region, a shift for the class, a division for the slot.
 * Slot metadata lives in a parallel array indexed by slot id. */
#ifndef HEAL_RT_SLOTS_H
#define HEAL_RT_SLOTS_H

#include <stdatomic.h>
#include <stdint.h>

#include "heal/heal.h"

#define HEAL_PAGE 4096u
#define HEAL_GUARD ((uintptr_t)64 << 10)
#define HEAL_NCLASSES 15 /* data 4 KiB << 0..14: 4 KiB .. 64 MiB */
#define HEAL_MAX_CLASS_SIZE ((uint64_t)HEAL_PAGE << (HEAL_NCLASSES - 1))
#define HEAL_HUGE_CLASS HEAL_NCLASSES /* larger buffers: their own mapping */
#define HEAL_NHUGE 256                /* huge buffers alive or quarantined at once */
#define HEAL_CACHE_CAP 32             /* free slots per class per thread */
#define HEAL_CANARY 0xa5u             /* fills the slack around a buffer */

enum heal_slot_state {
  HEAL_SLOT_FREE = 0,    /* carved, in a cache or a free list */
  HEAL_SLOT_LIVE = 1,    /* holds a buffer */
  HEAL_SLOT_FREED = 2,   /* heap block freed: in quarantine, data inaccessible */
  HEAL_SLOT_FAULTED = 3, /* an access faulted on it: never reused */
};

enum heal_slot_kind { HEAL_KIND_STACK = 1, HEAL_KIND_HEAP = 2 };

/* Which call made a heap block (reports name it). */
enum heal_allocator {
  HEAL_ALLOC_MALLOC,
  HEAL_ALLOC_CALLOC,
  HEAL_ALLOC_REALLOC,
  HEAL_ALLOC_REALLOCARRAY,
  HEAL_ALLOC_POSIX_MEMALIGN,
  HEAL_ALLOC_ALIGNED_ALLOC,
  HEAL_ALLOC_MEMALIGN,
  HEAL_ALLOC_VALLOC,
  HEAL_ALLOC_PVALLOC,
  HEAL_ALLOC_FREE, /* only as the releasing call */
  HEAL_ALLOC_COUNT
};
const char *heal_allocator_name(unsigned a); /* [AS-safe] */

struct heal_slot {
  uintptr_t data;                      /* first byte of the data area (page aligned) */
  uintptr_t start;                     /* the buffer */
  uint64_t size;                       /* requested size */
  const struct heal_buffer_site *site; /* stack: the declaration */
  const struct heal_function *fn;      /* heap: innermost instrumented function at malloc */
  uint64_t seq;                        /* stack: thread's allocation number (slot marks) */
  uint32_t next;                       /* link: thread's live list, cache-less free lists */
  uint32_t depth;                      /* stack: shadow depth of the owning frame */
  uint16_t canary_front;               /* canary bytes just before start */
  uint16_t canary_back;                /* canary bytes just after start + size */
  _Atomic uint8_t state;               /* enum heal_slot_state */
  uint8_t kind;                        /* enum heal_slot_kind */
  uint8_t cls;                         /* size class, HEAL_HUGE_CLASS for huge */
  uint8_t guarded;                     /* data area inaccessible until reused */
  uint8_t allocator;                   /* heap: enum heal_allocator */
  uint8_t placed;                      /* log2 of the alignment start was placed with (+64
                                          if left-aligned); HEAL_UNPLACED: place anew */
};
#define HEAL_UNPLACED 0xffu

struct heal_cache {
  uint32_t n;
  uint32_t id[HEAL_CACHE_CAP];
};

/* Per-thread state: one mapping per thread (made lazily, freed at thread exit), reached
 * through an initial-exec TLS pointer, so the hot paths are a TLS load and a few stores,
 * and the fault handler can read it (static TLS needs no allocation). */
struct heal_thread {
  uint32_t depth;      /* shadow stack depth; frames[depth - 1] is the innermost */
  uint32_t live;       /* innermost live stack slot (list through heal_slot.next), 0: none */
  uint32_t live_depth; /* owner depth of `live`, 0 when none */
  uint32_t busy;       /* in a slow path: a signal handler must not touch the caches */
  uint64_t seq;        /* next stack allocation number */
  _Atomic uint32_t deferred; /* slots a signal handler released while busy */
  uint32_t pad;
  struct heal_cache cache[HEAL_NCLASSES];
  const struct heal_function *frames[HEAL_SHADOW_CAP];
};

/* Also exported as HEAL_RT_SELF (an alias): instrumented code's inline enter/exit read it. */
extern __thread struct heal_thread *heal_self __attribute__((tls_model("initial-exec")));
struct heal_thread *heal_thread_get(void); /* heal_self, created on first use */

/* ---- configuration (HEAL_ORACLE_*; read at init, again by heal_rt_init) -------------- */
struct heal_oracle_config {
  int align_left;           /* HEAL_ORACLE_ALIGN=left: buffers at the slot start */
  unsigned canary;          /* HEAL_ORACLE_CANARY: slack bytes checked per side */
  uint64_t quarantine;      /* HEAL_ORACLE_QUARANTINE_MB, in bytes */
  uint64_t max_bytes;       /* HEAL_ORACLE_MAX_MB: cap on carved slot data, in bytes */
  uint64_t protect_first;   /* HEAL_ORACLE_PROTECT_FIRST: frees whose block is guarded */
  uint64_t protect_every;   /* HEAL_ORACLE_PROTECT_EVERY: then every K-th (0: none) */
  uint64_t poison_bytes;    /* HEAL_ORACLE_POISON_MB: poisoned quarantine, in bytes */
};
#define HEAL_POISON 0xfdu                      /* fills a freed block kept accessible */
#define HEAL_PROTECT_SIZE ((uint64_t)16 << 10) /* freed blocks this large: always guarded */
extern struct heal_oracle_config heal_oracle_cfg;
void heal_oracle_configure(void); /* reads the environment */

/* ---- slots.c -------------------------------------------------------------------------- */
void heal_slots_init(void); /* idempotent, lazy; no malloc */
extern struct heal_slot *heal_slots;  /* metadata, indexed by slot id (0 = none) */

/* Take a slot that can hold `size` bytes at `align`; place the buffer, fill the canaries.
 * Returns the slot id; *fresh = the buffer reads as zeros. Never fails (fatal report). */
uint32_t heal_slot_take(struct heal_thread *t, uint64_t size, uint64_t align, int kind,
                        int *fresh);
/* Heap only: 0 instead of the fatal report when the request cannot be met (ENOMEM). */
uint32_t heal_slot_take_heap(struct heal_thread *t, uint64_t size, uint64_t align,
                             int *fresh);
/* Give a stack slot back (checks the canaries first; a violation is a fatal report). */
void heal_slot_put(struct heal_thread *t, uint32_t id);
/* Heap free: canaries, then the block is quarantined: its data made inaccessible (the
 * first frees, every K-th, large blocks) or filled with HEAL_POISON (checked when it
 * leaves the quarantine). */
void heal_slot_quarantine(uint32_t id);
/* The live heap slot whose buffer starts at p: id, or 0 (with *state_out the state of
 * the slot p points into, or -1 if p is in no slot). */
uint32_t heal_slot_of_block(uintptr_t p, int *state_out);
/* The slot whose data area contains p (any state), or NULL. */
struct heal_slot *heal_slot_containing(uintptr_t p);
/* Thread exit / fork: return a thread's caches and live slots to the global lists. */
void heal_slots_thread_exit(struct heal_thread *t);

/* [AS-safe] The slot(s) around a faulting address. */
struct heal_slot_hit {
  struct heal_slot *slot; /* the buffer the access belongs to, or NULL */
  uint32_t id;
  int in_guard;           /* hit a guard (vs. the slot's inaccessible data) */
};
int heal_slot_lookup(uintptr_t addr, struct heal_slot_hit *hit); /* 1 if in our memory */
/* [AS-safe] First canary byte that is not intact, as an offset from start; 0 if none. */
int heal_slot_check_canary(const struct heal_slot *s, int64_t *offset);

/* Stack slots of frames deeper than `depth`, innermost first (for exit and unwind). */
void heal_shadow_release_above(struct heal_thread *t, uint32_t depth);
/* slots.c also defines __heal_stack_alloc and __heal_slot_release (the slot hot paths). */

/* ---- globals.c: guarded globals -------------------------------------------------------- */
struct heal_global_hit {
  const struct heal_buffer_site *site;
  uintptr_t buffer;
  uint64_t size;
};
int heal_global_lookup(uintptr_t addr, struct heal_global_hit *hit); /* [AS-safe] */

/* ---- oracle.c: reports that do not come from a signal -------------------------------- */
/* A misuse found by the runtime itself (double free, canary at release): report, die. */
_Noreturn void heal_oracle_misuse(const char *kind, const struct heal_slot *s, uintptr_t addr,
                                  int64_t offset, const char *detected);
_Noreturn void heal_oracle_exhausted(const char *what, uint64_t a, uint64_t b);
/* A poisoned quarantined block found written when it left the quarantine. */
_Noreturn void heal_oracle_poison_broken(const struct heal_slot *s, int64_t offset);

#endif
