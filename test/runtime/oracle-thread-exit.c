// A thread's Oracle state (shadow stack, slot caches) is freed when it exits, and stack
// slots still live then (pthread_exit from inside a frame) go back to the allocator:
// 3000 short-lived threads leave the mapping count and the resident set as they were.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O1 -g -pthread -I%srcroot/include -I%S/Inputs %s -o %t/prog -L%rtdir -Wl,--no-as-needed -lheal_rt -Wl,-rpath,%rtdir
// RUN: %t/prog | FileCheck %s

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oracle-test.h"

ORACLE_MODULE
FUNCTION(leave_early);
FUNCTION(body);
SITE(leave_early, buf, 5000, 10);
SITE(body, other, 100, 11);

static int count_lines(const char *path) {
  FILE *f = fopen(path, "r");
  int n = 0, c;
  while (f && (c = fgetc(f)) != EOF)
    n += c == '\n';
  if (f)
    fclose(f);
  return n;
}

static long resident_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, res = 0;
  if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
    return -1;
  fclose(f);
  return res * (sysconf(_SC_PAGESIZE) / 1024);
}

__attribute__((noinline)) static void leave_early(long i) {
  ENTER(leave_early);
  char *buf = STACK_BUF(leave_early, buf, 5000, 8);
  memset(buf, 1, 5000);
  if (i % 2)
    pthread_exit(NULL); /* frames never exited */
  LEAVE();
}

static void *body(void *arg) {
  ENTER(body);
  char *other = STACK_BUF(body, other, 100, 1);
  other[0] = 1;
  leave_early((long)arg);
  LEAVE();
  return NULL;
}

static void run(int n) {
  for (long i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, body, (void *)i);
    pthread_join(t, NULL);
  }
}

int main(void) {
  run(200);
  int maps = count_lines("/proc/self/maps");
  long rss = resident_kib();
  run(3000);
  int maps2 = count_lines("/proc/self/maps");
  long rss2 = resident_kib();
  printf("mappings %s\n", maps2 - maps <= 4 ? "stable" : "grew");
  printf("resident %s\n", rss2 - rss < 2048 ? "stable" : "grew");
  if (maps2 - maps > 4 || rss2 - rss >= 2048)
    printf("%d -> %d mappings, %ld -> %ld KiB\n", maps, maps2, rss, rss2);
  return 0;
}

// CHECK: mappings stable
// CHECK: resident stable
