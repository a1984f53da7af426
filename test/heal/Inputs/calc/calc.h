#ifndef CALC_H
#define CALC_H
/* parse.c */
int parse_number(const char *s, long *out); /* 0 on success */
/* ops.c (archived into libops.a) */
long op_apply(const char *name, long a, long b);
/* scale.s (x86_64 assembly): returns a * 3 + b */
long asm_scale(long a, long b);
#endif
