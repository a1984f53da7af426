#define _GNU_SOURCE
#include "healcommon/toolchain.h"
#include "healcommon/strv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HEAL_DEFAULT_CLANG
#define HEAL_DEFAULT_CLANG "/usr/lib/llvm-19/bin/clang"
#endif
#ifndef HEAL_DEFAULT_OPT
#define HEAL_DEFAULT_OPT "/usr/lib/llvm-19/bin/opt"
#endif
#ifndef HEAL_DEFAULT_OBJCOPY
#define HEAL_DEFAULT_OBJCOPY "/usr/lib/llvm-19/bin/llvm-objcopy"
#endif

static char *env_or(const char *var, const char *dflt) {
  const char *v = getenv(var);
  return heal_xstrdup(v && *v ? v : dflt);
}

void heal_tools_init(struct heal_tools *t, const char *prog) {
  memset(t, 0, sizeof *t);
  t->prog = prog;
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash)
      *slash = 0;
    t->libdir = heal_xasprintf("%s/../lib", self);
    char real[PATH_MAX];
    if (realpath(t->libdir, real)) {
      free(t->libdir);
      t->libdir = heal_xstrdup(real);
    }
  } else {
    t->libdir = heal_xstrdup("/usr/local/lib");
  }
  t->clang = env_or("HEAL_CLANG", HEAL_DEFAULT_CLANG);
  t->opt = env_or("HEAL_OPT", HEAL_DEFAULT_OPT);
  t->objcopy = env_or("HEAL_OBJCOPY", HEAL_DEFAULT_OBJCOPY);
  char *plugin = heal_xasprintf("%s/libHealPasses.so", t->libdir);
  t->plugin = env_or("HEAL_PLUGIN", plugin);
  free(plugin);
  t->runtime_dir = env_or("HEAL_RUNTIME_DIR", t->libdir);
  const char *v = getenv("HEAL_CC_VERBOSE");
  t->verbose = v && *v && strcmp(v, "0") != 0;
}

void heal_tools_free(struct heal_tools *t) {
  free(t->clang);
  free(t->opt);
  free(t->objcopy);
  free(t->plugin);
  free(t->runtime_dir);
  free(t->libdir);
  memset(t, 0, sizeof *t);
}

static int is_exec(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, R_OK) == 0;
}

int heal_tools_check(const struct heal_tools *t, unsigned need) {
  if ((need & HEAL_NEED_CLANG) && !is_exec(t->clang)) {
    fprintf(stderr, "%s: error: cannot find clang at %s (install clang-19 or set HEAL_CLANG)\n",
            t->prog, t->clang);
    return -1;
  }
  if ((need & HEAL_NEED_OPT) && !is_exec(t->opt)) {
    fprintf(stderr, "%s: error: cannot find opt at %s (install llvm-19 or set HEAL_OPT)\n",
            t->prog, t->opt);
    return -1;
  }
  if ((need & HEAL_NEED_OPT) && !is_file(t->plugin)) {
    fprintf(stderr,
            "%s: error: cannot find the heal pass plugin at %s (set HEAL_PLUGIN or reinstall "
            "heal)\n",
            t->prog, t->plugin);
    return -1;
  }
  if ((need & HEAL_NEED_OBJCOPY) && !is_exec(t->objcopy)) {
    fprintf(stderr,
            "%s: error: cannot find llvm-objcopy at %s (install llvm-19 or set HEAL_OBJCOPY)\n",
            t->prog, t->objcopy);
    return -1;
  }
  if (need & HEAL_NEED_RUNTIME) {
    struct stat st;
    if (stat(t->runtime_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
      fprintf(stderr,
              "%s: error: cannot find the heal runtime directory %s (set HEAL_RUNTIME_DIR or "
              "reinstall heal)\n",
              t->prog, t->runtime_dir);
      return -1;
    }
  }
  return 0;
}

int heal_mode_parse(const char *name, enum heal_mode *mode) {
  if (!strcmp(name, "sensor"))
    *mode = HEAL_MODE_SENSOR;
  else if (!strcmp(name, "oracle"))
    *mode = HEAL_MODE_ORACLE;
  else if (!strcmp(name, "patch"))
    *mode = HEAL_MODE_PATCH;
  else
    return -1;
  return 0;
}

const char *heal_mode_name(enum heal_mode mode) {
  switch (mode) {
  case HEAL_MODE_SENSOR:
    return "sensor";
  case HEAL_MODE_ORACLE:
    return "oracle";
  case HEAL_MODE_PATCH:
    return "patch";
  }
  return "?";
}

int heal_mode_from_env(const char *prog, enum heal_mode *mode, const char **policy) {
  const char *m = getenv(HEAL_ENV_MODE);
  const char *p = getenv(HEAL_ENV_POLICY);
  *policy = NULL;
  *mode = HEAL_MODE_SENSOR;
  if (m && *m && heal_mode_parse(m, mode) != 0) {
    fprintf(stderr, "%s: error: HEAL_MODE='%s' is not a mode (use sensor, oracle or patch)\n",
            prog, m);
    return -1;
  }
  if (p && *p) {
    if (m && *m && *mode != HEAL_MODE_PATCH) {
      fprintf(stderr, "%s: error: HEAL_POLICY is set but HEAL_MODE=%s (a policy needs patch "
              "mode; unset HEAL_MODE or set it to patch)\n", prog, m);
      return -1;
    }
    if (!is_file(p)) {
      fprintf(stderr, "%s: error: cannot read the policy file HEAL_POLICY=%s\n", prog, p);
      return -1;
    }
    *mode = HEAL_MODE_PATCH;
    *policy = p;
  }
  return 0;
}
