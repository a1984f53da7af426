// A program's own signal handlers keep working around transactions: a SIGALRM handler
// (installed by the program, runs while a transaction is live, calls no transaction) and
// SIGUSR1 raised from inside a transaction. A SIGSEGV sent with kill() is not a fault:
// it goes to the program's handler, as without heal, and does not abort the transaction.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"work"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, segv_msgs;
static int *volatile nowhere;

static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_segv_msg(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  if (si->si_code == SI_USER)
    segv_msgs++;
}

int work(int mode) {
  if (mode == 1)
    raise(SIGUSR1);
  if (mode == 2)
    kill(getpid(), SIGSEGV); /* a message, not a fault */
  if (mode == 3)
    return *nowhere;
  return 10 + mode;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  /* Installed after heal's handler: the program's own handler now gets every SIGSEGV,
   * faults included -- as without heal. Restore heal's for the fault below. */
  struct sigaction sa, heal_sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv_msg;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, &heal_sa);
  printf("work(1) = %d, usr1 = %d\n", work(1), (int)usr1);
  printf("work(2) = %d, messages = %d\n", work(2), (int)segv_msgs);
  sigaction(SIGSEGV, &heal_sa, NULL);
  printf("work(3) = %d\n", work(3));
  printf("work(1) = %d, usr1 = %d\n", work(1), (int)usr1);
  return 0;
}

// OUT: work(1) = 11, usr1 = 1
// OUT-NEXT: work(2) = 12, messages = 1
// OUT-NEXT: work(3) = -1
// OUT-NEXT: work(1) = 11, usr1 = 2

// ERR: heal: recovered from SIGSEGV (segv) in work: returned -1 to main
// ERR-NOT: heal:
