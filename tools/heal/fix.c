/* heal fix BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] [--env N=V]...
 *               [--test CMD]... [--corpus DIR] [--deploy | --approve] [--json] [-- ARGS...]
 *
 * The whole loop for one crashing input: replay it on the Oracle and localize the fault
 * (Lb's replay/variant code, as heal diagnose), generate candidate policies (a transaction
 * at the faulting function with its buffer guarded, then at the caller, then the caller's
 * caller; other return values when a transaction recovered but its value broke a test),
 * build each from the embedded bitcode (variant cache: one build per policy, unchanged
 * modules' objects reused), test each (the attack, earlier incident inputs, --test
 * commands, the benign corpus against the original's outputs), rank them, print the
 * table and the chosen policy, then deploy or leave the choice pending for heal approve.
 *
 * Everything goes to the incident store as it happens, one transaction per step, so a
 * killed heal fix leaves complete candidates behind and a rerun with the same arguments
 * resumes the same incident, reusing the candidates already tested.
 *
 * Exit status: 0 a candidate passed (deployed or pending); 1 an error; 2 bad usage; 3 no
 * candidate passed (recorded as state "failed"); 4 nothing to fix (the input does not make
 * the program fail, or it hangs, which a transaction cannot heal). */
#define _GNU_SOURCE
#include "cli.h"
#include "deploy.h"
#include "inputopts.h"
#include "replay.h"
#include "store.h"
#include "variant.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CMD "fix"
#define USAGE                                                                                 \
  "usage: heal fix BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] "           \
  "[--env NAME=VALUE]... [--test CMD]... [--corpus DIR] [--deploy | --approve] "              \
  "[--all] [--max-candidates N] [--json] [-- ARGS...]"

enum { FIX_OK = 0, FIX_ERROR = 1, FIX_USAGE = 2, FIX_NONE_PASSED = 3, FIX_NOTHING = 4 };

/* The token that stands for the input file in a stored replay's args (feed "args"). */
#define INPUT_TOKEN "{INPUT}"

struct test_result {
  char *kind, *name, *detail;
  int passed;
  double seconds;
};

struct candidate {
  int seq;
  int distance;   /* 0: the faulting function, 1: its caller, ... */
  int functions;  /* distinct functions the policy touches */
  char *txfunc;   /* the transaction's function */
  json_t *policy;
  char *policy_json;
  char policy_hash[65];
  char *description;
  int forced;     /* return value forced (an alternative) */
  /* outcome */
  int64_t id;
  int built, passed, benign, attack_ok, reused;
  double overhead; /* seconds per corpus input over the original's; NAN unknown */
  double build_seconds;
  char *binary;    /* the built variant (cache path) */
  char *retval;    /* the recovered report's return_value, if any */
  struct test_result *tests;
  size_t ntests;
  char *reason;
  int rank;
};

