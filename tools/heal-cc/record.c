/* The link record (.heal_link) and embedded plain objects (.heal_objects) of a link. */
#define _GNU_SOURCE
#include "driver.h"

#include "healcommon/proc.h"
#include "healcommon/records.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const PROG = "heal-cc";

struct ids {
  uint64_t *v;
  size_t n;
};

static void ids_push(struct ids *s, uint64_t id) {
  s->v = heal_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
  s->v[s->n++] = id;
}

static int bc_id_cb(const struct heal_bc_record *r, void *ctx) {
  ids_push(ctx, r->id);
  return 0;
}

static int obj_id_cb(const struct heal_obj_record *r, void *ctx) {
  ids_push(ctx, r->id);
  return 0;
}

/* Ids of the records in section data; malformed data counts as no records. */
static void section_ids(const char *path, const char *section, int bitcode, struct ids *out) {
  void *d;
  size_t n;
  if (heal_elf_section(path, section, &d, &n) == 1) {
    if (bitcode)
      heal_bc_foreach(d, n, bc_id_cb, out);
    else
      heal_obj_foreach(d, n, obj_id_cb, out);
  }
  free(d);
}

static int member_cb(const char *member, const void *data, size_t size, void *ctx) {
  (void)member;
  heal_bc_foreach(data, size, bc_id_cb, ctx);
  return 0;
}

struct gen {
  void *objects; /* concatenated .heal_objects records */
  size_t objects_size;
};

/* Copies a plain object into the .heal_objects payload; returns its id. */
static int embed_object(struct gen *g, const char *path, const char *name, uint64_t *id) {
  void *data;
  size_t size;
  if (heal_read_file(path, &data, &size) != 0)
    return -1;
  void *rec;
  size_t n = heal_obj_record_build(name, data, size, &rec, id);
  free(data);
  g->objects = heal_xrealloc(g->objects, g->objects_size + n);
  memcpy((char *)g->objects + g->objects_size, rec, n);
  g->objects_size += n;
  free(rec);
  return 0;
}

/* An object input: its bitcode records, its embedded objects, or itself embedded. */
static void add_object(struct heal_link_record *r, struct gen *g, const char *path,
                       const char *name) {
  struct ids bc = {0}, ob = {0};
  section_ids(path, HEAL_SECTION_BITCODE, 1, &bc);
  section_ids(path, HEAL_SECTION_OBJECTS, 0, &ob);
  if (bc.n == 0 && ob.n == 0) {
    uint64_t id;
    if (embed_object(g, path, name, &id) == 0)
      ids_push(&ob, id);
  }
  if (r)
    heal_link_add_object(r, bc.v, bc.n, ob.v, ob.n);
  free(bc.v);
  free(ob.v);
}

/* -lNAME: when the user's -L directories hold libNAME.a (and no libNAME.so first, unless
 * linking statically), the record names the archive so its members can be rebuilt. */
static char *find_static_lib(const struct cc *cc, const char *name, int want_static) {
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    if (!(it->flags & F_LIBDIR) || !it->value)
      continue;
    char *so = name[0] == ':' ? NULL : heal_xasprintf("%s/lib%s.so", it->value, name);
    char *a = name[0] == ':' ? heal_xasprintf("%s/%s", it->value, name + 1)
                             : heal_xasprintf("%s/lib%s.a", it->value, name);
    struct stat st;
    int has_so = so && !want_static && stat(so, &st) == 0;
    int has_a = stat(a, &st) == 0 && heal_file_kind(a) == 'a';
    free(so);
    if (has_so) {
      free(a);
      return NULL;
    }
    if (has_a)
      return a;
    free(a);
  }
  return NULL;
}

static void add_archive(struct heal_link_record *r, const char *path) {
  struct ids bc = {0};
  heal_archive_sections(path, HEAL_SECTION_BITCODE, member_cb, &bc);
  char *abs = heal_abspath(path);
  heal_link_add_archive(r, abs, bc.v, bc.n);
  free(abs);
  free(bc.v);
}

/* The record object, assembled for the link's target (the user's --target, -m32...). */
static int assemble(const struct heal_tools *t, const struct cc *cc, const void *link,
                    size_t link_size, const struct gen *g, char **obj) {
  struct strv target = STRV_INIT;
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    if (it->kind == IT_FLAG && heal_target_flag_words(cc->args.v[it->i]))
      strv_extend(&target, (const char *const *)cc->args.v + it->i, (size_t)it->n);
  }
  int st = heal_record_object(t, PROG, strv_argv(&target), target.n, link, link_size,
                              g->objects, g->objects_size, obj);
  strv_free(&target);
  return st;
}

int make_link_record(const struct heal_tools *t, const struct cc *cc,
                     const struct link_input *inputs, enum heal_link_kind kind,
                     char **obj) {
  *obj = NULL;
  struct gen g = {0};
  struct heal_link_record rec;
  struct heal_link_record *r = NULL;
  if (kind != HEAL_LINK_RELOCATABLE) {
    r = &rec;
    heal_link_record_init(r);
    char cwd[4096];
    r->cwd = heal_xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "");
    r->output = heal_abspath(cc->output ? cc->output : "a.out");
    r->kind = kind;
    r->is_static = cc->is_static;
  }
  int bstatic = cc->is_static;
  for (size_t k = 0; k < cc->nitems; k++) {
    const struct item *it = &cc->items[k];
    const char *a = cc->args.v[it->i];
    if (it->kind == IT_OUTPUT || it->kind == IT_XLANG || it->kind == IT_DEP)
      continue;
    if (it->kind == IT_INPUT) {
      const struct link_input *in = &inputs[k];
      if (in->compiled == 1) {
        if (r)
          heal_link_add_object(r, &in->id, 1, NULL, 0);
      } else if (in->compiled == 2 || heal_elf_type(in->path) == 1 /* ET_REL */) {
        /* Named after the source it came from, or the object as given. */
        char *name = heal_abspath(in->compiled == 2 ? it->value : in->path);
        add_object(r, &g, in->path, name);
        free(name);
      } else if (r && heal_file_kind(in->path) == 'a') {
        add_archive(r, in->path);
      } else if (r) {
        char *abs = heal_abspath(in->path);
        heal_link_add_string(r, abs);
        free(abs);
      }
      continue;
    }
    if (strstr(a, "-Bstatic")) /* -Wl,-Bstatic: later -l prefer archives */
      bstatic = 1;
    if (strstr(a, "-Bdynamic") || strstr(a, "-call_shared"))
      bstatic = cc->is_static;
    if (!r)
      continue;
    if ((it->flags & F_LIBDIR) && it->value && *it->value) {
      char *abs = heal_abspath(it->value);
      char *flag = heal_xasprintf("-L%s", abs);
      heal_link_add_string(r, flag);
      free(flag);
      free(abs);
      continue;
    }
    if ((it->flags & F_LIB) && it->value && *it->value) {
      char *lib = find_static_lib(cc, it->value, bstatic);
      if (lib) {
        add_archive(r, lib);
        free(lib);
        continue;
      }
    }
    for (int j = 0; j < it->n; j++)
      heal_link_add_string(r, cc->args.v[it->i + j]);
  }
  int st = 0;
  if (r) {
    char *json = heal_link_record_json(r);
    void *payload;
    size_t n = heal_link_section_build(json, &payload);
    st = assemble(t, cc, payload, n, &g, obj);
    free(payload);
    free(json);
    heal_link_record_free(r);
  } else if (g.objects_size) {
    st = assemble(t, cc, NULL, 0, &g, obj);
  }
  free(g.objects);
  return st;
}
