/* Shared bits of the benchmark kernels: a deterministic PRNG and the scale argument.
 * Every kernel prints one checksum line so the baseline and heal builds can be compared
 * for equal results, and so the optimizer cannot drop the work. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t rng(void) {
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

/* argv[1] = scale in percent of the default work (100 = about one second here). */
static inline long scale(int argc, char **argv, long base) {
  long pct = argc > 1 ? atol(argv[1]) : 100;
  if (pct < 1)
    pct = 1;
  long n = base * pct / 100;
  return n > 0 ? n : 1;
}

#endif
