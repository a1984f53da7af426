/* Undo log: memory rollback of execution transactions (docs/rollback.md).
 *
 * Transactional code (a policy transaction with rollback on, and the `.heal_tx` clones of
 * what it calls) calls __heal_undo_log(addr, size) before it writes memory outside its own
 * frame. Each thread appends the old bytes to its own log; an abort (heal_undo_rollback,
 * called by txn.c inside the fault handler) writes them back newest first down to the
 * transaction's watermark, so memory is as it was when the transaction began.
 *
 * Layout. One private mapping per thread, reserved on first use with MAP_NORESERVE
 * (HEAL_UNDO_MAX_MB, default 256 MiB of address space; only touched pages cost memory):
 *
 *   base                          cur         limit   pend        end
 *   | entry | entry | ... | entry |  free ... |  rsv  | pending frees |
 *
 * An entry is [old bytes, rounded up to 8][addr][size | kind << 62]: the trailer comes last
 * so rollback walks from cur downwards. Kinds: MEM (old bytes of a write), ALLOC (a block
 * the transaction allocated: freed if it aborts), FREE (a block the transaction freed: the
 * free is deferred to the outermost commit and dropped if it aborts).
 *
 * Rollback runs in a signal handler, where free() is not safe (the fault may have come from
 * inside malloc, with an arena lock held). So rollback does not free: it moves the ALLOC
 * blocks to the "pending frees" stack at the top of the mapping, and the next call into
 * this file from normal code (a transaction begin or commit, __heal_tx_malloc & co.) frees
 * them. Each ALLOC record reserves its 8 bytes of pending space when it is written
 * (limit = pend - 8 * nalloc), so the move can never fail.
 *
 * A write that does not fit marks the log overflowed: the writes after it are not logged,
 * so a rollback to a mark at or below that point returns -1 and txn.c terminates instead
 * of resuming with half-restored memory. The outermost commit truncates the log (and
 * clears the mark). */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h> /* malloc_usable_size */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "heal/heal.h"
#include "internal.h"
#include "txn.h"

#define HEAL_ENV_UNDO_MAX_MB "HEAL_UNDO_MAX_MB"
#define UNDO_DEFAULT_MB 256u
#define UNDO_MIN_BYTES (64u * 1024u)

enum { K_MEM = 0, K_ALLOC = 1, K_FREE = 2 };
#define KIND_SHIFT 62
#define SIZE_MASK ((UINT64_C(1) << KIND_SHIFT) - 1)
#define TRAILER 16u

/* struct undo_state: txn.h (the transaction entry reads cur and attn inline). */

/* Exported (HEAL_RT_UNDO_TLS): instrumented code appends scalar entries itself when
 * cur + 24 <= limit (heal.h), and calls __heal_undo_log only when the log is full or not
 * reserved yet. */
__attribute__((visibility("default"))) __thread struct undo_state __heal_undo_tls
    __attribute__((tls_model("initial-exec")));
#define U __heal_undo_tls

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t undo_key;
static int undo_key_ok;
static size_t undo_bytes; /* reservation size, read from the environment once */

static inline uint64_t round8(uint64_t n) { return (n + 7) & ~UINT64_C(7); }

static void drain(void);

/* Thread exit: give the pending frees back and unmap the log. */
static void undo_thread_exit(void *p) {
  (void)p;
  drain();
  if (U.base)
    munmap(U.base, (size_t)(U.end - U.base));
  memset(&U, 0, sizeof U);
}

static void undo_once(void) {
  uint64_t mb = UNDO_DEFAULT_MB;
  const char *s = getenv(HEAL_ENV_UNDO_MAX_MB);
  if (s && *s) {
    char *e;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno == 0 && *e == '\0' && v > 0 && v <= (1ull << 20))
      mb = v;
    else {
      static const char msg[] = "heal: " HEAL_ENV_UNDO_MAX_MB
                                ": not a size in MiB (1..1048576); using 256\n";
      heal_write_all(2, msg, sizeof msg - 1);
    }
  }
  undo_bytes = (size_t)mb << 20;
  undo_key_ok = pthread_key_create(&undo_key, undo_thread_exit) == 0;
}

/* Normal (non-signal) context: the first logged write of this thread. errno is the
 * program's: a logged store between a failing call and the program's look at errno must
 * not change it. */