struct fix {
  const char *binary;
  char *abs;
  struct heal_input in; /* the attack */
  struct heal_input_opts o; /* BINARY, ARGS, --env, ... */
  struct strv tests;
  const char *corpus;
  struct strv corpus_files;
  int deploy, max, all;
  size_t skipped; /* candidates not built: one before them passed, they cannot rank higher */
  /* store */
  struct heal_store *s;
  int64_t program, incident;
  char binary_hash[65], input_hash[65];
  int has_input;
  char *replay_json;
  int input_arg; /* index in args of the input file (feed args), or -1 */
  /* stages */
  double t_replay, t_localize, t_build, t_test, t_deploy;
  /* candidates */
  struct candidate *c;
  size_t nc;
  json_t *base;      /* the policy of the deployed patch BINARY is, or NULL */
  int64_t base_incident;
  json_t *previous; /* candidates of an interrupted run: policy_hash -> candidate JSON */
  struct heal_replay_result *orig_corpus; /* the original binary on each corpus file */
  double orig_corpus_seconds;
  int tty;
  int json;  /* --json: the incident as JSON on stdout at the end */
  FILE *out; /* the human-readable lines: stdout, or stderr with --json */
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Progress on stderr: one updating line on a terminal, plain lines otherwise. */
static void progress(struct fix *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(struct fix *f, const char *fmt, ...) {
  va_list ap;
  fflush(f->out); /* results and progress interleave in order */
  va_start(ap, fmt);
  if (f->tty) {
    fputs("\r\033[K", stderr);
    fprintf(stderr, "heal fix: ");
    vfprintf(stderr, fmt, ap);
  } else {
    fprintf(stderr, "heal fix: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
  }
  va_end(ap);
  fflush(stderr);
}

static void progress_done(struct fix *f) {
  if (f->tty)
    fputs("\r\033[K", stderr);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* ---- arguments ---------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse_args(struct fix *f, int argc, char **argv) {
  double max = 8;
  int approve = 0, i = 1;
  heal_input_opts_init(&f->o);
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      puts(USAGE);
      exit(0);
    }
    if (!strcmp(a, "--deploy")) {
      f->deploy = 1;
      continue;
    }
    if (!strcmp(a, "--all")) {
      f->all = 1;
      continue;
    }
    if (!strcmp(a, "--json")) {
      f->json = 1;
      f->out = stderr;
      continue;
    }
    if (!strcmp(a, "--approve")) {
      approve = 1;
      continue;
    }
    if (!strcmp(a, "--test") || !strcmp(a, "--corpus") || !strcmp(a, "--max-candidates")) {
      if (i + 1 >= argc) {
        heal_error(CMD, "%s needs an argument", a);
        return -1;
      }
      const char *v = argv[++i];
      if (!strcmp(a, "--test"))
        strv_push(&f->tests, v);
      else if (!strcmp(a, "--corpus"))
        f->corpus = v;
      else if (heal_parse_number(CMD, a, v, 1, 64, &max) != 0)
        return -1;
      continue;
    }
    int r = heal_input_option(CMD, argc, argv, &i, &f->o);
    if (r < 0)
      return -1;
    if (!r && heal_input_positional(CMD, a, &f->o) != 0)
      return -1;
  }
  if (heal_input_finish(CMD, argc, argv, i, &f->o, &f->in) != 0)
    return -1;
  f->binary = f->o.binary;
  if (f->deploy && approve) {
    heal_error(CMD, "--deploy and --approve exclude each other");
    return -1;
  }
  f->max = (int)max;
  f->input_arg = -1;
  if (f->in.feed == HEAL_FEED_ARGS)
    for (size_t k = 0; k < f->o.args.n && f->input_arg < 0; k++)
      if (heal_is_file(f->o.args.v[k]))
        f->input_arg = (int)k;
  return 0;
}

/* Inputs and the corpus are checked before any build: a typo must not cost one. */
static int check_inputs(struct fix *f) {
  char *err = NULL;
  if (heal_variant_check(CMD, f->binary) != 0)
    return -1;
  if (f->in.file && heal_input_check_file(f->in.file, &err) != 0) {
    heal_error(CMD, "%s", err);
    free(err);
    return -1;
  }
  if (f->corpus) {
    DIR *d = opendir(f->corpus);
    if (!d) {
      heal_error(CMD, "cannot read the corpus directory '%s': %s", f->corpus, strerror(errno));
      return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.')
        continue;
      char *p = heal_xasprintf("%s/%s", f->corpus, e->d_name);
      if (heal_is_file(p))
        strv_adopt(&f->corpus_files, p);
      else
        free(p);
    }
    closedir(d);
    if (f->corpus_files.n)
      qsort(f->corpus_files.v, f->corpus_files.n, sizeof(char *), cmp_str);
    if (f->in.feed == HEAL_FEED_ARGS && f->input_arg < 0) {
      heal_error(CMD, "--corpus needs to know where an input goes: --stdin, --tcp/--send, or "
                      "an argument after -- naming the input file");
      return -1;
    }
  }
  return 0;
}

/* The attack's input with file (a corpus file, a stored input) in its place. The returned
 * strv holds the args (free it). */
static struct heal_input with_file(const struct fix *f, const char *file, struct strv *args) {
  struct heal_input in = f->in;
  if (f->in.feed == HEAL_FEED_ARGS) {
    strv_extend(args, (const char *const *)f->o.args.v, f->o.args.n);
    if (f->input_arg >= 0) {
      free(args->v[f->input_arg]);
      args->v[f->input_arg] = heal_xstrdup(file);
    }
    in.args = args->n ? args->v : NULL;
  } else {
    in.file = file;
  }
  return in;
}

/* The stored replay: how the input is fed, the input file arg as INPUT_TOKEN. */
static char *replay_json(const struct fix *f) {
  json_t *r = json_object();
  json_object_set_new(r, "feed", json_string(f->in.feed == HEAL_FEED_STDIN ? "stdin"
                                             : f->in.feed == HEAL_FEED_TCP ? "tcp"
                                                                           : "args"));
  json_t *args = json_array();
  for (size_t k = 0; k < f->o.args.n; k++)
    json_array_append_new(args, json_string((int)k == f->input_arg ? INPUT_TOKEN : f->o.args.v[k]));
  json_object_set_new(r, "args", args);
  if (f->in.feed == HEAL_FEED_TCP)
    json_object_set_new(r, "port", json_integer(f->in.port));
  if (f->o.env.n) {
    json_t *env = json_array();
    for (size_t k = 0; k < f->o.env.n; k++)
      json_array_append_new(env, json_string(f->o.env.v[k]));
    json_object_set_new(r, "env", env);
  }
  char *s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(r);
  return s;
}

/* ---- the store ------------------------------------------------------------------------------- */

/* Records the program, the input and the incident (or finds the interrupted one). */
static int open_incident(struct fix *f) {
  f->s = heal_store_open(CMD, 1);
  if (!f->s)
    return -1;
  if (heal_sha256_file(f->abs, f->binary_hash) != 0) {
    heal_error(CMD, "cannot read '%s': %s", f->binary, strerror(errno));
    return -1;
  }
  const char *input = f->in.file ? f->in.file : f->input_arg >= 0 ? f->o.args.v[f->input_arg] : NULL;
  void *data = NULL;
  size_t n = 0;
  if (input && heal_read_file(input, &data, &n) != 0) {
    heal_error(CMD, "cannot open '%s': %s", input, strerror(errno));
    return -1;
  }
  f->has_input = input != NULL;
  f->replay_json = replay_json(f);
  int rc = -1;
  if (heal_store_begin(f->s) == 0 && (f->program = heal_store_program(f->s, f->abs)) > 0 &&
      (!input || heal_store_input(f->s, data, n, f->input_hash) == 0)) {
    f->incident = heal_store_incident_find(f->s, f->program, f->binary_hash,
                                           input ? f->input_hash : NULL, f->replay_json);
    if (f->incident == 0)
      f->incident = heal_store_incident_new(f->s, f->program, f->binary_hash,
                                            input ? f->input_hash : NULL, f->replay_json);
    else
      fprintf(f->out, "resuming incident %lld (an earlier heal fix of this input did not finish)\n",
             (long long)f->incident);
    if (f->incident > 0 && heal_store_incident_state(f->s, f->incident, "fixing", NULL) == 0 &&
        heal_store_commit(f->s) == 0)
      rc = 0;
  }
  heal_store_rollback(f->s);
  free(data);
  if (rc == 0) {
    /* BINARY may be a patch heal deployed: new candidates keep its policy, or deploying
     * them would drop the earlier fixes. */
    json_t *dep = heal_store_last_deployment(f->s, f->program);
    const char *bin = json_string_value(json_object_get(dep, "binary"));
    const char *st = json_string_value(json_object_get(dep, "state"));
    if (bin && st && !strcmp(st, "deployed") && !strcmp(base_name(bin), f->binary_hash)) {
      char *pol = heal_store_candidate_policy(f->s, json_integer_value(json_object_get(dep, "candidate")));
      f->base = pol ? json_loads(pol, 0, NULL) : NULL;
      f->base_incident = json_integer_value(json_object_get(dep, "incident"));
      free(pol);
    }
    json_decref(dep);
    json_t *inc = heal_store_incident_get(f->s, f->incident);
    if (!inc)
      return -1;
    f->previous = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(inc, "candidates"), i, c) {
      const char *st = json_string_value(json_object_get(c, "state"));
      if (st && (!strcmp(st, "tested") || !strcmp(st, "build-failed")))
        json_object_set(f->previous, json_string_value(json_object_get(c, "policy_hash")), c);
    }
    json_decref(inc);
  }
  return rc;
}

/* Marks the incident failed with a note, and stores the timings so far. */
static void record_end(struct fix *f, const char *state, const char *note) {
  if (heal_store_begin(f->s) == 0 && heal_store_incident_state(f->s, f->incident, state, note) == 0)
    heal_store_commit(f->s);
  heal_store_rollback(f->s);
}

static void store_timings(struct fix *f) {
  const char *names[] = {"replay", "localize", "build", "test", "deploy"};
  double v[] = {f->t_replay, f->t_localize, f->t_build, f->t_test, f->t_deploy};
  if (heal_store_begin(f->s))
    return;
  for (int k = 0; k < 5; k++)
    if (heal_store_timing(f->s, f->incident, names[k], v[k]))
      break;
  heal_store_commit(f->s);
  heal_store_rollback(f->s);
}

static void print_timings(const struct fix *f) {
  fprintf(f->out, "timings: replay %.2f s, localize %.2f s, build %.2f s, test %.2f s, deploy %.2f s, "
         "total %.2f s\n",
         f->t_replay, f->t_localize, f->t_build, f->t_test, f->t_deploy,
         f->t_replay + f->t_localize + f->t_build + f->t_test + f->t_deploy);
}

/* ---- candidates -------------------------------------------------------------------------------- */

static int in_list(char **v, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(v[i], s))
      return 1;
  return 0;
}

