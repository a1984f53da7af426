// SIGBUS: a reader maps a file and reads past its end after the file was truncated.
// The transaction aborts; the reader returns -1 and the program reads the next file.
// Rollback is off: the function's writes go to a file mapping (I/O, which no undo log can
// take back; restoring the truncated page would fault again).
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"first_byte","rollback":false}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog %t/data > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: %report %t/r > %t/r.txt
// RUN: FileCheck %s --match-full-lines < %t/r.txt
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int first_byte(const char *path, int truncate_it) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return -1;
  if (ftruncate(fd, 4096) != 0)
    return -1;
  volatile unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED)
    return -1;
  p[0] = 'Q';
  if (truncate_it)
    truncate(path, 0);
  return p[0]; /* SIGBUS once the file is gone under the mapping */
}

int main(int argc, char **argv) {
  for (int i = 0; i < 3; i++) {
    int r = first_byte(argv[1], i == 1);
    printf("read %d: %d\n", i, r);
  }
  return 0;
}

// OUT: read 0: 81
// OUT-NEXT: read 1: -1
// OUT-NEXT: read 2: 81

// ERR: heal: recovered from SIGBUS (bus) in first_byte: returned -1 to main
// CHECK: action: "recovered"
// CHECK: code: "BUS_ADRERR"
// CHECK: signal: "SIGBUS"
// CHECK: transaction: "first_byte"
