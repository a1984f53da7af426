/* Growable NULL-terminated string vectors and small allocation helpers.
 *
 * Every function here aborts the process with a message on allocation failure, so callers
 * need no error paths for memory. Strings pushed are copied (strv_push) or adopted
 * (strv_adopt); strv_free frees them all. v.v is always NULL-terminated, so it can be
 * handed to posix_spawn directly. */
#ifndef HEALCOMMON_STRV_H
#define HEALCOMMON_STRV_H

#include <stddef.h>

struct strv {
  char **v;   /* NULL-terminated; NULL while empty and never pushed to */
  size_t n;   /* number of strings */
  size_t cap;
};

#define STRV_INIT {NULL, 0, 0}

void strv_push(struct strv *s, const char *str);          /* copies str */
void strv_adopt(struct strv *s, char *str);               /* takes ownership of str */
void strv_pushf(struct strv *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strv_extend(struct strv *s, const char *const *v, size_t n); /* copies n strings */
void strv_free(struct strv *s);
/* v.v, or a static empty array when nothing was pushed (never NULL). */
char *const *strv_argv(const struct strv *s);

void *heal_xmalloc(size_t n);
void *heal_xrealloc(void *p, size_t n);
char *heal_xstrdup(const char *s);
char *heal_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
