#include "config.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
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
  for (int i = 1; i < argc; ++i) {
    char *u = text_upper(argv[i]);
    printf("%s\n", u);
    free(u);
  }
  /* volatile: keep the call to libm so the -lm found by configure is needed. */
  volatile double x = 0.0;
  printf("cos(0) = %.1f\n", cos(x));
  return 0;
}
