// The first logged writes of each thread: the log is not reserved yet, so the inline
// append of the first store takes the slow path (the runtime reserves the log) and the
// following stores append after what the runtime wrote. Four threads, each one's first
// transaction writing a struct field by field at -O2; no fault, no report, values intact.
// (The stale-cursor bug this guards against is pinned by Transforms/undo/runtime-decl.ll.)
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"init_state"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog -lpthread
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines < %t/out.txt
// RUN: not grep heal: %t/err.txt
// RUN: ls %t/r | count 0
#include <pthread.h>
#include <stdio.h>

struct state {
  long a, b, c, d;
  int ready;
};

__attribute__((noinline)) int init_state(struct state *s, long seed) {
  s->a = seed;
  s->b = seed * 2;
  s->c = seed * 3;
  s->d = seed * 4;
  s->ready = 1;
  return 0;
}

static struct state states[4];

static void *run(void *arg) {
  long i = (long)arg;
  init_state(&states[i], i + 1);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (long i = 1; i < 4; i++)
    pthread_create(&t[i - 1], NULL, run, (void *)i);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  run((void *)0);
  for (int i = 0; i < 4; i++)
    printf("%ld %ld %ld %ld %d\n", states[i].a, states[i].b, states[i].c, states[i].d,
           states[i].ready);
  return 0;
}

// CHECK:      1 2 3 4 1
// CHECK-NEXT: 2 4 6 8 1
// CHECK-NEXT: 3 6 9 12 1
// CHECK-NEXT: 4 8 12 16 1
