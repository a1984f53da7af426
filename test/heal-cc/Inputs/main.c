#include <stdio.h>

int lib_f(int x);
int asm_g(void);
int ar_k(void);

int main(void) {
  printf("%d %d %d\n", lib_f(21), asm_g(), ar_k());
  return 0;
}
