// Reads into memory are rolled back too (the bytes, not the I/O: the file position has
// moved on). load_record() reads a header line with fgets into the caller's buffer, a
// binary block with fread into a global and the rest with read() into a heap buffer,
// then crashes on a record whose header names no format (strchr returns NULL). All
// three buffers hold what they held before; the next record is read normally.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"load_record"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: printf 'fmt=a1\n0123456789ABCDEFtail-one\nnoformat\nFEDCBA9876543210tail-two\nfmt=b2\n!!!!!!!!!!!!!!!!tail-3..\n' > %t/in.txt
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog %t/in.txt > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char block[17] = "----------------";

/* Each record: a header line, 16 bytes of block, 8 bytes of tail and a newline. The
 * stream is unbuffered so that read() on its descriptor continues where fread stopped. */
int load_record(FILE *f, char *header, size_t size, char *tail) {
  if (!fgets(header, (int)size, f))
    return -1;
  if (fread(block, 1, 16, f) != 16)
    return -1;
  if (read(fileno(f), tail, 9) != 9)
    return -1;
  tail[8] = '\0';
  char *eq = strchr(header, '=');
  eq[1] = (char)(eq[1] - 'a' + 'A'); /* the bug: a header without '=' */
  return 0;
}

int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "r");
  setvbuf(f, NULL, _IONBF, 0);
  char header[32] = "(no header)\n";
  char *tail = calloc(1, 16);
  strcpy(tail, "(none)");
  for (int i = 0; i < 3; i++) {
    int r = load_record(f, header, sizeof header, tail);
    header[strcspn(header, "\n")] = '\0';
    printf("%d: header '%s' block '%s' tail '%s'\n", r, header, block, tail);
  }
  return 0;
}

// OUT: 0: header 'fmt=A1' block '0123456789ABCDEF' tail 'tail-one'
// OUT-NEXT: -1: header 'fmt=A1' block '0123456789ABCDEF' tail 'tail-one'
// OUT-NEXT: 0: header 'fmt=B2' block '!!!!!!!!!!!!!!!!' tail 'tail-3..'

// ERR: heal: recovered from SIGSEGV (segv) in load_record: returned -1 to main; report: {{.*}}.json
// ERR-NOT: heal:

// CHECK: action: "recovered"
// CHECK: caller: "main"
// CHECK: recoveries: 1
// CHECK: return_value: "-1"
// CHECK: transaction: "load_record"
