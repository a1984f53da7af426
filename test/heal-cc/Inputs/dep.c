#include "dep.h"
#include <stddef.h>
int dep(void) { return DEP_VALUE + (int)sizeof(size_t); }
