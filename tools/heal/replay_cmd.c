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
  const char *binary = NULL, *stdin_file = NULL, *send = NULL, *compare = NULL, *test = NULL;
  long port = -1;
  double timeout = 0;
  int json = 0, i = 1;
  struct strv args = STRV_INIT, env = STRV_INIT;
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
    if (!strcmp(a, "--stdin") || !strcmp(a, "--tcp") || !strcmp(a, "--send") ||
        !strcmp(a, "--timeout") || !strcmp(a, "--env") || !strcmp(a, "--compare") ||
        !strcmp(a, "--test")) {
      if (i + 1 >= argc) {
        heal_error(CMD, "%s needs an argument", a);
        return 2;
      }
      const char *v = argv[++i];
      char *end;
      if (!strcmp(a, "--stdin"))
        stdin_file = v;
      else if (!strcmp(a, "--send"))
        send = v;
      else if (!strcmp(a, "--compare"))
        compare = v;
      else if (!strcmp(a, "--test"))
        test = v;
      else if (!strcmp(a, "--env")) {
        if (!strchr(v, '=') || v[0] == '=') {
          heal_error(CMD, "--env: expected NAME=VALUE, got '%s'", v);
          return 2;
        }
        strv_push(&env, v);
      } else if (!strcmp(a, "--tcp")) {
        errno = 0;
        port = strtol(v, &end, 10);
        if (errno || end == v || *end || port < 0 || port > 65535) {
          heal_error(CMD, "--tcp: expected a port number from 0 to 65535, got '%s'", v);
          return 2;
        }
      } else {
        errno = 0;
        timeout = strtod(v, &end);
        if (errno || end == v || *end || !(timeout > 0) || timeout > 86400) {
          heal_error(CMD, "--timeout: expected seconds (more than 0, at most 86400), got '%s'",
                     v);
          return 2;
        }
      }
      continue;
    }
    if (a[0] == '-' && a[1]) {
      heal_error(CMD, "unknown option '%s' (see 'heal %s --help')", a, CMD);
      return 2;
    }
    if (binary) {
      heal_error(CMD, "unexpected argument '%s' (the program's arguments go after --)", a);
      return 2;
    }
    binary = a;
  }
  for (; i < argc; i++)
    strv_push(&args, argv[i]);
  int rc = 2;
  if (!binary)
    heal_error(CMD, "missing BINARY (see 'heal replay --help')");
  else if (stdin_file && (port >= 0 || send))
    heal_error(CMD, "--stdin and --tcp/--send exclude each other");
  else if ((port >= 0) != (send != NULL))
    heal_error(CMD, "%s", port >= 0 ? "--tcp needs --send FILE" : "--send needs --tcp PORT");
  else if (test && (stdin_file || send || compare || args.n))
    heal_error(CMD, "--test runs a command: no input options, --compare or ARGS with it");
  else
    rc = 0;
  if (rc) {
    strv_free(&args);
    strv_free(&env);
    return rc;
  }
  struct heal_input in = {
      .feed = stdin_file ? HEAL_FEED_STDIN : send ? HEAL_FEED_TCP : HEAL_FEED_ARGS,
      .file = stdin_file ? stdin_file : send,
      .port = port > 0 ? (int)port : 0,
      .args = args.n ? args.v : NULL,
      .env = env.n ? env.v : NULL,
      .timeout = timeout,
  };
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
  strv_free(&args);
  strv_free(&env);
  return rc;
}