static void reserve(void) {
  int saved_errno = errno;
  pthread_once(&key_once, undo_once);
  size_t n = undo_bytes;
  void *p = MAP_FAILED;
  /* Address space may be limited (ulimit -v): settle for less rather than nothing. */
  for (; n >= UNDO_MIN_BYTES; n /= 2) {
    p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (p != MAP_FAILED)
      break;
  }
  if (p == MAP_FAILED) {
    U.state = 2;
    errno = saved_errno;
    return;
  }
  U.base = U.cur = p;
  U.end = U.pend = U.limit = (char *)p + n;
  U.state = 1;
  if (undo_key_ok)
    pthread_setspecific(undo_key, p);
  errno = saved_errno;
}

void heal_undo_drain(void) { drain(); }

uint64_t heal_undo_mark(void) {
  if (U.pend != U.end)
    drain();
  return (uint64_t)(U.cur - U.base);
}

/* Room for `need` bytes at cur, or NULL (and the log is marked overflowed). */
static char *room(uint64_t need) {
  if (U.state == 0)
    reserve();
  if (U.state == 1 && need <= (uint64_t)(U.limit - U.cur))
    return U.cur;
  if (!U.overflow)
    U.overflow = 1 + (uint64_t)(U.cur - U.base);
  U.attn_b[UNDO_ATTN_OVERFLOW] = 1;
  return NULL;
}

static inline void publish(char *next) {
  /* The entry is complete before it becomes visible to a rollback on this thread. */
  atomic_signal_fence(memory_order_release);
  U.cur = next;
}

/* Everything but the 1/2/4/8-byte fast case, out of line so the fast path needs no frame. */
__attribute__((noinline, cold)) static void log_slow(const void *addr, uint64_t size) {
  if (size == 0)
    return;
  uint64_t data = round8(size);
  if (size > SIZE_MASK || data + TRAILER < data) {
    room(UINT64_MAX); /* marks the overflow */
    return;
  }
  char *e = room(data + TRAILER);
  if (!e)
    return;
  memcpy(e, addr, size);
  uint64_t *t = (uint64_t *)(e + data);
  t[0] = (uint64_t)(uintptr_t)addr;
  t[1] = size | ((uint64_t)K_MEM << KIND_SHIFT);
  publish(e + data + TRAILER);
}

__attribute__((visibility("default"))) void __heal_undo_log(void *addr, uint64_t size) {
  char *e = U.cur;
  /* Scalars (the common case): 24 bytes, one load. cur and limit are NULL before the
   * first reservation, which sends the first write to the slow path. */
  if (__builtin_expect((size & (size - 1)) == 0 && size - 1 < 8 &&
                           (uintptr_t)(U.limit - e) >= 24,
                       1)) {
    uint64_t v;
    if (size == 8)
      v = *(const volatile uint64_t *)addr;
    else if (size == 4)
      v = *(const volatile uint32_t *)addr;
    else if (size == 2)
      v = *(const volatile uint16_t *)addr;
    else
      v = *(const volatile uint8_t *)addr;
    uint64_t *t = (uint64_t *)e;
    t[0] = v;
    t[1] = (uint64_t)(uintptr_t)addr;
    t[2] = size;
    atomic_signal_fence(memory_order_release);
    U.cur = e + 24;
    return;
  }
  log_slow(addr, size);
}

static void log_block(void *p, int kind) {
  uint64_t need = TRAILER + (kind == K_ALLOC ? 8 : 0); /* + its pending-free slot */
  char *e = room(need);
  if (!e)
    return;
  uint64_t *t = (uint64_t *)e;
  t[0] = (uint64_t)(uintptr_t)p;
  t[1] = (uint64_t)kind << KIND_SHIFT;
  if (kind == K_ALLOC) {
    U.nalloc++;
    U.limit -= 8;
  } else {
    U.nfree++;
  }
  U.attn_b[UNDO_ATTN_COMMIT] = 1; /* the outermost commit runs the frees / releases slots */
  publish(e + TRAILER);
}

/* Frees the blocks that aborted transactions allocated. Normal context only. Each block
 * is popped before free() runs, so a fault inside free() (whose handler may push more)
 * never frees a block twice. */
