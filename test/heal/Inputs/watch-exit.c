/* A "server" that exits at once: heal watch must say it never accepted connections. */
#include <stdio.h>

int main(void) {
  fputs("watch-exit: no port given\n", stderr);
  return 1;
}
