#ifndef TEXT_H
#define TEXT_H
/* Returns a heap copy of s with ASCII letters upper-cased. */
char *text_upper(const char *s);
#endif
