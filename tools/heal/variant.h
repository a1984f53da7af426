/* Variants of a heal-cc binary: building one from the bitcode it carries (what `heal
 * rebuild` does), and a cache of them so a loop over inputs or candidates builds each
 * variant once.
 *
 * Cache layout: <heal home>/cache/<hash>-<mode>[-<policy hash>] where hash is the FNV-1a
 * 64 of the binary's bytes (and size) and of the tools (plugin, opt, clang, runtime
 * directory: path, size, modification time), so a rebuilt or replaced binary, or a
 * rebuilt heal, never hits a stale entry. Entries are written under a temporary name and renamed, so concurrent heal
 * processes and a heal killed mid-build never leave a half-written variant. */
#ifndef HEAL_TOOL_VARIANT_H
#define HEAL_TOOL_VARIANT_H

#include <heal/heal.h>

/* Builds the variant of binary for mode (with policy, a JSON file, in patch mode; NULL
 * otherwise) into out, exactly like `heal rebuild` (same checks, same errors printed as
 * "heal <cmd>: error: ..."). out may be binary itself; on failure out is left untouched.
 * objcache: NULL, or a directory where each module's built object is kept and reused by
 * later builds when the module, the mode and the policy entries naming the module's own
 * functions are the same (candidates of `heal fix` differ in one or two functions: only
 * their modules are built again). Returns 0, or an exit status (1..125). Silent on success
 * unless HEAL_CC_VERBOSE=1. Changes no process state (cwd is restored). */
int heal_rebuild_variant(const char *cmd, const char *binary, enum heal_mode mode,
                         const char *policy, const char *out, const char *objcache);

/* Checks that binary is an executable or shared library linked by heal-cc (readable, ELF,
 * has .heal_link), printing the same one-line errors as heal rebuild. 0 or -1. Cheap: for
 * checking arguments before any work. */
int heal_variant_check(const char *cmd, const char *binary);

/* heal's working directory: $HEAL_HOME if set, else ./.heal (absolute, malloc'd; not
 * created). The incident store and the cache live there. */
char *heal_home_dir(void);

/* "%016llx" FNV-1a 64 of the file's bytes followed by its size, into hex (17 bytes).
 * 0, or -1 with errno. */
int heal_file_hash(const char *path, char hex[17]);

/* The cached variant of binary for mode/policy: built with heal_rebuild_variant on a miss
 * (module objects reused from <heal home>/cache/objects), path returned either way
 * (malloc'd). *hit (if not NULL) says whether it was already there. NULL on error (printed).
 * The cache directory is created on demand. */
char *heal_variant_cached(const char *cmd, const char *binary, enum heal_mode mode,
                          const char *policy, int *hit);

#endif
