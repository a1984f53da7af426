/* A program with no pthread_create, compiled by plain clang (no heal module): linked by
 * heal-cc -static, only -Wl,-u,__heal_register_module brings the runtime in. */
#include <stddef.h>

__attribute__((noinline)) int deref(const int *p) { return *p; }

int main(void) { return deref(NULL); }
