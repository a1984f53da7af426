/* The incident store: one SQLite database that records the heal loop.
 *
 * Where: $HEAL_HOME (a directory), else ./.heal in the working directory; the database is
 * HOME/heal.db, inputs larger than HEAL_STORE_INLINE_MAX bytes are files HOME/inputs/HASH,
 * candidate binaries HOME/binaries/HASH, the binaries replaced by a deployment
 * HOME/backups/HASH (all content-addressed by SHA-256, written to a temporary name and
 * renamed, so a file with a hash name is always complete).
 *
 * Safety: WAL journal and a busy timeout, so several heal processes can read and write at
 * once; every change that belongs together is one transaction (BEGIN IMMEDIATE ... COMMIT),
 * so a heal killed mid-way leaves either all of it or none of it. The schema version is
 * PRAGMA user_version (HEAL_STORE_SCHEMA); a store written by a newer heal is refused.
 * The tables are described in docs/heal.md ("The incident store").
 *
 * Errors are printed by the store as "heal CMD: error: ..." (CMD given at open), and the
 * functions return -1 / NULL; the caller just stops. Reads return jansson objects (the
 * console prints them as tables or as JSON). */
#ifndef HEAL_TOOL_STORE_H
#define HEAL_TOOL_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HEAL_STORE_SCHEMA 1
/* Inputs up to this size live in the database, bigger ones in HOME/inputs/HASH. */
#define HEAL_STORE_INLINE_MAX 65536

struct heal_store;

/* Opens the store. With create, makes the directory and database when missing; without,
 * a missing store is an error ("no incident store at ..."). cmd names the subcommand in
 * messages. Returns NULL after printing an error (corrupt file, newer schema, ...). */
struct heal_store *heal_store_open(const char *cmd, int create);
void heal_store_close(struct heal_store *s);
const char *heal_store_dir(const struct heal_store *s);
const char *heal_store_cmd(const struct heal_store *s);

/* Transactions. begin takes the write lock at once (IMMEDIATE), waiting for other heal
 * processes up to the busy timeout. commit returns -1 (after printing) on failure, and the
 * transaction is then rolled back. rollback is harmless when no transaction is open. */
int heal_store_begin(struct heal_store *s);
int heal_store_commit(struct heal_store *s);
void heal_store_rollback(struct heal_store *s);

/* Test hook: when the environment variable HEAL_TEST_KILL equals point, the process
 * kills itself with SIGKILL here (no cleanup, like a crash or `kill -9`). The store calls
 * it with "commit" just before every COMMIT. */
void heal_killpoint(const char *point);

/* Current time, UTC, "YYYY-MM-DDTHH:MM:SSZ" (static buffer). */
const char *heal_now(void);
/* Who runs this: $USER, else the password entry's name, else the numeric uid (static). */
const char *heal_user(void);
/* SHA-256 of data as 64 lowercase hex digits. */
void heal_sha256_hex(const void *data, size_t n, char out[65]);
/* SHA-256 of a file's bytes; 0 or -1 with errno. */
int heal_sha256_file(const char *path, char out[65]);

/* ---- writers (call inside a transaction) ---------------------------------------------- */

/* The program row for an absolute binary path, created when new. Returns its id or -1. */
int64_t heal_store_program(struct heal_store *s, const char *path);
/* Stores bytes content-addressed; sets hash. Idempotent. 0 or -1. */
int heal_store_input(struct heal_store *s, const void *data, size_t n, char hash[65]);
/* Copies a file into HOME/DIR/HASH (DIR "binaries" or "backups"), keeping its mode; sets
 * hash and, when path_out is not NULL, the stored path (caller frees). 0 or -1. */
int heal_store_file(struct heal_store *s, const char *dir, const char *src, char hash[65],
                    char **path_out);

/* A new incident (state "new"). binary_hash: SHA-256 of the production binary when the
 * incident happened (a later deployment checks it is still that binary). replay is JSON
 * text: how the input is fed (see docs/heal.md); input_hash may be NULL. Returns the id
 * or -1. */
int64_t heal_store_incident_new(struct heal_store *s, int64_t program, const char *binary_hash,
                                const char *input_hash, const char *replay);
/* The newest incident of program, with this binary (SHA-256), input and replay, that a
 * heal fix did not finish (state "fixing"), for a rerun to resume; 0 when none, -1 on
 * error. */
int64_t heal_store_incident_find(struct heal_store *s, int64_t program, const char *binary_hash,
                                 const char *input_hash, const char *replay);
int heal_store_incident_state(struct heal_store *s, int64_t id, const char *state,
                              const char *note);
