#define _GNU_SOURCE
#include "xmodule.h"
#include "cli.h"
#include "workers.h"

#include "healcommon/proc.h"
#include "healcommon/records.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One function definition of a module's summary. */
struct fn {
  const char *name; /* into the summary's JSON */
  const char *type; /* its function type, as the plugin prints it */
  size_t mod;
  int local, cloneable, candidate, visited;
  json_t *calls, *indirect; /* names called directly; types called through pointers */
};

struct job {
  const char *cmd;
  const struct heal_tools *t;
  struct heal_xmod *mods;
  char **paths; /* where each module's summary is (or is to be) */
};

/* Makes module i's summary at paths[i] (opt -passes=heal-calls), unless it is there. */
static int summarize(size_t i, void *ctx) {
  struct job *j = ctx;
  if (heal_is_file(j->paths[i]))
    return 0;
  char hex[17];
  heal_id_hex(j->mods[i].id, hex);
  char *base = heal_xasprintf("%s.bc", hex);
  char *bc = heal_tmppath("heal", base);
  free(base);
  if (!bc)
    return 1;
  int st = 1;
  char *tmp = heal_xasprintf("%s.tmp-%ld", j->paths[i], (long)getpid());
  if (heal_write_file(bc, j->mods[i].bc, j->mods[i].size) != 0) {
    heal_error(j->cmd, "cannot write '%s': %s", bc, strerror(errno));
  } else {
    char *plugin = heal_xasprintf("-load-pass-plugin=%s", j->t->plugin);
    char *out = heal_xasprintf("-heal-calls-out=%s", tmp);
    char *argv[] = {j->t->opt, plugin, "-passes=heal-calls", out, "-disable-output", bc, NULL};
    st = heal_run("heal", argv, j->t->verbose);
    if (st == 0 && rename(tmp, j->paths[i]) != 0) {
      heal_error(j->cmd, "cannot write '%s': %s", j->paths[i], strerror(errno));
      st = 1;
    }
    if (st != 0)
      heal_error(j->cmd, "reading the calls of module '%s' (%s) failed", j->mods[i].source, hex);
    free(plugin);
    free(out);
  }
  unlink(tmp);
  unlink(bc);
  free(tmp);
  free(bc);
  return st;
}

static int in_list(const struct strv *v, const char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (!strcmp(v->v[i], s))
      return 1;
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp((*(struct fn *const *)a)->name, (*(struct fn *const *)b)->name);
}

/* The definition named `name` in the sorted array v[0..n), or NULL. */
static struct fn *find(struct fn **v, size_t n, const char *name) {
  struct fn key = {.name = name}, *k = &key;
  struct fn **hit = n ? bsearch(&k, v, n, sizeof *v, by_name) : NULL;
  return hit ? *hit : NULL;
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_sorted(char *const *v, size_t n, const char *s) {
  return n && bsearch(&s, v, n, sizeof *v, str_cmp) != NULL;
}

/* Policy transaction names: all of them, and those whose rollback is on. */
static void policy_names(json_t *policy, struct strv *all, struct strv *roots) {
  json_t *arr = json_object_get(policy, "transactions"), *e;
  size_t i;
  json_array_foreach(arr, i, e) {
    const char *f = json_string_value(json_object_get(e, "function"));
    if (!f)
      continue;
    strv_push(all, f);
    if (!json_is_false(json_object_get(e, "rollback")))
      strv_push(roots, f);
  }
  if (all->n)
    qsort(all->v, all->n, sizeof *all->v, str_cmp);
  if (roots->n)
    qsort(roots->v, roots->n, sizeof *roots->v, str_cmp);
}

int heal_rollback_callees(const char *cmd, const struct heal_tools *t, const char *objcache,
                          json_t *policy, struct heal_xmod *mods, size_t n,
                          struct strv *callees, struct strv *types) {
  struct job j = {cmd, t, mods, heal_xmalloc((n + 1) * sizeof(char *))};
  if (objcache && mkdir(objcache, 0777) != 0 && errno != EEXIST)
    objcache = NULL; /* summaries are then made for this build only */
  for (size_t i = 0; i < n; i++) {
    char hex[17];
    heal_id_hex(mods[i].id, hex);
    if (objcache) {
      j.paths[i] = heal_xasprintf("%s/%s.calls.json", objcache, hex);
    } else {
      char *base = heal_xasprintf("%s.calls.json", hex);
      j.paths[i] = heal_tmppath("heal", base);
      free(base);
      if (!j.paths[i])
        j.paths[i] = heal_xstrdup("/nonexistent");
    }
  }
  int st = heal_run_jobs(n, summarize, NULL, &j);

