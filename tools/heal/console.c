/* The admin console: heal incidents, show, approve, reject, rollback, record.
 *
 * Everything reads the incident store (store.h). Tables for people by default; --json
 * prints the same data as JSON (jansson, sorted keys, indented) for programs. */
#define _GNU_SOURCE
#include "cli.h"
#include "deploy.h"
#include "inputopts.h"
#include "store.h"
#include "variant.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static long long jint(json_t *o, const char *k) {
  return (long long)json_integer_value(json_object_get(o, k));
}

static int jnull(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return !v || json_is_null(v);
}

void heal_print_json(json_t *v) {
  char *s = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
  puts(s);
  free(s);
}

void heal_print_stack(FILE *out, json_t *stack) {
  size_t i, n = json_array_size(stack);
  json_t *f;
  json_array_foreach(stack, i, f) {
    if (i == HEAL_STACK_SHOWN) {
      fprintf(out, " < ... (%zu more)", n - i);
      break;
    }
    const char *name = json_is_string(f) ? json_string_value(f) : jstr(f, "function");
    fprintf(out, "%s%s", i ? " < " : "", name);
  }
}

/* "kind in function, buffer 'b' offset N" from an incident row. */
static char *fault_text(json_t *inc) {
  if (jnull(inc, "kind"))
    return heal_xstrdup("-");
  char *t = heal_xasprintf("%s in %s", jstr(inc, "kind"),
                           jnull(inc, "function") ? "??" : jstr(inc, "function"));
  if (!jnull(inc, "buffer")) {
    char *u = jnull(inc, "offset")
                  ? heal_xasprintf("%s, buffer '%s'", t, jstr(inc, "buffer"))
                  : heal_xasprintf("%s, buffer '%s' offset %lld", t, jstr(inc, "buffer"),
                                   jint(inc, "offset"));
    free(t);
    t = u;
  }
  return t;
}

/* A table: rows of cells, each column as wide as its widest cell, two spaces apart, the
 * last column not padded. */
struct table {
  size_t ncols, nrows;
  char **cells; /* nrows * ncols */
};

static void table_row(struct table *t, ...) {
  va_list ap;
  va_start(ap, t);
  t->cells = heal_xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
  for (size_t c = 0; c < t->ncols; c++)
    t->cells[t->nrows * t->ncols + c] = va_arg(ap, char *); /* adopted */
  va_end(ap);
  t->nrows++;
}

static void table_print(struct table *t, const char *indent) {
  size_t *w = calloc(t->ncols, sizeof *w);
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++) {
      size_t n = strlen(t->cells[r * t->ncols + c]);
      if (n > w[c])
        w[c] = n;
    }
  for (size_t r = 0; r < t->nrows; r++) {
    fputs(indent, stdout);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *cell = t->cells[r * t->ncols + c];
      if (c + 1 < t->ncols)
        printf("%-*s  ", (int)w[c], cell);
      else
        fputs(cell, stdout);
    }
    putchar('\n');
  }
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free(t->cells[i]);
  free(t->cells);
  free(w);
  t->cells = NULL;
  t->nrows = 0;
}

static char *sdup(const char *s) { return heal_xstrdup(s); }

/* Parses "ID" (a positive integer). */
static int parse_id(const char *cmd, const char *s, int64_t *id) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || errno || v <= 0) {
    heal_error(cmd, "'%s' is not an incident id (a positive number, see 'heal incidents')", s);
    return -1;
  }
  *id = v;
  return 0;
}

/* Common arguments: [--json] and at most one positional. */
static int parse_common(const char *cmd, const char *usage, int argc, char **argv, int *json,
                        const char **pos, int need_pos) {
  *json = 0;
  *pos = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      printf("%s\n", usage);
      exit(0);
    } else if (!strcmp(argv[i], "--json")) {
      *json = 1;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      heal_error(cmd, "unknown option '%s'\n%s", argv[i], usage);
      return -1;
    } else if (*pos || need_pos < 0) {
      heal_error(cmd, "unexpected argument '%s'\n%s", argv[i], usage);
      return -1;
    } else {
      *pos = argv[i];
    }
  }
  if (need_pos > 0 && !*pos) {
    heal_error(cmd, "missing %s\n%s", need_pos == 1 ? "ID" : "BINARY", usage);
    return -1;
  }
  return 0;
}

/* ---- heal incidents ----------------------------------------------------------------------- */

#define INCIDENTS_USAGE "usage: heal incidents [--json]"

int cmd_incidents(int argc, char **argv) {
  int json;
  const char *pos;
  if (parse_common("incidents", INCIDENTS_USAGE, argc, argv, &json, &pos, -1))
    return 2;
  char *home = heal_home_dir();
  char *db = heal_xasprintf("%s/heal.db", home);
  struct stat st;
  int missing = stat(db, &st) != 0;
  free(home);
  if (missing) { /* no store yet: no incidents, not an error */
    if (json)
      puts("[]");
    else
      printf("no incidents (no store at '%s')\n", db);
    free(db);
    return 0;
  }
  free(db);
  struct heal_store *s = heal_store_open("incidents", 0);
  if (!s)
    return 1;
  json_t *rows = heal_store_incidents(s);
  heal_store_close(s);
  if (!rows)
    return 1;
  if (json) {
    heal_print_json(rows);
  } else if (json_array_size(rows) == 0) {
    puts("no incidents");
  } else {
    struct table t = {7, 0, NULL};
    table_row(&t, sdup("ID"), sdup("CREATED"), sdup("STATE"), sdup("PROGRAM"), sdup("FAULT"),
              sdup("CANDIDATES"), sdup("CHOSEN"));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
      table_row(&t, heal_xasprintf("%lld", jint(r, "id")), sdup(jstr(r, "created")),
                sdup(jstr(r, "state")), sdup(jstr(r, "program")), fault_text(r),
                heal_xasprintf("%lld/%lld passed", jint(r, "passed"), jint(r, "candidates")),
                jnull(r, "chosen") ? sdup("-") : heal_xasprintf("%lld", jint(r, "chosen")));
    }
    table_print(&t, "");
  }
  json_decref(rows);
  return 0;
}

/* ---- heal show ------------------------------------------------------------------------------ */

#define SHOW_USAGE "usage: heal show ID [--json]"

static const char *feed_text(json_t *replay) {
  const char *feed = jstr(replay, "feed");
  if (!strcmp(feed, "stdin"))
    return "on stdin";
  if (!strcmp(feed, "tcp"))
    return "over TCP";
  return "as an argument";
}

static char *args_text(json_t *replay) {
  json_t *args = json_object_get(replay, "args");
  struct strv parts = STRV_INIT;
  size_t i;
  json_t *a;
  size_t len = 1;
  json_array_foreach(args, i, a) {
    strv_push(&parts, json_string_value(a) ? json_string_value(a) : "?");
    len += strlen(parts.v[parts.n - 1]) + 1;
  }
  char *out = heal_xmalloc(len), *p = out;
  *p = 0;
  for (size_t k = 0; k < parts.n; k++)
    p += sprintf(p, "%s%s", k ? " " : "", parts.v[k]);
  strv_free(&parts);
  return out;
}

/* The policy as the change it makes to the production build (which has none): one line
 * per transaction and guard. */
static void print_policy_diff(json_t *policy, const char *indent) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(policy, "transactions"), i, e) {
    json_t *ret = json_object_get(e, "return");
    char *rs = ret ? json_dumps(ret, JSON_ENCODE_ANY) : heal_xstrdup("chosen by heal");
    printf("%s+ transaction %s (return %s%s)\n", indent, jstr(e, "function"), rs,
           json_is_false(json_object_get(e, "rollback")) ? ", no rollback" : "");
    free(rs);
  }
  json_array_foreach(json_object_get(policy, "guard"), i, e)
    printf("%s+ guard %s:%s\n", indent, jstr(e, "function"), jstr(e, "buffer"));
}

