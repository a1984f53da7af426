/* echo: what a replayed program sees. Prints its arguments, the bytes on stdin, and the
 * variables heal sets; exits with the status given by `exit=N`, or dies of SIGSEGV with
 * `crash`, or spins forever with `hang` (argument or a line of stdin). VARIANT changes
 * the output (a "candidate" that behaves differently). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void crash(void) { *(volatile int *)0 = 1; }

static void spin(void) {
  for (volatile unsigned long i = 0;; i++)
    ;
}

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++) {
    printf("arg %d: %s\n", i, argv[i]);
    if (!strncmp(argv[i], "exit=", 5))
      status = atoi(argv[i] + 5);
    if (!strcmp(argv[i], "crash"))
      crash();
    if (!strcmp(argv[i], "hang"))
      spin();
  }
  char line[256];
  size_t bytes = 0;
  while (fgets(line, sizeof line, stdin)) {
    bytes += strlen(line);
    if (!strcmp(line, "hang\n"))
      spin();
  }
  printf("stdin: %zu bytes\n", bytes);
  printf("HEAL_BINARY set: %s\n", getenv("HEAL_BINARY") ? "yes" : "no");
  printf("HEAL_REPORT_DIR set: %s\n", getenv("HEAL_REPORT_DIR") ? "yes" : "no");
  const char *extra = getenv("EXTRA");
  if (extra)
    printf("EXTRA: %s\n", extra);
#ifdef VARIANT
  printf("variant\n");
#endif
  fprintf(stderr, "echo: done\n");
  return status;
}
