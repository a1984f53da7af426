/* heal diagnose BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] [--json]
 *                      [--env NAME=VALUE]... [-- ARGS...]
 *
 * Orient: builds (or takes from the cache) the Oracle variant of a heal-cc binary,
 * replays the input on it, and prints where the fault is: kind, function, buffer, offset,
 * access, call stack and the buffer's declaration, then the Oracle's JSON report.
 *
 * Exit status: 0 a fault was localized; 1 an error (message on stderr); 2 bad usage;
 * 3 the input did not crash the Oracle; 4 the Oracle did not finish in time (a hang is a
 * finding: "timeout"). */
#define _GNU_SOURCE
#include "cli.h"
#include "inputopts.h"
#include "replay.h"
#include "variant.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "diagnose"
#define USAGE                                                                                 \
  "usage: heal diagnose BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] "      \
  "[--json] [--env NAME=VALUE]... [-- ARGS...]"

enum { DIAG_FOUND = 0, DIAG_ERROR = 1, DIAG_USAGE = 2, DIAG_NO_FAULT = 3, DIAG_TIMEOUT = 4 };

struct diag {
  struct heal_input_opts o;
  const char *binary;
  struct heal_input in;
  int json;
};

static int parse_args(struct diag *d, int argc, char **argv) {
  int i = 1;
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
    if (!strcmp(a, "--json")) {
      d->json = 1;
      continue;
    }
    int r = heal_input_option(CMD, argc, argv, &i, &d->o);
    if (r < 0)
      return -1;
    if (!r && heal_input_positional(CMD, a, &d->o) != 0)
      return -1;
  }
  if (heal_input_finish(CMD, argc, argv, i, &d->o, &d->in) != 0)
    return -1;
  d->binary = d->o.binary;
  return 0;
}

/* Whether ARGS or --env pass the chosen port on ({PORT}). */
static int uses_port_token(const struct diag *d) {
  for (size_t i = 0; i < d->o.args.n; i++)
    if (strstr(d->o.args.v[i], HEAL_PORT_TOKEN))
      return 1;
  for (size_t i = 0; i < d->o.env.n; i++)
    if (strstr(d->o.env.v[i], HEAL_PORT_TOKEN))
      return 1;
  return 0;
}

static const char *str(json_t *r, const char *key) {
  return json_string_value(json_object_get(r, key));
}

/* "write 1 byte past the end", "read 3 bytes before the start", "write at offset 8". */
static char *where(json_t *r) {
  const char *acc = str(r, "access");
  json_t *off = json_object_get(r, "offset"), *size = json_object_get(r, "buffer_size");
  if (!json_is_integer(off))
    return NULL;
  long long o = json_integer_value(off), n = json_is_integer(size) ? json_integer_value(size) : -1;
  const char *verb = acc ? acc : "access";
  if (n >= 0 && o >= n)
    return heal_xasprintf("%s %lld byte%s past the end (offset %lld)", verb, o - n + 1,
                          o - n + 1 == 1 ? "" : "s", o);
  if (o < 0)
    return heal_xasprintf("%s %lld byte%s before the start (offset %lld)", verb, -o,
                          o == -1 ? "" : "s", o);
  return heal_xasprintf("%s at offset %lld", verb, o);
}

static void print_location(json_t *r) {
  const char *kind = str(r, "kind"), *fn = str(r, "function"), *buf = str(r, "buffer");
  const char *ffile = str(r, "function_file");
  json_t *fline = json_object_get(r, "function_line");
  printf("%s in %s\n", kind ? kind : "fault", fn ? fn : "??");
  printf("  kind:     %s\n", kind ? kind : "unknown");
  printf("  function: %s", fn ? fn : "??");
  if (ffile)
    printf(" (%s:%lld)", ffile, (long long)json_integer_value(fline));
  putchar('\n');
  if (buf || json_is_integer(json_object_get(r, "buffer_size"))) {
    printf("  buffer:   %s", buf ? buf : "?");
    json_t *size = json_object_get(r, "buffer_size");
    if (json_is_integer(size))
      printf(" (%lld bytes)", (long long)json_integer_value(size));
    putchar('\n');
    char *w = where(r);
    if (w)
      printf("  access:   %s\n", w);
    free(w);
    const char *bfile = str(r, "buffer_file"), *bfn = str(r, "buffer_function");
    if (bfile)
      printf("  declared: %s:%lld%s%s\n", bfile,
             (long long)json_integer_value(json_object_get(r, "buffer_line")),
             bfn ? " in " : "", bfn ? bfn : "");
    else if (bfn)
      printf("  declared: in %s\n", bfn);
  }
  printf("  stack:    ");
  heal_print_stack(stdout, json_object_get(r, "stack"));
  putchar('\n');
  const char *sig = str(r, "signal");
  if (sig)
    printf("  signal:   %s\n", sig);
}

/* --json without a report: the same shape as a report where it can be. */
static void print_json_finding(const struct diag *d, const char *oracle,
                               const struct heal_replay_result *res) {
  json_t *o = json_object();
  json_object_set_new(o, "version", json_integer(1));
  json_object_set_new(o, "program", json_string(oracle));
  json_object_set_new(o, "mode", json_string("oracle"));
  json_object_set_new(o, "kind", res->outcome == HEAL_RUN_TIMEOUT ? json_string("timeout")
                                                                  : json_null());
  json_object_set_new(o, "outcome", json_string(heal_outcome_name(res->outcome)));
  json_object_set_new(o, "function", res->hang_function ? json_string(res->hang_function)
                                                        : json_null());
  json_object_set_new(o, "status", res->outcome == HEAL_RUN_EXITED ? json_integer(res->status)
                                                                   : json_null());
  const char *sig = res->outcome == HEAL_RUN_SIGNALED ? sigabbrev_np(res->signal) : NULL;
  json_object_set_new(o, "signal", sig ? json_sprintf("SIG%s", sig) : json_null());
  json_object_set_new(o, "timeout", json_real(d->in.timeout > 0 ? d->in.timeout
                                                                : HEAL_REPLAY_TIMEOUT));
  char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(9));
  puts(text);
  free(text);
  json_decref(o);
}

int cmd_diagnose(int argc, char **argv) {
  struct diag d;
  memset(&d, 0, sizeof d);
  heal_input_opts_init(&d.o);
  if (parse_args(&d, argc, argv) != 0) {
    heal_input_opts_free(&d.o);
    return DIAG_USAGE;
  }
  int rc = DIAG_ERROR;
  char *oracle = NULL, *err = NULL;
  struct heal_replay_result res;
  memset(&res, 0, sizeof res);
  /* Arguments first: a typo must not cost a build. */
  if (heal_variant_check(CMD, d.binary) != 0)
    goto out;
  if (d.in.file && heal_input_check_file(d.in.file, &err) != 0) {
    heal_error(CMD, "%s", err);
    goto out;
  }
  if (d.in.feed == HEAL_FEED_TCP && d.in.port > 0 && heal_tcp_port_busy(d.in.port)) {
    heal_error(CMD, "port %d is already in use on 127.0.0.1 (stop whatever listens there or "
               "choose another port)", d.in.port);
    goto out;
  }
  int hit = 0;
  if (isatty(2))
    fprintf(stderr, "heal diagnose: preparing the Oracle variant of %s...\n", d.binary);
  oracle = heal_variant_cached(CMD, d.binary, HEAL_MODE_ORACLE, NULL, &hit);
  if (!oracle)
    goto out;
  d.in.exact_heap = 1; /* one replay: exactness over speed (docs/oracle.md, use after free) */
  if (heal_replay(oracle, &d.in, &res) != 0) {
    heal_error(CMD, "%s", res.error);
    goto out;
  }
  json_t *report = heal_replay_report(&res);
  char *what = heal_replay_describe(&res);
  if (report) {
    rc = DIAG_FOUND;
    char *text = json_dumps(report, JSON_SORT_KEYS | (d.json ? JSON_COMPACT : JSON_INDENT(2)));
    if (!d.json) {
      print_location(report);
      printf("  replay:   the Oracle %s (%.2f s)\n", what, res.seconds);
      printf("report:\n");
    }
    puts(text);
    free(text);
  } else if (res.outcome == HEAL_RUN_TIMEOUT) {
    rc = DIAG_TIMEOUT;
    if (d.json)
      print_json_finding(&d, oracle, &res);
    else
      printf("timeout: the Oracle %s: the input makes '%s' hang\n", what, d.binary);
    if (d.in.feed == HEAL_FEED_TCP && !res.connected && d.in.port == 0 && !uses_port_token(&d))
      fprintf(stderr, "heal diagnose: note: heal chose port %d; pass it to the server with "
              "{PORT} in its arguments or --env, or $HEAL_PORT\n", res.port);
  } else {
    rc = DIAG_NO_FAULT;
    if (d.json)
      print_json_finding(&d, oracle, &res);
    heal_error(CMD, "the input did not crash the Oracle variant of '%s' (it %s%s)", d.binary,
               what,
               res.outcome == HEAL_RUN_SIGNALED ? " but wrote no report" : ", no fault found");
  }
  free(what);
out:
  heal_replay_result_free(&res);
  free(err);
  free(oracle);
  heal_input_opts_free(&d.o);
  return rc;
}