/* Adds a candidate: a transaction at fn (forced return value ret, a JSON text, or NULL for
 * heal's choice), the faulting buffer guarded when known. */
static void add_candidate(struct fix *f, const char *fn, int distance, const char *buffer,
                          const char *buffer_fn, const char *ret) {
  json_t *pol = json_object();
  json_object_set_new(pol, "version", json_integer(1));
  json_t *tx = json_object();
  json_object_set_new(tx, "function", json_string(fn));
  if (ret)
    json_object_set_new(tx, "return", json_loads(ret, JSON_DECODE_ANY, NULL));
  json_t *txs = json_array();
  /* The deployed patch's entries first (a function of it that is also this candidate's
   * takes this candidate's entry). */
  size_t k;
  json_t *e;
  json_array_foreach(json_object_get(f->base, "transactions"), k, e) {
    const char *bf = json_string_value(json_object_get(e, "function"));
    if (bf && strcmp(bf, fn))
      json_array_append(txs, e);
  }
  json_array_append_new(txs, tx);
  json_object_set_new(pol, "transactions", txs);
  char *fns[2] = {(char *)fn, NULL};
  size_t nf = 1;
  json_t *gs = json_array();
  json_array_foreach(json_object_get(f->base, "guard"), k, e) {
    const char *gf = json_string_value(json_object_get(e, "function"));
    const char *gb = json_string_value(json_object_get(e, "buffer"));
    if (!(buffer && buffer_fn && gf && gb && !strcmp(gf, buffer_fn) && !strcmp(gb, buffer)))
      json_array_append(gs, e);
  }
  if (json_array_size(gs) || (buffer && buffer_fn))
    json_object_set(pol, "guard", gs);
  if (buffer && buffer_fn) {
    json_t *g = json_object();
    json_object_set_new(g, "function", json_string(buffer_fn));
    json_object_set_new(g, "buffer", json_string(buffer));
    json_array_append_new(gs, g);
    if (!in_list(fns, nf, buffer_fn))
      fns[nf++] = (char *)buffer_fn;
  }
  json_decref(gs);
  char *text = json_dumps(pol, JSON_COMPACT | JSON_SORT_KEYS);
  char hash[65];
  heal_sha256_hex(text, strlen(text), hash);
  for (size_t i = 0; i < f->nc; i++)
    if (!strcmp(f->c[i].policy_hash, hash)) { /* the same policy twice: once is enough */
      free(text);
      json_decref(pol);
      return;
    }
  f->c = heal_xrealloc(f->c, (f->nc + 1) * sizeof *f->c);
  struct candidate *c = &f->c[f->nc++];
  memset(c, 0, sizeof *c);
  c->seq = (int)f->nc;
  c->distance = distance;
  c->functions = (int)nf;
  c->txfunc = heal_xstrdup(fn);
  c->policy = pol;
  c->policy_json = text;
  memcpy(c->policy_hash, hash, sizeof hash);
  c->forced = ret != NULL;
  c->overhead = NAN;
  const char *where = distance == 0   ? "the faulting function"
                      : distance == 1 ? "its caller"
                      : distance == 2 ? "the caller's caller"
                                      : "further up the stack";
  char *guard = buffer && buffer_fn ? heal_xasprintf(", guard %s:%s", buffer_fn, buffer)
                                    : heal_xstrdup("");
  c->description = ret ? heal_xasprintf("transaction at %s (%s), return %s%s", fn, where, ret,
                                        guard)
                       : heal_xasprintf("transaction at %s (%s)%s", fn, where, guard);
  free(guard);
  if (f->base) {
    char *d = heal_xasprintf("%s, on top of incident %lld's patch", c->description,
                             (long long)f->base_incident);
    free(c->description);
    c->description = d;
  }
}

/* The first candidates, from the Oracle's stack: the faulting function, its caller, the
 * caller's caller (main is not one: returning from main ends the program). */