static void drain(void) {
  int saved_errno = errno;
  while (U.pend != U.end) {
    void *p = *(void **)U.pend;
    U.pend += 8;
    U.limit += 8;
    atomic_signal_fence(memory_order_seq_cst);
    free(p);
  }
  /* Cleared, then checked again: a rollback in a signal handler may have pushed a block
   * (and set the byte) between the loop's last check and the clear. */
  U.attn_b[UNDO_ATTN_PEND] = 0;
  atomic_signal_fence(memory_order_seq_cst);
  if (U.pend != U.end)
    U.attn_b[UNDO_ATTN_PEND] = 1;
  errno = saved_errno;
}

int heal_undo_rollback(uint64_t mark) {
  if (U.state != 1)
    return U.overflow ? -1 : 0; /* nothing was logged (or nothing could be) */
  if (U.overflow && mark < U.overflow)
    return -1;
  char *stop = U.base + mark;
  if ((uint64_t)(U.cur - U.base) > U.high)
    U.high = (uint64_t)(U.cur - U.base);
  if (U.high > UNDO_KEEP_BYTES)
    U.attn_b[UNDO_ATTN_COMMIT] = 1; /* the next outermost commit gives the pages back */
  if (stop > U.cur)
    return 0; /* a mark from an older log (the thread left transactions by longjmp) */
  char *e = U.cur;
  while (e > stop) {
    uint64_t *t = (uint64_t *)(e - TRAILER);
    uint64_t kind = t[1] >> KIND_SHIFT, size = t[1] & SIZE_MASK;
    void *addr = (void *)(uintptr_t)t[0];
    if (kind == K_MEM) {
      uint64_t data = round8(size);
      char *old = (char *)t - data;
      switch (size) {
      case 1: *(volatile uint8_t *)addr = (uint8_t)*(uint64_t *)old; break;
      case 2: *(volatile uint16_t *)addr = (uint16_t)*(uint64_t *)old; break;
      case 4: *(volatile uint32_t *)addr = (uint32_t)*(uint64_t *)old; break;
      case 8: *(volatile uint64_t *)addr = *(uint64_t *)old; break;
      default: memcpy(addr, old, size); break; /* memcpy is async-signal-safe (POSIX 2016) */
      }
      e = old;
    } else {
      if (kind == K_ALLOC) {
        /* Its pending slot was reserved when it was logged: limit stays where it is. */
        U.pend -= 8;
        *(void **)U.pend = addr;
        atomic_signal_fence(memory_order_release);
        U.attn_b[UNDO_ATTN_PEND] = 1; /* enter and the commits drain it */
        U.nalloc--;
      } else {
        U.nfree--;
      }
      e = (char *)t;
    }
    /* Undone entries leave the log one by one: a fault while restoring (memory unmapped
     * since) leaves a log that a second attempt can continue. */
    atomic_signal_fence(memory_order_release);
    U.cur = e;
  }
  return 0;
}

void heal_undo_commit(uint64_t mark, int outermost) {
  (void)mark;
  if (!outermost)
    return; /* a nested commit: the parent may still abort and needs the entries */
  /* Nothing logged, nothing pending (every transaction without writes outside its frame,
   * and every thread without rollback transactions): nothing to do. */
  if (__builtin_expect(U.cur == U.base && U.pend == U.end && !U.overflow, 1))
    return;
  if (U.state != 1) {
    U.overflow = 0;
    U.attn_b[UNDO_ATTN_OVERFLOW] = 0;
    return;
  }
  if ((uint64_t)(U.cur - U.base) > U.high)
    U.high = (uint64_t)(U.cur - U.base);
  if (U.nfree) {
    /* Deferred frees, newest first (order does not matter to free()). A record is cleared
     * before its free() runs: no enclosing transaction is left to abort, but a fault in
     * free() must not lead anything to free the block again. */
    char *e = U.cur;
    while (e > U.base) {
      uint64_t *t = (uint64_t *)(e - TRAILER);
      uint64_t kind = t[1] >> KIND_SHIFT, size = t[1] & SIZE_MASK;
      if (kind == K_MEM) {
        e = (char *)t - round8(size);
        continue;
      }
      e = (char *)t;
      if (kind == K_FREE) {
        void *p = (void *)(uintptr_t)t[0];
        t[0] = 0;
        atomic_signal_fence(memory_order_seq_cst);
        free(p);
      }
    }
  }
  U.cur = U.base;
  U.limit = U.pend; /* no ALLOC records left: their reserved slots are released */
  U.nalloc = U.nfree = 0;
  U.overflow = 0;
  U.attn_b[UNDO_ATTN_OVERFLOW] = 0;
  U.attn_b[UNDO_ATTN_COMMIT] = 0;
  if (U.pend != U.end)
    drain();
  /* Give back what a big transaction touched (never the pending-free stack: drained). */
  if (U.high > UNDO_KEEP_BYTES && U.base + U.high <= U.pend) {
    int saved_errno = errno;
    madvise(U.base + UNDO_KEEP_BYTES, U.high - UNDO_KEEP_BYTES, MADV_DONTNEED);
    errno = saved_errno;
  }
  U.high = 0;
}

