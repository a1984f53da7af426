/* An alternate signal stack in every thread, so a thread that exhausted its own stack can
 * still run the fault handler.
 *
 * The main thread gets one at init. Threads get one from a wrapper around their start
 * routine: libheal_rt.so interposes pthread_create (it is a DT_NEEDED of the executable,
 * so it precedes libc in symbol lookup); libheal_rt.a provides __wrap_pthread_create
 * (wrap.c) for static links with -Wl,--wrap=pthread_create. The stack is freed by a thread-specific-data
 * destructor, which runs on return, pthread_exit and cancellation alike. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

static pthread_key_t altstack_key;
static int altstack_key_ok;

static size_t guard_size(void) {
  long pg = sysconf(_SC_PAGESIZE);
  return pg > 0 ? (size_t)pg : 4096u;
}

/* Layout: [guard page, PROT_NONE][HEAL_ALTSTACK_SIZE usable]. The guard turns an
 * overflow of the handler's own stack into a (nested, handled) fault instead of silent
 * corruption of whatever is mapped below. */
int heal_altstack_install(void) {
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
    return 0; /* the program set its own; keep it */
  size_t g = guard_size();
  char *base = mmap(NULL, g + HEAL_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (base == MAP_FAILED)
    return -1;
  mprotect(base, g, PROT_NONE);
  stack_t ss = {.ss_sp = base + g, .ss_size = HEAL_ALTSTACK_SIZE, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) {
    munmap(base, g + HEAL_ALTSTACK_SIZE);
    return -1;
  }
  if (altstack_key_ok)
    pthread_setspecific(altstack_key, base);
  return 0;
}

static void altstack_free(void *p) {
  char *base = p;
  size_t g = guard_size();
  stack_t cur;
  if (sigaltstack(NULL, &cur) != 0)
    return;
  if (cur.ss_sp == base + g && !(cur.ss_flags & SS_DISABLE)) {
    if (cur.ss_flags & SS_ONSTACK)
      return; /* exiting from inside a handler: leak rather than pull the stack away */
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    if (sigaltstack(&off, NULL) != 0)
      return;
  }
  munmap(base, g + HEAL_ALTSTACK_SIZE);
}

struct heal_start {
  void *(*fn)(void *);
  void *arg;
};

static void *heal_thread_start(void *p) {
  struct heal_start s = *(struct heal_start *)p;
  free(p);
  heal_altstack_install();
  return s.fn(s.arg);
}

int heal_create_wrapped(create_fn real, pthread_t *t, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg) {
  struct heal_start *s = malloc(sizeof *s);
  if (!s)
    return real(t, attr, fn, arg); /* no altstack is better than no thread */
  s->fn = fn;
  s->arg = arg;
  int rc = real(t, attr, heal_thread_start, s);
  if (rc != 0)
    free(s);
  return rc;
}

#ifdef HEAL_RT_SHARED
static create_fn real_pthread_create;

static void resolve_real(void) {
  /* The default version first: the one a program linked today would bind to. */
  void *f = dlvsym(RTLD_NEXT, "pthread_create", "GLIBC_2.34");
  if (!f)
    f = dlsym(RTLD_NEXT, "pthread_create");
  real_pthread_create = (create_fn)f;
}

__attribute__((visibility("default"))) int pthread_create(pthread_t *t, const pthread_attr_t *attr,
                                                          void *(*fn)(void *), void *arg) {
  if (!real_pthread_create)
    heal_rt_init(); /* a constructor that runs before ours starts a thread */
  if (!real_pthread_create)
    return EAGAIN;
  return heal_create_wrapped(real_pthread_create, t, attr, fn, arg);
}
#else
static void resolve_real(void) {} /* see wrap.c */
#endif

void heal_threads_init(void) {
  altstack_key_ok = pthread_key_create(&altstack_key, altstack_free) == 0;
  resolve_real();
}
