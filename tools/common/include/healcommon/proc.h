/* Running the tools: posix_spawn + waitpid, and a private temporary directory.
 *
 * heal_run returns the child's exit status (0..255), 128+N when it died of signal N, or
 * -1 (after printing why) when it could not be started. Children inherit stdin, stdout
 * and stderr, so clang's diagnostics reach the user unchanged. */
#ifndef HEALCOMMON_PROC_H
#define HEALCOMMON_PROC_H

#include <stddef.h>

/* Runs argv (argv[0] is the path of the program). When verbose, first prints the command
 * on stderr, shell-quoted, prefixed by "<prog>: ". */
int heal_run(const char *prog, char *const *argv, int verbose);
/* Like heal_run, with stdout redirected to out_path (created/truncated) when not NULL. */
int heal_run_to(const char *prog, char *const *argv, int verbose, const char *out_path);
/* Replaces the process by argv (for passthrough). Returns only on failure, after printing
 * an error; the caller should then exit 127. */
void heal_exec(const char *prog, char *const *argv, int verbose);
/* Prints argv shell-quoted on one line of stderr, prefixed by "<prog>: ". */
void heal_print_command(const char *prog, char *const *argv);

/* The process's private temporary directory ($TMPDIR or /tmp, mode 0700), created on
 * first use. It and everything in it are removed at exit (atexit) and when the process is
 * killed by SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGPIPE (the signal is then re-raised). Returns
 * NULL after printing an error if it cannot be created. */
const char *heal_tmpdir(const char *prog);
/* A fresh path "<tmpdir>/<n>-<base>" (base is used for readability only, may be NULL);
 * the file is not created. Returns NULL if the directory cannot be created. Caller frees. */
char *heal_tmppath(const char *prog, const char *base);
/* Removes the temporary directory now (idempotent). */
void heal_tmpdir_remove(void);

/* Reads a whole file; returns 0 and a malloc'd buffer (NUL-terminated for convenience),
 * or -1 with errno set. */
int heal_read_file(const char *path, void **data, size_t *size);
/* Writes a whole file (created/truncated, mode 0666 & ~umask); 0 or -1 with errno. */
int heal_write_file(const char *path, const void *data, size_t size);
/* path if absolute, else <cwd>/path (lexically; no symlinks resolved). Caller frees. */
char *heal_abspath(const char *path);
/* Whether path names a regular file (symlinks followed). */
int heal_is_file(const char *path);

#endif