  /* Every definition; per module and, for external linkage, program-wide by name. */
  json_t **roots = heal_xmalloc((n + 1) * sizeof *roots);
  struct fn **fns = heal_xmalloc((n + 1) * sizeof *fns);
  struct fn ***local = heal_xmalloc((n + 1) * sizeof *local); /* per module, by name */
  size_t *nfns = heal_xmalloc((n + 1) * sizeof *nfns), next = 0;
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    roots[i] = NULL;
    fns[i] = NULL;
    local[i] = NULL;
    nfns[i] = 0;
  }
  for (size_t i = 0; i < n && !st; i++) {
    json_error_t jerr;
    roots[i] = json_load_file(j.paths[i], 0, &jerr);
    json_t *arr = json_object_get(roots[i], "functions"), *e;
    if (!json_is_array(arr)) {
      heal_error(cmd, "cannot read the call summary '%s': %s", j.paths[i],
                 roots[i] ? "no \"functions\" array" : jerr.text);
      st = 1;
      break;
    }
    nfns[i] = json_array_size(arr);
    fns[i] = heal_xmalloc((nfns[i] + 1) * sizeof **fns);
    local[i] = heal_xmalloc((nfns[i] + 1) * sizeof **local);
    size_t k;
    json_array_foreach(arr, k, e) {
      struct fn *f = &fns[i][k];
      const char *name = json_string_value(json_object_get(e, "name"));
      f->name = name ? name : "";
      f->mod = i;
      f->local = json_is_true(json_object_get(e, "local"));
      f->cloneable = json_is_true(json_object_get(e, "cloneable"));
      f->candidate = json_is_true(json_object_get(e, "candidate"));
      const char *ty = json_string_value(json_object_get(e, "type"));
      f->type = ty ? ty : "";
      f->indirect = json_object_get(e, "indirect");
      f->visited = 0;
      f->calls = json_object_get(e, "calls");
      local[i][k] = f;
    }
    qsort(local[i], nfns[i], sizeof *local[i], by_name);
    total += nfns[i];
  }
  struct fn **global = heal_xmalloc((total + 1) * sizeof *global);
  size_t nglobal = 0;
  for (size_t i = 0; i < n && !st; i++)
    for (size_t k = 0; k < nfns[i]; k++)
      if (!fns[i][k].local)
        global[nglobal++] = &fns[i][k];
  if (nglobal)
    qsort(global, nglobal, sizeof *global, by_name);

