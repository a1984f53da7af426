/* The heal CLI: one function per subcommand, dispatched from a table in main.c. */
#ifndef HEAL_TOOL_CLI_H
#define HEAL_TOOL_CLI_H

#include <jansson.h>
#include <stdio.h>

/* Program name in messages. */
#define HEAL_PROG "heal"

/* Each subcommand gets argv starting at its own name (argv[0] == "rebuild") and returns
 * the process exit status. */
int cmd_rebuild(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_incidents(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_reject(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* Prints a JSON value on stdout as the console's --json does (indented, sorted keys). */
void heal_print_json(json_t *v);

/* Prints a report's stack (frame names, or objects with "function") as "f < g < h": the
 * first HEAL_STACK_SHOWN frames and a count of the rest, since a deep recursion would fill
 * the screen (reports and --json keep every frame). */
#define HEAL_STACK_SHOWN 10
void heal_print_stack(FILE *out, json_t *stack);

/* Prints "heal <cmd>: error: <fmt>\n" on stderr. */
void heal_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
