/* confparse: reads `key = value` lines from a file (or stdin) and prints them normalized.
 *
 *   confparse [FILE]     FILE "-" or none: stdin
 *
 * Prints `key=value` per entry, then "N entries, M bad lines"; exits 1 if a line was bad.
 *
 * A deliberately vulnerable example for heal's demo: copy_value() (parse.c) overflows
 * parse_line's stack buffer on long values, three calls below main (main -> process ->
 * parse_line -> copy_value). */
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
  if (argc > 2) {
    fprintf(stderr, "usage: confparse [FILE]\n");
    return 2;
  }
  if (argc < 2 || strcmp(argv[1], "-") == 0)
    return process(stdin);
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  int rc = process(in);
  fclose(in);
  return rc;
}
