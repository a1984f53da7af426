/* Replaying an input on a binary, and running regression commands: the "run it and see"
 * half of the heal loop, shared by `heal diagnose` and `heal fix`.
 *
 * One call runs one process (or one server plus one TCP exchange) to completion and
 * describes what happened. Every run gets:
 *   - a fresh, empty HEAL_REPORT_DIR (removed by heal_replay_result_free); the JSON
 *     reports the run left there are parsed (jansson) into result->reports;
 *   - HEAL_BINARY = the binary's absolute path, HEAL_PORT = the TCP port (TCP runs);
 *   - its own process group, no core dumps, stdin from the input file or /dev/null;
 *   - a timeout: when it expires the whole process group gets SIGTERM, then SIGKILL after
 *     a short grace, and the outcome is HEAL_RUN_TIMEOUT (a hang is a finding); first
 *     heal_replay stops the program for a moment to read where it was (hang_function);
 *   - stdout and stderr captured, each bounded (the rest is read and dropped).
 * Nothing is printed; a run that could not be started is HEAL_RUN_ERROR with a message.
 * Single-threaded callers only (fork/exec, SIGCHLD left alone: children are waited for). */
#ifndef HEAL_TOOL_REPLAY_H
#define HEAL_TOOL_REPLAY_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* How the input reaches the program. */
enum heal_feed {
  HEAL_FEED_ARGS = 0, /* only through args (input files named in ARGS); stdin /dev/null */
  HEAL_FEED_STDIN,    /* the file input->file on stdin */
  HEAL_FEED_TCP,      /* a server: start it, send input->file to 127.0.0.1:port, read the
                         response until the server closes or the timeout, then stop it */
};

/* The token replaced by the TCP port in args and env values ("--port={PORT}"). */
#define HEAL_PORT_TOKEN "{PORT}"

struct heal_input {
  enum heal_feed feed;
  const char *file;          /* STDIN: fed on stdin; TCP: the bytes sent. NULL for ARGS */
  int port;                  /* TCP: the port the server listens on; 0 = pick a free one
                                (then ARGS must pass it on: HEAL_PORT_TOKEN or $HEAL_PORT) */
  char *const *args;         /* argv[1..] for the program, NULL-terminated (NULL = none) */
  char *const *env;          /* extra "NAME=VALUE" entries, NULL-terminated (NULL = none) */
  const char *cwd;           /* working directory of the run; NULL = the current one */
  double timeout;            /* seconds for the whole run; <= 0: HEAL_REPLAY_TIMEOUT */
  double settle;             /* TCP: after the server closed the connection, seconds to
                                wait for it to exit before checking whether the kernel is
                                tearing it down (then it is waited for); <= 0: 0.005 */
  int exact_heap;            /* an Oracle replay: every freed heap block guarded
                                (HEAL_ORACLE_PROTECT_EVERY=1) unless the environment or env
                                says otherwise -- a use after free then faults at once */
};
#define HEAL_REPLAY_TIMEOUT 10.0

enum heal_outcome {
  HEAL_RUN_EXITED = 0, /* exited by itself: status */
  HEAL_RUN_SIGNALED,   /* died of a signal: signal (a crash, or heal's re-raised fault) */
  HEAL_RUN_TIMEOUT,    /* did not finish (a server: did not answer and close) in time */
  HEAL_RUN_RUNNING,    /* TCP: the server answered and was still running; heal stopped it */
  HEAL_RUN_ERROR,      /* could not be run (error says why); nothing else is meaningful */
};

