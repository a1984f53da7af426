/* heal rebuild BINARY --mode M [--policy P] -o OUT
 *
 * Builds another variant of a binary linked by heal-cc from what the binary carries:
 * every .heal_bitcode record is built again for mode M (its clean record re-embedded, so
 * the result can be rebuilt in turn), every .heal_objects record is written out as the
 * object it was, and the link recorded in .heal_link is run again in its order, with the
 * runtime for M and a fresh link record. Archives and shared libraries are referenced by
 * path, so they must still be where the record says. Silent on success. */
#define _GNU_SOURCE
#include "cli.h"
#include "variant.h"
#include "workers.h"
#include "xmodule.h"

#include "healcommon/build.h"
#include "healcommon/linkrec.h"
#include "healcommon/proc.h"
#include "healcommon/records.h"
#include "healcommon/strv.h"
#include "healcommon/toolchain.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMD "rebuild"
#define USAGE                                                                                 \
  "usage: heal rebuild BINARY --mode sensor|oracle|patch [--policy FILE] [--object-cache DIR] "  \
  "-o OUT"

/* One module of the binary: a bitcode record, or an embedded plain object. */
struct module {
  uint64_t id;
  int is_object;
  char *source;       /* bitcode: source path recorded by heal-cc; object: original path */
  struct strv args;   /* bitcode: codegen args */
  const void *data;   /* clean bitcode or object bytes (into the section copy) */
  size_t size;
  char *built;        /* path of the object built for this rebuild, once built */
  int built_cached;   /* built is an object cache entry: not removed afterwards */
  char *bc, *obj;     /* while being compiled: its input and output */
  char *cache;        /* its object cache entry, or NULL */
  char *xkey;         /* the policy's rollback callees it defines or calls (xmodule.h) */
};

struct rebuild {
  const char *cmd;     /* subcommand named in messages ("rebuild", "fix", ...) */
  char *prog;          /* "heal <cmd>" */
  const char *objcache; /* directory of reusable module objects, or NULL */
  const char *binary;
  const char *out_arg; /* OUT as given, for messages */
  char *out;          /* absolute */
  enum heal_mode mode;
  char *policy;       /* absolute, or NULL */
  char *build_policy; /* what the modules are built with: policy + rollback callees */
  struct heal_tools t;
  void *bc_sec, *obj_sec, *link_sec;
  size_t bc_size, obj_size, link_size;
  struct heal_link_record rec;
  struct module *mods;
  size_t nmods;
};

static struct module *add_module(struct rebuild *r) {
  r->mods = heal_xrealloc(r->mods, (r->nmods + 1) * sizeof *r->mods);
  struct module *m = &r->mods[r->nmods++];
  memset(m, 0, sizeof *m);
  return m;
}

static struct module *find_module(struct rebuild *r, uint64_t id, int is_object) {
  for (size_t i = 0; i < r->nmods; i++)
    if (r->mods[i].id == id && r->mods[i].is_object == is_object)
      return &r->mods[i];
  return NULL;
}

static int bc_cb(const struct heal_bc_record *rec, void *ctx) {
  struct rebuild *r = ctx;
  if (find_module(r, rec->id, 0))
    return 0; /* the same module linked twice: one build serves both */
  struct module *m = add_module(r);
  m->id = rec->id;
  m->source = heal_xstrdup(rec->source);
  for (size_t i = 0; i < rec->nargs; i++)
    strv_push(&m->args, rec->args[i]);
  m->data = rec->bitcode;
  m->size = rec->bitcode_size;
  return 0;
}

static int obj_cb(const struct heal_obj_record *rec, void *ctx) {
  struct rebuild *r = ctx;
  if (find_module(r, rec->id, 1))
    return 0;
  struct module *m = add_module(r);
  m->id = rec->id;
  m->is_object = 1;
  m->source = heal_xstrdup(rec->name);
  m->data = rec->object;
  m->size = rec->object_size;
  return 0;
}