  /* From the transactions with rollback, breadth first, along direct calls: a callee the
   * caller's module defines is reached there; otherwise its external definition in another
   * module, which then needs an external clone. Other transactions are their own. An
   * indirect call reaches every candidate target of its type in the program (registered
   * by its module for __heal_tx_target). */
  struct strv all = STRV_INIT, rollback = STRV_INIT, found = STRV_INIT;
  policy_names(policy, &all, &rollback);
  struct fn **work = heal_xmalloc((total + 1) * sizeof *work);
  for (size_t i = 0; i < n && !st; i++)
    for (size_t k = 0; k < nfns[i]; k++)
      if (in_sorted(rollback.v, rollback.n, fns[i][k].name)) {
        fns[i][k].visited = 1;
        work[next++] = &fns[i][k];
      }
  for (size_t w = 0; w < next; w++) {
    struct fn *f = work[w];
    json_t *c;
    size_t k;
    json_array_foreach(f->indirect, k, c) {
      const char *ty = json_string_value(c);
      if (!ty || in_list(types, ty))
        continue;
      strv_push(types, ty);
      for (size_t i = 0; i < n; i++)
        for (size_t x = 0; x < nfns[i]; x++) {
          struct fn *g = &fns[i][x];
          if (g->candidate && !g->visited && !strcmp(g->type, ty) &&
              !in_sorted(all.v, all.n, g->name)) {
            g->visited = 1;
            work[next++] = g;
          }
        }
    }
    json_array_foreach(f->calls, k, c) {
      const char *name = json_string_value(c);
      if (!name || in_sorted(all.v, all.n, name))
        continue;
      struct fn *g = find(local[f->mod], nfns[f->mod], name);
      if (!g) {
        g = find(global, nglobal, name);
        if (!g || !g->cloneable)
          continue; /* a library function, or one heal-undo would not clone */
        strv_push(&found, name);
      }
      if (g->cloneable && !g->visited) {
        g->visited = 1;
        work[next++] = g;
      }
    }
  }
  if (types->n)
    qsort(types->v, types->n, sizeof *types->v, str_cmp);
  if (found.n)
    qsort(found.v, found.n, sizeof *found.v, str_cmp);
  for (size_t i = 0; i < found.n; i++)
    if (!i || strcmp(found.v[i], found.v[i - 1]))
      strv_push(callees, found.v[i]);

  /* Each module's share: the callees it defines with external linkage or calls. */
  for (size_t i = 0; i < n && !st; i++) {
    struct strv called = STRV_INIT, mine = STRV_INIT;
    for (size_t k = 0; k < nfns[i]; k++) {
      json_t *e;
      size_t x;
      json_array_foreach(fns[i][k].calls, x, e) if (json_is_string(e))
          strv_push(&called, json_string_value(e));
    }
    /* The types whose candidates it registers or whose calls it routes. */
    for (size_t c = 0; c < types->n; c++) {
      int uses = 0;
      for (size_t k = 0; k < nfns[i] && !uses; k++) {
        json_t *e;
        size_t x;
        uses = fns[i][k].candidate && !strcmp(fns[i][k].type, types->v[c]);
        json_array_foreach(fns[i][k].indirect, x, e) if (!uses && json_is_string(e)) uses =
            !strcmp(json_string_value(e), types->v[c]);
      }
      if (uses)
        strv_pushf(&mine, "type:%s", types->v[c]);
    }
    if (called.n)
      qsort(called.v, called.n, sizeof *called.v, str_cmp);
    for (size_t c = 0; c < callees->n; c++) {
      const char *name = callees->v[c];
      struct fn *g = find(local[i], nfns[i], name);
      if ((g && !g->local) || in_sorted(called.v, called.n, name))
        strv_push(&mine, name);
    }
    strv_free(&called);
    size_t len = 1;
    for (size_t c = 0; c < mine.n; c++)
      len += strlen(mine.v[c]) + 1;
    mods[i].key = heal_xmalloc(len);
    mods[i].key[0] = 0;
    for (size_t c = 0; c < mine.n; c++) {
      strcat(mods[i].key, c ? "," : "");
      strcat(mods[i].key, mine.v[c]);
    }
    strv_free(&mine);
  }

  strv_free(&all);
  strv_free(&rollback);
  strv_free(&found);
  free(work);
  free(global);
  for (size_t i = 0; i < n; i++) {
    free(fns[i]);
    free(local[i]);
    json_decref(roots[i]);
    if (!objcache)
      unlink(j.paths[i]);
    free(j.paths[i]);
  }
  free(fns);
  free(local);
  free(nfns);
  free(roots);
  free(j.paths);
  return st;
}
