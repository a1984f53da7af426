/* Finding the tools heal chains, and reading heal's environment configuration.
 *
 * Defaults are relative to the running executable (`<dir of /proc/self/exe>/../lib` holds
 * libHealPasses.so, libheal_rt.so and libheal_rt.a) and to the LLVM 19 found at build time
 * (clang, opt, llvm-objcopy). Environment overrides:
 *   HEAL_CLANG, HEAL_OPT, HEAL_OBJCOPY   the LLVM tools
 *   HEAL_PLUGIN                          the pass plugin (.so)
 *   HEAL_RUNTIME_DIR                     directory with libheal_rt.so / libheal_rt.a
 *   HEAL_CC_VERBOSE=1                    print every command before running it
 * Errors are printed as `<prog>: error: ... (how to fix)` on stderr. */
#ifndef HEALCOMMON_TOOLCHAIN_H
#define HEALCOMMON_TOOLCHAIN_H

#include <heal/heal.h>

struct heal_tools {
  const char *prog; /* name used in messages, e.g. "heal-cc" */
  char *clang;
  char *opt;
  char *objcopy;
  char *plugin;
  char *runtime_dir;
  char *libdir;     /* <dir of executable>/../lib (may not exist) */
  int verbose;      /* HEAL_CC_VERBOSE: echo commands on stderr */
};

/* What heal_tools_check verifies. */
#define HEAL_NEED_CLANG 1u
#define HEAL_NEED_OPT 2u     /* opt and the plugin */
#define HEAL_NEED_OBJCOPY 4u
#define HEAL_NEED_RUNTIME 8u /* runtime_dir exists */

/* Fills *t from the environment and defaults. Never fails (paths are only computed). */
void heal_tools_init(struct heal_tools *t, const char *prog);
/* Checks that the tools in `need` exist and are executable/readable; prints one clear
 * error for the first missing one and returns -1, else 0. */
int heal_tools_check(const struct heal_tools *t, unsigned need);
void heal_tools_free(struct heal_tools *t);

/* Reads HEAL_MODE (sensor|oracle|patch, default sensor) and HEAL_POLICY (a file; implies
 * patch; must exist). On a bad value prints an error and returns -1. *policy is NULL or
 * the HEAL_POLICY value (not copied). */
int heal_mode_from_env(const char *prog, enum heal_mode *mode, const char **policy);
/* Parses "sensor"/"oracle"/"patch"; returns -1 for anything else. */
int heal_mode_parse(const char *name, enum heal_mode *mode);
const char *heal_mode_name(enum heal_mode mode);

#endif
