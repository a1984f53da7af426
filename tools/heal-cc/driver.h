/* Shared between heal-cc's translation units. */
#ifndef HEAL_CC_DRIVER_H
#define HEAL_CC_DRIVER_H

#include "args.h"
#include "healcommon/build.h"
#include "healcommon/linkrec.h"
#include "healcommon/toolchain.h"

/* One link input after compilation: what the linker gets and what the record says. */
struct link_input {
  const char *path;  /* object/archive/library path given to the linker */
  int compiled;      /* 1: heal-cc compiled it from a C source (id valid); 2: from another
                        source (plain object) */
  uint64_t id;       /* .heal_bitcode record id when compiled == 1 */
};

/* Builds the object that carries .heal_link (kind EXECUTABLE/SHARED) and/or .heal_objects
 * for a link. inputs[k] belongs to cc->items[k] (path NULL for non-inputs). Sets *obj to a
 * temporary object path, or NULL when nothing needs to be added. Returns 0 or an exit
 * status. */
int make_link_record(const struct heal_tools *t, const struct cc *cc,
                     const struct link_input *inputs, enum heal_link_kind kind,
                     char **obj);

#endif
