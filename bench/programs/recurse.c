/* Recursion-heavy code: naive Fibonacci, N-queens by backtracking, and the Ackermann
 * function -- many small calls, which is where per-call instrumentation costs most. */
#include "common.h"

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2) {
  if (row == n)
    return 1;
  int count = 0;
  unsigned free_ = ~(cols | d1 | d2) & ((1u << n) - 1);
  while (free_) {
    unsigned bit = free_ & -free_;
    free_ ^= bit;
    count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
  return count;
}

static long ackermann(long m, long n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

int main(int argc, char **argv) {
  long rounds = scale(argc, argv, 70);
  volatile int fib_n = 30, queens_n = 11; /* volatile: no constant folding */
  uint64_t sum = 0;
  for (long r = 0; r < rounds; r++) {
    sum += (uint64_t)fib(fib_n);
    sum += (uint64_t)queens(queens_n, 0, 0, 0, 0);
    sum += (uint64_t)ackermann(2, 2000 + r);
  }
  printf("recurse checksum: %016llx\n", (unsigned long long)sum);
  return 0;
}
