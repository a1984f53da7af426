/* Cost of redirecting an indirect call in transactional code (docs/rollback.md, "Indirect
 * calls"): __heal_tx_target(fp) and the call through what it returns, against the plain
 * indirect call. Linked with the static runtime (bench/txtarget.sh); no transaction here,
 * only the lookup and the call.
 *
 *   call    sink += fp(i)                          the plain indirect call
 *   empty   t = __heal_tx_target(fp); sink += t(i)  nothing registered yet (NULL table)
 *   hit     the same after registering 64 pairs, fp among them: t is fp's "clone"
 *   miss    the same for a pointer that is not registered (a libc function, another module)
 *
 * usage: txtarget [ITERATIONS [SAMPLES]]; prints "case median-ns-per-call" lines. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "heal/heal.h"
#include "timing.h"

static volatile int sink;

__attribute__((noinline)) static int target(int v) { return v * 3 + 1; }
__attribute__((noinline)) static int target_clone(int v) { return v * 3 + 1; }
__attribute__((noinline)) static int unregistered(int v) { return v * 5 + 1; }

static int (*volatile fp)(int) = target;
static int (*volatile fq)(int) = unregistered;

static void c_call(int i) { sink += fp(i); }
static void c_lookup(int i) {
  int (*t)(int) = (int (*)(int))__heal_tx_target((void *)fp);
  sink += t(i);
}
static void c_miss(int i) {
  int (*t)(int) = (int (*)(int))__heal_tx_target((void *)fq);
  sink += t(i);
}

static _Alignas(16) char fake[63][16];

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000000;
  int samples = argc > 2 ? atoi(argv[2]) : 11;
  printf("call %.2f\n", median_ns(c_call, n, samples));
  printf("empty %.2f\n", median_ns(c_lookup, n, samples));
  /* A module's worth of targets (Lua's liblua registers about this many). */
  struct heal_tx_target tab[64];
  for (int i = 0; i < 63; i++)
    tab[i] = (struct heal_tx_target){fake[i], fake[62 - i]};
  tab[63] = (struct heal_tx_target){(void *)target, (void *)target_clone};
  __heal_tx_register_targets(tab, 64);
  if (__heal_tx_target((void *)target) != (void *)target_clone) {
    fprintf(stderr, "txtarget: lookup failed\n");
    return 1;
  }
  printf("hit %.2f\n", median_ns(c_lookup, n, samples));
  printf("miss %.2f\n", median_ns(c_miss, n, samples));
  return 0;
}