static void initial_candidates(struct fix *f, json_t *report) {
  const char *buffer = json_string_value(json_object_get(report, "buffer"));
  const char *bfn = json_string_value(json_object_get(report, "buffer_function"));
  json_t *stack = json_object_get(report, "stack");
  size_t i;
  json_t *fr;
  int d = 0;
  json_array_foreach(stack, i, fr) {
    const char *fn = json_string_value(fr);
    if (!fn || !strcmp(fn, "??")) /* not the program's own code */
      continue;
    if (!strcmp(fn, "main") || (int)f->nc >= f->max || d > 2)
      break;
    add_candidate(f, fn, d++, buffer, bfn, NULL);
  }
}

/* ---- testing ------------------------------------------------------------------------------------- */

static void add_test(struct candidate *c, const char *kind, const char *name, int passed,
                     const char *detail, double seconds) {
  c->tests = heal_xrealloc(c->tests, (c->ntests + 1) * sizeof *c->tests);
  struct test_result *t = &c->tests[c->ntests++];
  t->kind = heal_xstrdup(kind);
  t->name = heal_xstrdup(name);
  t->detail = heal_xstrdup(detail ? detail : "");
  t->passed = passed;
  t->seconds = seconds;
}

static int survived(const struct heal_replay_result *r) {
  return r->outcome == HEAL_RUN_EXITED || r->outcome == HEAL_RUN_RUNNING;
}

static json_t *recovered_report(const struct heal_replay_result *r) {
  size_t i;
  json_t *rep;
  json_array_foreach(r->reports, i, rep) {
    const char *a = json_string_value(json_object_get(rep, "action"));
    if (a && !strcmp(a, "recovered"))
      return rep;
  }
  return NULL;
}

/* The original binary on every corpus file, once. */
static int run_original_corpus(struct fix *f) {
  if (!f->corpus_files.n || f->orig_corpus)
    return 0;
  f->orig_corpus = calloc(f->corpus_files.n, sizeof *f->orig_corpus);
  for (size_t k = 0; k < f->corpus_files.n; k++) {
    progress(f, "test: the original on corpus input %zu of %zu", k + 1, f->corpus_files.n);
    struct strv args = STRV_INIT;
    struct heal_input in = with_file(f, f->corpus_files.v[k], &args);
    if (heal_replay(f->abs, &in, &f->orig_corpus[k]) != 0) {
      progress_done(f);
      heal_error(CMD, "running '%s' on '%s': %s", f->binary, f->corpus_files.v[k],
                 f->orig_corpus[k].error);
      strv_free(&args);
      return -1;
    }
    f->orig_corpus_seconds += f->orig_corpus[k].seconds;
    strv_free(&args);
  }
  return 0;
}

/* Runs every test on candidate c (built at c->binary). */
static void test_candidate(struct fix *f, struct candidate *c, size_t idx, json_t *earlier) {
  size_t n = f->nc;
  /* The attack: survived, with a recovered report. */
  progress(f, "test: candidate %zu of %zu: the attack", idx + 1, n);
  struct heal_replay_result r;
  memset(&r, 0, sizeof r);
  heal_replay(c->binary, &f->in, &r);
  char *what = heal_replay_describe(&r);
  json_t *rec = recovered_report(&r);
  c->attack_ok = survived(&r) && rec;
  char *detail = c->attack_ok
                     ? heal_xasprintf("%s; recovered in %s, returned %s", what,
                                      json_string_value(json_object_get(rec, "transaction")),
                                      json_string_value(json_object_get(rec, "return_value"))
                                          ? json_string_value(json_object_get(rec, "return_value"))
                                          : "nothing (void)")
                 : survived(&r) ? heal_xasprintf("%s, but no recovered report", what)
                                : heal_xstrdup(what);
  if (rec && json_string_value(json_object_get(rec, "return_value")))
    c->retval = heal_xstrdup(json_string_value(json_object_get(rec, "return_value")));
  char *name = f->has_input ? heal_xasprintf("attack input %.12s", f->input_hash)
                            : heal_xstrdup("attack arguments");
  add_test(c, "attack", name, c->attack_ok, detail, r.seconds);
  free(name);
  free(detail);
  free(what);
  heal_replay_result_free(&r);

  /* Earlier incidents' inputs of this program: survived (no crash, no hang) when the
   * production binary survives them. */
  size_t i;
  json_t *e;
  json_array_foreach(earlier, i, e) {
    const char *hash = json_string_value(json_object_get(e, "input_hash"));
    json_t *rp = json_object_get(e, "replay");
    progress(f, "test: candidate %zu of %zu: incident %lld's input", idx + 1, n,
             (long long)json_integer_value(json_object_get(e, "incident")));
    void *data;
    size_t len;
    char *label = heal_xasprintf("incident %lld input %.12s",
                                 (long long)json_integer_value(json_object_get(e, "incident")),
                                 hash);
    char *tmp = heal_tmppath("heal", "input");
    if (heal_store_input_read(f->s, hash, &data, &len) != 0 || !tmp ||
        heal_write_file(tmp, data, len) != 0) {
      add_test(c, "incident", label, 0, "the stored input could not be read", 0);
      free(label);
      free(tmp);
      continue;
    }
    free(data);
    struct heal_input in;
    memset(&in, 0, sizeof in);
    const char *feed = json_string_value(json_object_get(rp, "feed"));
    in.feed = feed && !strcmp(feed, "stdin") ? HEAL_FEED_STDIN
              : feed && !strcmp(feed, "tcp") ? HEAL_FEED_TCP
                                             : HEAL_FEED_ARGS;
    in.file = in.feed == HEAL_FEED_ARGS ? NULL : tmp;
    in.port = (int)json_integer_value(json_object_get(rp, "port"));
    in.timeout = f->in.timeout;
    struct strv args = STRV_INIT, env = STRV_INIT;
    size_t k;
    json_t *a;
    json_array_foreach(json_object_get(rp, "args"), k, a) {
      const char *s = json_string_value(a);
      strv_push(&args, s && !strcmp(s, INPUT_TOKEN) ? tmp : s ? s : "");
    }
    json_array_foreach(json_object_get(rp, "env"), k, a)
      strv_push(&env, json_string_value(a));
    in.args = args.n ? args.v : NULL;
    in.env = env.n ? env.v : NULL;
    /* No worse than production: the production binary's own run (once per input) decides
     * whether surviving is required. An earlier incident that was never fixed fails on
     * production too and must not block every later fix. */
    if (!json_object_get(e, "original_survived")) {
      struct heal_replay_result r0;
      memset(&r0, 0, sizeof r0);
      heal_replay(f->abs, &in, &r0);
      json_object_set_new(e, "original_survived", json_boolean(survived(&r0)));
      char *w0 = heal_replay_describe(&r0);
      json_object_set_new(e, "original", json_string(w0));
      free(w0);
      heal_replay_result_free(&r0);
    }
    heal_replay(c->binary, &in, &r);
    what = heal_replay_describe(&r);
    if (survived(&r) || json_is_true(json_object_get(e, "original_survived"))) {
      add_test(c, "incident", label, survived(&r), what, r.seconds);
    } else {
      char *d = heal_xasprintf("%s, as the production binary does (%s): not this fault",
                               what, json_string_value(json_object_get(e, "original")));
      add_test(c, "incident", label, 1, d, r.seconds);
      free(d);
    }
    free(what);
    heal_replay_result_free(&r);
    strv_free(&args);
    strv_free(&env);
    unlink(tmp);
    free(tmp);
    free(label);
  }

  /* Regression commands: exit 0 with HEAL_BINARY = the candidate. */
  for (size_t k = 0; k < f->tests.n; k++) {
    progress(f, "test: candidate %zu of %zu: --test %zu of %zu", idx + 1, n, k + 1, f->tests.n);
    heal_run_test(f->tests.v[k], c->binary, f->in.timeout > 0 ? f->in.timeout * 6 : 60, NULL,
                  &r);
    what = heal_replay_describe(&r);
    int ok = r.outcome == HEAL_RUN_EXITED && r.status == 0;
    add_test(c, "command", f->tests.v[k], ok, what, r.seconds);
    free(what);
    heal_replay_result_free(&r);
  }

  /* The benign corpus: the same outputs as the original. */
  double secs = 0;
  c->benign = f->corpus_files.n ? 1 : -1; /* -1: no corpus, nothing compared */
  for (size_t k = 0; k < f->corpus_files.n; k++) {
    progress(f, "test: candidate %zu of %zu: corpus input %zu of %zu", idx + 1, n, k + 1,
             f->corpus_files.n);
    struct strv args = STRV_INIT;
    struct heal_input in = with_file(f, f->corpus_files.v[k], &args);
    heal_replay(c->binary, &in, &r);
    char *why = NULL;
    int same = r.outcome != HEAL_RUN_ERROR && heal_replay_same(&f->orig_corpus[k], &r, &why);
    if (!same && !why)
      why = heal_replay_describe(&r);
    add_test(c, "corpus", base_name(f->corpus_files.v[k]), same,
             same ? "same output as the original" : why, r.seconds);
    c->benign = c->benign && same;
    secs += r.seconds;
    free(why);
    heal_replay_result_free(&r);
    strv_free(&args);
  }
  if (f->corpus_files.n)
    c->overhead = (secs - f->orig_corpus_seconds) / (double)f->corpus_files.n;
  c->passed = 1;
  for (size_t k = 0; k < c->ntests; k++)
    c->passed &= c->tests[k].passed;
}

/* Stores candidate c with its tests, in one transaction: it is all there or not at all. */
static int store_candidate(struct fix *f, struct candidate *c) {
  char hash[65];
  int rc = -1;
  if (heal_store_begin(f->s) == 0 && heal_store_policy(f->s, c->policy_json, hash) == 0 &&
      (c->id = heal_store_candidate(f->s, f->incident, c->seq, c->policy_hash, c->description,
                                    c->functions, c->distance)) > 0) {
    rc = 0;
    for (size_t k = 0; k < c->ntests && !rc; k++)
      rc = heal_store_test(f->s, c->id, c->tests[k].kind, c->tests[k].name, c->tests[k].passed,
                           c->tests[k].detail, c->tests[k].seconds);
    if (!rc)
      rc = heal_store_candidate_result(f->s, c->id, c->built ? "tested" : "build-failed", NULL,
                                       c->passed, c->benign, c->overhead, c->build_seconds);
    if (!rc)
      rc = heal_store_commit(f->s);
  }
  heal_store_rollback(f->s);
  return rc;
}

/* Takes the results of a candidate an interrupted run already tested. */
static int reuse_candidate(struct fix *f, struct candidate *c) {
  json_t *p = json_object_get(f->previous, c->policy_hash);
  if (!p)
    return 0;
  c->reused = 1;
  c->id = json_integer_value(json_object_get(p, "id"));
  c->built = !strcmp(json_string_value(json_object_get(p, "state")), "tested");
  c->passed = json_integer_value(json_object_get(p, "passed")) != 0;
  json_t *b = json_object_get(p, "benign");
  c->benign = json_is_integer(b) ? json_integer_value(b) != 0 : -1;
  json_t *o = json_object_get(p, "overhead");
  c->overhead = json_is_number(o) ? json_number_value(o) : NAN;
  c->build_seconds = json_number_value(json_object_get(p, "build_seconds"));
  size_t k;
  json_t *t;
  json_array_foreach(json_object_get(p, "tests"), k, t) {
    add_test(c, json_string_value(json_object_get(t, "kind")),
             json_string_value(json_object_get(t, "name")),
             json_integer_value(json_object_get(t, "passed")) != 0,
             json_string_value(json_object_get(t, "detail")),
             json_number_value(json_object_get(t, "seconds")));
    if (!strcmp(c->tests[c->ntests - 1].kind, "attack") && c->tests[c->ntests - 1].passed) {
      c->attack_ok = 1;
      /* The value the transaction returned, from "..., returned V" (for alternatives). */
      const char *r = strstr(c->tests[c->ntests - 1].detail, ", returned ");
      if (r && strncmp(r + 11, "nothing", 7) != 0)
        c->retval = heal_xstrdup(r + 11);
    }
  }
  return 1;
}

/* A transaction recovered from the attack but the candidate failed another test: the
 * return value may be what broke the caller, so the same transaction with the other usual
 * failure values is tried too (integers only; a pointer's failure value is NULL). */
static void alternatives(struct fix *f, const struct candidate *c, const char *buffer,
                         const char *bfn) {
  if (c->passed || !c->attack_ok || c->forced || !c->retval)
    return;
  char *end;
  long long v = strtoll(c->retval, &end, 0);
  if (*end || end == c->retval)
    return;
  static const char *const vals[] = {"0", "-1", "1"};
  for (int k = 0; k < 3 && (int)f->nc < f->max; k++)
    if (strtoll(vals[k], NULL, 10) != v)
      add_candidate(f, c->txfunc, c->distance, buffer, bfn, vals[k]);
}

/* ---- ranking ------------------------------------------------------------------------------------- */

static int rank_cmp(const void *a, const void *b) {
  const struct candidate *x = *(const struct candidate *const *)a,
                         *y = *(const struct candidate *const *)b;
  if (x->passed != y->passed)
    return y->passed - x->passed;
  if (x->benign != y->benign)
    return y->benign - x->benign;
  if (x->distance != y->distance)
    return x->distance - y->distance;
  if (x->functions != y->functions)
    return x->functions - y->functions;
  /* Overhead differences under 1 ms per run are noise on a shared machine. */
  double ox = isnan(x->overhead) ? 1e9 : x->overhead, oy = isnan(y->overhead) ? 1e9 : y->overhead;
  if (fabs(ox - oy) >= 0.001)
    return ox < oy ? -1 : 1;
  return x->seq - y->seq;
}

static char *reason_of(const struct candidate *c) {
  if (!c->built)
    return heal_xstrdup("failed: the build failed");
  struct strv failed = STRV_INIT;
  for (size_t k = 0; k < c->ntests; k++)
    if (!c->tests[k].passed) {
      if (!strcmp(c->tests[k].kind, "attack"))
        strv_pushf(&failed, "attack (%s)", c->tests[k].detail);
      else
        strv_pushf(&failed, "%s %s", c->tests[k].kind, c->tests[k].name);
    }
  char *r;
  if (failed.n) {
    size_t len = 32;
    for (size_t k = 0; k < failed.n; k++)
      len += strlen(failed.v[k]) + 2;
    r = heal_xmalloc(len);
    char *p = r + sprintf(r, "failed %zu test%s: ", failed.n, failed.n == 1 ? "" : "s");
    for (size_t k = 0; k < failed.n && k < 3; k++)
      p += sprintf(p, "%s%s", k ? ", " : "", failed.v[k]);
    if (failed.n > 3)
      sprintf(p, ", ...");
  } else {
    char ov[64] = "";
    if (!isnan(c->overhead))
      snprintf(ov, sizeof ov, "; overhead %+.1f ms per corpus run", c->overhead * 1000);
    r = heal_xasprintf("all %zu tests passed%s; %s; %d function%s%s", c->ntests,
                       c->benign > 0 ? ", benign outputs identical" : "",
                       c->distance == 0 ? "at the fault" : c->distance == 1 ? "1 frame up"
                                                                            : "2+ frames up",
                       c->functions, c->functions == 1 ? "" : "s", ov);
  }
  strv_free(&failed);
  return r;
}

/* ---- the loop ------------------------------------------------------------------------------------- */

static int build_and_test(struct fix *f, json_t *report) {
  const char *buffer = json_string_value(json_object_get(report, "buffer"));
  const char *bfn = json_string_value(json_object_get(report, "buffer_function"));
  json_t *earlier = heal_store_program_inputs(f->s, f->program, f->incident);
  if (!earlier)
    return -1;
  /* Inputs of other incidents only: this input is the attack. */
  json_t *others = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(earlier, i, e) {
    const char *h = json_string_value(json_object_get(e, "input_hash"));
    if (!f->has_input || strcmp(h, f->input_hash) != 0)
      json_array_append(others, e);
  }
  json_decref(earlier);
  double t0 = now_s();
  if (run_original_corpus(f) != 0) {
    json_decref(others);
    return -1;
  }
  f->t_test += now_s() - t0;
  for (size_t k = 0; k < f->nc; k++) {
    struct candidate *c = &f->c[k];
    if (reuse_candidate(f, c)) {
      progress(f, "candidate %zu of %zu: tested by the interrupted run, reused", k + 1, f->nc);
    } else {
      progress(f, "build: candidate %zu of %zu: %s", k + 1, f->nc, c->description);
      t0 = now_s();
      char *pol = heal_tmppath("heal", "policy.json");
      int hit = 0;
      if (pol && heal_write_file(pol, c->policy_json, strlen(c->policy_json)) == 0) {
        progress_done(f);
        c->binary = heal_variant_cached(CMD, f->binary, HEAL_MODE_PATCH, pol, &hit);
      }
      if (pol)
        unlink(pol);
      free(pol);
      c->build_seconds = now_s() - t0;
      f->t_build += c->build_seconds;
      c->built = c->binary != NULL;
      if (c->built) {
        t0 = now_s();
        test_candidate(f, c, k, others);
        f->t_test += now_s() - t0;
      }
      if (store_candidate(f, c) != 0) {
        json_decref(others);
        return -1;
      }
      heal_killpoint("fix-candidate");
      char point[48];
      snprintf(point, sizeof point, "fix-candidate-%d", c->seq);
      heal_killpoint(point);
    }
    alternatives(f, c, buffer, bfn);
    /* Candidates come closest to the fault first, and ranking puts passing first, then
     * closeness: once one passes, those after it cannot rank higher (only an alternative
     * value at the same distance could, on overhead alone). --all tests them anyway. */
    if (c->passed && !f->all) {
      f->skipped = f->nc - (k + 1);
      f->nc = k + 1;
      break;
    }
  }
  progress_done(f);
  json_decref(others);
  return 0;
}

static void print_table(struct fix *f, struct candidate **order) {
  fprintf(f->out, "\ncandidates, best first:\n");
  size_t wd = strlen("CANDIDATE");
  for (size_t k = 0; k < f->nc; k++)
    if (strlen(order[k]->description) > wd)
      wd = strlen(order[k]->description);
  fprintf(f->out, "  %-4s  %-4s  %-6s  %-6s  %-9s  %-*s  %s\n", "RANK", "ID", "PASSED", "BENIGN",
         "FUNCTIONS", (int)wd, "CANDIDATE", "REASON");
  for (size_t k = 0; k < f->nc; k++) {
    struct candidate *c = order[k];
    fprintf(f->out, "  %-4d  %-4lld  %-6s  %-6s  %-9d  %-*s  %s\n", c->rank, (long long)c->id,
           c->passed ? "yes" : "no", !c->built || c->benign < 0 ? "-" : c->benign ? "yes" : "no",
           c->functions,
           (int)wd, c->description, c->reason);
  }
}

/* Keeps the chosen binary in the store (HOME/binaries/HASH), ranks everything, sets the
 * incident pending (or failed): one transaction. */
static int record_ranking(struct fix *f, struct candidate **order, struct candidate *chosen,
                          char **stored) {
  if (chosen && chosen->binary &&
      heal_store_file(f->s, "binaries", chosen->binary, (char[65]){0}, stored) != 0)
    return -1;
  if (chosen && !chosen->binary) { /* reused from an interrupted run: take its stored binary */
    json_t *p = json_object_get(f->previous, chosen->policy_hash);
    const char *b = json_string_value(json_object_get(p, "binary"));
    if (b)
      *stored = heal_xstrdup(b);
    else {
      /* Built then, not kept: build it again (the variant cache usually has it). */
      char *pol = heal_tmppath("heal", "policy.json");
      if (pol && heal_write_file(pol, chosen->policy_json, strlen(chosen->policy_json)) == 0)
        chosen->binary = heal_variant_cached(CMD, f->binary, HEAL_MODE_PATCH, pol, NULL);
      free(pol);
      if (!chosen->binary ||
          heal_store_file(f->s, "binaries", chosen->binary, (char[65]){0}, stored) != 0)
        return -1;
    }
  }
  int rc = heal_store_begin(f->s);
  for (size_t k = 0; k < f->nc && !rc; k++)
    rc = heal_store_candidate_rank(f->s, order[k]->id, order[k]->rank, order[k]->reason);
  if (!rc && chosen)
    rc = heal_store_candidate_result(f->s, chosen->id, "tested", *stored, chosen->passed,
                                     chosen->benign, chosen->overhead, chosen->build_seconds);
  if (!rc)
    rc = heal_store_incident_choose(f->s, f->incident, chosen ? chosen->id : 0);
  if (!rc)
    rc = heal_store_incident_state(f->s, f->incident, chosen ? "pending" : "failed",
                                   chosen ? NULL : "no candidate passed its tests");
  if (!rc)
    rc = heal_store_commit(f->s);
  heal_store_rollback(f->s);
  return rc;
}

/* The whole fix; *json and *incident tell cmd_fix what to print after it. */
static int run(int argc, char **argv, int *json, int64_t *incident) {
  struct fix f;
  memset(&f, 0, sizeof f);
  f.tty = isatty(2);
  f.out = stdout;
  if (parse_args(&f, argc, argv) != 0)
    return FIX_USAGE;
  *json = f.json;
  if (check_inputs(&f) != 0)
    return FIX_ERROR;
  f.abs = heal_abspath(f.binary);
  if (open_incident(&f) != 0)
    return FIX_ERROR;
  *incident = f.incident;
  fprintf(f.out, "heal fix: incident %lld: %s\n", (long long)f.incident, f.abs);
  fflush(f.out);

  /* Replay: the production binary and the Oracle on the attack. */
  double t0 = now_s();
  progress(&f, "replay: the attack on %s", f.binary);
  struct heal_replay_result prod, orc;
  memset(&prod, 0, sizeof prod);
  memset(&orc, 0, sizeof orc);
  if (heal_replay(f.abs, &f.in, &prod) != 0) {
    progress_done(&f);
    heal_error(CMD, "%s", prod.error);
    record_end(&f, "failed", prod.error);
    return FIX_ERROR;
  }
  progress(&f, "replay: building the Oracle variant");
  char *oracle = heal_variant_cached(CMD, f.binary, HEAL_MODE_ORACLE, NULL, NULL);
  if (!oracle) {
    record_end(&f, "failed", "the Oracle variant could not be built");
    return FIX_ERROR;
  }
  progress(&f, "replay: the attack on the Oracle");
  struct heal_input oin = f.in;
  oin.exact_heap = 1; /* localization: every freed block guarded, as heal diagnose */
  if (heal_replay(oracle, &oin, &orc) != 0) {
    progress_done(&f);
    heal_error(CMD, "%s", orc.error);
    record_end(&f, "failed", orc.error);
    return FIX_ERROR;
  }
  f.t_replay = now_s() - t0;
  progress_done(&f);
  char *prod_what = heal_replay_describe(&prod);
  fprintf(f.out, "replay: %s %s on the attack", f.binary, prod_what);
  char *orc_what = heal_replay_describe(&orc);
  fprintf(f.out, "; the Oracle %s\n", orc_what);

  /* Localize. */
  t0 = now_s();
  json_t *report = heal_replay_report(&orc);
  if (!report) {
    const char *why = orc.outcome == HEAL_RUN_TIMEOUT
                          ? "the input makes the program hang, which a transaction cannot heal"
                          : "the input does not make the program fail on the Oracle";
    fprintf(f.out, "nothing to fix: %s\n", why);
    record_end(&f, "failed", why);
    f.t_localize = now_s() - t0;
    store_timings(&f);
    print_timings(&f);
    return FIX_NOTHING;
  }
  const char *fn = json_string_value(json_object_get(report, "function"));
  const char *buffer = json_string_value(json_object_get(report, "buffer"));
  json_t *off = json_object_get(report, "offset");
  json_t *loc = json_deep_copy(report);
  char *loc_s = json_dumps(loc, JSON_COMPACT | JSON_SORT_KEYS);
  char *rep_s = json_dumps(report, JSON_COMPACT | JSON_SORT_KEYS);
  json_t *prod_rep = heal_replay_report(&prod);
  char *prod_s = prod_rep ? json_dumps(prod_rep, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  if (heal_store_begin(f.s) || (prod_s && heal_store_report(f.s, f.incident, 0, "sensor", prod_s)) ||
      heal_store_report(f.s, f.incident, 0, "oracle", rep_s) ||
      heal_store_incident_fault(f.s, f.incident,
                                json_string_value(json_object_get(report, "kind")), fn, buffer,
                                json_is_integer(off) ? (long long)json_integer_value(off) : -1,
                                loc_s) ||
      heal_store_commit(f.s)) {
    heal_store_rollback(f.s);
    return FIX_ERROR;
  }
  fprintf(f.out, "fault: %s in %s", json_string_value(json_object_get(report, "kind")), fn ? fn : "??");
  if (buffer)
    fprintf(f.out, ", buffer '%s' of %s", buffer,
           json_string_value(json_object_get(report, "buffer_function"))
               ? json_string_value(json_object_get(report, "buffer_function"))
               : "?");
  if (json_is_integer(off))
    fprintf(f.out, " at offset %lld", (long long)json_integer_value(off));
  fprintf(f.out, "; stack: ");
  heal_print_stack(f.out, json_object_get(report, "stack"));
  fputc('\n', f.out);
  initial_candidates(&f, report);
  f.t_localize = now_s() - t0;
  if (f.nc == 0) {
    fprintf(f.out, "no candidate: the fault is in main or outside the program's own functions\n");
    record_end(&f, "failed", "no candidate: no function of the program below main on the stack");
    store_timings(&f);
    print_timings(&f);
    return FIX_NONE_PASSED;
  }
  fflush(f.out);

  /* Build and test. */
  if (build_and_test(&f, report) != 0)
    return FIX_ERROR;

  /* Rank. */
  struct candidate **order = heal_xmalloc(f.nc * sizeof *order);
  for (size_t k = 0; k < f.nc; k++)
    order[k] = &f.c[k];
  qsort(order, f.nc, sizeof *order, rank_cmp);
  for (size_t k = 0; k < f.nc; k++) {
    order[k]->rank = (int)k + 1;
    order[k]->reason = reason_of(order[k]);
  }
  struct candidate *chosen = order[0]->passed ? order[0] : NULL;
  print_table(&f, order);
  if (f.skipped)
    fprintf(f.out, "(%zu more candidate%s further up the stack not built: %s cannot rank higher; "
           "--all builds and tests %s)\n",
           f.skipped, f.skipped == 1 ? "" : "s", f.skipped == 1 ? "it" : "they",
           f.skipped == 1 ? "it" : "them");
  char *stored = NULL;
  if (record_ranking(&f, order, chosen, &stored) != 0)
    return FIX_ERROR;
  if (!chosen) {
    fprintf(f.out, "\nno candidate passed its tests: incident %lld is recorded as failed "
           "(heal show %lld)\n",
           (long long)f.incident, (long long)f.incident);
    store_timings(&f);
    print_timings(&f);
    return FIX_NONE_PASSED;
  }
  char *pretty = json_dumps(chosen->policy, JSON_INDENT(2) | JSON_SORT_KEYS);
  fprintf(f.out, "\nchosen: candidate %lld, %s\npolicy:\n%s\n", (long long)chosen->id,
         chosen->description, pretty);
  free(pretty);

  /* Deploy, or leave it for approval. */
  int rc = FIX_OK;
  if (f.deploy) {
    t0 = now_s();
    progress(&f, "deploy: replacing %s", f.abs);
    int64_t dep = heal_deploy(f.s, f.incident, chosen->id, f.program, f.abs, stored,
                              f.binary_hash, "deploy");
    progress_done(&f);
    f.t_deploy = now_s() - t0;
    if (dep > 0)
      fprintf(f.out, "deployed: %s is now candidate %lld (deployment %lld; 'heal rollback' restores "
             "the previous binary)\n",
             f.abs, (long long)chosen->id, (long long)dep);
    else
      rc = FIX_ERROR;
  } else {
    fprintf(f.out, "pending approval: 'heal approve %lld' deploys it, 'heal reject %lld' drops it\n",
           (long long)f.incident, (long long)f.incident);
  }
  store_timings(&f);
  print_timings(&f);
  free(stored);
  return rc;
}

int cmd_fix(int argc, char **argv) {
  int json = 0;
  int64_t incident = 0;
  int rc = run(argc, argv, &json, &incident);
  /* With --json, whatever the outcome: what the store now says of the incident, the same
   * object as heal show --json. */
  if (json && incident > 0) {
    struct heal_store *s = heal_store_open(CMD, 0);
    json_t *inc = s ? heal_store_incident_get(s, incident) : NULL;
    heal_store_close(s);
    if (!inc)
      return FIX_ERROR;
    heal_print_json(inc);
    json_decref(inc);
  }
  return rc;
}
