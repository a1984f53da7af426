/* What the micro-benchmarks share: the thread's CPU time (less noise from other load than
 * wall time), a qsort comparator for doubles, and the median over samples of the time per
 * call of f run in a loop (after a warm-up of a tenth of the calls: caches filled, slots
 * carved). */
#ifndef HEAL_BENCH_TIMING_H
#define HEAL_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

static inline double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* samples <= 64 */
static inline double median_ns(void (*f)(int), int n, int samples) {
  double s[64];
  for (int i = 0; i < n / 10 + 1; i++)
    f(i);
  for (int k = 0; k < samples; k++) {
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
      f(i);
    s[k] = (now_ns() - t0) / n;
  }
  qsort(s, (size_t)samples, sizeof s[0], cmp_double);
  return s[samples / 2];
}

#endif
