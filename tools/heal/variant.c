/* The variant cache: <heal home>/cache/<key>-<mode>[-<policy hash>], key = the binary's
 * contents hash and the tools', built with heal_rebuild_variant (rebuild.c) on a miss.
 * See variant.h. */
#define _GNU_SOURCE
#include "variant.h"

#include "cli.h"

#include "healcommon/proc.h"
#include "healcommon/records.h"
#include "healcommon/strv.h"
#include "healcommon/toolchain.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *heal_home_dir(void) {
  const char *h = getenv("HEAL_HOME");
  return heal_abspath(h && *h ? h : ".heal");
}

int heal_file_hash(const char *path, char hex[17]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  uint64_t h = HEAL_FNV_OFFSET, total = 0;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    if (n == 0)
      break;
    h = heal_fnv1a64(h, buf, (size_t)n);
    total += (uint64_t)n;
  }
  close(fd);
  h = heal_fnv1a64(h, &total, sizeof total);
  heal_id_hex(h, hex);
  return 0;
}

/* mkdir -p for the cache path (two levels below an existing parent at most matter, but
 * HEAL_HOME itself may be new). */
static int make_dirs(const char *path) {
  char *p = heal_xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int st = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
  free(p);
  return st;
}

/* Removes what killed heal processes left in a cache directory: "<entry>.heal-rebuild-PID"
 * (a link in progress) and "<entry>.tmp-PID" (a copy in progress) whose PID is gone. A
 * live PID's files are another heal's work in progress and stay. */
static void sweep(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    const char *tag = strstr(e->d_name, ".heal-rebuild-");
    size_t skip = strlen(".heal-rebuild-");
    if (!tag) {
      tag = strstr(e->d_name, ".tmp-");
      skip = strlen(".tmp-");
    }
    if (!tag)
      continue;
    char *end;
    long pid = strtol(tag + skip, &end, 10);
    if (*end || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    char *p = heal_xasprintf("%s/%s", dir, e->d_name);
    unlink(p);
    free(p);
  }
  closedir(d);
}

char *heal_variant_cached(const char *cmd, const char *binary, enum heal_mode mode,
                          const char *policy, int *hit) {
  if (hit)
    *hit = 0;
  if (heal_variant_check(cmd, binary) != 0)
    return NULL;
  char bhex[17], phex[17];
  if (heal_file_hash(binary, bhex) != 0) {
    heal_error(cmd, "cannot read '%s': %s", binary, strerror(errno));
    return NULL;
  }
  if (policy && heal_file_hash(policy, phex) != 0) {
    heal_error(cmd, "cannot read policy '%s': %s", policy, strerror(errno));
    return NULL;
  }
  /* The tools are part of the key: a rebuilt plugin or another clang builds other code. */
  struct heal_tools t;
  heal_tools_init(&t, HEAL_PROG);
  uint64_t h = HEAL_FNV_OFFSET;
  h = heal_fnv1a64(h, bhex, 16);
  const char *tools[] = {t.plugin, t.opt, t.clang, t.runtime_dir};
  for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
    struct stat st;
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s", tools[i] ? tools[i] : "");
    if (tools[i] && stat(tools[i], &st) == 0)
      n = snprintf(buf, sizeof buf, "%s:%lld:%lld.%ld", tools[i], (long long)st.st_size,
                   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    h = heal_fnv1a64(h, buf, n > 0 ? (size_t)n + 1 : 1);
  }
  heal_tools_free(&t);
  heal_id_hex(h, bhex);
  char *home = heal_home_dir();
  char *dir = heal_xasprintf("%s/cache", home);
  char *objdir = heal_xasprintf("%s/objects", dir);
  char *path = policy ? heal_xasprintf("%s/%s-patch-%s", dir, bhex, phex)
                      : heal_xasprintf("%s/%s-%s", dir, bhex, heal_mode_name(mode));
  free(home);
  if (make_dirs(objdir) != 0) {
    heal_error(cmd, "cannot create the cache directory '%s': %s (set HEAL_HOME to a writable "
               "directory)", dir, strerror(errno));
    free(path);
    path = NULL;
  } else {
    sweep(dir);
    sweep(objdir);
    if (heal_is_file(path) && access(path, X_OK) == 0) {
      if (hit)
        *hit = 1;
    } else if (heal_rebuild_variant(cmd, binary, mode, policy, path, objdir) != 0) {
      /* heal_rebuild_variant links to a temporary name and renames: nothing half-built. */
      free(path);
      path = NULL;
    }
  }
  free(dir);
  free(objdir);
  return path;
}
