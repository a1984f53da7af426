#include "calc.h"

#include <errno.h>
#include <stdlib.h>

int parse_number(const char *s, long *out) {
  char *end;
  errno = 0;
  *out = strtol(s, &end, 10);
  return errno || end == s || *end;
}
