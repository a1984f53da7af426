// Indirect calls in a transaction of a library loaded with dlopen: the library's
// constructor registers its handlers' clones, its destructor unregisters them at dlclose,
// and loading it again registers them again. Each time, a transaction whose handler
// (called through a table) wrote the library's state and then faulted leaves the state as
// it was. The program itself is built without heal.
// RUN: rm -rf %t && mkdir -p %t
// RUN: echo '{"version":1,"transactions":[{"function":"plugin_run"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -shared -fPIC %S/Inputs/undo-indirect-plugin.c -o %t/libplugin.so
// RUN: nm %t/libplugin.so | FileCheck %s --check-prefix=NM
// NM-DAG: t h_inc.heal_tx
// NM-DAG: t h_set.heal_tx
// NM-DAG: U __heal_tx_target
// RUN: %clang -O1 -g %s -o %t/prog -ldl
// RUN: %t/prog %t/libplugin.so > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: printf '#!/bin/sh\nexec opt "$@" -heal-undo-indirect=false\n' > %t/opt-noind
// RUN: chmod +x %t/opt-noind
// RUN: env HEAL_OPT=%t/opt-noind HEAL_POLICY=%t/p.json %heal_cc -O2 -shared -fPIC %S/Inputs/undo-indirect-plugin.c -o %t/libnoind.so
// RUN: %t/prog %t/libnoind.so 2> /dev/null | FileCheck %s --check-prefix=NOIND --match-full-lines
#include <dlfcn.h>
#include <stdio.h>

static int *volatile nowhere;

static int round_trip(const char *path, int round) {
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  int (*run)(int, int, int *) = (int (*)(int, int, int *))dlsym(h, "plugin_run");
  long (*state)(void) = (long (*)(void))dlsym(h, "plugin_state");
  const char *(*tag)(void) = (const char *(*)(void))dlsym(h, "plugin_tag");
  int out = 7;
  int r = run(0, 5, &out);
  printf("round %d: inc 5: %d out=%d state=%ld tag=%s\n", round, r, out, state(), tag());
  r = run(1, 99, nowhere);
  printf("round %d: set 99 crash: %d state=%ld tag=%s\n", round, r, state(), tag());
  r = run(0, 1, nowhere);
  printf("round %d: inc 1 crash: %d state=%ld tag=%s\n", round, r, state(), tag());
  dlclose(h);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  for (int round = 1; round <= 2; round++)
    if (round_trip(argv[1], round))
      return 1;
  return 0;
}

// A dlclose'd library starts again from its initial state (state=10, tag=init).
// CHECK: round 1: inc 5: 0 out=0 state=15 tag=Init
// CHECK-NEXT: round 1: set 99 crash: -1 state=15 tag=Init
// CHECK-NEXT: round 1: inc 1 crash: -1 state=15 tag=Init
// CHECK-NEXT: round 2: inc 5: 0 out=0 state=15 tag=Init
// CHECK-NEXT: round 2: set 99 crash: -1 state=15 tag=Init
// CHECK-NEXT: round 2: inc 1 crash: -1 state=15 tag=Init

// ERR-COUNT-4: heal: recovered from SIGSEGV (segv) in plugin_run: returned -1 to {{.*}}
// ERR-NOT: heal:

// Without the redirect the handlers' writes stay.
// NOIND: round 1: inc 5: 0 out=0 state=15 tag=Init
// NOIND-NEXT: round 1: set 99 crash: -1 state=99 tag=Snit
// NOIND-NEXT: round 1: inc 1 crash: -1 state=100 tag=Init