struct heal_replay_result {
  enum heal_outcome outcome;
  int status;          /* EXITED: exit status; else -1 */
  int signal;          /* SIGNALED: the signal number; else 0 */
  int port;            /* TCP: the port used */
  int connected;       /* TCP: the server accepted the connection */
  char *out;           /* stdout (NUL-terminated, at most HEAL_REPLAY_MAX_OUTPUT bytes) */
  size_t out_len;
  char *err;           /* stderr, likewise */
  size_t err_len;
  int truncated;       /* bit 0: stdout was cut, bit 1: stderr, bit 2: the response */
  char *response;      /* TCP: the bytes the server sent back (bounded likewise); else NULL */
  size_t response_len;
  json_t *reports;     /* array of the parsed reports, ordered by file name; never NULL
                          after a run (empty array if none); unparsable files are skipped
                          and counted in bad_reports */
  int bad_reports;
  char *report_dir;    /* the run's HEAL_REPORT_DIR (removed by heal_replay_result_free) */
  double seconds;      /* wall time of the run */
  double timeout;      /* the time limit that applied (seconds) */
  char *error;         /* ERROR: one line, no "heal:" prefix; else NULL */
  char *hang_function; /* TIMEOUT of heal_replay: the function the program was in when
                          stopped (read with ptrace, best effort), or NULL */
  char *hang_object;   /* its ELF file, or NULL */
  unsigned long long hang_pc; /* its program counter, or 0 */
};
#define HEAL_REPLAY_MAX_OUTPUT (1u << 20)

/* Runs binary with the input. Returns 0 when the run happened (whatever its outcome), -1
 * for HEAL_RUN_ERROR. The result is always filled; free it with heal_replay_result_free. */
int heal_replay(const char *binary, const struct heal_input *in, struct heal_replay_result *res);

/* Runs a regression command: /bin/sh -c cmd, with HEAL_BINARY = binary (absolute) and the
 * same report directory, capture, process group and timeout handling as heal_replay.
 * Passed means outcome == HEAL_RUN_EXITED && status == 0. Returns 0 or -1 like
 * heal_replay. */
int heal_run_test(const char *cmd, const char *binary, double timeout, const char *cwd,
                  struct heal_replay_result *res);

void heal_replay_result_free(struct heal_replay_result *res);

/* Whether two runs behaved the same, for the benign corpus (candidate vs original):
 * same outcome, same exit status or signal, same stdout, and for TCP the same response.
 * stderr and reports are not compared. Returns 1 if equal; else 0 and, when why is not
 * NULL, a malloc'd one-line reason ("stdout differs at byte 12", "the response differs at
 * byte 9", "exited with status 1, the original exited with status 0"). */
int heal_replay_same(const struct heal_replay_result *orig, const struct heal_replay_result *cand,
                     char **why);

/* The first report of a run (a borrowed reference), or NULL. */
json_t *heal_replay_report(const struct heal_replay_result *res);

/* "exited", "signaled", "timeout", "running", "error" (JSON and the store spell outcomes
 * this way). */
const char *heal_outcome_name(enum heal_outcome o);

/* "exited with status 0", "died of SIGSEGV", "timed out after 10 s (in spin)",
 * "answered and kept running", "could not run: ..." (malloc'd). */
char *heal_replay_describe(const struct heal_replay_result *res);

/* Whether something already accepts connections on 127.0.0.1:port (heal_replay refuses
 * such a port; callers check it before any build). */
int heal_tcp_port_busy(int port);

/* For programs heal runs itself (heal watch's server): s with every HEAL_PORT_TOKEN
 * replaced by port (malloc'd); the environment heal_replay gives a run (HEAL_REPORT_DIR =
 * report_dir, HEAL_BINARY = binary, HEAL_PORT = port when not 0, the extra "NAME=VALUE"
 * entries with the token replaced, HEAL_ORACLE_PROTECT_EVERY=1 with exact_heap, then the
 * inherited variables not named so far) pushed onto env; a port nobody listens on now (the
 * kernel's choice), or -1. */
struct strv;
char *heal_subst_port(const char *s, int port);
void heal_replay_env(struct strv *env, const char *binary, const char *report_dir, int port,
                     char *const *extra, int exact_heap);
int heal_free_port(void);
/* Whether the kernel is tearing pid down (PF_EXITING in /proc/PID/stat), or it is gone: a
 * crash closes the process's sockets from its exit path, after setting the flag. */
int heal_pid_exiting(pid_t pid);
/* In a child heal starts, before exec: its own process group (a stop reaches everything it
 * starts), SIGKILL when heal dies (exits 127 if heal is already gone), no core file, no
 * blocked signals, SIGPIPE at its default. */
void heal_child_setup(pid_t parent);

/* Checks that an input file is a readable regular file: 0, or -1 with a malloc'd
 * "cannot open 'X': reason" in *err. Callers check inputs this way before any build. */
int heal_input_check_file(const char *path, char **err);

#endif
