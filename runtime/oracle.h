/* Between libheal_oracle (the malloc family, heap.c) and libheal_rt (the slot allocator):
 * exported by libheal_rt, used only by libheal_oracle. Not part of the passes' ABI. */
#ifndef HEAL_RT_ORACLE_H
#define HEAL_RT_ORACLE_H

#include <stdint.h>

/* align 0: malloc's alignment (16, or the largest power of two <= size below 16).
 * NULL with errno = ENOMEM when the request cannot be met. */
void *__heal_oracle_alloc(uint64_t size, uint64_t align, unsigned allocator, int zero);
/* Double and invalid frees are reported; the process dies. */
void __heal_oracle_free(void *p);
void *__heal_oracle_realloc(void *p, uint64_t size, unsigned allocator);
uint64_t __heal_oracle_usable_size(const void *p);
/* 1 if p points into the Oracle's slots (any slot, any state). */
int __heal_oracle_owns(const void *p);

#endif
