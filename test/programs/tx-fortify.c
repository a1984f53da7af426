// Fault source: _FORTIFY_SOURCE catches a strcpy past a 16-byte buffer (__strcpy_chk aborts).
// The function runs as a transaction: the fault aborts it, it returns -1 (synthesized
// from the caller's `< 0` test) and the program goes on with the next key.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"name_length"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g -D_FORTIFY_SOURCE=2 %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <stdio.h>

#include <string.h>
static const char *names[4] = {"ada", "grace", "a-name-much-longer-than-sixteen", "alan"};

int name_length(int key) {
  char buf[16];
  strcpy(buf, names[key]); /* checked by _FORTIFY_SOURCE */
  return (int)strlen(buf);
}

int main(void) {
  for (int key = 0; key < 4; key++) {
    int r = name_length(key);
    if (r < 0)
      printf("key %d: error\n", key);
    else
      printf("key %d: %d\n", key, r);
  }
  printf("done\n");
  return 0;
}

// OUT: key 0: {{[0-9]+}}
// OUT-NEXT: key 1: {{[0-9]+}}
// OUT-NEXT: key 2: error
// OUT-NEXT: key 3: {{[0-9]+}}
// OUT-NEXT: done

// ERR: *** buffer overflow detected ***: terminated
// ERR: heal: recovered from SIGABRT (abort) in name_length: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: code: "SI_TKILL"
// CHECK: kind: "abort"
// CHECK: mode: "patch"
// CHECK: note: null
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: signal: "SIGABRT"
// CHECK: transaction: "name_length"
