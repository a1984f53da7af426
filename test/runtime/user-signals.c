// Signals sent with raise/kill/sigqueue are not faults: heal does not report them and the
// process behaves as without heal (default action: killed by that signal). Only SIGABRT
// that the process sends itself (abort, raise(SIGABRT)) counts as a fault; SIGABRT from
// another process does not.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog raise-segv 2> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGSEGV %t/prog kill-segv 2>> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGBUS %t/prog queue-bus 2>> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGFPE %t/prog raise-fpe 2>> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGILL %t/prog kill-ill 2>> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGTRAP %t/prog raise-trap 2>> %t/err
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog abrt-from-child 2>> %t/err
// RUN: FileCheck --allow-empty --implicit-check-not=heal --check-prefix=NONE %s < %t/err
// RUN: not %report %t/r
// raise(SIGABRT) by the process itself is reported, from raise() on.
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGABRT %t/prog raise-abrt 2> %t/err-abrt
// RUN: %report %t/r | FileCheck %s --match-full-lines

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) void send(const char *how) {
  if (!strcmp(how, "raise-segv"))
    raise(SIGSEGV);
  else if (!strcmp(how, "kill-segv"))
    kill(getpid(), SIGSEGV);
  else if (!strcmp(how, "queue-bus"))
    sigqueue(getpid(), SIGBUS, (union sigval){0});
  else if (!strcmp(how, "raise-fpe"))
    raise(SIGFPE);
  else if (!strcmp(how, "kill-ill"))
    kill(getpid(), SIGILL);
  else if (!strcmp(how, "raise-trap"))
    raise(SIGTRAP);
  else if (!strcmp(how, "raise-abrt"))
    raise(SIGABRT);
  else if (!strcmp(how, "abrt-from-child")) {
    pid_t parent = getpid();
    if (fork() == 0) {
      kill(parent, SIGABRT);
      _exit(0);
    }
    for (;;)
      pause();
  }
}

int main(int argc, char **argv) {
  if (argc > 1)
    send(argv[1]);
  return 0;
}

// NONE-NOT: heal
// CHECK:      code: "SI_TKILL"
// CHECK:      function: "raise"
// CHECK-NEXT: kind: "abort"
// CHECK:      stack[0]: "raise"
// CHECK-NEXT: stack[1]: "send"
// CHECK-NEXT: stack[2]: "main"
