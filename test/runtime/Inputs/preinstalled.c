/* A library whose constructor installs SIGSEGV and SIGABRT handlers before the heal
 * runtime's (it is later in the executable's DT_NEEDED list, so the loader initializes it
 * first). Its SIGSEGV handler expects faults on `pre_page` (like a garbage collector's
 * write barrier): it makes the page writable and returns, so the store is retried. Any
 * other fault it leaves unresolved. Its SIGABRT handler says so and returns. */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

char *pre_page;
int pre_calls;

static void pre_handler(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  pre_calls++;
  if ((char *)si->si_addr >= pre_page && (char *)si->si_addr < pre_page + 4096)
    mprotect(pre_page, 4096, PROT_READ | PROT_WRITE);
}

static void pre_abort(int sig) {
  (void)sig;
  write(2, "pre: abort handler ran\n", 23);
}

__attribute__((constructor)) static void pre_init(void) {
  pre_page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = pre_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  signal(SIGABRT, pre_abort);
}
