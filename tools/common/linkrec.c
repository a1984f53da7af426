#define _GNU_SOURCE
#include "healcommon/linkrec.h"
#include "healcommon/records.h"
#include "healcommon/strv.h"

#include <heal/heal.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void heal_link_record_init(struct heal_link_record *r) {
  memset(r, 0, sizeof *r);
  r->version = 1;
}

static struct heal_link_arg *add(struct heal_link_record *r, enum heal_link_arg_kind k) {
  r->args = heal_xrealloc(r->args, (r->nargs + 1) * sizeof *r->args);
  struct heal_link_arg *a = &r->args[r->nargs++];
  memset(a, 0, sizeof *a);
  a->kind = k;
  return a;
}

static uint64_t *copy_ids(const uint64_t *ids, size_t n) {
  uint64_t *p = heal_xmalloc((n ? n : 1) * sizeof *p);
  if (n)
    memcpy(p, ids, n * sizeof *p);
  return p;
}

void heal_link_add_string(struct heal_link_record *r, const char *s) {
  add(r, HEAL_LARG_STRING)->text = heal_xstrdup(s);
}

void heal_link_add_object(struct heal_link_record *r, const uint64_t *bc, size_t nbc,
                          const uint64_t *objs, size_t nobjs) {
  struct heal_link_arg *a = add(r, HEAL_LARG_OBJECT);
  a->bitcode = copy_ids(bc, nbc);
  a->nbitcode = nbc;
  a->objects = copy_ids(objs, nobjs);
  a->nobjects = nobjs;
}

void heal_link_add_archive(struct heal_link_record *r, const char *path, const uint64_t *bc,
                           size_t nbc) {
  struct heal_link_arg *a = add(r, HEAL_LARG_ARCHIVE);
  a->text = heal_xstrdup(path);
  a->bitcode = copy_ids(bc, nbc);
  a->nbitcode = nbc;
}

void heal_link_record_free(struct heal_link_record *r) {
  for (size_t i = 0; i < r->nargs; i++) {
    free(r->args[i].text);
    free(r->args[i].bitcode);
    free(r->args[i].objects);
  }
  free(r->args);
  free(r->cwd);
  free(r->output);
  memset(r, 0, sizeof *r);
}

static json_t *ids_json(const uint64_t *ids, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    char hex[17];
    heal_id_hex(ids[i], hex);
    json_array_append_new(a, json_string(hex));
  }
  return a;
}

char *heal_link_record_json(const struct heal_link_record *r) {
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(r->version));
  json_object_set_new(root, "cwd", json_string(r->cwd ? r->cwd : ""));
  json_object_set_new(root, "output", json_string(r->output ? r->output : ""));
  json_object_set_new(root, "kind",
                      json_string(r->kind == HEAL_LINK_SHARED ? "shared" : "executable"));
  json_object_set_new(root, "static", json_boolean(r->is_static));
  json_t *args = json_array();
  for (size_t i = 0; i < r->nargs; i++) {
    const struct heal_link_arg *a = &r->args[i];
    json_t *e;
    if (a->kind == HEAL_LARG_STRING) {
      /* Arguments need not be UTF-8; jansson refuses those, so keep them byte-exact only
       * when valid and fall back to a lossy copy otherwise. */
      e = json_string(a->text);
      if (!e)
        e = json_string("?");
    } else if (a->kind == HEAL_LARG_OBJECT) {
      e = json_object();
      json_object_set_new(e, "bitcode", ids_json(a->bitcode, a->nbitcode));
      json_object_set_new(e, "objects", ids_json(a->objects, a->nobjects));
    } else {
      e = json_object();
      json_object_set_new(e, "archive", json_string(a->text));
      json_object_set_new(e, "bitcode", ids_json(a->bitcode, a->nbitcode));
    }
    json_array_append_new(args, e);
  }
  json_object_set_new(root, "args", args);
  char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!s)
    s = heal_xstrdup("{}");
  char *copy = heal_xstrdup(s);
  free(s);
  return copy;
}

static const char *str_or_empty(json_t *j) {
  const char *s = json_string_value(j);
  return s ? s : "";
}

static int parse_ids(json_t *a, uint64_t **out, size_t *n, char **err) {
  *out = NULL;
  *n = 0;
  if (!a) {
    *out = heal_xmalloc(sizeof **out);
    return 0;
  }
  if (!json_is_array(a)) {
    *err = heal_xstrdup("id list is not an array");
    return -1;
  }
  size_t cnt = json_array_size(a);
  *out = heal_xmalloc((cnt ? cnt : 1) * sizeof **out);
  for (size_t i = 0; i < cnt; i++) {
    const char *s = json_string_value(json_array_get(a, i));
    if (!s || heal_id_parse(s, &(*out)[i]) != 0) {
      *err = heal_xstrdup("bad id in link record");
      free(*out);
      *out = NULL;
      return -1;
    }
  }
  *n = cnt;
  return 0;
}

int heal_link_record_parse(const char *json, size_t len, struct heal_link_record *r,
                           char **err) {
  heal_link_record_init(r);
  *err = NULL;
  json_error_t je;
  json_t *root = json_loadb(json, len, 0, &je);
  if (!root) {
    *err = heal_xasprintf("link record is not JSON: %s", je.text);
    return -1;
  }
  const char *kind = json_string_value(json_object_get(root, "kind"));
  json_t *args = json_object_get(root, "args");
  if (!json_is_object(root) || !json_is_integer(json_object_get(root, "version")) ||
      json_integer_value(json_object_get(root, "version")) != 1 || !kind ||
      !json_is_array(args)) {
    *err = heal_xstrdup("link record: missing version 1, kind or args");
    goto fail;
  }
  r->version = 1;
  r->cwd = heal_xstrdup(str_or_empty(json_object_get(root, "cwd")));
  r->output = heal_xstrdup(str_or_empty(json_object_get(root, "output")));
  r->kind = !strcmp(kind, "shared") ? HEAL_LINK_SHARED : HEAL_LINK_EXECUTABLE;
  r->is_static = json_is_true(json_object_get(root, "static"));
  for (size_t i = 0; i < json_array_size(args); i++) {
    json_t *e = json_array_get(args, i);
    if (json_is_string(e)) {
      heal_link_add_string(r, json_string_value(e));
      continue;
    }
    if (!json_is_object(e)) {
      *err = heal_xasprintf("link record: args[%zu] is neither string nor object", i);
      goto fail;
    }
    const char *ar = json_string_value(json_object_get(e, "archive"));
    struct heal_link_arg *a = add(r, ar ? HEAL_LARG_ARCHIVE : HEAL_LARG_OBJECT);
    if (ar)
      a->text = heal_xstrdup(ar);
    if (parse_ids(json_object_get(e, "bitcode"), &a->bitcode, &a->nbitcode, err) ||
        parse_ids(json_object_get(e, "objects"), &a->objects, &a->nobjects, err))
      goto fail;
  }
  json_decref(root);
  return 0;
fail:
  json_decref(root);
  heal_link_record_free(r);
  return -1;
}

size_t heal_link_section_build(const char *json, void **out) {
  size_t len = strlen(json);
  size_t total = (sizeof(struct heal_link_header) + len + 7) & ~(size_t)7;
  char *buf = heal_xmalloc(total);
  memset(buf, 0, total);
  struct heal_link_header h;
  memcpy(h.magic, HEAL_LINK_MAGIC, 8);
  h.json_size = len;
  memcpy(buf, &h, sizeof h);
  memcpy(buf + sizeof h, json, len);
  *out = buf;
  return total;
}

int heal_link_section_json(const void *data, size_t size, const char **json, size_t *len) {
  const unsigned char *p = data;
  size_t off = 0;
  while (off < size && p[off] == 0)
    off++;
  struct heal_link_header h;
  if (size - off < sizeof h)
    return -1;
  memcpy(&h, p + off, sizeof h);
  if (memcmp(h.magic, HEAL_LINK_MAGIC, 8) != 0 || h.json_size > size - off - sizeof h)
    return -1;
  *json = (const char *)p + off + sizeof h;
  *len = h.json_size;
  return 0;
}
