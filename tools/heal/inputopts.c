/* Input options of heal diagnose, replay and fix (inputopts.h). */
#include "inputopts.h"
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void heal_input_opts_init(struct heal_input_opts *o) {
  memset(o, 0, sizeof *o);
  o->port = -1;
  o->args = (struct strv)STRV_INIT;
  o->env = (struct strv)STRV_INIT;
}

void heal_input_opts_free(struct heal_input_opts *o) {
  strv_free(&o->args);
  strv_free(&o->env);
}

int heal_parse_number(const char *cmd, const char *opt, const char *s, double lo, double hi,
                      double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= lo && v <= hi)) {
    heal_error(cmd, "%s: expected a number from %g to %g, got '%s'", opt, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

int heal_input_option(const char *cmd, int argc, char **argv, int *i,
                      struct heal_input_opts *o) {
  static const char *const names[] = {"--stdin", "--tcp", "--send", "--timeout", "--env"};
  const char *a = argv[*i];
  size_t k = 0;
  while (k < sizeof names / sizeof *names && strcmp(a, names[k]))
    k++;
  if (k == sizeof names / sizeof *names)
    return 0;
  if (*i + 1 >= argc) {
    heal_error(cmd, "%s needs an argument", a);
    return -1;
  }
  const char *v = argv[++*i];
  double d;
  switch (k) {
  case 0:
    o->stdin_file = v;
    break;
  case 1:
    if (heal_parse_number(cmd, a, v, 0, 65535, &d) != 0)
      return -1;
    if (d != (long)d) {
      heal_error(cmd, "--tcp: expected a port number, got '%s'", v);
      return -1;
    }
    o->port = (long)d;
    break;
  case 2:
    o->send = v;
    break;
  case 3:
    if (heal_parse_number(cmd, a, v, 0.001, 86400, &o->timeout) != 0)
      return -1;
    break;
  default:
    if (!strchr(v, '=') || v[0] == '=') {
      heal_error(cmd, "--env: expected NAME=VALUE, got '%s'", v);
      return -1;
    }
    strv_push(&o->env, v);
  }
  return 1;
}

int heal_input_positional(const char *cmd, const char *arg, struct heal_input_opts *o) {
  if (arg[0] == '-' && arg[1]) {
    heal_error(cmd, "unknown option '%s' (see '%s %s --help')", arg, HEAL_PROG, cmd);
    return -1;
  }
  if (o->binary) {
    heal_error(cmd, "unexpected argument '%s' (the program's arguments go after --)", arg);
    return -1;
  }
  o->binary = arg;
  return 0;
}

int heal_input_finish(const char *cmd, int argc, char **argv, int i,
                      struct heal_input_opts *o, struct heal_input *in) {
  for (; i < argc; i++)
    strv_push(&o->args, argv[i]);
  if (!o->binary) {
    heal_error(cmd, "missing BINARY (see '%s %s --help')", HEAL_PROG, cmd);
    return -1;
  }
  if (o->stdin_file && (o->port >= 0 || o->send)) {
    heal_error(cmd, "--stdin and --tcp/--send exclude each other");
    return -1;
  }
  if ((o->port >= 0) != (o->send != NULL)) {
    heal_error(cmd, "%s", o->port >= 0 ? "--tcp needs --send FILE (the bytes to send)"
                                       : "--send needs --tcp PORT (where the server listens)");
    return -1;
  }
  memset(in, 0, sizeof *in);
  in->feed = o->stdin_file ? HEAL_FEED_STDIN : o->send ? HEAL_FEED_TCP : HEAL_FEED_ARGS;
  in->file = o->stdin_file ? o->stdin_file : o->send;
  in->port = o->port > 0 ? (int)o->port : 0; /* --tcp 0: a free one, passed as {PORT} */
  in->timeout = o->timeout;
  in->args = o->args.n ? o->args.v : NULL;
  in->env = o->env.n ? o->env.v : NULL;
  return 0;
}
