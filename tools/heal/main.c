/* heal: the command line of the self-healing loop. Subcommands live in a table so later
 * ones (diagnose, fix, incidents, ...) slot in; usage lists only what exists. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef HEAL_VERSION
#define HEAL_VERSION "0.0.0"
#endif

struct subcommand {
  const char *name;
  const char *args;    /* argument synopsis for usage */
  const char *summary; /* one line */
  int (*run)(int argc, char **argv);
};

static const struct subcommand commands[] = {
    {"rebuild", "BINARY --mode sensor|oracle|patch [--policy FILE] [--object-cache DIR] -o OUT",
     "build another variant of a heal-cc binary from the bitcode it carries", cmd_rebuild},
    {"diagnose",
     "BINARY [--stdin FILE | --tcp PORT --send FILE] [--timeout SEC] [--json] [-- ARGS...]",
     "replay an input on the Oracle variant and show where the fault is", cmd_diagnose},
    {"replay",
     "BINARY [--stdin FILE | --tcp PORT --send FILE] [--compare ORIGINAL] [--json] [-- ARGS...]"
     " | BINARY --test CMD",
     "run one input (or a regression command) on a binary and show what happened", cmd_replay},
    {"fix",
     "BINARY [--stdin FILE | --tcp PORT --send FILE] [--test CMD]... [--corpus DIR] "
     "[--deploy | --approve] [--json] [-- ARGS...]",
     "find the fault, build, test and rank candidate patches, deploy the best or leave it "
     "for approval",
     cmd_fix},
    {"record", "BINARY --report FILE [--stdin FILE | --tcp PORT --send FILE] [-- ARGS...]",
     "record a crash report from production as a new incident", cmd_record},
    {"incidents", "[--json]", "list the incidents in the store", cmd_incidents},
    {"show", "ID [--json]",
     "show an incident: fault, candidates and their tests, policy, decisions, timings",
     cmd_show},
    {"approve", "ID", "deploy the patch chosen for an incident pending approval", cmd_approve},
    {"reject", "ID", "reject the patch chosen for an incident pending approval", cmd_reject},
    {"rollback", "[BINARY]", "put back the binary the last deployment replaced", cmd_rollback},
    {"watch",
     "BINARY --listen PORT [--tcp PORT] [--env NAME=VALUE]... [--test CMD]... [--corpus DIR] "
     "[--approve] [--max-fixes N] [-- ARGS...]",
     "run a server behind a proxy; when an attack crashes it, fix, deploy and restart it",
     cmd_watch},
    {"gc", "[--older-than DAYS] [--dry-run]",
     "remove cached variants and objects not modified for DAYS days (default 14)", cmd_gc},
};

void heal_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s%s%s: error: ", HEAL_PROG, cmd ? " " : "", cmd ? cmd : "");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static void usage(FILE *out) {
  fprintf(out, "usage: %s COMMAND [ARGS...]\n\ncommands:\n", HEAL_PROG);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
    fprintf(out, "  %s %s\n      %s\n", commands[i].name, commands[i].args, commands[i].summary);
  fprintf(out, "\noptions:\n  --help      show this help\n"
               "  --version   show the version\n"
               "\nSee docs/heal.md.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("%s %s\n", HEAL_PROG, HEAL_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  heal_error(NULL, "unknown command '%s' (see '%s --help')", argv[1], HEAL_PROG);
  return 2;
}