static const char *yes_no(json_t *o, const char *k) {
  if (jnull(o, k))
    return "-";
  return json_integer_value(json_object_get(o, k)) ? "yes" : "no";
}

static void print_incident(json_t *inc) {
  printf("incident %lld: %s\n", jint(inc, "id"), jstr(inc, "state"));
  printf("  program:  %s\n", jstr(inc, "program"));
  printf("  created:  %s (updated %s)\n", jstr(inc, "created"), jstr(inc, "updated"));
  json_t *replay = json_object_get(inc, "replay");
  if (!jnull(inc, "input_hash"))
    printf("  input:    sha256 %s, %lld bytes, fed %s\n", jstr(inc, "input_hash"),
           jint(inc, "input_size"), feed_text(replay));
  char *args = args_text(replay);
  if (*args)
    printf("  args:     %s\n", args);
  free(args);
  if (!jnull(replay, "port"))
    printf("  port:     %lld\n", jint(replay, "port"));
  char *fault = fault_text(inc);
  printf("  fault:    %s\n", fault);
  free(fault);
  json_t *loc = json_object_get(inc, "localization");
  json_t *stack = json_object_get(loc, "stack");
  if (json_array_size(stack)) {
    printf("  stack:    ");
    heal_print_stack(stdout, stack);
    putchar('\n');
  }
  if (!jnull(loc, "function_file"))
    printf("  function: %s (%s:%lld)\n", jstr(loc, "function"), jstr(loc, "function_file"),
           jint(loc, "function_line"));
  if (!jnull(loc, "buffer_size"))
    printf("  buffer:   %s (%lld bytes): %s at offset %lld\n", jstr(loc, "buffer"),
           jint(loc, "buffer_size"), jnull(loc, "access") ? "access" : jstr(loc, "access"),
           jint(loc, "offset"));
  if (!jnull(loc, "buffer_file"))
    printf("  declared: %s:%lld in %s\n", jstr(loc, "buffer_file"), jint(loc, "buffer_line"),
           jstr(loc, "buffer_function"));
  if (!jnull(inc, "note"))
    printf("  note:     %s\n", jstr(inc, "note"));
  if (!jnull(inc, "chosen"))
    printf("  chosen:   candidate %lld\n", jint(inc, "chosen"));

  json_t *cands = json_object_get(inc, "candidates");
  size_t i;
  json_t *c;
  if (json_array_size(cands)) {
    printf("\ncandidates:\n");
    struct table t = {9, 0, NULL};
    table_row(&t, sdup("RANK"), sdup("ID"), sdup("STATE"), sdup("PASSED"), sdup("BENIGN"),
              sdup("FUNCTIONS"), sdup("DISTANCE"), sdup("DESCRIPTION"), sdup("REASON"));
    json_array_foreach(cands, i, c)
      table_row(&t, jnull(c, "rank") ? sdup("-") : heal_xasprintf("%lld", jint(c, "rank")),
                heal_xasprintf("%lld", jint(c, "id")), sdup(jstr(c, "state")),
                sdup(yes_no(c, "passed")), sdup(yes_no(c, "benign")),
                heal_xasprintf("%lld", jint(c, "functions")),
                heal_xasprintf("%lld", jint(c, "distance")), sdup(jstr(c, "description")),
                sdup(jnull(c, "reason") ? "-" : jstr(c, "reason")));
    table_print(&t, "  ");
    json_array_foreach(cands, i, c) {
      json_t *tests = json_object_get(c, "tests");
      if (!json_array_size(tests))
        continue;
      printf("\ntests of candidate %lld:\n", jint(c, "id"));
      struct table tt = {4, 0, NULL};
      size_t k;
      json_t *r;
      json_array_foreach(tests, k, r)
        table_row(&tt, sdup(jstr(r, "kind")),
                                 sdup(json_integer_value(json_object_get(r, "passed")) ? "pass"
                                                                                     : "FAIL"),
                                 sdup(jstr(r, "name")), sdup(jstr(r, "detail")));
      table_print(&tt, "  ");
    }
    json_array_foreach(cands, i, c) {
      if (jint(c, "id") != jint(inc, "chosen"))
        continue;
      printf("\npolicy of candidate %lld (sha256 %s):\n", jint(c, "id"), jstr(c, "policy_hash"));
      print_policy_diff(json_object_get(c, "policy"), "  ");
    }
  }
  json_t *a;
  if (json_array_size(json_object_get(inc, "approvals"))) {
    printf("\ndecisions:\n");
    json_array_foreach(json_object_get(inc, "approvals"), i, a) {
      if (jnull(a, "candidate"))
        printf("  %s by %s at %s\n", jstr(a, "decision"), jstr(a, "who"), jstr(a, "at"));
      else
        printf("  %s candidate %lld by %s at %s\n", jstr(a, "decision"), jint(a, "candidate"),
               jstr(a, "who"), jstr(a, "at"));
    }
  }
  if (json_array_size(json_object_get(inc, "deployments"))) {
    printf("\ndeployments:\n");
    json_array_foreach(json_object_get(inc, "deployments"), i, a) {
      printf("  %lld: candidate %lld to %s, %s at %s by %s", jint(a, "id"),
             jint(a, "candidate"), jstr(a, "target"), jstr(a, "state"), jstr(a, "deployed_at"),
             jstr(a, "deployed_by"));
      if (!jnull(a, "rolled_back_at"))
        printf(", rolled back at %s by %s", jstr(a, "rolled_back_at"),
               jstr(a, "rolled_back_by"));
      printf("\n     previous binary kept as %s\n", jstr(a, "backup"));
    }
  }
  if (json_array_size(json_object_get(inc, "timings"))) {
    printf("\ntimings:\n");
    json_array_foreach(json_object_get(inc, "timings"), i, a)
      printf("  %-9s %8.3f s\n", jstr(a, "stage"),
             json_number_value(json_object_get(a, "seconds")));
  }
  if (json_array_size(json_object_get(inc, "reports"))) {
    printf("\nreports:\n");
    json_array_foreach(json_object_get(inc, "reports"), i, a) {
      char *r = json_dumps(json_object_get(a, "report"), JSON_COMPACT | JSON_SORT_KEYS |
                                                               JSON_ENCODE_ANY);
      if (jnull(a, "candidate"))
        printf("  %s: %s\n", jstr(a, "variant"), r);
      else
        printf("  %s (candidate %lld): %s\n", jstr(a, "variant"), jint(a, "candidate"), r);
      free(r);
    }
  }
}

