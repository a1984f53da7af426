// SIGBUS: a store to a shared file mapping past the end of the file.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: %heal_cc -O0 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %expect_crash SIGBUS %t/prog %t/file 2> %t/err
// RUN: %report %t/r | FileCheck %s --match-full-lines
// RUN: FileCheck --check-prefix=ERR %s --match-full-lines < %t/err

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) void touch_past_end(char *map) { map[8192] = 1; }

__attribute__((noinline)) void map_file(const char *path) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, 100) != 0)
    _exit(2);
  char *map = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    _exit(3);
  touch_past_end(map);
}

int main(int argc, char **argv) {
  (void)argc;
  map_file(argv[1]);
  return 0;
}

// CHECK:      action: "terminated"
// CHECK-NEXT: address: "0x{{[0-9a-f]+}}000"
// CHECK:      code: "BUS_ADRERR"
// CHECK:      function: "touch_past_end"
// CHECK-NEXT: kind: "bus"
// CHECK:      signal: "SIGBUS"
// CHECK-NEXT: stack: #{{[0-9]+}}
// CHECK-NEXT: stack[0]: "touch_past_end"
// CHECK-NEXT: stack[1]: "map_file"
// CHECK-NEXT: stack[2]: "main"

// ERR: heal: SIGBUS (bus) at address 0x{{[0-9a-f]+}}000 in touch_past_end (pc 0x{{[0-9a-f]+}}); stack: touch_past_end < map_file < main < {{.*}}; terminated; report: {{.*}}.json
