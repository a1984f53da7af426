// NOT DETECTED, by design: an overflow from one member of a struct into the next member
// stays inside the guarded object, so no guard page is touched. A login record copies the
// user name into name[16] with strcpy(); a 20-character name runs into `uid` and
// `flags`. The guard pages only surround the whole struct. The test pins the documented
// outcome: the Oracle build behaves exactly like the plain build (the same corrupted uid)
// and writes no report, for the bad input as well as the good one (docs/oracle.md, "What
// cannot be seen").
// RUN: rm -rf %t && mkdir -p %t/g %t/b
// RUN: %clang -O2 -g %s -o %t/ref
// RUN: env HEAL_MODE=oracle %heal_cc -O2 -g %s -o %t/oracle
// RUN: %python %S/Inputs/run-good.py %t/g %t/ref %t/oracle -- alice 1000 | FileCheck --check-prefix=GOOD %s
// RUN: %python %S/Inputs/run-good.py %t/b %t/ref %t/oracle -- mallory-the-intruder 1001 | FileCheck --check-prefix=BAD %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct login {
  char name[16];
  unsigned uid;
  unsigned flags;
};

static void fill(struct login *l, const char *name, unsigned uid) {
  l->uid = uid;
  l->flags = 0;
  strcpy(l->name, name); /* the bug: 16 bytes for the name, terminator included */
}

static void show(const struct login *l) {
  printf("user %.16s uid %s\n", l->name, l->uid == 0 || l->uid >= 60000 ? "CORRUPT" : "ok");
}

static void login(const char *name, const char *uid) {
  struct login l;
  fill(&l, name, (unsigned)atoi(uid));
  show(&l);
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  login(argv[1], argv[2]);
  return 0;
}

// GOOD: user alice uid ok
// GOOD-NEXT: status: exit 0

// The name's last bytes ("uder") overwrite uid, its NUL the first byte of flags: the
// program misbehaves the same way in both builds, and the Oracle does not notice.
// BAD: user mallory-the-intr uid CORRUPT
// BAD-NEXT: status: exit 0