/* The fault: kind, function, buffer (may be NULL), offset (<0: none), and the
 * localization JSON text (may be NULL). */
int heal_store_incident_fault(struct heal_store *s, int64_t id, const char *kind,
                              const char *function, const char *buffer, long long offset,
                              const char *localization);
int heal_store_incident_choose(struct heal_store *s, int64_t id, int64_t candidate);

/* A report (JSON text) of a run: variant "sensor", "oracle" or "patch"; candidate 0 when
 * it is not a candidate's. */
int heal_store_report(struct heal_store *s, int64_t incident, int64_t candidate,
                      const char *variant, const char *json);
/* Stores a policy (JSON text) by the SHA-256 of its bytes; sets hash. */
int heal_store_policy(struct heal_store *s, const char *json, char hash[65]);

/* A candidate of an incident: seq = order generated (1..), its policy, what it is, how
 * many functions it touches, distance from the faulting frame (0 = the faulting
 * function). Returns the id or -1. An existing candidate of the incident with the same
 * policy is replaced (with its test results). */
int64_t heal_store_candidate(struct heal_store *s, int64_t incident, int seq,
                             const char *policy_hash, const char *description, int functions,
                             int distance);
/* The outcome: state ("build-failed", "tested"), the stored binary (may be NULL), passed
 * (all tests), benign (corpus outputs identical; -1: no corpus, stored as null), overhead (seconds, NAN unknown),
 * build seconds. */
int heal_store_candidate_result(struct heal_store *s, int64_t cand, const char *state,
                                const char *binary, int passed, int benign, double overhead,
                                double build_seconds);
int heal_store_candidate_rank(struct heal_store *s, int64_t cand, int rank, const char *reason);
/* One test: kind "attack", "incident", "command" or "corpus", name (the input, command or
 * file), passed, a one-line detail, seconds. */
int heal_store_test(struct heal_store *s, int64_t cand, const char *kind, const char *name,
                    int passed, const char *detail, double seconds);
/* Stage timing of an incident (replay, localize, build, test, deploy). */
int heal_store_timing(struct heal_store *s, int64_t incident, const char *stage,
                      double seconds);
/* decision: "approve", "reject", "deploy" (heal fix --deploy), by heal_user() now. */
int heal_store_approval(struct heal_store *s, int64_t incident, int64_t candidate,
                        const char *decision);
/* A deployment (state "deploying"): candidate's binary (stored path) replaces target;
 * backup is the stored copy of what target was. Returns the id or -1. */
int64_t heal_store_deployment(struct heal_store *s, int64_t incident, int64_t candidate,
                              int64_t program, const char *target, const char *binary,
                              const char *backup);
int heal_store_deployment_rolled_back(struct heal_store *s, int64_t deployment);
/* Sets a deployment's state ("deploying", "deployed"); deletes one that did not happen. */
int heal_store_deployment_state(struct heal_store *s, int64_t deployment, const char *state);
int heal_store_deployment_delete(struct heal_store *s, int64_t deployment);

/* ---- readers ---------------------------------------------------------------------------- */

/* Input bytes by hash (malloc'd); 0 or -1 (printed). */
int heal_store_input_read(struct heal_store *s, const char *hash, void **data, size_t *n);
/* Incidents, oldest first, as a JSON array of objects (id, program, created, updated,
 * state, kind, function, buffer, offset, candidates, passed, chosen). NULL on error. */
json_t *heal_store_incidents(struct heal_store *s);
/* One incident with everything: the row, input, replay, reports, candidates (each with
 * its policy and tests), approvals, deployments, timings. NULL (printed) when absent. */
json_t *heal_store_incident_get(struct heal_store *s, int64_t id);
/* Inputs (hash, replay) of program's incidents other than except, oldest first: JSON array
 * of {"incident", "input_hash", "replay"}. */
json_t *heal_store_program_inputs(struct heal_store *s, int64_t program, int64_t except);
/* The newest deployment still in place (state "deployed", or "deploying": a heal killed
 * while replacing the file), for program (0: any), as a JSON object (id, incident,
 * candidate, program, target, binary, backup, state, deployed_at, deployed_by), or
 * json_null() when none; NULL on error. */
json_t *heal_store_last_deployment(struct heal_store *s, int64_t program);
/* The policy (JSON text, malloc'd) of a candidate, or NULL. */
char *heal_store_candidate_policy(struct heal_store *s, int64_t cand);
/* The program id of an absolute path; 0 when unknown, -1 on error. */
int64_t heal_store_program_find(struct heal_store *s, const char *path);

#endif
