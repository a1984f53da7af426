// A batch job reports its progress from a SIGUSR1 handler: the handler formats
// "job NAME: N/M" into a 32-byte stack buffer with a hand-written, async-signal-safe
// formatter and write()s it. The job raises SIGUSR1 itself at checkpoints. Bad input: a
// long job name -- the overflow happens in instrumented code running inside the signal
// handler, and the shadow stack shows the handler on top of the interrupted frames.
// RUN: rm -rf %t && mkdir -p %t/g %t/r
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- backup 3 | FileCheck --check-prefix=GOOD %s
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/oracle nightly-full-backup-of-all-volumes 3
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
// RUN: FileCheck %s --check-prefix=DECL --match-full-lines < %t/r.txt
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *job_name;
static volatile sig_atomic_t done, total;

// DECL-DAG: function_line: [[@LINE+1]]
static char *put_str(char *p, const char *s) {
  while (*s)
    *p++ = *s++; /* the bug: no bound */
  return p;
}

static char *put_num(char *p, long v) {
  char tmp[24];
  int n = 0;
  do
    tmp[n++] = (char)('0' + v % 10);
  while ((v /= 10) > 0);
  while (n)
    *p++ = tmp[--n];
  return p;
}

static void on_usr1(int sig) {
  (void)sig;
  char msg[32]; // DECL-DAG: buffer_line: [[@LINE]]
  char *p = put_str(msg, "job ");
  p = put_str(p, job_name);
  p = put_str(p, ": ");
  p = put_num(p, done);
  *p++ = '/';
  p = put_num(p, total);
  *p++ = '\n';
  write(1, msg, (size_t)(p - msg));
}

static void checkpoint(int step) {
  done = step;
  raise(SIGUSR1);
}

static void run_job(int steps) {
  total = steps;
  for (int i = 1; i <= steps; i++)
    checkpoint(i);
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  job_name = argv[1];
  signal(SIGUSR1, on_usr1);
  run_job(atoi(argv[2]));
  return 0;
}

// GOOD: job backup: 1/3
// GOOD-NEXT: job backup: 2/3
// GOOD-NEXT: job backup: 3/3
// GOOD-NEXT: status: exit 0

// The handler interrupted checkpoint (raise() is not instrumented, so it does not show).
// CHECK: access: "write"
// CHECK: action: "terminated"
// CHECK: buffer: "msg"
// CHECK: buffer_function: "on_usr1"
// CHECK: buffer_size: 32
// CHECK: detected: "access"
// CHECK: function: "put_str"
// CHECK: kind: "stack-buffer-overflow"
// CHECK: mode: "oracle"
// CHECK: offset: 32
// CHECK: signal: "SIGSEGV"
// CHECK: stack: #5
// CHECK-NEXT: stack[0]: "put_str"
// CHECK-NEXT: stack[1]: "on_usr1"
// CHECK-NEXT: stack[2]: "checkpoint"
// CHECK-NEXT: stack[3]: "run_job"
// CHECK-NEXT: stack[4]: "main"
// DECL-DAG: buffer_file: "{{.*}}signal-status.c"
// DECL-DAG: function_file: "{{.*}}signal-status.c"