static int parse_args(struct rebuild *r, int argc, char **argv) {
  const char *mode = NULL, *policy = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = NULL;
    const char *name = NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      puts(USAGE);
      exit(0);
    }
    if (!strcmp(a, "--mode") || !strcmp(a, "--policy") || !strcmp(a, "-o") ||
        !strcmp(a, "--object-cache")) {
      name = a;
      dst = a[2] == 'm' ? &mode : a[2] == 'p' ? &policy : a[2] == 'o' ? &r->objcache : &out;
      if (i + 1 >= argc) {
        heal_error(CMD, "%s needs an argument", name);
        return -1;
      }
      *dst = argv[++i];
    } else if (!strncmp(a, "--mode=", 7)) {
      mode = a + 7;
    } else if (!strncmp(a, "--policy=", 9)) {
      policy = a + 9;
    } else if (a[0] == '-' && a[1]) {
      heal_error(CMD, "unknown option '%s'\n%s", a, USAGE);
      return -1;
    } else if (r->binary) {
      heal_error(CMD, "more than one BINARY ('%s' and '%s')\n%s", r->binary, a, USAGE);
      return -1;
    } else {
      r->binary = a;
    }
  }
  if (!r->binary) {
    heal_error(CMD, "missing BINARY\n%s", USAGE);
    return -1;
  }
  if (!out) {
    heal_error(CMD, "missing -o OUT\n%s", USAGE);
    return -1;
  }
  if (!mode && !policy) {
    heal_error(CMD, "missing --mode (sensor, oracle or patch)\n%s", USAGE);
    return -1;
  }
  if (mode && heal_mode_parse(mode, &r->mode) != 0) {
    heal_error(CMD, "unknown mode '%s' (expected sensor, oracle or patch)", mode);
    return -1;
  }
  if (policy) {
    if (mode && r->mode != HEAL_MODE_PATCH) {
      heal_error(CMD, "--policy needs --mode patch (got --mode %s)", mode);
      return -1;
    }
    r->mode = HEAL_MODE_PATCH;
    if (access(policy, R_OK) != 0) {
      heal_error(CMD, "cannot read policy '%s': %s", policy, strerror(errno));
      return -1;
    }
    r->policy = heal_abspath(policy);
  }
  r->out_arg = out;
  return 0;
}

/* OUT's directory must be writable (the variant is linked next to OUT and renamed over
 * it), and OUT must not be a directory. Checked first so a mistake costs no build. */
static int check_out(const struct rebuild *r) {
  char *dir = heal_xstrdup(r->out);
  char *slash = strrchr(dir, '/');
  if (slash == dir)
    slash[1] = 0;
  else
    *slash = 0;
  struct stat st;
  const char *why = NULL;
  if (stat(r->out, &st) == 0 && S_ISDIR(st.st_mode))
    why = strerror(EISDIR);
  else if (stat(dir, &st) != 0)
    why = strerror(errno);
  else if (!S_ISDIR(st.st_mode))
    why = strerror(ENOTDIR);
  else if (access(dir, W_OK) != 0)
    why = strerror(errno);
  if (why)
    heal_error(r->cmd, "cannot write '%s': %s", r->out_arg, why);
  free(dir);
  return why ? -1 : 0;
}

/* Reads the three sections and parses the records. */
static int read_binary(struct rebuild *r) {
  const char *b = r->binary;
  if (access(b, R_OK) != 0) {
    heal_error(r->cmd, "cannot open '%s': %s", b, strerror(errno));
    return -1;
  }
  struct stat st;
  if (stat(b, &st) == 0 && S_ISDIR(st.st_mode)) {
    heal_error(r->cmd, "cannot open '%s': %s", b, strerror(EISDIR));
    return -1;
  }
  if (heal_file_kind(b) != 'e') {
    heal_error(r->cmd, "'%s' is not an ELF file", b);
    return -1;
  }
  int has_link = heal_elf_section(b, HEAL_SECTION_LINK, &r->link_sec, &r->link_size);
  int has_bc = heal_elf_section(b, HEAL_SECTION_BITCODE, &r->bc_sec, &r->bc_size);
  int has_obj = heal_elf_section(b, HEAL_SECTION_OBJECTS, &r->obj_sec, &r->obj_size);
  if (has_link < 0 || has_bc < 0 || has_obj < 0) {
    heal_error(r->cmd, "cannot read '%s': %s", b, strerror(errno));
    return -1;
  }
  if (!has_link) {
    if (has_bc)
      heal_error(r->cmd,
                 "'%s' has heal bitcode but no link record (.heal_link): only executables and "
                 "shared libraries linked by heal-cc can be rebuilt",
                 b);
    else
      heal_error(r->cmd, "'%s' was not built by heal-cc (it has no .heal_link section)", b);
    return -1;
  }
  const char *json;
  size_t len;
  if (heal_link_section_json(r->link_sec, r->link_size, &json, &len) != 0) {
    heal_error(r->cmd, "corrupt .heal_link record in '%s': bad header or size", b);
    return -1;
  }
  char *err = NULL;
  if (heal_link_record_parse(json, len, &r->rec, &err) != 0) {
    heal_error(r->cmd, "corrupt .heal_link record in '%s': %s", b, err ? err : "invalid JSON");
    free(err);
    return -1;
  }
  if (has_bc && heal_bc_foreach(r->bc_sec, r->bc_size, bc_cb, r) != 0) {
    heal_error(r->cmd, "corrupt .heal_bitcode section in '%s'", b);
    return -1;
  }
  if (has_obj && heal_obj_foreach(r->obj_sec, r->obj_size, obj_cb, r) != 0) {
    heal_error(r->cmd, "corrupt .heal_objects section in '%s'", b);
    return -1;
  }
  return 0;
}

/* Every id the link record names must be in the binary. */
static int check_ids(struct rebuild *r, const uint64_t *ids, size_t n, int is_object) {
  for (size_t i = 0; i < n; i++) {
    if (find_module(r, ids[i], is_object))
      continue;
    char hex[17];
    heal_id_hex(ids[i], hex);
    heal_error(r->cmd, "corrupt records in '%s': the link record names %s %s, which is not in %s",
               r->binary, is_object ? "object" : "module", hex,
               is_object ? HEAL_SECTION_OBJECTS : HEAL_SECTION_BITCODE);
    return -1;
  }
  return 0;
}

/* Flags whose value is the next argument, so that value is not taken for an input. */
static int takes_value(const char *a) {
  static const char *const flags[] = {"-Xlinker", "-T", "-B", "--sysroot", "-z", "-u",
                                      "-e", "-target", "-l", "-L", "-Xassembler"};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
    if (!strcmp(a, flags[i]))
      return 1;
  return 0;
}

/* Why p is not a usable file, for messages. */
static const char *why_missing(const char *p) {
  struct stat st;
  if (stat(p, &st) != 0)
    return strerror(errno);
  return S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
}

/* Asks clang whether NAME is in its own library directories (those it passes to ld). */
static int clang_finds(const struct rebuild *r, const char *name) {
  char *outp = heal_tmppath("heal", "print-file-name.txt");
  if (!outp)
    return 0;
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, r->t.clang);
  strv_pushf(&cmd, "-print-file-name=%s", name);
  int found = 0;
  if (heal_run_to("heal", strv_argv(&cmd), r->t.verbose, outp) == 0) {
    void *d;
    size_t n;
    if (heal_read_file(outp, &d, &n) == 0) {
      char *s = d;
      s[strcspn(s, "\n")] = 0;
      found = s[0] == '/' && heal_is_file(s); /* clang echoes the bare name when not found */
      free(d);
    }
  }
  strv_free(&cmd);
  unlink(outp);
  free(outp);
  return found;
}

/* -lNAME must resolve in the recorded -L directories or clang's own. */
static int check_lib(const struct rebuild *r, const char *name) {
  struct strv dirs = STRV_INIT;
  for (size_t i = 0; i < r->rec.nargs; i++) {
    const struct heal_link_arg *a = &r->rec.args[i];
    if (a->kind == HEAL_LARG_STRING && !strncmp(a->text, "-L", 2) && a->text[2])
      strv_push(&dirs, a->text + 2);
  }
  const char *exts[] = {".so", ".a"};
  int found = 0;
  for (int e = r->rec.is_static ? 1 : 0; e < 2 && !found; e++) {
    char *file = name[0] == ':' ? heal_xstrdup(name + 1)
                                : heal_xasprintf("lib%s%s", name, exts[e]);
    for (size_t d = 0; d < dirs.n && !found; d++) {
      char *p = heal_xasprintf("%s/%s", dirs.v[d], file);
      found = heal_is_file(p);
      free(p);
    }
    if (!found)
      found = clang_finds(r, file);
    free(file);
  }
  if (!found) {
    size_t len = 0;
    for (size_t d = 0; d < dirs.n; d++)
      len += strlen(dirs.v[d]) + 2;
    char *list = heal_xmalloc(len + 1), *p = list;
    *p = 0;
    for (size_t d = 0; d < dirs.n; d++)
      p += sprintf(p, "%s%s", d ? ", " : "", dirs.v[d]);
    heal_error(r->cmd,
               "library -l%s recorded in the link of '%s' is missing: not found in %s%sthe "
               "compiler's library directories",
               name, r->binary, list, dirs.n ? " or " : "");
    free(list);
  }
  strv_free(&dirs);
  return found ? 0 : -1;
}

/* Everything the link needs from outside the binary, checked before any build. */
static int check_inputs(struct rebuild *r) {
  for (size_t i = 0; i < r->rec.nargs; i++) {
    const struct heal_link_arg *a = &r->rec.args[i];
    const char *prev = i && r->rec.args[i - 1].kind == HEAL_LARG_STRING
                           ? r->rec.args[i - 1].text
                           : "";
    switch (a->kind) {
    case HEAL_LARG_OBJECT:
      if (check_ids(r, a->bitcode, a->nbitcode, 0) || check_ids(r, a->objects, a->nobjects, 1))
        return -1;
      break;
    case HEAL_LARG_ARCHIVE: /* ids of members the linker left out are not in the binary */
      if (!heal_is_file(a->text)) {
        heal_error(r->cmd, "archive '%s' recorded in the link of '%s' is missing: %s", a->text,
                   r->binary, why_missing(a->text));
        return -1;
      }
      break;
    case HEAL_LARG_STRING:
      /* heal-cc records input files (shared libraries, linker scripts) by absolute path. */
      if (a->text[0] == '/' && !takes_value(prev) && !heal_is_file(a->text)) {
        heal_error(r->cmd, "library '%s' recorded in the link of '%s' is missing: %s", a->text,
                   r->binary, why_missing(a->text));
        return -1;
      }
      if (!strcmp(prev, "-l") && check_lib(r, a->text))
        return -1;
      if (!strncmp(a->text, "-l", 2) && a->text[2] && check_lib(r, a->text + 2))
        return -1;
      break;
    }
  }
  return 0;
}

