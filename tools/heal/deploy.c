/* Atomic replacement of the production binary, deployments and rollbacks (deploy.h). */
#define _GNU_SOURCE
#include "deploy.h"
#include "cli.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir_of(const char *path) {
  char *copy = heal_xstrdup(path);
  char *d = heal_xstrdup(dirname(copy));
  free(copy);
  return d;
}

int heal_replace_file(const char *cmd, const char *target_arg, const char *src) {
  /* A symlink (e.g. /usr/bin/x -> /opt/x-1.2/x) stays one: the file it names is replaced. */
  char *real = realpath(target_arg, NULL);
  const char *target = real ? real : target_arg;
  struct stat st;
  mode_t mode = 0755;
  if (stat(target, &st) == 0)
    mode = st.st_mode & 07777; /* the target keeps its permissions */
  else if (errno != ENOENT) {
    heal_error(cmd, "cannot replace '%s': %s", target, strerror(errno));
    free(real);
    return -1;
  }
  void *data;
  size_t n;
  if (heal_read_file(src, &data, &n) != 0) {
    heal_error(cmd, "cannot read '%s': %s", src, strerror(errno));
    free(real);
    return -1;
  }
  char *dir = dir_of(target);
  char *base = heal_xstrdup(target + strlen(dir) + (strcmp(dir, "/") ? 1 : 0));
  char *tmp = heal_xasprintf("%s/.%s.heal-new-%ld", dir, base, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int ok = fd >= 0, e = errno;
  const char *p = data;
  size_t left = n;
  while (ok && left) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      ok = 0, e = errno;
      break;
    }
    p += w, left -= (size_t)w;
  }
  if (ok && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
    ok = 0, e = errno;
  if (fd >= 0 && close(fd) != 0 && ok)
    ok = 0, e = errno;
  if (ok && rename(tmp, target) != 0)
    ok = 0, e = errno;
  if (ok) {
    /* The rename itself must survive a crash. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  } else {
    if (fd >= 0)
      unlink(tmp);
    heal_error(cmd, "cannot replace '%s': %s", target, strerror(e));
  }
  free(data);
  free(tmp);
  free(base);
  free(dir);
  free(real);
  return ok ? 0 : -1;
}

int64_t heal_deploy(struct heal_store *s, int64_t incident, int64_t cand, int64_t program,
                    const char *target, const char *binary, const char *expect_hash,
                    const char *decision) {
  const char *cmd = heal_store_cmd(s);
  char now_hash[65];
  if (heal_sha256_file(target, now_hash) != 0) {
    heal_error(cmd, "cannot read the production binary '%s': %s", target, strerror(errno));
    return -1;
  }
  if (expect_hash && strcmp(now_hash, expect_hash) != 0) {
    heal_error(cmd,
               "'%s' changed since incident %lld was recorded (it is not the binary the "
               "patch was built from); run heal fix again on the current binary",
               target, (long long)incident);
    return -1;
  }
  char hash[65];
  char *backup = NULL;
  if (heal_store_file(s, "backups", target, hash, &backup) != 0)
    return -1;
  int64_t dep = -1;
  if (heal_store_begin(s) == 0) {
    dep = heal_store_deployment(s, incident, cand, program, target, binary, backup);
    if (dep < 0 || heal_store_commit(s)) {
      heal_store_rollback(s);
      dep = -1;
    }
  }
  free(backup);
  if (dep < 0)
    return -1;
  heal_killpoint("deploy-replace");
  if (heal_replace_file(cmd, target, binary) != 0) {
    /* Nothing changed on disk: the record goes. */
    if (heal_store_begin(s) == 0 && heal_store_deployment_delete(s, dep) == 0)
      heal_store_commit(s);
    heal_store_rollback(s);
    return -1;
  }
  heal_killpoint("deploy-record");
  if (heal_store_begin(s) || heal_store_deployment_state(s, dep, "deployed") ||
      heal_store_approval(s, incident, cand, decision) ||
      heal_store_incident_state(s, incident, "deployed", NULL) || heal_store_commit(s)) {
    heal_store_rollback(s);
    heal_error(cmd, "'%s' was replaced but the store could not record it; 'heal rollback' "
                    "undoes it",
               target);
    return -1;
  }
  return dep;
}

int heal_rollback(struct heal_store *s, int64_t program) {
  const char *cmd = heal_store_cmd(s);
  json_t *d = heal_store_last_deployment(s, program);
  if (!d)
    return -1;
  if (json_is_null(d)) {
    json_decref(d);
    return 1;
  }
  int64_t id = json_integer_value(json_object_get(d, "id"));
  int64_t incident = json_integer_value(json_object_get(d, "incident"));
  int64_t cand = json_integer_value(json_object_get(d, "candidate"));
  const char *target = json_string_value(json_object_get(d, "target"));
  const char *binary = json_string_value(json_object_get(d, "binary"));
  const char *backup = json_string_value(json_object_get(d, "backup"));
  const char *state = json_string_value(json_object_get(d, "state"));
  int rc = -1;
  char now_hash[65], bin_hash[65], backup_hash[65];
  int have_now = heal_sha256_file(target, now_hash) == 0;
  if (heal_sha256_file(backup, backup_hash) != 0) {
    heal_error(cmd, "cannot read the backup '%s' of deployment %lld: %s", backup,
               (long long)id, strerror(errno));
    goto out;
  }
  if (heal_sha256_file(binary, bin_hash) != 0)
    bin_hash[0] = 0;
  /* Only undo what heal did: the target must be the deployed binary (or, for a deployment
   * killed mid-way, still the old one). */
  if (have_now && strcmp(now_hash, bin_hash) != 0 &&
      !(strcmp(state, "deploying") == 0 && strcmp(now_hash, backup_hash) == 0)) {
    heal_error(cmd,
               "'%s' is no longer the binary deployment %lld installed (it was replaced "
               "since); not rolling back",
               target, (long long)id);
    goto out;
  }
  if ((!have_now || strcmp(now_hash, backup_hash) != 0) &&
      heal_replace_file(cmd, target, backup) != 0)
    goto out;
  heal_killpoint("rollback-record");
  if (heal_store_begin(s) || heal_store_deployment_rolled_back(s, id) ||
      heal_store_approval(s, incident, cand, "rollback") ||
      heal_store_incident_state(s, incident, "rolled-back", NULL) || heal_store_commit(s)) {
    heal_store_rollback(s);
    goto out;
  }
  printf("rolled back deployment %lld of incident %lld: '%s' is the previous binary again\n",
         (long long)id, (long long)incident, target);
  rc = 0;
out:
  json_decref(d);
  return rc;
}
