#ifndef NAME_H
#define NAME_H
/* Returns a heap copy of s with its first letter capitalised. */
char *name_capitalise(const char *s);
#endif
