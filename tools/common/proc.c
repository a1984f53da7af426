#define _GNU_SOURCE
#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The child being waited for, so a fatal signal to heal-cc reaches it too. */
static volatile pid_t running_child;

static void put_quoted(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                      "-_./=:,+@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'')
      fputs("'\\''", f);
    else
      fputc(*s, f);
  }
  fputc('\'', f);
}

void heal_print_command(const char *prog, char *const *argv) {
  fprintf(stderr, "%s: ", prog);
  for (size_t i = 0; argv[i]; i++) {
    if (i)
      fputc(' ', stderr);
    put_quoted(stderr, argv[i]);
  }
  fputc('\n', stderr);
  fflush(stderr);
}

int heal_run_to(const char *prog, char *const *argv, int verbose, const char *out_path) {
  if (verbose)
    heal_print_command(prog, argv);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (out_path)
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  pid_t pid;
  int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err) {
    fprintf(stderr, "%s: error: cannot run %s: %s\n", prog, argv[0], strerror(err));
    return -1;
  }
  running_child = pid;
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "%s: error: waiting for %s: %s\n", prog, argv[0], strerror(errno));
      return -1;
    }
  }
  running_child = 0;
  if (WIFEXITED(st))
    return WEXITSTATUS(st);
  if (WIFSIGNALED(st))
    return 128 + WTERMSIG(st);
  return -1;
}

int heal_run(const char *prog, char *const *argv, int verbose) {
  return heal_run_to(prog, argv, verbose, NULL);
}

void heal_exec(const char *prog, char *const *argv, int verbose) {
  if (verbose)
    heal_print_command(prog, argv);
  fflush(NULL);
  execv(argv[0], argv);
  fprintf(stderr, "%s: error: cannot run %s: %s\n", prog, argv[0], strerror(errno));
}

/* ---- temporary directory ------------------------------------------------------------ */

static char tmp_dir[PATH_MAX];
static pid_t tmp_owner; /* children that inherit the state must not remove it */
static unsigned tmp_counter;

/* Only uses opendir/readdir/unlink/rmdir so it is usable from the signal path too (the
 * process is about to die there; a torn directory listing is harmless). */
static void remove_tree(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    char sub[PATH_MAX];
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
        continue;
      if (unlink(sub) != 0 && (errno == EISDIR || errno == EPERM))
        remove_tree(sub);
    }
    closedir(d);
  }
  rmdir(path);
}

void heal_tmpdir_remove(void) {
  if (tmp_dir[0] && tmp_owner == getpid()) {
    remove_tree(tmp_dir);
    tmp_dir[0] = 0;
  }
}

static void on_signal(int sig) {
  if (running_child > 0) {
    kill(running_child, sig);
    waitpid(running_child, NULL, 0); /* it stops writing into the directory first */
  }
  heal_tmpdir_remove();
  signal(sig, SIG_DFL);
  raise(sig);
}

const char *heal_tmpdir(const char *prog) {
  if (tmp_dir[0])
    return tmp_dir;
  const char *base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  if ((size_t)snprintf(tmp_dir, sizeof tmp_dir, "%s/heal-XXXXXX", base) >= sizeof tmp_dir ||
      !mkdtemp(tmp_dir)) {
    fprintf(stderr, "%s: error: cannot create a temporary directory in %s: %s (set TMPDIR)\n",
            prog, base, strerror(errno));
    tmp_dir[0] = 0;
    return NULL;
  }
  tmp_owner = getpid();
  static int registered;
  if (!registered) {
    registered = 1;
    atexit(heal_tmpdir_remove);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
      struct sigaction sa, old;
      sigaction(sigs[i], NULL, &old);
      if (old.sa_handler == SIG_IGN)
        continue; /* keep what our parent chose to ignore (nohup, make) */
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_signal;
      sigemptyset(&sa.sa_mask);
      sigaction(sigs[i], &sa, NULL);
    }
  }
  return tmp_dir;
}

char *heal_tmppath(const char *prog, const char *base) {
  const char *d = heal_tmpdir(prog);
  if (!d)
    return NULL;
  if (base) {
    const char *slash = strrchr(base, '/');
    if (slash)
      base = slash + 1;
  }
  if (tmp_owner != getpid()) /* a forked child counts on from its parent's counter */
    return heal_xasprintf("%s/p%ld-%u-%s", d, (long)getpid(), ++tmp_counter,
                          base && *base ? base : "tmp");
  return heal_xasprintf("%s/%u-%s", d, ++tmp_counter, base && *base ? base : "tmp");
}

/* ---- files -------------------------------------------------------------------------- */

int heal_read_file(const char *path, void **data, size_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t cap = 65536, n = 0;
  char *buf = heal_xmalloc(cap + 1);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = heal_xrealloc(buf, cap + 1);
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      free(buf);
      close(fd);
      errno = e;
      return -1;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *data = buf;
  *size = n;
  return 0;
}

int heal_write_file(const char *path, const void *data, size_t size) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return -1;
  const char *p = data;
  while (size) {
    ssize_t w = write(fd, p, size);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    p += w;
    size -= (size_t)w;
  }
  return close(fd);
}

char *heal_abspath(const char *path) {
  if (path[0] == '/')
    return heal_xstrdup(path);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd))
    return heal_xstrdup(path);
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  if (!strcmp(path, ".") || !*path)
    return heal_xstrdup(cwd);
  return heal_xasprintf("%s/%s", cwd, path);
}

int heal_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
