#define _GNU_SOURCE
#include "workers.h"

#include "healcommon/proc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long heal_jobs(void) {
  const char *e = getenv("HEAL_JOBS");
  char *end;
  long n = e && *e ? strtol(e, &end, 10) : 0;
  if (!e || !*e || *end || n < 1)
    n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* Waits until one of the workers in pids (0: none) has exited and returns it, without
 * reaping it or any other child of heal (a caller may have children of its own). */
static pid_t wait_one(const pid_t *pids, size_t n) {
  struct pollfd fds[64];
  pid_t who[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 64; i++) {
    if (!pids[i])
      continue;
    int fd = (int)syscall(SYS_pidfd_open, pids[i], 0);
    if (fd < 0) { /* no pidfds: wait for this one */
      for (size_t j = 0; j < k; j++)
        close(fds[j].fd);
      return pids[i];
    }
    fds[k] = (struct pollfd){fd, POLLIN, 0};
    who[k++] = pids[i];
  }
  pid_t done = k ? who[0] : -1;
  while (k && poll(fds, (nfds_t)k, -1) < 0 && errno == EINTR)
    ;
  for (size_t j = 0; j < k; j++) {
    if (fds[j].revents && done == who[0])
      done = who[j];
    close(fds[j].fd);
  }
  return done;
}

int heal_run_jobs(size_t n, int (*work)(size_t i, void *ctx), void (*done)(size_t i, void *ctx),
                  void *ctx) {
  long jobs = heal_jobs();
  int failed = 0;
  if (jobs <= 1 || n <= 1) {
    for (size_t i = 0; i < n && !failed; i++)
      if (!(failed = work(i, ctx)) && done)
        done(i, ctx);
    return failed;
  }
  pid_t *pids = calloc(n, sizeof *pids);
  if (!pids) {
    perror("heal");
    return 1;
  }
  size_t next = 0, running = 0;
  while (next < n || running) {
    while (!failed && next < n && running < (size_t)jobs) {
      fflush(NULL);
      pid_t pid = fork();
      if (pid == 0) {
        int st = work(next, ctx);
        fflush(NULL);
        _exit(st ? (st > 0 && st < 126 ? st : 1) : 0); /* no atexit: the temp dir is heal's */
      }
      if (pid < 0) { /* no process to spare: run it here */
        pids[next] = 0;
        if (!(failed = work(next, ctx)) && done)
          done(next, ctx);
        next++;
        continue;
      }
      pids[next++] = pid;
      running++;
    }
    if (!running)
      break;
    pid_t w = wait_one(pids, next);
    int ws = 0;
    while (waitpid(w, &ws, 0) < 0 && errno == EINTR)
      ;
    for (size_t i = 0; i < next; i++) {
      if (pids[i] != w)
        continue;
      running--;
      pids[i] = 0;
      if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
        if (done)
          done(i, ctx);
      }
      else if (!failed)
        failed = WIFEXITED(ws) ? WEXITSTATUS(ws) : 1;
    }
  }
  free(pids);
  return failed;
}
