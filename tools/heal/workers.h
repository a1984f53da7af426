/* Several jobs at once in forked worker processes (heal rebuild: module builds, call
 * summaries). A job only writes files; its result reaches heal through them. */
#ifndef HEAL_TOOL_WORKERS_H
#define HEAL_TOOL_WORKERS_H

#include <stddef.h>

/* Runs work(i, ctx) for i in [0, n), up to $HEAL_JOBS (else the online CPUs, 1..64) at a
 * time, each in a child process (in heal itself when there is one job, one CPU, or no
 * process to spare); done(i, ctx), unless NULL, is called in heal for each job that
 * returned 0. Stops starting jobs after the first
 * failure and returns its status (0 when all succeeded). Reaps only its own children. */
int heal_run_jobs(size_t n, int (*work)(size_t i, void *ctx), void (*done)(size_t i, void *ctx),
                  void *ctx);

#endif
