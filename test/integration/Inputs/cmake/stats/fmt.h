#ifndef FMT_H
#define FMT_H
#include <stddef.h>

/* Writes "label: value" padded to width into buf (a shared-library function). */
int fmt_field(char *buf, size_t size, const char *label, size_t value, int width);
#endif