/* ---- Allocation inside transactions ------------------------------------------------------
 * The pass sends transactional calls of malloc & co. here. An abort frees what the aborted
 * part allocated (later, from normal context: see drain) and drops its frees; frees run at
 * the outermost commit, because until then an enclosing transaction may still abort and
 * need the block. */
#define API __attribute__((visibility("default")))

static void *tx_alloced(void *p) {
  if (p)
    log_block(p, K_ALLOC);
  return p;
}

API void *__heal_tx_malloc(uint64_t size) {
  if (U.pend != U.end)
    drain();
  return tx_alloced(malloc(size));
}

API void *__heal_tx_calloc(uint64_t n, uint64_t size) {
  if (U.pend != U.end)
    drain();
  return tx_alloced(calloc(n, size));
}

API void __heal_tx_free(void *p) {
  if (p)
    log_block(p, K_FREE);
}

/* Never in place: an abort must get the old block back intact. The old block is freed at
 * the outermost commit like any free. realloc(p, 0) frees p and returns NULL (glibc). */
API void *__heal_tx_realloc(void *p, uint64_t size) {
  if (!p)
    return __heal_tx_malloc(size);
  if (size == 0) {
    __heal_tx_free(p);
    return NULL;
  }
  if (U.pend != U.end)
    drain();
  void *q = malloc(size);
  if (!q)
    return NULL; /* like realloc: p is untouched */
  size_t old = malloc_usable_size(p);
  memcpy(q, p, old < size ? old : size);
  log_block(q, K_ALLOC);
  log_block(p, K_FREE);
  return q;
}

API char *__heal_tx_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = __heal_tx_malloc(n);
  return p ? memcpy(p, s, n) : NULL;
}

API char *__heal_tx_strndup(const char *s, uint64_t max) {
  size_t n = strnlen(s, max);
  char *p = __heal_tx_malloc(n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

/* ---- libc writers ------------------------------------------------------------------------
 * Called by transactional code right before the libc call they name, with the same
 * arguments; each logs exactly the bytes that call will write (docs/rollback.md). */

/* strcpy, stpcpy (and their _chk forms): strlen(src) + 1 bytes at dst. */
API void __heal_undo_log_strcpy(char *dst, const char *src) {
  __heal_undo_log(dst, strlen(src) + 1);
}

/* strcat (max = SIZE_MAX), strncat: the appended part and its NUL. */
API void __heal_undo_log_strcat(char *dst, const char *src, uint64_t max) {
  __heal_undo_log(dst + strlen(dst), strnlen(src, max) + 1);
}

/* sprintf & co.: the formatted length (formatted once more, into nothing) + 1, at most
 * `limit` (snprintf's size; SIZE_MAX for sprintf). */
static void log_printf(char *dst, uint64_t limit, const char *fmt, va_list ap) {
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0 || limit == 0)
    return;
  uint64_t size = (uint64_t)n + 1;
  __heal_undo_log(dst, size < limit ? size : limit);
}

API void __heal_undo_log_printf(char *dst, uint64_t limit, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_printf(dst, limit, fmt, ap);
  va_end(ap);
}

/* vsprintf & co.: `ap` is the caller's va_list, which the real call consumes after us. On
 * x86_64 a va_list argument is a pointer to one __va_list_tag; copying that struct is
 * what va_copy does. */
API void __heal_undo_log_vprintf(char *dst, uint64_t limit, const char *fmt, void *ap) {
  va_list copy;
  memcpy(copy, ap, sizeof copy);
  log_printf(dst, limit, fmt, copy);
  va_end(copy);
}