int cmd_show(int argc, char **argv) {
  int json;
  const char *pos;
  int64_t id;
  if (parse_common("show", SHOW_USAGE, argc, argv, &json, &pos, 1) ||
      parse_id("show", pos, &id))
    return 2;
  struct heal_store *s = heal_store_open("show", 0);
  if (!s)
    return 1;
  json_t *inc = heal_store_incident_get(s, id);
  heal_store_close(s);
  if (!inc)
    return 1;
  if (json)
    heal_print_json(inc);
  else
    print_incident(inc);
  json_decref(inc);
  return 0;
}

/* ---- heal approve / reject ----------------------------------------------------------------- */

#define APPROVE_USAGE "usage: heal approve ID"
#define REJECT_USAGE "usage: heal reject ID"

/* The incident and its chosen candidate, which must be pending approval. */
static json_t *pending(struct heal_store *s, const char *cmd, int64_t id, json_t **cand) {
  json_t *inc = heal_store_incident_get(s, id);
  if (!inc)
    return NULL;
  const char *state = jstr(inc, "state");
  if (strcmp(state, "pending") != 0) {
    if (!strcmp(state, "deployed"))
      heal_error(cmd, "incident %lld is already deployed ('heal rollback' undoes it)",
                 (long long)id);
    else
      heal_error(cmd, "incident %lld is %s, not pending approval (see 'heal show %lld')",
                 (long long)id, state, (long long)id);
    json_decref(inc);
    return NULL;
  }
  size_t i;
  json_t *c;
  *cand = NULL;
  json_array_foreach(json_object_get(inc, "candidates"), i, c)
    if (jint(c, "id") == jint(inc, "chosen"))
      *cand = c;
  if (!*cand || jnull(*cand, "binary")) {
    heal_error(cmd, "incident %lld has no chosen candidate to deploy", (long long)id);
    json_decref(inc);
    return NULL;
  }
  return inc;
}

