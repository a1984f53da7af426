/* Building one module (steps 2 and 3 of the chain), the runtime's link arguments and the
 * object that carries a link's records.
 *
 *   (2) opt -load-pass-plugin=<plugin> -passes=heal-<mode> [-heal-policy=P] clean.bc
 *   (3) clang <codegen args> -w -Wno-unused-command-line-argument -c -x ir heal.bc
 *   (+) llvm-objcopy --add-section .heal_bitcode=<record>: the clean bitcode and the codegen
 *       args, so the module can be built again in any mode (struct heal_bc_header).
 *
 * Temporaries go to heal_tmpdir(). HEAL_PASSES=<pipeline> replaces `heal-<mode>` (for
 * debugging heal itself). Commands are echoed when tools->verbose. */
#ifndef HEALCOMMON_BUILD_H
#define HEALCOMMON_BUILD_H

#include <heal/heal.h>
#include <stddef.h>
#include <stdint.h>

#include "healcommon/linkrec.h"
#include "healcommon/strv.h"
#include "healcommon/toolchain.h"

struct heal_build {
  const char *clean_bc;            /* clean front-end bitcode (input) */
  const char *source;              /* source path stored in the record (NULL: "") */
  enum heal_mode mode;
  const char *policy;              /* policy file (patch mode) or NULL */
  const char *const *codegen_args; /* NULL-terminated; may be NULL */
  const char *out;                 /* object file (assembly if emit_asm) */
  int emit_asm;                    /* clang -S instead of -c; never embeds a record */
  int embed_record;                /* add the .heal_bitcode record to the object */
  const char *calls_out;           /* also write the module's call summary there (heal
                                      rebuild's object cache; lib/CallSummary.h), or NULL */
  uint64_t id;                     /* out: id of the embedded record */
};

/* Runs steps 2, 3 and the embedding. Returns 0, or the non-zero exit status of the step
 * that failed (1 if it could not run); the tool's own diagnostics are on stderr. */
int heal_build_object_ex(const struct heal_tools *t, struct heal_build *b);

/* The same with the common defaults (no recorded source name). */
int heal_build_object(const struct heal_tools *t, const char *clean_bc, enum heal_mode mode,
                      const char *policy, const char *const *codegen_args,
                      const char *out_obj, int embed_record);

/* Appends to out the clang arguments that link heal's runtime into a link of this kind:
 *   executable/shared, dynamic: -L<rt> -Wl,--push-state,--no-as-needed,-Bdynamic -lheal_rt
 *                               -Wl,--pop-state -Wl,-rpath,<rt>
 *   static:                     <rt>/libheal_rt.a -Wl,-u,__heal_register_module
 *                               -Wl,--wrap=pthread_create
 *   relocatable (-r):           nothing
 * In oracle mode an executable also gets the Oracle's heap, before the runtime:
 *   dynamic: -lheal_oracle (in the same push-state group, so it precedes libc in lookup)
 *   static:  -Wl,--whole-archive <rt>/libheal_oracle.a -Wl,--no-whole-archive
 * (whole: libc.a's malloc must never be pulled in). Shared libraries do not get it: only
 * the executable's own DT_NEEDED list puts it before libc.
 * A shared library and the executable that loads it each name libheal_rt.so as DT_NEEDED,
 * so the dynamic loader maps one copy per process. Returns -1 after printing an error if
 * the runtime file is missing. */
int heal_runtime_link_args(const struct heal_tools *t, enum heal_link_kind kind,
                           int is_static, enum heal_mode mode, struct strv *out);

/* The object that carries a link's records: a non-allocated, retained section .heal_link
 * with the link_size bytes at link (a heal_link_section_build payload) and one
 * .heal_objects with the objects_size bytes at objects (concatenated heal_obj_record_build
 * records); an empty payload gets no section. It is assembled by
 *   clang <target_flags> -c -x assembler record.s   (.incbin of the payload files)
 * so target_flags (ntarget words, see heal_target_flag_words) must select the link's
 * target. On success sets *obj_out to the object's absolute temporary path (the caller
 * removes it) and returns 0; else returns an exit status after printing
 * "<prog>: error: ..." (prog names the command in messages, e.g. "heal rebuild"). */
int heal_record_object(const struct heal_tools *t, const char *prog, char *const target_flags[],
                       size_t ntarget, const void *link, size_t link_size,
                       const void *objects, size_t objects_size, char **obj_out);

/* Whether a compiler argument selects the target, and how many words it spans: 1 for
 * --target=X, -m32, -m64, -mx32, -m16; 2 for -target X; 0 otherwise. */
int heal_target_flag_words(const char *arg);

#endif
