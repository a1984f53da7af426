// A sensor build rebuilt with a policy by `heal rebuild --policy` (from the clean bitcode
// embedded in the binary): the sensor binary dies at the bad input, the rebuilt one
// recovers and finishes.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"parse_field"}]}' > %t/p.json
// RUN: %heal_cc -O2 -g %s -o %t/sensor
// RUN: %expect_crash SIGSEGV %t/sensor
// RUN: %heal_bin rebuild %t/sensor --policy %t/p.json -o %t/patched
// RUN: %t/patched > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
#include <stdio.h>
#include <string.h>

static const char *fields[] = {"name=ada", "bogus", "lang=c"};

int parse_field(const char *f) {
  const char *eq = strchr(f, '=');
  return (int)strlen(eq + 1) + (eq[1] == 0); /* the bug: no '=' -> NULL + 1 */
}

int main(void) {
  for (int i = 0; i < 3; i++)
    printf("%s: %d\n", fields[i], parse_field(fields[i]));
  return 0;
}

// OUT: name=ada: 3
// OUT-NEXT: bogus: -1
// OUT-NEXT: lang=c: 1

// ERR: heal: recovered from SIGSEGV (segv) in parse_field: returned -1 to main
// ERR-NOT: heal:
