#define _GNU_SOURCE
#include "healcommon/build.h"
#include "healcommon/proc.h"
#include "healcommon/records.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail_status(int st) { return st > 0 ? st : 1; }

int heal_build_object_ex(const struct heal_tools *t, struct heal_build *b) {
  int st = 1;
  int embed = b->embed_record && !b->emit_asm, in_place = 0;
  char *heal_bc = heal_tmppath(t->prog, "heal.bc");
  char *obj = NULL, *rec = NULL;
  struct strv cmd = STRV_INIT;
  if (!heal_bc)
    goto out;

  /* (2) heal's pipeline on the clean IR, before any optimization. */
  strv_push(&cmd, t->opt);
  strv_pushf(&cmd, "-load-pass-plugin=%s", t->plugin);
  const char *passes = getenv("HEAL_PASSES");
  if (passes && *passes)
    strv_pushf(&cmd, "-passes=%s", passes);
  else
    strv_pushf(&cmd, "-passes=heal-%s", heal_mode_name(b->mode));
  if (b->policy)
    strv_pushf(&cmd, "-heal-policy=%s", b->policy);
  if (b->calls_out)
    strv_pushf(&cmd, "-heal-calls-out=%s", b->calls_out);
  strv_push(&cmd, b->clean_bc);
  strv_push(&cmd, "-o");
  strv_push(&cmd, heal_bc);
  st = heal_run(t->prog, strv_argv(&cmd), t->verbose);
  strv_free(&cmd);
  if (st != 0) {
    fprintf(stderr, "%s: error: the heal pass pipeline failed on %s (opt exit status %d)\n",
            t->prog, b->source && *b->source ? b->source : b->clean_bc, st);
    st = fail_status(st);
    goto out;
  }

  /* (3) clang's own optimization pipeline and code generation. Front-end warnings were
   * reported in step 1 already; -w keeps this step silent (and -Werror-proof). */
  /* Compile straight to the output and add the record in place, so that what clang derives
   * from the output name (-gsplit-dwarf's .dwo) is right; only outputs that are not
   * regular files (/dev/null, "-") go through a temporary. */
  struct stat ost;
  in_place = embed && strcmp(b->out, "-") != 0 &&
             !(stat(b->out, &ost) == 0 && !S_ISREG(ost.st_mode));
  obj = embed && !in_place ? heal_tmppath(t->prog, "heal.o") : heal_xstrdup(b->out);
  strv_push(&cmd, t->clang);
  for (const char *const *a = b->codegen_args; a && *a; a++)
    strv_push(&cmd, *a);
  strv_push(&cmd, "-w");
  strv_push(&cmd, "-Wno-unused-command-line-argument");
  strv_push(&cmd, b->emit_asm ? "-S" : "-c");
  strv_push(&cmd, "-x");
  strv_push(&cmd, "ir");
  strv_push(&cmd, heal_bc);
  strv_push(&cmd, "-o");
  strv_push(&cmd, obj);
  st = heal_run(t->prog, strv_argv(&cmd), t->verbose);
  strv_free(&cmd);
  if (st != 0) {
    st = fail_status(st);
    goto out;
  }
  if (!embed)
    goto out;

  /* (+) the clean bitcode and codegen args as a non-allocated section. */
  void *bc;
  size_t bcsize;
  if (heal_read_file(b->clean_bc, &bc, &bcsize) != 0) {
    fprintf(stderr, "%s: error: cannot read %s: %s\n", t->prog, b->clean_bc, strerror(errno));
    st = 1;
    goto out;
  }
  size_t nargs = 0;
  while (b->codegen_args && b->codegen_args[nargs])
    nargs++;
  rec = heal_tmppath(t->prog, "record.bin");
  int w = heal_bc_record_write(rec, b->source ? b->source : "", b->codegen_args, nargs, bc,
                               bcsize, &b->id);
  free(bc);
  if (w != 0) {
    fprintf(stderr, "%s: error: cannot write %s: %s\n", t->prog, rec, strerror(errno));
    st = 1;
    goto out;
  }
  strv_push(&cmd, t->objcopy);
  strv_pushf(&cmd, "--add-section=%s=%s", HEAL_SECTION_BITCODE, rec);
  strv_pushf(&cmd, "--set-section-alignment=%s=1", HEAL_SECTION_BITCODE);
  if (!in_place)
    strv_push(&cmd, obj);
  strv_push(&cmd, b->out);
  st = heal_run(t->prog, strv_argv(&cmd), t->verbose);
  strv_free(&cmd);
  if (st != 0) {
    fprintf(stderr, "%s: error: llvm-objcopy could not add the %s record to %s\n", t->prog,
            HEAL_SECTION_BITCODE, b->out);
    st = fail_status(st);
    if (in_place)
      unlink(b->out); /* no object without its record */
  }
out:
  /* Temporaries are removed now, not only at exit: a build of many sources stays small. */
  if (heal_bc)
    unlink(heal_bc);
  if (embed && !in_place && obj)
    unlink(obj);
  if (rec)
    unlink(rec);
  free(heal_bc);
  free(obj);
  free(rec);
  return st;
}

int heal_build_object(const struct heal_tools *t, const char *clean_bc, enum heal_mode mode,
                      const char *policy, const char *const *codegen_args,
                      const char *out_obj, int embed_record) {
  struct heal_build b;
  memset(&b, 0, sizeof b);
  b.clean_bc = clean_bc;
  b.mode = mode;
  b.policy = policy;
  b.codegen_args = codegen_args;
  b.out = out_obj;
  b.embed_record = embed_record;
  return heal_build_object_ex(t, &b);
}

