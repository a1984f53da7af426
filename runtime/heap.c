/* libheal_oracle: the malloc family for Oracle builds, served from libheal_rt's guarded
 * slots (heapapi.c). As a DT_NEEDED of the executable it precedes libc in symbol lookup,
 * so the program, libc's own callers (strdup, getline, fopen, ...) and other libraries all
 * use it. These are the functions glibc documents as the ones to replace.
 * The -static archive is linked whole (--whole-archive) so libc.a's malloc is never
 * pulled in; see docs/runtime.md. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "slots.h"

#define API __attribute__((visibility("default")))

/* HEAL_ORACLE_HEAP=0: blocks come from glibc's allocator (its exported __libc_* entry
 * points) instead of slots, to replay an allocation-heavy program with stack and global
 * guarding only. Frees and reallocs of slot blocks made before the switch still go to the
 * slots; with the switch off, pointers that are not ours go to glibc. Weak: a -static link
 * must not pull libc.a's malloc.o in, so there the switch is unavailable. */
extern void *__libc_malloc(size_t) __attribute__((weak));
extern void __libc_free(void *) __attribute__((weak));
extern void *__libc_calloc(size_t, size_t) __attribute__((weak));
extern void *__libc_realloc(void *, size_t) __attribute__((weak));
extern void *__libc_memalign(size_t, size_t) __attribute__((weak));
extern char **environ;

static int glibc_heap(void) {
  static int state = -1; /* decided once the environment is there */
  if (__builtin_expect(state >= 0, 1))
    return state;
  if (!environ)
    return 0;
  const char *v = getenv("HEAL_ORACLE_HEAP");
  state = v && v[0] == '0' && !v[1] && __libc_malloc && __libc_free && __libc_calloc &&
          __libc_realloc && __libc_memalign;
  return state;
}

static int ours(const void *p) { return __heal_oracle_owns(p); }

static int mul_overflows(size_t a, size_t b, size_t *out) {
  return __builtin_mul_overflow(a, b, out);
}

API void *malloc(size_t n) {
  if (glibc_heap())
    return __libc_malloc(n);
  return __heal_oracle_alloc(n, 0, HEAL_ALLOC_MALLOC, 0);
}

API void free(void *p) {
  if (glibc_heap() && p && !ours(p)) {
    __libc_free(p);
    return;
  }
  __heal_oracle_free(p);
}

API void *calloc(size_t n, size_t m) {
  size_t total;
  if (mul_overflows(n, m, &total)) {
    errno = ENOMEM;
    return NULL;
  }
  if (glibc_heap())
    return __libc_calloc(n, m);
  return __heal_oracle_alloc(total, 0, HEAL_ALLOC_CALLOC, 1);
}

/* With the switch off, a slot block moves to glibc on its next realloc. */
static void *glibc_realloc(void *p, size_t n) {
  if (!p || !ours(p))
    return __libc_realloc(p, n);
  if (n == 0) {
    __heal_oracle_free(p);
    return NULL;
  }
  size_t old = (size_t)__heal_oracle_usable_size(p);
  void *q = __libc_malloc(n);
  if (q) {
    memcpy(q, p, old < n ? old : n);
    __heal_oracle_free(p);
  }
  return q;
}

API void *realloc(void *p, size_t n) {
  if (glibc_heap())
    return glibc_realloc(p, n);
  return __heal_oracle_realloc(p, n, HEAL_ALLOC_REALLOC);
}

API void *reallocarray(void *p, size_t n, size_t m) {
  size_t total;
  if (mul_overflows(n, m, &total)) {
    errno = ENOMEM;
    return NULL;
  }
  if (glibc_heap())
    return glibc_realloc(p, total);
  return __heal_oracle_realloc(p, total, HEAL_ALLOC_REALLOCARRAY);
}

static int power_of_two(size_t a) { return a && !(a & (a - 1)); }

API int posix_memalign(void **out, size_t align, size_t n) {
  if (!power_of_two(align) || align % sizeof(void *))
    return EINVAL;
  void *p = glibc_heap() ? __libc_memalign(align, n)
                         : __heal_oracle_alloc(n, align, HEAL_ALLOC_POSIX_MEMALIGN, 0);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}

API void *aligned_alloc(size_t align, size_t n) {
  if (!power_of_two(align)) {
    errno = EINVAL;
    return NULL;
  }
  if (glibc_heap())
    return __libc_memalign(align, n);
  return __heal_oracle_alloc(n, align, HEAL_ALLOC_ALIGNED_ALLOC, 0);
}

API void *memalign(size_t align, size_t n) {
  size_t a = 1;
  while (a < align && a) /* glibc rounds other alignments up to a power of two */
    a <<= 1;
  if (!a) {
    errno = EINVAL;
    return NULL;
  }
  if (glibc_heap())
    return __libc_memalign(a, n);
  return __heal_oracle_alloc(n, a, HEAL_ALLOC_MEMALIGN, 0);
}

API void *valloc(size_t n) {
  if (glibc_heap())
    return __libc_memalign(HEAL_PAGE, n);
  return __heal_oracle_alloc(n, HEAL_PAGE, HEAL_ALLOC_VALLOC, 0);
}

API void *pvalloc(size_t n) {
  size_t r = (n + HEAL_PAGE - 1) & ~(size_t)(HEAL_PAGE - 1);
  if (r < n) {
    errno = ENOMEM;
    return NULL;
  }
  /* The whole rounded size is the caller's to use. */
  if (glibc_heap())
    return __libc_memalign(HEAL_PAGE, r ? r : HEAL_PAGE);
  return __heal_oracle_alloc(r ? r : HEAL_PAGE, HEAL_PAGE, HEAL_ALLOC_PVALLOC, 0);
}

API size_t malloc_usable_size(void *p) {
  if (glibc_heap() && p && !ours(p)) {
    static size_t (*libc_usable)(void *);
    if (!libc_usable)
      libc_usable = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
    return libc_usable ? libc_usable(p) : 0;
  }
  return (size_t)__heal_oracle_usable_size(p);
}

/* The rest of glibc's malloc.o API, so that a -static program using them does not pull
 * libc.a's malloc.o in (which would define malloc twice). The Oracle has no arenas to
 * trim, tune or describe. */
API int malloc_trim(size_t pad) {
  (void)pad;
  return 0;
}

API int mallopt(int param, int value) {
  (void)param;
  (void)value;
  return 1;
}

API struct mallinfo mallinfo(void) {
  struct mallinfo m = {0};
  return m;
}

API struct mallinfo2 mallinfo2(void) {
  struct mallinfo2 m = {0};
  return m;
}

API void malloc_stats(void) {}

API int malloc_info(int options, FILE *fp) {
  (void)options;
  return fputs("<malloc version=\"heal-oracle\"></malloc>\n", fp) < 0 ? -1 : 0;
}
