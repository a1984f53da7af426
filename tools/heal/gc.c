/* heal gc [--older-than DAYS] [--dry-run]: prunes the variant cache.
 *
 * The cache ($HEAL_HOME/cache: variants, and module objects under objects/) only grows:
 * every binary, mode and candidate policy adds a variant. Everything in it can be built
 * again from a binary's embedded bitcode, so gc removes the files not modified for DAYS
 * days (default 14); a heal process at work has just written or renamed what it uses, so
 * a pruned file is never one in use unless DAYS is 0. The store's own files (heal.db, the
 * deployed candidates in binaries/, the backups in backups/ that heal rollback needs) are
 * not cache and are never touched. */
#define _GNU_SOURCE
#include "cli.h"
#include "inputopts.h"
#include "variant.h"

#include "healcommon/proc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CMD "gc"
#define USAGE "usage: heal gc [--older-than DAYS] [--dry-run]"

struct tally {
  long removed, kept;
  long long removed_bytes, kept_bytes;
};

/* Prunes the regular files of dir older than cutoff; recurses into objects/ only (the
 * cache has no other directories). -1 when dir cannot be read or a file not removed. */
static int prune(const char *dir, time_t cutoff, int dry, struct tally *t) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT)
      return 0;
    heal_error(CMD, "cannot read '%s': %s", dir, strerror(errno));
    return -1;
  }
  int st = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *p = heal_xasprintf("%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(p, &sb) != 0) {
      free(p); /* removed meanwhile by another heal */
      continue;
    }
    if (S_ISDIR(sb.st_mode)) {
      if (!strcmp(e->d_name, "objects") && prune(p, cutoff, dry, t) != 0)
        st = -1;
    } else if (sb.st_mtime >= cutoff) {
      t->kept++;
      t->kept_bytes += sb.st_size;
    } else if (dry || unlink(p) == 0 || errno == ENOENT) {
      t->removed++;
      t->removed_bytes += sb.st_size;
    } else {
      heal_error(CMD, "cannot remove '%s': %s", p, strerror(errno));
      st = -1;
    }
    free(p);
  }
  closedir(d);
  return st;
}

int cmd_gc(int argc, char **argv) {
  double days = 14;
  int dry = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      puts(USAGE);
      return 0;
    } else if (!strcmp(argv[i], "--dry-run")) {
      dry = 1;
    } else if (!strcmp(argv[i], "--older-than")) {
      if (i + 1 >= argc) {
        heal_error(CMD, "--older-than needs a number of days\n%s", USAGE);
        return 2;
      }
      if (heal_parse_number(CMD, "--older-than", argv[++i], 0, 36500, &days) != 0)
        return 2;
    } else {
      heal_error(CMD, "unexpected argument '%s'\n%s", argv[i], USAGE);
      return 2;
    }
  }
  char *home = heal_home_dir();
  char *dir = heal_xasprintf("%s/cache", home);
  struct tally t = {0, 0, 0, 0};
  int st = prune(dir, time(NULL) - (time_t)(days * 86400), dry, &t);
  printf("%s %ld file%s (%.1f MiB) from %s; kept %ld (%.1f MiB) newer than %g day%s\n",
         dry ? "would remove" : "removed", t.removed, t.removed == 1 ? "" : "s",
         t.removed_bytes / 1048576.0, dir, t.kept, t.kept_bytes / 1048576.0, days,
         days == 1 ? "" : "s");
  free(dir);
  free(home);
  return st ? 1 : 0;
}
