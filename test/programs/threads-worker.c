// Four worker threads each format a summary line for their own item into a 32-byte stack
// buffer with strcpy/strcat. The item of one thread (the third) is too long. The report
// must carry that thread's own shadow stack -- the worker's frames, without main's.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g -pthread %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g -pthread %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- north south east west | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle north south "east-by-north-east-and-then-some-more" west
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=TID --match-full-lines < %t/r.txt
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct job {
  const char *item;
  int id;
  unsigned hash;
  char result[64];
};

// DECL-DAG: function_line: [[@LINE+1]]
static void format_line(struct job *j) {
  char line[32]; // DECL-DAG: buffer_line: [[@LINE]]
  strcpy(line, "item ");
  strcat(line, j->item); /* the bug: items longer than 26 characters */
  snprintf(j->result, sizeof j->result, "%s (%08x)", line, j->hash);
}

static void process(struct job *j) {
  j->hash = 2166136261u;
  for (const char *p = j->item; *p; p++)
    j->hash = (j->hash ^ (unsigned char)*p) * 16777619u;
  format_line(j);
}

static void *worker(void *arg) {
  process(arg);
  return NULL;
}

int main(int argc, char **argv) {
  struct job jobs[4];
  pthread_t t[4];
  int n = argc - 1 < 4 ? argc - 1 : 4;
  for (int i = 0; i < n; i++) {
    jobs[i].item = argv[i + 1];
    jobs[i].id = i;
    pthread_create(&t[i], NULL, worker, &jobs[i]);
  }
  for (int i = 0; i < n; i++) {
    pthread_join(t[i], NULL);
    printf("%d: %s\n", jobs[i].id, jobs[i].result);
  }
  return 0;
}

// GOOD: 0: item north ({{[0-9a-f]+}})
// GOOD-NEXT: 1: item south ({{[0-9a-f]+}})
// GOOD-NEXT: 2: item east ({{[0-9a-f]+}})
// GOOD-NEXT: 3: item west ({{[0-9a-f]+}})
// GOOD-NEXT: status: exit 0

// The thread's shadow stack starts at its start routine.
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "line"
// CHECK: buffer_function: "format_line"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "format_line"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #3
// CHECK-NEXT: stack[0]: "format_line"
// CHECK-NEXT: stack[1]: "process"
// CHECK-NEXT: stack[2]: "worker"
// DECL-DAG: buffer_file: "{{.*}}threads-worker.c"

// The faulting thread is not the main thread.
// TID: pid: [[PID:[0-9]+]]
// TID-NOT: tid: [[PID]]
// TID: tid: {{[0-9]+}}
// DECL-DAG: function_file: "{{.*}}threads-worker.c"
