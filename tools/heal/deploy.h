/* Deploying a candidate over the production binary, and rolling a deployment back.
 *
 * The replacement is atomic: the new bytes are written next to the target (same directory,
 * so the same file system), given the target's mode, fsync'd, and renamed over it; the
 * directory is fsync'd too. A running process keeps the old inode, a new start gets the
 * new file, nobody ever sees half a binary. What the target was is first copied into the
 * store (HOME/backups/HASH) for `heal rollback`. */
#ifndef HEAL_TOOL_DEPLOY_H
#define HEAL_TOOL_DEPLOY_H

#include "store.h"

/* Replaces target by a copy of src atomically (see above). Prints "heal CMD: error: ..."
 * and returns -1 on failure, when target is unchanged. */
int heal_replace_file(const char *cmd, const char *target, const char *src);

/* Deploys candidate cand of incident (its stored binary) over the program's binary target:
 * checks the target is still the binary the incident was about (expect_hash, SHA-256;
 * NULL skips the check), backs it up, records the deployment (state "deploying", in its
 * own transaction, so a heal killed during the replacement leaves a record that
 * `heal rollback` can undo), replaces the file, then in one transaction marks it
 * "deployed", records decision (heal_store_approval) and sets the incident "deployed".
 * Returns the deployment id or -1 (printed). */
int64_t heal_deploy(struct heal_store *s, int64_t incident, int64_t cand, int64_t program,
                    const char *target, const char *binary, const char *expect_hash,
                    const char *decision);

/* Rolls back the newest deployment still in place of program (0: of any program): puts
 * the backup back over the target (which must still be the deployed binary), marks the
 * deployment "rolled-back" and its incident "rolled-back", records the decision
 * "rollback". Prints what it did on stdout. 0, 1 when there is nothing to roll back, -1
 * on error (printed). */
int heal_rollback(struct heal_store *s, int64_t program);

#endif