int cmd_approve(int argc, char **argv) {
  int json;
  const char *pos;
  int64_t id;
  if (parse_common("approve", APPROVE_USAGE, argc, argv, &json, &pos, 1) ||
      parse_id("approve", pos, &id))
    return 2;
  struct heal_store *s = heal_store_open("approve", 0);
  if (!s)
    return 1;
  json_t *cand = NULL;
  json_t *inc = pending(s, "approve", id, &cand);
  int rc = 1;
  if (inc) {
    const char *target = jstr(inc, "program");
    int64_t dep = heal_deploy(s, id, jint(cand, "id"), jint(inc, "program_id"), target,
                              jstr(cand, "binary"),
                              jnull(inc, "binary_hash") ? NULL : jstr(inc, "binary_hash"),
                              "approve");
    if (dep > 0) {
      printf("approved incident %lld: candidate %lld deployed to %s (deployment %lld; "
             "'heal rollback' restores the previous binary)\n",
             (long long)id, jint(cand, "id"), target, (long long)dep);
      rc = 0;
    }
    json_decref(inc);
  }
  heal_store_close(s);
  return rc;
}

int cmd_reject(int argc, char **argv) {
  int json;
  const char *pos;
  int64_t id;
  if (parse_common("reject", REJECT_USAGE, argc, argv, &json, &pos, 1) ||
      parse_id("reject", pos, &id))
    return 2;
  struct heal_store *s = heal_store_open("reject", 0);
  if (!s)
    return 1;
  json_t *cand = NULL;
  json_t *inc = pending(s, "reject", id, &cand);
  int rc = 1;
  if (inc) {
    if (heal_store_begin(s) == 0 && heal_store_approval(s, id, jint(cand, "id"), "reject") == 0 &&
        heal_store_incident_state(s, id, "rejected", NULL) == 0 && heal_store_commit(s) == 0) {
      printf("rejected incident %lld: candidate %lld will not be deployed\n", (long long)id,
             jint(cand, "id"));
      rc = 0;
    }
    heal_store_rollback(s);
    json_decref(inc);
  }
  heal_store_close(s);
  return rc;
}

/* ---- heal rollback ------------------------------------------------------------------------- */

#define ROLLBACK_USAGE "usage: heal rollback [BINARY]"

int cmd_rollback(int argc, char **argv) {
  int json;
  const char *pos;
  if (parse_common("rollback", ROLLBACK_USAGE, argc, argv, &json, &pos, 0))
    return 2;
  struct heal_store *s = heal_store_open("rollback", 0);
  if (!s)
    return 1;
  int64_t program = 0;
  char *abs = pos ? heal_abspath(pos) : NULL;
  if (abs) {
    program = heal_store_program_find(s, abs);
    if (program == 0)
      heal_error("rollback", "the store has no deployment of '%s'", abs);
  }
  int rc = program < 0 || (abs && program == 0) ? -1 : heal_rollback(s, program);
  if (rc == 1) {
    if (abs)
      heal_error("rollback", "nothing to roll back: no deployment of '%s' is in place", abs);
    else
      heal_error("rollback", "nothing to roll back: no deployment is in place");
  }
  free(abs);
  heal_store_close(s);
  return rc == 0 ? 0 : 1;
}

/* ---- heal record ----------------------------------------------------------------------------- */

#define RECORD_USAGE                                                                           \
  "usage: heal record BINARY --report FILE [--stdin FILE | --tcp PORT --send FILE] "        \
  "[-- ARGS...]"

