/* parse.c: the line parser of confparse.
 *
 * The bug: copy_value() copies a value into a fixed 32-byte stack buffer without checking
 * its length, so a long value smashes parse_line's stack frame. */
#include <string.h>

#include "confparse.h"

/* The bug: no bound on the copy. */
static void copy_value(char *dst, const char *src) {
  while (*src && *src != '\n')
    *dst++ = *src++;
  *dst = '\0';
}

int parse_line(const char *line, struct entry *out) {
  char value[32];
  const char *eq = strchr(line, '=');
  if (!eq)
    return -1;
  size_t klen = (size_t)(eq - line);
  while (klen > 0 && line[klen - 1] == ' ')
    klen--;
  if (klen == 0 || klen >= sizeof out->key)
    return -1;
  memcpy(out->key, line, klen);
  out->key[klen] = '\0';
  const char *v = eq + 1;
  while (*v == ' ')
    v++;
  copy_value(value, v);
  strncpy(out->value, value, sizeof out->value - 1);
  out->value[sizeof out->value - 1] = '\0';
  return 0;
}

