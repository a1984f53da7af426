/* heal-cc: a drop-in C compiler that builds self-healing programs (docs/heal-cc.md).
 *
 * For each C source: (1) clang front end to clean bitcode, (2) opt with heal's pipeline,
 * (3) clang optimizes and generates code, and the clean bitcode is embedded in the object.
 * Links add heal's runtime and a record of the link. Everything else is clang's. */
#define _GNU_SOURCE
#include "driver.h"

#include "healcommon/proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const PROG = "heal-cc";

static void usage(void) {
  puts("usage: heal-cc [clang options] files...\n"
       "\n"
       "A drop-in C compiler (clang 19) that builds programs with heal's instrumentation and\n"
       "runtime. Every clang option works; C sources are compiled in three steps (front end,\n"
       "heal passes, clang -O pipeline + codegen) and keep their clean bitcode in the object.\n"
       "\n"
       "Environment:\n"
       "  HEAL_MODE=sensor|oracle|patch  instrumentation (default sensor)\n"
       "  HEAL_POLICY=FILE               policy JSON; implies patch\n"
       "  HEAL_PASSTHROUGH=1             run clang unchanged (no heal at all)\n"
       "  HEAL_CC_VERBOSE=1              print each command on stderr\n"
       "  HEAL_CLANG, HEAL_OPT, HEAL_OBJCOPY, HEAL_PLUGIN, HEAL_RUNTIME_DIR\n"
       "                                 override where the tools, the pass plugin and the\n"
       "                                 runtime are found\n"
       "\n"
       "Not supported: -flto; -fsanitize= other than UBSan checks in trap or minimal-runtime\n"
       "mode. See docs/heal-cc.md.");
}

static void exec_clang(const struct heal_tools *t, int argc, char **argv) {
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, t->clang);
  for (int i = 1; i < argc; i++)
    strv_push(&cmd, argv[i]);
  heal_exec(PROG, strv_argv(&cmd), t->verbose);
  exit(127);
}

/* llvm::sys::path::replace_extension on the last component. */
static char *replace_ext(const char *path, const char *ext) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *dot = strrchr(name, '.');
  size_t keep = strlen(path);
  if (dot && strcmp(name, ".") && strcmp(name, ".."))
    keep = (size_t)(dot - path);
  return heal_xasprintf("%.*s.%s", (int)keep, path, ext);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* The user's arguments for compiling one source: every flag, the dependency options, and
 * explicit -MF/-MQ where clang would derive them from the (now temporary) output. */
static void compile_args(const struct cc *cc, const struct item *src, struct strv *cmd,
                         int link_mode) {
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    if (it->kind == IT_INPUT || it->kind == IT_OUTPUT || it->kind == IT_XLANG ||
        it->kind == IT_ACTION || (it->flags & F_NOCOMPILE))
      continue;
    for (int j = 0; j < it->n; j++)
      strv_push(cmd, cc->args.v[it->i + j]);
  }
  if (cc->dep_md && !cc->dep_mf) {
    strv_push(cmd, "-MF");
    if (cc->output)
      strv_adopt(cmd, replace_ext(cc->output, "d"));
    else
      strv_adopt(cmd, replace_ext(base_name(src->value), "d"));
  }
  if (cc->dep_md && !cc->dep_target) {
    strv_push(cmd, "-MQ");
    if (cc->output)
      strv_push(cmd, cc->output);
    else
      strv_adopt(cmd, replace_ext(base_name(src->value), "o"));
  }
  if (link_mode) /* link-only flags are unused in a compile; clang is silent about them */
    strv_push(cmd, "-Wno-unused-command-line-argument");
}

static void codegen_args(const struct cc *cc, struct strv *out) {
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    if (it->kind == IT_FLAG && (it->flags & F_CODEGEN))
      for (int j = 0; j < it->n; j++)
        strv_push(out, cc->args.v[it->i + j]);
  }
}

struct ctx {
  struct heal_tools t;
  struct cc cc;
  enum heal_mode mode;
  const char *policy;
  struct strv cg; /* codegen args */
};

/* Compiles a C source through the heal chain into out (object, or assembly for -S).
 * Returns 0 or an exit status; *id is the record id. */
static int compile_c(struct ctx *x, const struct item *src, const char *out, int emit_asm,
                     int link_mode, uint64_t *id) {
  char *clean = heal_tmppath(PROG, "clean.bc");
  if (!clean)
    return 1;
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, x->t.clang);
  compile_args(&x->cc, src, &cmd, link_mode);
  strv_push(&cmd, "-c");
  strv_push(&cmd, "-emit-llvm");
  strv_push(&cmd, "-Xclang");
  strv_push(&cmd, "-disable-llvm-passes");
  /* Keep local names in the clean bitcode: without -g they are all the Oracle and a policy
   * have to name a buffer by (clang drops them in release builds). No effect on code. */
  strv_push(&cmd, "-fno-discard-value-names");
  if (src->lang) {
    strv_push(&cmd, "-x");
    strv_push(&cmd, src->lang);
  }
  strv_push(&cmd, src->value);
  strv_push(&cmd, "-o");
  strv_push(&cmd, clean);
  int st = heal_run(PROG, strv_argv(&cmd), x->t.verbose);
  strv_free(&cmd);
  if (st == 0) {
    struct heal_build b;
    memset(&b, 0, sizeof b);
    char *source = strcmp(src->value, "-") ? heal_abspath(src->value) : heal_xstrdup("<stdin>");
    b.clean_bc = clean;
    b.source = source;
    b.mode = x->mode;
    b.policy = x->policy;
    b.codegen_args = (const char *const *)strv_argv(&x->cg);
    b.out = out;
    b.emit_asm = emit_asm;
    b.embed_record = !emit_asm;
    st = heal_build_object_ex(&x->t, &b);
    *id = b.id;
    free(source);
  } else if (st < 0) {
    st = 1;
  }
  unlink(clean);
  free(clean);
  return st;
}