int cmd_record(int argc, char **argv) {
  const char *report = NULL;
  struct heal_input_opts o;
  struct heal_input in;
  int i;
  heal_input_opts_init(&o);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      puts(RECORD_USAGE);
      return 0;
    }
    if (!strcmp(a, "--report")) {
      if (i + 1 >= argc) {
        heal_error("record", "%s needs an argument", a);
        return 2;
      }
      report = argv[++i];
      continue;
    }
    int r = heal_input_option("record", argc, argv, &i, &o);
    if (r < 0 || (!r && heal_input_positional("record", a, &o) != 0))
      return 2;
  }
  if (heal_input_finish("record", argc, argv, i, &o, &in) != 0)
    return 2;
  if (!report) {
    heal_error("record", "missing --report FILE\n%s", RECORD_USAGE);
    return 2;
  }
  if (o.timeout > 0 || o.env.n) {
    heal_error("record", "%s: heal record runs nothing (see 'heal record --help')",
               o.env.n ? "--env" : "--timeout");
    return 2;
  }
  const char *binary = o.binary, *stdin_file = o.stdin_file, *send = o.send;
  void *rdata, *idata = NULL;
  size_t rlen, ilen = 0;
  if (heal_read_file(report, &rdata, &rlen) != 0) {
    heal_error("record", "cannot open '%s': %s", report, strerror(errno));
    return 1;
  }
  json_error_t jerr;
  json_t *rep = json_loadb(rdata, rlen, 0, &jerr);
  free(rdata);
  if (!json_is_object(rep)) {
    heal_error("record", "'%s' is not a heal report: %s", report,
               rep ? "not a JSON object" : jerr.text);
    json_decref(rep);
    return 1;
  }
  const char *input = stdin_file ? stdin_file : send;
  if (input && heal_read_file(input, &idata, &ilen) != 0) {
    heal_error("record", "cannot open '%s': %s", input, strerror(errno));
    json_decref(rep);
    return 1;
  }
  char *abs = heal_abspath(binary);
  char bhash[65];
  int rc = 1;
  if (heal_sha256_file(abs, bhash) != 0) {
    heal_error("record", "cannot open '%s': %s", binary, strerror(errno));
    goto out;
  }
  json_t *replay = json_object();
  json_object_set_new(replay, "feed", json_string(in.feed == HEAL_FEED_STDIN ? "stdin"
                                                  : in.feed == HEAL_FEED_TCP ? "tcp"
                                                                             : "args"));
  json_t *args = json_array();
  for (size_t k = 0; k < o.args.n; k++)
    json_array_append_new(args, json_string(o.args.v[k]));
  json_object_set_new(replay, "args", args);
  if (in.feed == HEAL_FEED_TCP)
    json_object_set_new(replay, "port", json_integer(o.port));
  char *replay_s = json_dumps(replay, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(replay);
  char *rep_s = json_dumps(rep, JSON_COMPACT | JSON_SORT_KEYS);
  struct heal_store *s = heal_store_open("record", 1);
  if (s) {
    char ihash[65];
    int64_t prog, id = -1;
    if (heal_store_begin(s) == 0 && (prog = heal_store_program(s, abs)) > 0 &&
        (!input || heal_store_input(s, idata, ilen, ihash) == 0) &&
        (id = heal_store_incident_new(s, prog, bhash, input ? ihash : NULL, replay_s)) > 0 &&
        heal_store_report(s, id, 0, json_string_value(json_object_get(rep, "mode"))
                                        ? json_string_value(json_object_get(rep, "mode"))
                                        : "sensor",
                          rep_s) == 0 &&
        heal_store_incident_fault(
            s, id, json_string_value(json_object_get(rep, "kind")),
            json_string_value(json_object_get(rep, "function")),
            json_string_value(json_object_get(rep, "buffer")),
            json_is_integer(json_object_get(rep, "offset"))
                ? (long long)json_integer_value(json_object_get(rep, "offset"))
                : -1,
            NULL) == 0 &&
        heal_store_commit(s) == 0) {
      printf("recorded incident %lld\n", (long long)id);
      rc = 0;
    }
    heal_store_rollback(s);
    heal_store_close(s);
  }
  free(replay_s);
  free(rep_s);
out:
  free(abs);
  free(idata);
  json_decref(rep);
  return rc;
}