/* ---- object cache (heal fix: candidates differ in a few functions) ------------------ */

/* Adds the names of the functions (and variables) module bitcode bc defines to *names,
 * with llvm-nm next to opt; remembered in the object cache as <id>.names (a module's
 * symbols are a function of its record, whose id names it). Returns -1 when that cannot
 * be done (then nothing is cached). */
static int defined_names(struct rebuild *r, const struct module *m, const char *bc,
                         struct strv *names) {
  char hex[17];
  heal_id_hex(m->id, hex);
  char *memo = heal_xasprintf("%s/%s.names", r->objcache, hex);
  void *d;
  size_t n;
  int st = -1;
  if (heal_read_file(memo, &d, &n) == 0) {
    st = 0;
  } else {
    char *dir = heal_xstrdup(r->t.opt);
    char *slash = strrchr(dir, '/');
    if (slash)
      *slash = 0;
    char *nm = heal_xasprintf("%s/llvm-nm", slash ? dir : ".");
    free(dir);
    char *outp = heal_tmppath("heal", "nm.txt");
    if (outp && access(nm, X_OK) == 0) {
      char *argv[] = {nm, "--defined-only", "-j", (char *)bc, NULL};
      if (heal_run_to("heal", argv, r->t.verbose, outp) == 0 &&
          heal_read_file(outp, &d, &n) == 0) {
        st = 0;
        char *tmp = heal_xasprintf("%s.tmp-%ld", memo, (long)getpid());
        if (heal_write_file(tmp, d, n) != 0 || rename(tmp, memo) != 0)
          unlink(tmp);
        free(tmp);
      }
    }
    if (outp)
      unlink(outp);
    free(outp);
    free(nm);
  }
  if (st == 0) {
    for (char *line = d, *save = NULL; (line = strtok_r(line, "\n", &save)); line = NULL)
      strv_push(names, line);
    free(d);
  }
  free(memo);
  return st;
}

static int in_strv(const struct strv *v, const char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (!strcmp(v->v[i], s))
      return 1;
  return 0;
}

/* The entries of policy array `key` that name a function of the module. */
static json_t *entries_for(json_t *policy, const char *key, const struct strv *names) {
  json_t *out = json_array(), *arr = json_object_get(policy, key), *e;
  size_t i;
  json_array_foreach(arr, i, e) {
    const char *f = json_string_value(json_object_get(e, "function"));
    if (f && in_strv(names, f))
      json_array_append(out, e);
  }
  return out;
}

