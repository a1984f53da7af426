/* The Oracle's guarded globals. The pass lays each global array out as
 * [front guard page][slack][array][back guard page] in one page-aligned object and calls
 * __heal_guard_global from the module constructor; here the guard pages become
 * inaccessible and the object is remembered for reports. Guards are guard markers where
 * the kernel supports them on that mapping (no mapping split), else PROT_NONE. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <sys/mman.h>

#include "heal/heal.h"
#include "internal.h"
#include "slots.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

#define HEAL_MAX_GLOBALS 8192 /* named in reports; more are guarded but unnamed */

struct guarded_global {
  uintptr_t base, size, buffer;
  const struct heal_buffer_site *site;
  atomic_int ready;
};

static struct guarded_global globals[HEAL_MAX_GLOBALS];
static atomic_uint nglobals;

static void guard_page(uintptr_t p) {
  if (madvise((void *)p, HEAL_PAGE, MADV_GUARD_INSTALL) != 0)
    mprotect((void *)p, HEAL_PAGE, PROT_NONE);
}

__attribute__((visibility("default"))) void
__heal_guard_global(void *base, uint64_t size, void *buffer, const struct heal_buffer_site *site) {
  uintptr_t b = (uintptr_t)base;
  if ((b & (HEAL_PAGE - 1)) || (size & (HEAL_PAGE - 1)) || size < 2 * HEAL_PAGE)
    return; /* not laid out by the pass: leave it alone rather than protect its neighbours */
  guard_page(b);
  guard_page(b + size - HEAL_PAGE);
  unsigned i = atomic_fetch_add(&nglobals, 1);
  if (i >= HEAL_MAX_GLOBALS)
    return;
  globals[i].base = b;
  globals[i].size = size;
  globals[i].buffer = (uintptr_t)buffer;
  globals[i].site = site;
  atomic_store_explicit(&globals[i].ready, 1, memory_order_release);
}

int heal_global_lookup(uintptr_t a, struct heal_global_hit *hit) {
  unsigned n = atomic_load(&nglobals);
  if (n > HEAL_MAX_GLOBALS)
    n = HEAL_MAX_GLOBALS;
  for (unsigned i = 0; i < n; i++) {
    const struct guarded_global *g = &globals[i];
    if (!atomic_load_explicit(&g->ready, memory_order_acquire))
      continue;
    if (a >= g->base && a < g->base + g->size) {
      hit->site = g->site;
      hit->buffer = g->buffer;
      /* The array runs up to the back guard page; its declared size if the site has it. */
      uint64_t room = g->base + g->size - HEAL_PAGE - g->buffer;
      hit->size = g->site && g->site->size ? g->site->size : room;
      return 1;
    }
  }
  return 0;
}
