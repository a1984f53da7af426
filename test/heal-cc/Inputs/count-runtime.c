/* Prints how many distinct libheal_rt files are mapped into this process. */
#include <stdio.h>
#include <string.h>

int lib_f(int x);

int main(void) {
  char line[4096], seen[8][4096];
  int n = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  while (f && fgets(line, sizeof line, f)) {
    char *p = strchr(line, '/');
    if (!p || !strstr(p, "libheal_rt"))
      continue;
    int dup = 0;
    for (int i = 0; i < n; i++)
      dup |= !strcmp(seen[i], p);
    if (!dup && n < 8)
      strcpy(seen[n++], p);
  }
  printf("lib_f=%d runtime copies=%d\n", lib_f(1), n);
  return 0;
}
