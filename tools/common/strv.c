#define _GNU_SOURCE
#include "healcommon/strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void) {
  fputs("heal: error: out of memory\n", stderr);
  abort();
}

void *heal_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    oom();
  return p;
}

void *heal_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p)
    oom();
  return p;
}

char *heal_xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p)
    oom();
  return p;
}

char *heal_xasprintf(const char *fmt, ...) {
  va_list ap;
  char *p;
  va_start(ap, fmt);
  int r = vasprintf(&p, fmt, ap);
  va_end(ap);
  if (r < 0)
    oom();
  return p;
}

void strv_adopt(struct strv *s, char *str) {
  if (s->n + 2 > s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->v = heal_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = str;
  s->v[s->n] = NULL;
}

void strv_push(struct strv *s, const char *str) { strv_adopt(s, heal_xstrdup(str)); }

void strv_pushf(struct strv *s, const char *fmt, ...) {
  va_list ap;
  char *p;
  va_start(ap, fmt);
  int r = vasprintf(&p, fmt, ap);
  va_end(ap);
  if (r < 0)
    oom();
  strv_adopt(s, p);
}

void strv_extend(struct strv *s, const char *const *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    strv_push(s, v[i]);
}

void strv_free(struct strv *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

char *const *strv_argv(const struct strv *s) {
  static char *empty[1] = {NULL};
  return s->v ? s->v : empty;
}
