// The inline entry's register contract: after an abort resumes in the wrapper, only the
// callee-saved registers, the stack and frame pointers are the entry's; every argument and
// caller-saved register is garbage. Wrappers with 8 integer arguments (two on the stack),
// double arguments (xmm), a struct by value, a struct returned through a hidden pointer
// (sret, in rdi at entry) and a caller that keeps values live around the call must all
// commit with the right results and, after a fault, return the synthesized value to a
// caller whose own state is intact; at every optimization level.
// RUN: rm -rf %t && mkdir -p %t
// RUN: echo '{"version":1,"transactions":[{"function":"many"},{"function":"mix"},{"function":"byval"},{"function":"make"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O0 -g %s -o %t/o0
// RUN: %t/o0 2> /dev/null | FileCheck %s --match-full-lines
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/o2
// RUN: %t/o2 2> /dev/null | FileCheck %s --match-full-lines
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O3 -g %s -o %t/o3
// RUN: %t/o3 2> /dev/null | FileCheck %s --match-full-lines
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -Os -g %s -o %t/os
// RUN: %t/os 2> /dev/null | FileCheck %s --match-full-lines
#include <stdio.h>

static int *volatile nowhere;

long many(long a, long b, long c, long d, long e, long f, long g, long h) {
  if (h == 0)
    return *nowhere;
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

double mix(double x, int k, double y) {
  if (k == 0)
    return *nowhere;
  return x * k + y;
}

struct pt {
  long x, y, z;
};

long byval(struct pt p, int k) {
  if (k == 0)
    return *nowhere;
  return p.x + p.y * k + p.z;
}

struct pt make(long v) {
  struct pt p = {v, v + 1, v + 2};
  if (v == 0)
    p.x = *nowhere;
  return p;
}

int main(void) {
  double keep = 0.25; /* live across every call, in a register where the compiler likes */
  long total = 0;
  for (int round = 0; round < 2; round++) {
    long fault = round; /* 0: the calls fault, 1: they commit */
    long m = many(1, 2, 3, 4, 5, 6, 7, fault);
    double x = mix(1.5, (int)fault, 0.5);
    struct pt p = {10, 20, 30};
    long b = byval(p, (int)fault);
    struct pt q = make(fault * 7);
    total += m + b + q.x + q.y + q.z;
    keep *= 2;
    printf("round %d: many %ld, mix %g, byval %ld, make {%ld, %ld, %ld}, keep %g\n", round, m, x,
           b, q.x, q.y, q.z, keep);
  }
  printf("total %ld\n", total);
  return 0;
}

// CHECK: round 0: many -1, mix 0, byval -1, make {0, 0, 0}, keep 0.5
// CHECK-NEXT: round 1: many 148, mix 2, byval 60, make {7, 8, 9}, keep 1
// CHECK-NEXT: total 230
