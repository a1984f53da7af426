#include "fmt.h"
#include "stats.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  char line[64];
  printf("wordstats %s (strndup: %d)\n", WS_VERSION, HAVE_STRNDUP);
  for (int i = 1; i < argc; ++i) {
    struct stats s = stats_count(argv[i]);
    fmt_field(line, sizeof line, "words:", s.words, 8);
    puts(line);
    fmt_field(line, sizeof line, "letters:", s.letters, 8);
    puts(line);
    fmt_field(line, sizeof line, "longest:", s.longest, 8);
    puts(line);
  }
  return 0;
}
