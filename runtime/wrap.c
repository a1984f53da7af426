/* Static links only (libheal_rt.a): with -Wl,--wrap=pthread_create the program's calls
 * to pthread_create land here and __real_pthread_create is libc's. In its own object so
 * a static link without --wrap never pulls it in (and needs no __real_pthread_create). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>

#include "internal.h"

extern int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

__attribute__((visibility("default"))) int __wrap_pthread_create(pthread_t *t,
                                                                 const pthread_attr_t *attr,
                                                                 void *(*fn)(void *), void *arg) {
  heal_rt_init();
  return heal_create_wrapped(__real_pthread_create, t, attr, fn, arg);
}
