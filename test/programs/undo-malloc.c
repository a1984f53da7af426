// Memory a transaction allocates is given back when it aborts. add_user() allocates a
// record (malloc), copies the name (strdup) and a big profile (calloc), links the record
// into a global list and then crashes on a name that is too long (a write far past the
// end of a heap block). The list does not contain the half-added user, and after 20 000
// such aborts no memory is lost: the heap in use (mallinfo2) is exactly what it was.
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"add_user"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// The allocation calls inside the transaction go to the runtime.
// RUN: nm %t/prog | FileCheck %s --check-prefix=SYMS
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE 8192 /* big enough that glibc does not cache freed blocks per thread */

struct user {
  char *name;
  char *profile;
  int id;
  struct user *next;
};

static struct user *users;
static int nusers;

int add_user(const char *name, int id) {
  struct user *u = malloc(sizeof *u + 2000); /* room for attributes, unused here */
  u->name = strdup(name);
  u->profile = calloc(1, PROFILE);
  u->id = id;
  u->next = users;
  users = u;
  nusers++;
  size_t n = strlen(name);
  if (n > 64) /* the bug: the "fast path" for long names writes far past the block */
    u->profile[(size_t)1 << 40] = 1;
  memcpy(u->profile, name, n);
  return 0;
}

static void show(void) {
  printf("%d users:", nusers);
  for (struct user *u = users; u; u = u->next)
    printf(" %s#%d", u->name, u->id);
  printf("\n");
}

int main(void) {
  char longname[2000];
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  printf("add ann: %d\n", add_user("ann", 1));
  printf("add long: %d\n", add_user(longname, 2));
  printf("add bob: %d\n", add_user("bob", 3));
  show();

  size_t before = mallinfo2().uordblks;
  int failed = 0;
  for (int i = 0; i < 20000; i++)
    failed += add_user(longname, 100 + i) < 0;
  add_user("cy", 4); /* a transaction that commits: the last abort's blocks are freed here */
  size_t after = mallinfo2().uordblks;
  struct user *cy = users;
  long grown = (long)after - (long)before -
               (long)(malloc_usable_size(cy) + malloc_usable_size(cy->name) +
                      malloc_usable_size(cy->profile) + 3 * sizeof(size_t));
  printf("failed %d, heap grown by %ld bytes beyond cy's blocks\n", failed, grown);
  show();
  return 0;
}

// OUT: add ann: 0
// OUT-NEXT: add long: -1
// OUT-NEXT: add bob: 0
// OUT-NEXT: 2 users: bob#3 ann#1
// OUT-NEXT: failed 20000, heap grown by 0 bytes beyond cy's blocks
// OUT-NEXT: 3 users: cy#4 bob#3 ann#1

// ERR: heal: recovered from SIGSEGV (segv) in add_user: returned -1 to main; report: {{.*}}.json

// SYMS-DAG: U __heal_tx_calloc
// SYMS-DAG: U __heal_tx_malloc
// SYMS-DAG: U __heal_tx_strdup
