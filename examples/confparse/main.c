/* confparse: reads `key = value` lines from a file and prints them normalized.
 *
 * A deliberately vulnerable example for heal's demo: parse_line() (parse.c) overflows a
 * stack buffer on long values, two calls below main. */
#include <stdio.h>
#include <string.h>

#include "confparse.h"

static int process(FILE *in) {
  char line[4096];
  int n = 0, bad = 0;
  while (fgets(line, sizeof line, in)) {
    struct entry e;
    if (line[0] == '#' || line[0] == '\n')
      continue;
    if (parse_line(line, &e) < 0) {
      bad++;
      continue;
    }
    printf("%s=%s\n", e.key, e.value);
    n++;
  }
  printf("%d entries, %d bad lines\n", n, bad);
  return bad ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: confparse FILE\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  int rc = process(in);
  fclose(in);
  return rc;
}
