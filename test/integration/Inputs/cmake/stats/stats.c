#include "stats.h"

#include <ctype.h>

struct stats stats_count(const char *text) {
  struct stats s = {0, 0, 0};
  size_t run = 0;
  for (const char *p = text;; ++p) {
    if (*p && !isspace((unsigned char)*p)) {
      ++run;
      ++s.letters;
      continue;
    }
    if (run) {
      ++s.words;
      if (run > s.longest)
        s.longest = run;
    }
    run = 0;
    if (!*p)
      break;
  }
  return s;
}
