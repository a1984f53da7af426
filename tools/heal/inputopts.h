/* The command-line options that say how an input reaches a program, shared by heal
 * diagnose, heal replay and heal fix (one parser, one set of messages):
 *
 *   BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] [--env NAME=VALUE]...
 *          [-- ARGS...]
 *
 * A command's own loop offers each argument to heal_input_option after its own options,
 * hands the rest to heal_input_positional, and calls heal_input_finish after "--". */
#ifndef HEAL_TOOL_INPUTOPTS_H
#define HEAL_TOOL_INPUTOPTS_H

#include "replay.h"

#include "healcommon/strv.h"

struct heal_input_opts {
  const char *binary;
  const char *stdin_file, *send;
  long port;      /* -1: no --tcp */
  double timeout; /* 0: no --timeout */
  struct strv args, env;
};

void heal_input_opts_init(struct heal_input_opts *o);
void heal_input_opts_free(struct heal_input_opts *o);

/* argv[*i] is --stdin, --tcp, --send, --timeout or --env: takes it and its value (*i
 * moves to the value) and returns 1. Any other argument: 0. A missing or bad value: -1
 * after one error line. */
int heal_input_option(const char *cmd, int argc, char **argv, int *i,
                      struct heal_input_opts *o);

/* An argument before "--" that no option took: BINARY (once). An unknown option or a
 * second positional argument: -1 after one error line. */
int heal_input_positional(const char *cmd, const char *arg, struct heal_input_opts *o);

/* After the options: argv[i..] are the program's ARGS. Checks that BINARY was given and
 * the options fit together, and fills *in (which points into o: keep o alive). 0, or -1
 * after one error line. */
int heal_input_finish(const char *cmd, int argc, char **argv, int i,
                      struct heal_input_opts *o, struct heal_input *in);

/* "--NAME: expected a number from LO to HI, got 'S'" unless S is one: 0 or -1. */
int heal_parse_number(const char *cmd, const char *opt, const char *s, double lo, double hi,
                      double *out);

#endif