static void hash_str(uint64_t *h, const char *s) {
  *h = heal_fnv1a64(*h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_file_stat(uint64_t *h, const char *path) {
  struct stat st;
  char buf[96];
  if (stat(path, &st) == 0)
    snprintf(buf, sizeof buf, "%lld:%lld.%ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec);
  else
    snprintf(buf, sizeof buf, "missing");
  hash_str(h, path);
  hash_str(h, buf);
}

/* Where module m's object for this build lives in the object cache: keyed by the module
 * record (source, codegen args and bitcode are in its id), the mode, the tools (a rebuilt
 * plugin changes objects), and the policy entries naming the module's own functions (a
 * policy acts on the functions it names; nothing is inlined across modules). NULL: do not
 * cache (no cache, no llvm-nm, or a policy jansson cannot read: opt will say why). */
static char *objcache_path(struct rebuild *r, const struct module *m, const char *bc) {
  if (!r->objcache || m->is_object)
    return NULL;
  if (mkdir(r->objcache, 0777) != 0 && errno != EEXIST)
    return NULL;
  uint64_t h = HEAL_FNV_OFFSET;
  char hex[17], keyhex[17];
  heal_id_hex(m->id, hex);
  hash_str(&h, hex);
  hash_str(&h, heal_mode_name(r->mode));
  hash_file_stat(&h, r->t.plugin);
  hash_file_stat(&h, r->t.opt);
  hash_file_stat(&h, r->t.clang);
  if (r->policy) {
    json_error_t jerr;
    json_t *pol = json_load_file(r->policy, 0, &jerr);
    struct strv names = STRV_INIT;
    if (!json_is_object(pol) || defined_names(r, m, bc, &names) != 0) {
      json_decref(pol);
      strv_free(&names);
      return NULL;
    }
    json_t *mine = json_object();
    if (json_object_get(pol, "version"))
      json_object_set(mine, "version", json_object_get(pol, "version"));
    json_object_set_new(mine, "transactions", entries_for(pol, "transactions", &names));
    json_object_set_new(mine, "guard", entries_for(pol, "guard", &names));
    char *text = json_dumps(mine, JSON_SORT_KEYS | JSON_COMPACT);
    hash_str(&h, text);
    hash_str(&h, m->xkey);
    free(text);
    json_decref(mine);
    json_decref(pol);
    strv_free(&names);
  }
  heal_id_hex(h, keyhex);
  return heal_xasprintf("%s/%s-%s-%s.o", r->objcache, hex, heal_mode_name(r->mode), keyhex);
}

/* Writes module m's input and looks its object up in the object cache. Returns 0 when m
 * is done (m->built set: an embedded object, or a cache hit), 1 when it must be compiled
 * (m->bc, m->obj and maybe m->cache set), -1 on an error (printed). */
static int prepare_module(struct rebuild *r, struct module *m) {
  char hex[17];
  heal_id_hex(m->id, hex);
  char *base = heal_xasprintf("%s.%s", hex, m->is_object ? "o" : "bc");
  char *tmp = heal_tmppath("heal", base);
  free(base);
  if (!tmp)
    return -1;
  char *path = heal_abspath(tmp);
  free(tmp);
  if (heal_write_file(path, m->data, m->size) != 0) {
    heal_error(r->cmd, "cannot write '%s': %s", path, strerror(errno));
    free(path);
    return -1;
  }
  if (m->is_object) {
    m->built = path;
    return 0;
  }
  char *cached = objcache_path(r, m, path);
  if (cached && heal_is_file(cached)) {
    unlink(path);
    free(path);
    m->built = cached;
    m->built_cached = 1;
    return 0;
  }
  m->bc = path;
  m->obj = heal_xasprintf("%.*s.o", (int)(strlen(path) - 3), path);
  m->cache = cached;
  return 1;
}

/* Compiles m->bc into m->obj for the mode and stores it in the object cache. Runs in heal
 * or in a worker process (prebuild), so it only writes files. Returns 0 or a status. */
static int compile_module(struct rebuild *r, struct module *m) {
  char hex[17];
  heal_id_hex(m->id, hex);
  struct heal_build b;
  memset(&b, 0, sizeof b);
  b.clean_bc = m->bc;
  b.source = m->source;
  b.mode = r->mode;
  b.policy = r->build_policy ? r->build_policy : r->policy;
  b.codegen_args = (const char *const *)strv_argv(&m->args);
  b.out = m->obj;
  b.embed_record = 1;
  /* The module's call summary as a by-product, for later patch builds (xmodule.h). */
  char *calls = NULL, *calls_tmp = NULL;
  if (r->objcache) {
    calls = heal_xasprintf("%s/%s.calls.json", r->objcache, hex);
    if (!heal_is_file(calls))
      b.calls_out = calls_tmp = heal_xasprintf("%s.tmp-%ld", calls, (long)getpid());
  }
  int st = heal_build_object_ex(&r->t, &b);
  if (calls_tmp && (st != 0 || rename(calls_tmp, calls) != 0))
    unlink(calls_tmp);
  free(calls);
  free(calls_tmp);
  unlink(m->bc);
  if (st != 0) {
    heal_error(r->cmd, "building module '%s' (%s) failed", m->source, hex);
    return st;
  }
  if (b.id != m->id) { /* same source, args and bitcode must give the same record */
    heal_error(r->cmd, "module '%s' (%s) was re-embedded with a different id", m->source, hex);
    return 1;
  }
  if (m->cache) {
    /* Copied under a temporary name and renamed: a reader never sees half an object. */
    void *d;
    size_t n;
    char *tmpc = heal_xasprintf("%s.tmp-%ld", m->cache, (long)getpid());
    if (heal_read_file(m->obj, &d, &n) == 0) {
      if (heal_write_file(tmpc, d, n) != 0 || rename(tmpc, m->cache) != 0)
        unlink(tmpc);
      free(d);
    }
    free(tmpc);
  }
  return 0;
}

/* A compiled module's object becomes its build. */
static void adopt(struct module *m) {
  m->built = m->obj;
  m->obj = NULL;
}

/* Builds (once) the object of module m, or takes it from the object cache. */
static int build_module(struct rebuild *r, struct module *m) {
  if (m->built)
    return 0;
  int st = prepare_module(r, m);
  if (st <= 0)
    return st < 0 ? 1 : 0;
  st = compile_module(r, m);
  if (!st)
    adopt(m);
  return st;
}

struct prebuild_ctx {
  struct rebuild *r;
  struct module **todo;
};

static int prebuild_work(size_t i, void *ctx) {
  struct prebuild_ctx *c = ctx;
  return compile_module(c->r, c->todo[i]);
}

static void prebuild_done(size_t i, void *ctx) { adopt(((struct prebuild_ctx *)ctx)->todo[i]); }

/* Builds every bitcode module before the link, several at once in worker processes (each
 * compile is a chain of opt, clang and objcopy runs that only writes files). Every module
 * in .heal_bitcode is linked (archive members the link left out are not there). */
static int prebuild(struct rebuild *r) {
  struct module **todo = heal_xmalloc((r->nmods + 1) * sizeof *todo);
  size_t n = 0;
  for (size_t i = 0; i < r->nmods; i++) {
    struct module *m = &r->mods[i];
    if (m->built || m->is_object)
      continue;
    int st = prepare_module(r, m);
    if (st < 0) {
      free(todo);
      return 1;
    }
    if (st > 0)
      todo[n++] = m;
  }
  struct prebuild_ctx c = {r, todo};
  int failed = heal_run_jobs(n, prebuild_work, prebuild_done, &c);
  free(todo);
  return failed;
}

/* Builds the modules named by ids and appends their objects to cmd; with skip_absent,
 * ids the binary has no record of are skipped (archive members that were not linked). */
static int build_ids(struct rebuild *r, const uint64_t *ids, size_t n, int is_object,
                     int skip_absent, struct strv *cmd) {
  for (size_t i = 0; i < n; i++) {
    struct module *m = find_module(r, ids[i], is_object);
    if (!m && skip_absent)
      continue;
    int st = build_module(r, m);
    if (st)
      return st;
    strv_push(cmd, m->built);
  }
  return 0;
}

/* The object that carries the new .heal_link (output = OUT) and the binary's
 * .heal_objects unchanged (the plain objects are linked again, as themselves), assembled
 * for the recorded target like heal-cc does. */
static int record_object(struct rebuild *r, char **obj) {
  char *saved = r->rec.output;
  r->rec.output = r->out;
  char *json = heal_link_record_json(&r->rec);
  r->rec.output = saved;
  void *payload;
  size_t n = heal_link_section_build(json, &payload);
  free(json);
  struct strv target = STRV_INIT;
  for (size_t i = 0; i < r->rec.nargs; i++) {
    const struct heal_link_arg *a = &r->rec.args[i];
    if (a->kind != HEAL_LARG_STRING)
      continue;
    int words = heal_target_flag_words(a->text);
    if (words == 1)
      strv_push(&target, a->text);
    else if (words == 2 && i + 1 < r->rec.nargs &&
             r->rec.args[i + 1].kind == HEAL_LARG_STRING) {
      strv_push(&target, a->text);
      strv_push(&target, r->rec.args[i + 1].text);
    }
  }
  int st = heal_record_object(&r->t, r->prog, strv_argv(&target), target.n, payload,
                              n, r->obj_sec, r->obj_size, obj);
  strv_free(&target);
  free(payload);
  return st;
}

/* Whether ELF file `path` defines a function `name` (.symtab, else .dynsym): 1, 0, or -1
 * when it cannot be read. */
static int defines_function(const char *path, const char *name) {
  int fd = open(path, O_RDONLY | O_CLOEXEC), found = -1;
  if (fd < 0)
    return -1;
  elf_version(EV_CURRENT);
  Elf *e = elf_begin(fd, ELF_C_READ, NULL);
  for (Elf_Scn *scn = NULL; e && (scn = elf_nextscn(e, scn));) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
      continue;
    Elf_Data *d = elf_getdata(scn, NULL);
    size_t n = d && sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    if (found < 0)
      found = 0;
    for (size_t k = 0; k < n && !found; k++) {
      GElf_Sym sym;
      const char *sn;
      if (gelf_getsym(d, (int)k, &sym) && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
          sym.st_shndx != SHN_UNDEF && (sn = elf_strptr(e, sh.sh_link, sym.st_name)) &&
          !strcmp(sn, name))
        found = 1;
    }
  }
  if (e)
    elf_end(e);
  close(fd);
  return found;
}

/* A policy transaction naming a function no module of the program defines would do
 * nothing, silently (each module only sees its own functions): checked on the linked
 * result, where every wrapped function exists (the wrapper is never inlined). */
static int check_policy_functions(const struct rebuild *r, const char *linked) {
  json_error_t jerr;
  json_t *pol = json_load_file(r->policy, 0, &jerr), *arr, *e;
  size_t k;
  int st = 0;
  arr = json_object_get(pol, "transactions");
  json_array_foreach(arr, k, e) {
    const char *f = json_string_value(json_object_get(e, "function"));
    if (!f)
      continue;
    int d = defines_function(linked, f);
    if (d < 0) {
      heal_error(r->cmd, "cannot read the symbols of '%s' to check the policy", linked);
      st = 1;
      break;
    }
    if (!d) {
      heal_error(r->cmd,
                 "%s:transactions[%zu].function: \"%s\" is not a function of '%s' (no module "
                 "defines it); fix the name or remove the entry",
                 r->policy, k, f, r->binary);
      st = 1;
    }
  }
  json_decref(pol);
  return st;
}

/* Builds every module in link order and links them like the recorded command did. */
static int relink(struct rebuild *r) {
  struct strv cmd = STRV_INIT;
  strv_push(&cmd, r->t.clang);
  int st = prebuild(r);
  for (size_t i = 0; i < r->rec.nargs && !st; i++) {
    const struct heal_link_arg *a = &r->rec.args[i];
    switch (a->kind) {
    case HEAL_LARG_STRING:
      strv_push(&cmd, a->text);
      break;
    case HEAL_LARG_OBJECT:
      st = build_ids(r, a->bitcode, a->nbitcode, 0, 0, &cmd);
      if (!st)
        st = build_ids(r, a->objects, a->nobjects, 1, 0, &cmd);
      break;
    case HEAL_LARG_ARCHIVE:
      /* The rebuilt members come first, so the linker takes them and not the archive's
       * copies; the archive still provides its members without heal bitcode. */
      st = build_ids(r, a->bitcode, a->nbitcode, 0, 1, &cmd);
      strv_push(&cmd, a->text);
      break;
    }
  }
  char *recobj = NULL;
  if (!st)
    st = record_object(r, &recobj);
  /* Linked next to OUT and renamed over it: a failed link leaves OUT (which may be BINARY
   * itself) as it was. */
  char *tmpout = heal_xasprintf("%s.heal-rebuild-%ld", r->out, (long)getpid());
  if (!st) {
    strv_push(&cmd, "-o");
    strv_push(&cmd, tmpout);
    strv_push(&cmd, "-Wno-unused-command-line-argument");
    strv_push(&cmd, recobj);
    if (heal_runtime_link_args(&r->t, r->rec.kind, r->rec.is_static, r->mode, &cmd) != 0)
      st = 1;
  }
  if (!st) {
    /* Relative paths left in flags (scripts, version maps) mean the recorded directory. */
    struct stat sb;
    if (r->rec.cwd && r->rec.cwd[0] && stat(r->rec.cwd, &sb) == 0 && S_ISDIR(sb.st_mode) &&
        chdir(r->rec.cwd) != 0)
      heal_error(r->cmd, "cannot enter '%s': %s (linking from here)", r->rec.cwd,
                 strerror(errno));
    st = heal_run("heal", strv_argv(&cmd), r->t.verbose);
    if (st != 0) {
      heal_error(r->cmd, "linking '%s' failed (clang exit status %d)", r->out, st);
      st = st > 0 ? st : 1;
    } else if (r->policy && check_policy_functions(r, tmpout) != 0) {
      st = 1;
    } else if (rename(tmpout, r->out) != 0) {
      heal_error(r->cmd, "cannot write '%s': %s", r->out, strerror(errno));
      st = 1;
    }
  }
  if (st)
    unlink(tmpout);
  free(tmpout);
  if (recobj)
    unlink(recobj);
  free(recobj);
  strv_free(&cmd);
  return st;
}

static void rebuild_free(struct rebuild *r) {
  for (size_t i = 0; i < r->nmods; i++) {
    if (r->mods[i].built && !r->mods[i].built_cached)
      unlink(r->mods[i].built);
    free(r->mods[i].built);
    if (r->mods[i].obj)
      unlink(r->mods[i].obj);
    free(r->mods[i].bc);
    free(r->mods[i].obj);
    free(r->mods[i].cache);
    free(r->mods[i].xkey);
    free(r->mods[i].source);
    strv_free(&r->mods[i].args);
  }
  free(r->mods);
  heal_link_record_free(&r->rec);
  free(r->bc_sec);
  free(r->obj_sec);
  free(r->link_sec);
  free(r->out);
  free(r->policy);
  if (r->build_policy)
    unlink(r->build_policy);
  free(r->build_policy);
  free(r->prog);
  heal_tools_free(&r->t);
}

static void rebuild_init(struct rebuild *r, const char *cmd) {
  memset(r, 0, sizeof *r);
  r->cmd = cmd;
  r->prog = heal_xasprintf("%s %s", HEAL_PROG, cmd);
  heal_link_record_init(&r->rec);
  heal_tools_init(&r->t, HEAL_PROG);
}

/* The policy is checked once, on an empty module, before any module is built: a mistake
 * is then one message (the plugin's "heal: FILE:WHERE: problem; fix"), not one per module
 * followed by build failures. 0 when it is good. */
static int check_policy_once(const struct rebuild *r) {
  static const char empty[] = "; an empty module: heal rebuild checks its policy on it\n";
  char *ll = heal_tmppath("heal", "policy-check.ll");
  int st = 1;
  if (ll && heal_write_file(ll, empty, sizeof empty - 1) == 0) {
    char *plugin = heal_xasprintf("-load-pass-plugin=%s", r->t.plugin);
    char *pol = heal_xasprintf("-heal-policy=%s", r->policy);
    char *argv[] = {r->t.opt, plugin, "-passes=heal-tx", pol, "-disable-output", ll, NULL};
    st = heal_run("heal", argv, r->t.verbose);
    free(plugin);
    free(pol);
  }
  if (ll)
    unlink(ll);
  free(ll);
  return st;
}

/* policy[key] = what it had (a list the policy's author wrote) + v; nothing when v is empty. */
static void merge_strings(json_t *policy, const char *key, const struct strv *v) {
  if (!v->n)
    return;
  json_t *merged = json_array(), *e;
  size_t i;
  json_array_foreach(json_object_get(policy, key), i, e) json_array_append(merged, e);
  for (i = 0; i < v->n; i++)
    json_array_append_new(merged, json_string(v->v[i]));
  json_object_set_new(policy, key, merged);
}

/* Patch builds see the whole program: the functions of other modules that transactional
 * code reaches and the types of its indirect calls (xmodule.h) join the policy the modules
 * are built with, as "rollback_callees" and "rollback_indirect_types" (with any the policy
 * names itself). 0, or non-zero after a message. */
static int whole_program(struct rebuild *r) {
  json_error_t jerr;
  json_t *pol = json_load_file(r->policy, 0, &jerr);
  if (!json_is_object(pol)) { /* check_policy_once has said what is wrong */
    json_decref(pol);
    return 1;
  }
  struct heal_xmod *x = heal_xmalloc((r->nmods + 1) * sizeof *x);
  struct module **of = heal_xmalloc((r->nmods + 1) * sizeof *of);
  size_t n = 0;
  for (size_t i = 0; i < r->nmods; i++) {
    if (r->mods[i].is_object)
      continue;
    x[n] = (struct heal_xmod){r->mods[i].id, r->mods[i].source, r->mods[i].data,
                              r->mods[i].size, NULL};
    of[n++] = &r->mods[i];
  }
  struct strv callees = STRV_INIT, types = STRV_INIT;
  int st = heal_rollback_callees(r->cmd, &r->t, r->objcache, pol, x, n, &callees, &types);
  for (size_t i = 0; i < n; i++)
    of[i]->xkey = x[i].key;
  if (!st && (callees.n || types.n)) {
    merge_strings(pol, "rollback_callees", &callees);
    merge_strings(pol, "rollback_indirect_types", &types);
    char *path = heal_tmppath("heal", "policy.json");
    if (!path || json_dump_file(pol, path, JSON_SORT_KEYS | JSON_INDENT(2)) != 0) {
      heal_error(r->cmd, "cannot write the policy for the modules to '%s'", path ? path : "?");
      st = 1;
    }
    r->build_policy = path;
  }
  strv_free(&callees);
  strv_free(&types);
  json_decref(pol);
  free(of);
  free(x);
  return st;
}

int heal_variant_check(const char *cmd, const char *binary) {
  struct rebuild r;
  rebuild_init(&r, cmd);
  r.binary = binary;
  int st = read_binary(&r);
  rebuild_free(&r);
  return st;
}

int heal_rebuild_variant(const char *cmd, const char *binary, enum heal_mode mode,
                         const char *policy, const char *out, const char *objcache) {
  struct rebuild r;
  rebuild_init(&r, cmd);
  r.binary = binary;
  r.mode = policy ? HEAL_MODE_PATCH : mode;
  /* Absolute: the link runs in the recorded directory and names cached objects. */
  char *objcache_abs = objcache ? heal_abspath(objcache) : NULL;
  r.objcache = objcache_abs;
  r.out_arg = out;
  r.out = heal_abspath(out);
  int st = 1;
  if (policy && access(policy, R_OK) != 0) {
    heal_error(cmd, "cannot read policy '%s': %s", policy, strerror(errno));
    goto done;
  }
  if (policy)
    r.policy = heal_abspath(policy);
  /* relink() links in the recorded directory; come back to ours afterwards. */
  int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (check_out(&r) == 0 && read_binary(&r) == 0 && check_inputs(&r) == 0 &&
      heal_tools_check(&r.t, HEAL_NEED_CLANG | HEAL_NEED_OPT | HEAL_NEED_OBJCOPY |
                                 HEAL_NEED_RUNTIME) == 0 &&
      (!r.policy || (check_policy_once(&r) == 0 && whole_program(&r) == 0)))
    st = relink(&r);
  if (here >= 0) {
    if (fchdir(here) != 0)
      heal_error(cmd, "cannot return to the working directory: %s", strerror(errno));
    close(here);
  }
done:
  rebuild_free(&r);
  free(objcache_abs);
  return st ? (st > 0 && st < 126 ? st : 1) : 0;
}

int cmd_rebuild(int argc, char **argv) {
  struct rebuild r;
  rebuild_init(&r, CMD);
  int st = 1;
  if (parse_args(&r, argc, argv) == 0)
    st = heal_rebuild_variant(CMD, r.binary, r.mode, r.policy, r.out_arg, r.objcache);
  rebuild_free(&r);
  return st;
}
