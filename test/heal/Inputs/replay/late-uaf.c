/* A use after free late in a run: 2000 blocks are freed before the stale read, so the
 * Oracle's default sampling would only poison the block (the read sees 0xfd); heal
 * diagnose replays with every freed block guarded. */
#include <stdio.h>
#include <stdlib.h>

static char *blocks[2000];

static int peek(const char *p) { return p[3]; }

int main(void) {
  for (int i = 0; i < 2000; i++)
    blocks[i] = malloc(32);
  for (int i = 0; i < 2000; i++)
    free(blocks[i]);
  printf("%d\n", peek(blocks[1501]));
  return 0;
}