int heal_target_flag_words(const char *a) {
  if (!strncmp(a, "--target=", 9) || !strcmp(a, "-m32") || !strcmp(a, "-m64") ||
      !strcmp(a, "-mx32") || !strcmp(a, "-m16"))
    return 1;
  return strcmp(a, "-target") ? 0 : 2;
}

/* `.section NAME,"R",@progbits` + `.incbin "PATH"` (quotes and backslashes escaped). */
static char *incbin(const char *section, const char *path) {
  char *q = heal_xmalloc(2 * strlen(path) + 1), *o = q;
  for (const char *p = path; *p; p++) {
    if (*p == '"' || *p == '\\')
      *o++ = '\\';
    *o++ = *p;
  }
  *o = 0;
  char *line = heal_xasprintf("\t.section %s,\"R\",@progbits\n\t.incbin \"%s\"\n", section, q);
  free(q);
  return line;
}

/* An absolute temporary path (the caller may link from another directory). */
static char *abs_tmppath(const struct heal_tools *t, const char *base) {
  char *p = heal_tmppath(t->prog, base);
  char *abs = p ? heal_abspath(p) : NULL;
  free(p);
  return abs;
}

int heal_record_object(const struct heal_tools *t, const char *prog, char *const target_flags[],
                       size_t ntarget, const void *link, size_t link_size,
                       const void *objects, size_t objects_size, char **obj_out) {
  *obj_out = NULL;
  char *link_bin = abs_tmppath(t, "link.bin"), *objs_bin = abs_tmppath(t, "objects.bin");
  char *asm_path = abs_tmppath(t, "record.s"), *out = abs_tmppath(t, "record.o");
  int st = 1;
  if (!link_bin || !objs_bin || !asm_path || !out)
    goto done;
  const char *bad = NULL;
  if (link_size && heal_write_file(link_bin, link, link_size) != 0)
    bad = link_bin;
  else if (objects_size && heal_write_file(objs_bin, objects, objects_size) != 0)
    bad = objs_bin;
  if (!bad) {
    /* No executable stack because of this object (ld assumes one without the note). */
    char *l = link_size ? incbin(HEAL_SECTION_LINK, link_bin) : heal_xstrdup("");
    char *o = objects_size ? incbin(HEAL_SECTION_OBJECTS, objs_bin) : heal_xstrdup("");
    char *text = heal_xasprintf("\t.section .note.GNU-stack,\"\",@progbits\n%s%s", l, o);
    if (heal_write_file(asm_path, text, strlen(text)) != 0)
      bad = asm_path;
    free(l), free(o), free(text);
  }
  if (bad) {
    fprintf(stderr, "%s: error: cannot write %s: %s\n", prog, bad, strerror(errno));
    goto done;
  }
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, t->clang);
  strv_extend(&cmd, (const char *const *)target_flags, ntarget);
  strv_push(&cmd, "-c");
  strv_push(&cmd, "-x");
  strv_push(&cmd, "assembler");
  strv_push(&cmd, asm_path);
  strv_push(&cmd, "-o");
  strv_push(&cmd, out);
  st = heal_run(t->prog, strv_argv(&cmd), t->verbose);
  strv_free(&cmd);
  if (st != 0) {
    fprintf(stderr, "%s: error: could not assemble the link record\n", prog);
    st = fail_status(st);
  }
done:
  /* The payload files are only needed by the assembler. */
  if (link_bin)
    unlink(link_bin);
  if (objs_bin)
    unlink(objs_bin);
  if (asm_path)
    unlink(asm_path);
  free(link_bin), free(objs_bin), free(asm_path);
  if (st == 0)
    *obj_out = out;
  else
    free(out);
  return st;
}

int heal_runtime_link_args(const struct heal_tools *t, enum heal_link_kind kind,
                           int is_static, enum heal_mode mode, struct strv *out) {
  if (kind == HEAL_LINK_RELOCATABLE)
    return 0;
  char *lib = heal_xasprintf("%s/%s", t->runtime_dir, is_static ? "libheal_rt.a" : "libheal_rt.so");
  /* The Oracle's malloc family (libheal_oracle), for executables only: see build.h. */
  char *heap = NULL;
  if (mode == HEAL_MODE_ORACLE && kind == HEAL_LINK_EXECUTABLE)
    heap = heal_xasprintf("%s/%s", t->runtime_dir,
                          is_static ? "libheal_oracle.a" : "libheal_oracle.so");
  const char *missing = !heal_is_file(lib) ? lib : heap && !heal_is_file(heap) ? heap : NULL;
  if (missing) {
    fprintf(stderr,
            "%s: error: cannot find the heal runtime at %s (set HEAL_RUNTIME_DIR or reinstall "
            "heal)\n",
            t->prog, missing);
    free(lib);
    free(heap);
    return -1;
  }
  if (is_static) {
    if (heap) {
      strv_push(out, "-Wl,--whole-archive");
      strv_adopt(out, heap);
      strv_push(out, "-Wl,--no-whole-archive");
    }
    /* -u: the archive's runtime is linked even when no instrumented module references it
     * (a link of plain objects only); --wrap: threads get an alternate signal stack from
     * __wrap_pthread_create (wrap.c), so their stack overflows are reported. */
    strv_adopt(out, lib);
    strv_push(out, "-Wl,-u,__heal_register_module");
    strv_push(out, "-Wl,--wrap=pthread_create");
    return 0;
  }
  free(lib);
  strv_pushf(out, "-L%s", t->runtime_dir);
  strv_push(out, "-Wl,--push-state,--no-as-needed,-Bdynamic");
  if (heap) {
    strv_push(out, "-lheal_oracle");
    free(heap);
  }
  strv_push(out, "-lheal_rt");
  strv_push(out, "-Wl,--pop-state");
  strv_pushf(out, "-Wl,-rpath,%s", t->runtime_dir);
  return 0;
}
