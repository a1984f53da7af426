/* heal replay BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] [--env N=V]...
 *                    [--compare ORIGINAL] [--json] [-- ARGS...]
 * heal replay BINARY --test CMD [--timeout SEC] [--json]
 *
 * Runs one input on any binary (a production build, a variant, a candidate) the way heal
 * diagnose and heal fix do, and says what happened: the outcome, then the program's stdout
 * (or a server's response) and the first report's stderr-style summary. --compare also
 * runs ORIGINAL and says whether the behaviour is the same (the benign-corpus check of
 * heal fix). --test runs a regression command with HEAL_BINARY=BINARY.
 *
 * Exit status: 0 the run happened (with --test: the command passed; with --compare: same
 * behaviour); 1 an error; 2 bad usage; 3 --test failed or --compare differs. */
#define _GNU_SOURCE
#include "cli.h"
#include "inputopts.h"
#include "replay.h"

#include "healcommon/strv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "replay"
#define USAGE                                                                                 \
  "usage: heal replay BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] "        \
  "[--env NAME=VALUE]... [--compare ORIGINAL] [--json] [-- ARGS...]\n"                        \
  "       heal replay BINARY --test CMD [--timeout SEC] [--json]"

/* Program output as a JSON string; bytes that are not valid UTF-8 become '?'. */
static json_t *text_json(const char *s, size_t n) {
  json_t *j = json_stringn(s ? s : "", s ? n : 0);
  if (j)
    return j;
  char *copy = heal_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
  j = json_stringn(copy, n);
  free(copy);
  return j;
}

static json_t *result_json(const struct heal_replay_result *r) {
  json_t *o = json_object();
  json_object_set_new(o, "outcome", json_string(heal_outcome_name(r->outcome)));
  json_object_set_new(o, "status", r->outcome == HEAL_RUN_EXITED ? json_integer(r->status)
                                                                 : json_null());
  const char *sig = r->outcome == HEAL_RUN_SIGNALED ? sigabbrev_np(r->signal) : NULL;
  json_object_set_new(o, "signal", sig ? json_sprintf("SIG%s", sig) : json_null());
  json_object_set_new(o, "seconds", json_real(r->seconds));
  json_object_set_new(o, "stdout", text_json(r->out, r->out_len));
  json_object_set_new(o, "stderr", text_json(r->err, r->err_len));
  json_object_set_new(o, "response", r->response ? text_json(r->response, r->response_len)
                                                 : json_null());
  json_object_set_new(o, "port", r->port ? json_integer(r->port) : json_null());
  json_object_set_new(o, "hang_function", r->hang_function ? json_string(r->hang_function)
                                                           : json_null());
  json_t *cut = json_array();
  static const char *const names[] = {"stdout", "stderr", "response"};
  for (int i = 0; i < 3; i++)
    if (r->truncated & (1 << i))
      json_array_append_new(cut, json_string(names[i]));
  json_object_set_new(o, "truncated", cut);
  json_object_set_new(o, "reports", json_incref(r->reports));
  return o;
}

static void print_json(json_t *o) {
  char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(9));
  puts(text ? text : "{}");
  free(text);
}

static void print_text(const char *label, const struct heal_replay_result *r) {
  char *what = heal_replay_describe(r);
  printf("%s%s\n", label, what);
  free(what);
  if (r->response) {
    printf("response (%zu bytes):\n", r->response_len);
    fwrite(r->response, 1, r->response_len, stdout);
    if (r->response_len && r->response[r->response_len - 1] != '\n')
      putchar('\n');
  } else if (r->out_len) {
    printf("stdout (%zu bytes):\n", r->out_len);
    fwrite(r->out, 1, r->out_len, stdout);
    if (r->out[r->out_len - 1] != '\n')
      putchar('\n');
  }
  json_t *rep = heal_replay_report(r);
  if (rep)
    printf("report: %s in %s (%s)\n", json_string_value(json_object_get(rep, "kind")),
           json_string_value(json_object_get(rep, "function"))
               ? json_string_value(json_object_get(rep, "function"))
               : "??",
           json_string_value(json_object_get(rep, "action"))
               ? json_string_value(json_object_get(rep, "action"))
               : "?");
}

int cmd_replay(int argc, char **argv) {
  const char *compare = NULL, *test = NULL;
  int json = 0, i = 1;
  struct heal_input_opts opts;
  struct heal_input in;
  heal_input_opts_init(&opts);
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      puts(USAGE);
      return 0;
    }
    if (!strcmp(a, "--json")) {
      json = 1;
      continue;
    }
    if (!strcmp(a, "--compare") || !strcmp(a, "--test")) {
      if (i + 1 >= argc) {
        heal_error(CMD, "%s needs an argument", a);
        heal_input_opts_free(&opts);
        return 2;
      }
      *(!strcmp(a, "--test") ? &test : &compare) = argv[++i];
      continue;
    }
    int r = heal_input_option(CMD, argc, argv, &i, &opts);
    if (r < 0 || (!r && heal_input_positional(CMD, a, &opts) != 0)) {
      heal_input_opts_free(&opts);
      return 2;
    }
  }
  if (heal_input_finish(CMD, argc, argv, i, &opts, &in) != 0) {
    heal_input_opts_free(&opts);
    return 2;
  }
  if (test && (opts.stdin_file || opts.send || compare || opts.args.n)) {
    heal_error(CMD, "--test runs a command: no input options, --compare or ARGS with it");
    heal_input_opts_free(&opts);
    return 2;
  }
  const char *binary = opts.binary;
  double timeout = opts.timeout;
  int rc = 0;
  struct heal_replay_result res, orig;
  memset(&orig, 0, sizeof orig);
  int st = test ? heal_run_test(test, binary, timeout, NULL, &res) : heal_replay(binary, &in, &res);
  if (st != 0) {
    heal_error(CMD, "%s", res.error);
    rc = 1;
  } else if (compare && heal_replay(compare, &in, &orig) != 0) {
    heal_error(CMD, "%s", orig.error);
    rc = 1;
  } else {
    char *why = NULL;
    int same = compare ? heal_replay_same(&orig, &res, &why) : 1;
    if (test)
      rc = res.outcome == HEAL_RUN_EXITED && res.status == 0 ? 0 : 3;
    else if (compare)
      rc = same ? 0 : 3;
    if (json) {
      json_t *o = result_json(&res);
      if (compare) {
        json_object_set_new(o, "original", result_json(&orig));
        json_object_set_new(o, "same", json_boolean(same));
        json_object_set_new(o, "difference", why ? json_string(why) : json_null());
      }
      print_json(o);
      json_decref(o);
    } else {
      print_text(test ? "test: " : "", &res);
      if (test && rc)
        fwrite(res.err, 1, res.err_len, stdout);
      if (compare)
        printf(same ? "same behaviour as %s\n" : "differs from %s: %s\n", compare, why);
    }
    free(why);
  }
  heal_replay_result_free(&res);
  heal_replay_result_free(&orig);
  heal_input_opts_free(&opts);
  return rc;
}
