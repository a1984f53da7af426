// Where reports go. Without HEAL_REPORT_DIR only the stderr line is written; a missing
// directory is named on that line; a relative directory is resolved at start-up, so a
// later chdir does not move it.
// RUN: rm -rf %t && mkdir -p %t/r %t/cwd %t/elsewhere
// RUN: %heal_cc -O0 -g %s -o %t/prog
//
// RUN: cd %t/cwd && %expect_crash SIGSEGV %t/prog %t/elsewhere 2> %t/err-unset
// RUN: FileCheck --check-prefix=UNSET %s --match-full-lines < %t/err-unset
// RUN: not %report %t/cwd
// RUN: not %report %t/elsewhere
//
// RUN: env HEAL_REPORT_DIR=%t/missing %expect_crash SIGSEGV %t/prog %t/elsewhere 2> %t/err-missing
// RUN: FileCheck --check-prefix=MISSING %s --match-full-lines < %t/err-missing
//
// RUN: cd %t && env HEAL_REPORT_DIR=r %expect_crash SIGSEGV %t/prog %t/elsewhere 2> %t/err-rel
// RUN: FileCheck --check-prefix=REL %s --match-full-lines < %t/err-rel
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: not %report %t/elsewhere/r

#include <stddef.h>
#include <unistd.h>

__attribute__((noinline)) int read_config(const int *p) { return *p; }

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) != 0)
    return 2;
  return read_config(NULL);
}

// UNSET: heal: SIGSEGV (segv) at address 0x0 in read_config (pc 0x{{[0-9a-f]+}}); stack: read_config < main < {{.*}}; terminated
// MISSING: heal: SIGSEGV (segv) at address 0x0 in read_config (pc 0x{{[0-9a-f]+}}); stack: read_config < main < {{.*}}; terminated; no report written to {{.*}}/missing (no such directory)
// REL: heal: SIGSEGV (segv) {{.*}}; terminated; report: {{.*}}/r/heal-{{[0-9]+-[0-9]+}}-1.json
// CHECK: function: "read_config"