/* Compiles a non-C source (assembly, C++, IR...) with clang unchanged. */
static int compile_other(struct ctx *x, const struct item *src, const char *out,
                         int emit_asm, int link_mode) {
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, x->t.clang);
  compile_args(&x->cc, src, &cmd, link_mode);
  strv_push(&cmd, emit_asm ? "-S" : "-c");
  if (src->lang) {
    strv_push(&cmd, "-x");
    strv_push(&cmd, src->lang);
  }
  strv_push(&cmd, src->value);
  strv_push(&cmd, "-o");
  strv_push(&cmd, out);
  int st = heal_run(PROG, strv_argv(&cmd), x->t.verbose);
  strv_free(&cmd);
  return st < 0 ? 1 : st;
}

/* -c / -S: one output per source, named like clang names them. Like clang, a failing
 * source does not stop the others; the exit status is the first failure's. */
static int do_compile(struct ctx *x) {
  int emit_asm = x->cc.action == ACT_ASM, status = 0;
  for (size_t k = 0; k < x->cc.nitems; k++) {
    const struct item *it = &x->cc.items[k];
    if (it->kind != IT_INPUT || it->type == IN_LINK)
      continue;
    char *out = x->cc.output ? heal_xstrdup(x->cc.output)
                             : replace_ext(base_name(it->value), emit_asm ? "s" : "o");
    uint64_t id;
    int st = it->type == IN_C ? compile_c(x, it, out, emit_asm, 0, &id)
                              : compile_other(x, it, out, emit_asm, 0);
    if (st && !status)
      status = st;
    free(out);
  }
  return status;
}

static int do_link(struct ctx *x) {
  struct cc *cc = &x->cc;
  enum heal_link_kind kind = cc->relocatable ? HEAL_LINK_RELOCATABLE
                             : cc->shared    ? HEAL_LINK_SHARED
                                             : HEAL_LINK_EXECUTABLE;
  struct link_input *in = heal_xmalloc((cc->nitems + 1) * sizeof *in);
  memset(in, 0, (cc->nitems + 1) * sizeof *in);
  struct strv temps = STRV_INIT;
  int status = 0;
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    if (it->kind != IT_INPUT)
      continue;
    if (it->type == IN_LINK) {
      in[k].path = it->value;
      continue;
    }
    char *name = heal_xasprintf("%s.o", base_name(it->value)); /* .o: the link reads it so */
    char *obj = heal_tmppath(PROG, name);
    free(name);
    if (!obj) {
      status = 1;
      break;
    }
    int st = it->type == IN_C ? compile_c(x, it, obj, 0, 1, &in[k].id)
                              : compile_other(x, it, obj, 0, 1);
    in[k].compiled = it->type == IN_C ? 1 : 2;
    in[k].path = obj;
    strv_adopt(&temps, obj);
    if (st && !status)
      status = st;
  }
  char *recobj = NULL;
  if (!status)
    status = make_link_record(&x->t, cc, in, kind, &recobj);
  if (!status) {
    struct strv cmd = STRV_INIT;
    strv_push(&cmd, x->t.clang);
    for (size_t k = 0; k < cc->nitems; k++) {
      const struct item *it = &cc->items[k];
      if (it->kind == IT_XLANG || it->kind == IT_DEP)
        continue; /* every input is an object or a library now; no compile happens */
      if (it->kind == IT_INPUT) {
        strv_push(&cmd, in[k].path);
        continue;
      }
      for (int j = 0; j < it->n; j++)
        strv_push(&cmd, cc->args.v[it->i + j]);
    }
    strv_push(&cmd, "-Wno-unused-command-line-argument");
    if (recobj)
      strv_push(&cmd, recobj);
    if (heal_runtime_link_args(&x->t, kind, cc->is_static, x->mode, &cmd) != 0)
      status = 1;
    else
      status = heal_run(PROG, strv_argv(&cmd), x->t.verbose);
    if (status < 0)
      status = 1;
    strv_free(&cmd);
  }
  for (size_t i = 0; i < temps.n; i++)
    unlink(temps.v[i]);
  strv_free(&temps);
  if (recobj)
    unlink(recobj);
  free(recobj);
  free(in);
  return status;
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--heal-help")) {
    usage();
    return 0;
  }
  struct ctx x;
  memset(&x, 0, sizeof x);
  heal_tools_init(&x.t, PROG);
  if (heal_tools_check(&x.t, HEAL_NEED_CLANG) != 0)
    return 1;
  const char *pt = getenv(HEAL_ENV_PASSTHROUGH);
  if (pt && *pt && strcmp(pt, "0") != 0)
    exec_clang(&x.t, argc, argv);

  struct strv expanded = STRV_INIT;
  cc_expand(argc, argv, &expanded);
  cc_classify(&x.cc, &expanded);
  if (x.cc.passthrough)
    exec_clang(&x.t, argc, argv);
  if (x.cc.refuse) {
    fprintf(stderr, "%s\n", x.cc.refuse);
    return 1;
  }
  if (heal_mode_from_env(PROG, &x.mode, &x.policy) != 0)
    return 1;
  unsigned need = HEAL_NEED_CLANG;
  if (x.cc.nc)
    need |= HEAL_NEED_OPT | HEAL_NEED_OBJCOPY;
  if (heal_tools_check(&x.t, need) != 0)
    return 1;
  codegen_args(&x.cc, &x.cg);
  int status = x.cc.action == ACT_LINK ? do_link(&x) : do_compile(&x);
  strv_free(&x.cg);
  cc_free(&x.cc);
  heal_tools_free(&x.t);
  return status;
}
