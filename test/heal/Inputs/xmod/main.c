/* parse() is the transaction (policy.json); it records the value in store.c, whose
 * store_add calls back into this module (note), calls store.c's hook through the pointer
 * store.c exports, and then, for values over 100, writes through a null slot. */
#include <stdio.h>
#include <stdlib.h>

void store_add(int v);
extern int store_count, store_total, store_hooked;
extern void (*store_hook)(int);
int last_note;
int *slots[4]; /* never filled: the bug */

void note(int v) { last_note = v; }

int parse(const char *s) {
  int v = atoi(s);
  store_add(v);
  store_hook(v);
  if (v > 100)
    slots[v % 4][0] = v;
  return v;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    int r = parse(argv[i]);
    printf("parse(%s) = %d; count %d, total %d, last note %d, hooked %d\n", argv[i], r,
           store_count, store_total, last_note, store_hooked);
  }
  return 0;
}
