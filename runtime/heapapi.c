/* The heap blocks of the Oracle: every malloc'ed block in a guarded slot (slots.c),
 * right-aligned so an overflow faults at the first byte past it; a freed block's slot is
 * made inaccessible and quarantined, so a use after free faults too. Called by the
 * malloc family in libheal_oracle (heap.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "oracle.h"
#include "slots.h"

#define API __attribute__((visibility("default")))

static const struct heal_function *innermost(const struct heal_thread *t) {
  return t->depth && t->depth <= HEAL_SHADOW_CAP ? t->frames[t->depth - 1] : 0;
}

API void *__heal_oracle_alloc(uint64_t size, uint64_t align, unsigned allocator, int zero) {
  struct heal_thread *t = heal_thread_get();
  /* As glibc: 16 bytes, which any object of at least 16 bytes may need; smaller objects
   * need at most their size rounded down to a power of two. */
  uint64_t natural = 16;
  while (natural > 1 && natural > size)
    natural >>= 1;
  if (align < natural)
    align = natural;
  int fresh;
  uint32_t id = heal_slot_take_heap(t, size, align, &fresh);
  if (!id) {
    errno = ENOMEM;
    return NULL;
  }
  struct heal_slot *s = &heal_slots[id];
  s->fn = innermost(t);
  s->site = NULL;
  s->depth = 0;
  s->allocator = (uint8_t)allocator;
  if (zero && !fresh)
    memset((void *)s->start, 0, size);
  atomic_store_explicit(&s->state, HEAL_SLOT_LIVE, memory_order_release);
  return (void *)s->start;
}

/* The live block p starts, or a report: double free (p was freed), invalid free. */
static struct heal_slot *heal_block_of(void *p) {
  int st;
  uint32_t id = heal_slot_of_block((uintptr_t)p, &st);
  if (!id) {
    /* Name the buffer p points into, if any (a block's middle, a stack buffer). */
    const struct heal_slot *in = heal_slot_containing((uintptr_t)p);
    if (in && in->kind == 0)
      in = NULL;
    heal_oracle_misuse("invalid-free", in, (uintptr_t)p,
                       in ? (int64_t)((uintptr_t)p - in->start) : 0, "release");
  }
  struct heal_slot *s = &heal_slots[id];
  if (st == HEAL_SLOT_FAULTED)
    return NULL; /* an access faulted on it: freeing it changes nothing, it stays out of use */
  if (st != HEAL_SLOT_LIVE)
    heal_oracle_misuse("double-free", s, (uintptr_t)p, 0, "release");
  return s;
}

API void __heal_oracle_free(void *p) {
  if (!p)
    return;
  struct heal_slot *s = heal_block_of(p);
  if (!s)
    return;
  uint8_t live = HEAL_SLOT_LIVE;
  if (!atomic_compare_exchange_strong(&s->state, &live, HEAL_SLOT_FREED))
    heal_oracle_misuse("double-free", s, (uintptr_t)p, 0, "release"); /* a racing free */
  heal_slot_quarantine((uint32_t)(s - heal_slots));
}

/* Always moves the block: a pointer kept to the old block faults on its next use. */
API void *__heal_oracle_realloc(void *p, uint64_t size, unsigned allocator) {
  if (!p)
    return __heal_oracle_alloc(size, 0, allocator, 0);
  struct heal_slot *s = heal_block_of(p);
  /* A block an access faulted on keeps its slot; its contents move if still readable. */
  const struct heal_slot *from = s ? s : heal_slot_containing((uintptr_t)p);
  uint64_t old = from && !from->guarded ? from->size : 0;
  if (size == 0) { /* glibc: frees and returns NULL */
    __heal_oracle_free(p);
    return NULL;
  }
  void *n = __heal_oracle_alloc(size, 0, allocator, 0);
  if (!n)
    return NULL; /* the old block stays valid */
  memcpy(n, p, old < size ? old : size);
  __heal_oracle_free(p);
  return n;
}

API uint64_t __heal_oracle_usable_size(const void *p) {
  if (!p)
    return 0;
  int st;
  uint32_t id = heal_slot_of_block((uintptr_t)p, &st);
  return id && st == HEAL_SLOT_LIVE ? heal_slots[id].size : 0;
}

API int __heal_oracle_owns(const void *p) {
  int st;
  heal_slot_of_block((uintptr_t)p, &st);
  return st >= 0 || heal_slot_containing((uintptr_t)p) != NULL;
}
