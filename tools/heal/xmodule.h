/* The whole program's view of transactional code, for heal rebuild's patch builds
 * (docs/rollback.md, "Other modules").
 *
 * heal-undo sees one module: a transaction's undo-logging clones stop where its calls leave
 * the module. heal rebuild has every module of the binary, so it reads each module's call
 * summary (the plugin's heal-calls pass), follows the direct calls from the policy's
 * transactions (those with rollback on) across modules, and names the functions other
 * modules' transactional code reaches. The policy the modules are built with gets them as
 * "rollback_callees"; a module defining one gives it an external `.heal_tx` clone, a module
 * calling one from transactional code calls that clone. */
#ifndef HEAL_TOOL_XMODULE_H
#define HEAL_TOOL_XMODULE_H

#include "healcommon/strv.h"
#include "healcommon/toolchain.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct heal_xmod {
  uint64_t id;        /* record id (names the summary in the object cache) */
  const char *source; /* for messages */
  const void *bc;     /* clean bitcode */
  size_t size;
  char *key;          /* out: the callees this module defines or calls and the types it
                         registers or routes, comma-separated (its share of the lists,
                         for its object cache key); malloc'd */
};

/* Reads every module's call summary (made with opt -passes=heal-calls, several at once;
 * kept in objcache as <id>.calls.json when objcache is not NULL), sets *callees to the
 * functions with external linkage that transactional code of another module reaches, and
 * *types to the function types of the indirect calls transactional code makes anywhere
 * (each module registers its candidate targets of those types); sorted, each once. 0, or
 * non-zero after an error message naming cmd. */
int heal_rollback_callees(const char *cmd, const struct heal_tools *t, const char *objcache,
                          json_t *policy, struct heal_xmod *mods, size_t n,
                          struct strv *callees, struct strv *types);

#endif
