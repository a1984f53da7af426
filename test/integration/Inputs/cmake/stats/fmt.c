#include "fmt.h"

#include <stdio.h>

int fmt_field(char *buf, size_t size, const char *label, size_t value, int width) {
  return snprintf(buf, size, "%-*s %zu", width, label, value);
}
