// Return-value synthesis on clang's front-end IR with debug info (heal-cc's clean bitcode):
// enumerators name the constants callers compare with, the DI type gives signedness and
// tells a struct returned in a register from an integer, and remarks carry locations.
// RUN: %clang -g -fno-discard-value-names -O0 -S -emit-llvm -Xclang -disable-llvm-passes %s -o %t.ll
// RUN: %opt_heal -passes='print<heal-retval>' -pass-remarks-analysis=heal-retval -disable-output %t.ll 2>&1 | FileCheck %s
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

enum status { ST_OK = 0, ST_AGAIN = -11, ST_IO = -5 };

// CHECK: heal-retval: read_block: i32 -5: 2 of 3 call sites test `== ST_IO` (-5) and 1 tests `< 0`; -5 fails all of them
// CHECK-NEXT: remark: {{.*}}debug-info.c:[[@LINE+1]]:0: on failure read_block returns i32 -5: 2 of 3 call sites test `== ST_IO` (-5) and 1 tests `< 0`; -5 fails all of them
enum status read_block(int fd) { return fd < 0 ? ST_IO : ST_OK; }

// `if (!open_it(...)) { fprintf(stderr, ...); exit(1); }` on a bool.
// CHECK: heal-retval: open_it: i1 false: 1 of 1 call site tests the result as a boolean (false is failure)
bool open_it(const char *p) { return p != NULL; }

// `if (check(x))` on an int, used as a boolean, error path logs: nonzero fails.
// CHECK: heal-retval: check: i32 -1: 1 of 1 call site tests the result as a boolean (`!= 0`) (among equals, the type's default: a signed integer fails as -1)
int check(int x) { return x > 3; }

// Own error path: logs and returns -22.
// CHECK: heal-retval: parse: i32 -22: no call site in this module; the function itself returns -22 on 1 error path
int parse(const char *s) {
  if (!s) {
    fprintf(stderr, "no input\n");
    return -22;
  }
  return atoi(s);
}

// CHECK: heal-retval: count: i32 0: no call site in this module; an unsigned integer fails as 0
unsigned count(void) { return 3; }
// CHECK: heal-retval: sz: i64 0: no call site in this module; an unsigned integer fails as 0
size_t sz(void) { return 3; }
// CHECK: heal-retval: sl: i64 -1: no call site in this module; a signed integer fails as -1
long sl(void) { return 3; }

// A struct small enough to come back in a register is an i64 in IR; debug info says struct.
struct pt { int x, y; };
// CHECK: heal-retval: mk: i64 0: no call site in this module; a struct is returned zeroed
struct pt mk(void) { struct pt p = {1, 2}; return p; }

// Its error path calls perror() before `return 4`.
// CHECK: heal-retval: main: i32 4: no call site in this module; the function itself returns 4 on 1 error path
int main(int argc, char **argv) {
  if (read_block(argc) == ST_IO)
    return 1;
  if (read_block(argc) < 0)
    return 2;
  if (read_block(argc) == ST_IO)
    return 3;
  if (!open_it(argv[0])) {
    fprintf(stderr, "cannot open\n");
    exit(1);
  }
  if (check(argc)) {
    perror("check");
    return 4;
  }
  return 0;
}
