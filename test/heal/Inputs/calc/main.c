/* calc OP A B: prints OP applied to A and B. An unknown OP is not checked for by
 * op_apply(), which then calls through a NULL function pointer of the operation table. */
#include "calc.h"

#include <stdio.h>

int main(int argc, char **argv) {
  long a, b;
  if (argc != 4 || parse_number(argv[2], &a) || parse_number(argv[3], &b)) {
    fprintf(stderr, "usage: calc OP A B\n");
    return 2;
  }
  printf("%s(%ld, %ld) = %ld\n", argv[1], a, b, op_apply(argv[1], a, b));
  printf("scale(%ld, %ld) = %ld\n", a, b, asm_scale(a, b));
  return 0;
}
