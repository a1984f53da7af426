#include "config.h"
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#ifdef HAVE_STRING_H
#include <string.h>
#endif

char *text_upper(const char *s) {
#ifdef HAVE_STRDUP
  char *r = strdup(s);
#else
  char *r = malloc(strlen(s) + 1);
  if (r)
    strcpy(r, s);
#endif
  for (char *p = r; p && *p; ++p)
    *p = (char)toupper((unsigned char)*p);
  return r;
}
