#include "config.h"
#include "name.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *name_capitalise(const char *s) {
#ifdef HAVE_STRDUP
  char *r = strdup(s);
#else
  char *r = malloc(strlen(s) + 1);
  if (r)
    strcpy(r, s);
#endif
  if (r && r[0])
    r[0] = (char)toupper((unsigned char)r[0]);
  return r;
}
