#ifndef STATS_H
#define STATS_H
#include <stddef.h>

struct stats {
  size_t words, letters, longest;
};

/* Counts words (runs of non-blank characters) in text. */
struct stats stats_count(const char *text);
#endif
