/* Two unrelated bugs behind one command loop (stdin, a command per line):
 *   name TEXT  copies TEXT into a 16-byte buffer two calls down (stack overflow);
 *   div N      divides 100 by N (SIGFPE at 0), in a function of its own.
 * Used by fix-earlier.test: an incident on `div 0` that no patch fixed must not block the
 * fix of the `name` overflow -- each of its candidates still fails that input, as the
 * production binary does. noinline: each function keeps its frame at -O2, as it would in a
 * bigger program. */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void copy_name(char *dst, const char *src) {
  strcpy(dst, src);
}

__attribute__((noinline)) static int set_name(const char *text) {
  char name[16];
  copy_name(name, text);
  printf("name %s\n", name);
  return 0;
}

static volatile int hundred = 100;

__attribute__((noinline)) static int divide(int n) { return hundred / n; }

__attribute__((noinline)) static int handle(char *line) {
  line[strcspn(line, "\n")] = 0;
  if (!strncmp(line, "name ", 5))
    return set_name(line + 5);
  int n;
  if (sscanf(line, "div %d", &n) == 1) {
    printf("%d\n", divide(n));
    return 0;
  }
  printf("bad command\n");
  return -1;
}

int main(void) {
  char line[512];
  int bad = 0;
  while (fgets(line, sizeof line, stdin))
    if (handle(line) < 0)
      bad++;
  printf("%d bad\n", bad);
  return bad ? 1 : 0;
}
