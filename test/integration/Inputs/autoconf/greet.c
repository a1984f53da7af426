#include "config.h"
#include "name.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
#ifdef HAVE_STRDUP
  puts("HAVE_STRDUP");
#endif
#ifdef HAVE_HEAL_NO_SUCH_FUNCTION
  puts("HAVE_HEAL_NO_SUCH_FUNCTION");
#endif
#ifdef HAVE_HEAL_NO_SUCH_HEADER_H
  puts("HAVE_HEAL_NO_SUCH_HEADER_H");
#endif
  printf("SIZEOF_LONG %d\n", SIZEOF_LONG);
  volatile double two = 2.0;
  printf("sqrt(4) = %.1f\n", sqrt(two * two));
  for (int i = 1; i < argc; ++i) {
    char *n = name_capitalise(argv[i]);
    printf("Hello, %s!\n", n);
    free(n);
  }
  return 0;
}
