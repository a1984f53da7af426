/* The incident store (see store.h): SQLite in WAL mode, one transaction per unit of work,
 * content-addressed files next to the database. */
#define _GNU_SOURCE
#include "store.h"
#include "cli.h"
#include "variant.h"

#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct heal_store {
  sqlite3 *db;
  char *dir;  /* HOME */
  char *path; /* HOME/heal.db */
  const char *cmd;
  int in_txn;
};

/* ---- small things --------------------------------------------------------------------- */

void heal_killpoint(const char *point) {
  const char *k = getenv("HEAL_TEST_KILL");
  if (k && !strcmp(k, point))
    kill(getpid(), SIGKILL);
}

const char *heal_now(void) {
  static char buf[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const char *heal_user(void) {
  static char buf[64];
  const char *u = getenv("USER");
  if (u && *u)
    return u;
  struct passwd *pw = getpwuid(getuid());
  if (pw && pw->pw_name && *pw->pw_name)
    return pw->pw_name;
  snprintf(buf, sizeof buf, "uid %ld", (long)getuid());
  return buf;
}

/* SHA-256 (FIPS 180-4), small and self-contained so the store needs no crypto library. */
struct sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t nbuf;
};

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(struct sha256 *c, const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4], f = c->h[5],
           g = c->h[6], h = c->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = cc;
    cc = b;
    b = a;
    a = t1 + t2;
  }
  c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
  c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void sha256_init(struct sha256 *c) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(c->h, h0, sizeof h0);
  c->len = 0;
  c->nbuf = 0;
}

static void sha256_update(struct sha256 *c, const void *data, size_t n) {
  const unsigned char *p = data;
  c->len += n;
  while (n) {
    size_t k = 64 - c->nbuf < n ? 64 - c->nbuf : n;
    memcpy(c->buf + c->nbuf, p, k);
    c->nbuf += k, p += k, n -= k;
    if (c->nbuf == 64) {
      sha256_block(c, c->buf);
      c->nbuf = 0;
    }
  }
}

static void sha256_hex(struct sha256 *c, char out[65]) {
  uint64_t bits = c->len * 8;
  unsigned char pad = 0x80;
  sha256_update(c, &pad, 1);
  pad = 0;
  while (c->nbuf != 56)
    sha256_update(c, &pad, 1);
  unsigned char lenb[8];
  for (int i = 0; i < 8; i++)
    lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_update(c, lenb, 8);
  for (int i = 0; i < 8; i++)
    sprintf(out + 8 * i, "%08x", c->h[i]);
}

void heal_sha256_hex(const void *data, size_t n, char out[65]) {
  struct sha256 c;
  sha256_init(&c);
  sha256_update(&c, data, n);
  sha256_hex(&c, out);
}

int heal_sha256_file(const char *path, char out[65]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  struct sha256 c;
  sha256_init(&c);
  char buf[65536];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0)
    sha256_update(&c, buf, (size_t)r);
  int e = errno;
  close(fd);
  if (r < 0) {
    errno = e;
    return -1;
  }
  sha256_hex(&c, out);
  return 0;
}

/* ---- errors and statements ------------------------------------------------------------ */

static int db_error(struct heal_store *s, const char *what) {
  int code = sqlite3_extended_errcode(s->db) & 0xff;
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    heal_error(s->cmd,
               "the incident store '%s' is corrupt or not a heal store (%s); move it away "
               "to start a new store",
               s->path, sqlite3_errmsg(s->db));
  else
    heal_error(s->cmd, "incident store '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
  return -1;
}

/* Prepares sql and binds the values described by types: i int64, t text (NULL: null),
 * d double, b blob (pointer, size_t). */
static sqlite3_stmt *vprep(struct heal_store *s, const char *sql, const char *types,
                           va_list ap) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    db_error(s, "query");
    return NULL;
  }
  for (int i = 0; types && types[i]; i++) {
    int k = i + 1, rc = SQLITE_OK;
    switch (types[i]) {
    case 'i':
      rc = sqlite3_bind_int64(st, k, va_arg(ap, int64_t));
      break;
    case 't': {
      const char *t = va_arg(ap, const char *);
      rc = t ? sqlite3_bind_text(st, k, t, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, k);
      break;
    }
    case 'd':
      rc = sqlite3_bind_double(st, k, va_arg(ap, double));
      break;
    case 'b': {
      const void *p = va_arg(ap, const void *);
      size_t n = va_arg(ap, size_t);
      rc = p ? sqlite3_bind_blob64(st, k, p, n, SQLITE_TRANSIENT) : sqlite3_bind_null(st, k);
      break;
    }
    }
    if (rc != SQLITE_OK) {
      db_error(s, "bind");
      sqlite3_finalize(st);
      return NULL;
    }
  }
  return st;
}

/* Runs a statement without results. 0 or -1. */
static int exec(struct heal_store *s, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = vprep(s, sql, types, ap);
  va_end(ap);
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_error(s, "write");
  return 0;
}

/* Runs a query whose first column of the first row is an integer; 0 when no row. */
static int64_t query_int(struct heal_store *s, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = vprep(s, sql, types, ap);
  va_end(ap);
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  int64_t v = 0;
  if (rc == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_error(s, "read");
  return v;
}

/* Runs a query and returns its rows as a JSON array of objects keyed by column name. A
 * column named X_json holds JSON text and appears parsed as key X. NULL on error. */
static json_t *query_json(struct heal_store *s, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = vprep(s, sql, types, ap);
  va_end(ap);
  if (!st)
    return NULL;
  json_t *rows = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *o = json_object();
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      const char *name = sqlite3_column_name(st, c);
      size_t len = strlen(name);
      json_t *v;
      switch (sqlite3_column_type(st, c)) {
      case SQLITE_INTEGER:
        v = json_integer(sqlite3_column_int64(st, c));
        break;
      case SQLITE_FLOAT:
        v = json_real(sqlite3_column_double(st, c));
        break;
      case SQLITE_NULL:
        v = json_null();
        break;
      default: {
        const char *t = (const char *)sqlite3_column_text(st, c);
        if (len > 5 && !strcmp(name + len - 5, "_json")) {
          v = json_loads(t, JSON_DECODE_ANY, NULL);
          if (!v)
            v = json_string(t); /* kept visible rather than dropped */
        } else {
          v = json_string(t);
        }
      }
      }
      if (len > 5 && !strcmp(name + len - 5, "_json")) {
        char *k = heal_xasprintf("%.*s", (int)(len - 5), name);
        json_object_set_new(o, k, v);
        free(k);
      } else {
        json_object_set_new(o, name, v);
      }
    }
    json_array_append_new(rows, o);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    json_decref(rows);
    db_error(s, "read");
    return NULL;
  }
  return rows;
}

/* ---- open ------------------------------------------------------------------------------- */

static const char *const SCHEMA_V1 =
    "CREATE TABLE programs("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE inputs("
    "  hash TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  data BLOB,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE incidents("
    "  id INTEGER PRIMARY KEY,"
    "  program_id INTEGER NOT NULL REFERENCES programs(id),"
    "  created TEXT NOT NULL,"
    "  updated TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  binary_hash TEXT,"
    "  input_hash TEXT REFERENCES inputs(hash),"
    "  replay TEXT NOT NULL,"
    "  kind TEXT, function TEXT, buffer TEXT, offset INTEGER,"
    "  localization TEXT,"
    "  chosen_candidate INTEGER,"
    "  note TEXT);"
    "CREATE INDEX incidents_program ON incidents(program_id);"
    "CREATE TABLE policies("
    "  hash TEXT PRIMARY KEY,"
    "  json TEXT NOT NULL);"
    "CREATE TABLE candidates("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  policy_hash TEXT NOT NULL REFERENCES policies(hash),"
    "  description TEXT NOT NULL,"
    "  functions INTEGER NOT NULL,"
    "  distance INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  binary TEXT,"
    "  passed INTEGER, benign INTEGER, overhead REAL, build_seconds REAL,"
    "  rank INTEGER, reason TEXT,"
    "  UNIQUE(incident_id, policy_hash));"
    "CREATE TABLE reports("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  candidate_id INTEGER REFERENCES candidates(id) ON DELETE CASCADE,"
    "  variant TEXT NOT NULL,"
    "  json TEXT NOT NULL);"
    "CREATE TABLE test_results("
    "  id INTEGER PRIMARY KEY,"
    "  candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  passed INTEGER NOT NULL,"
    "  detail TEXT,"
    "  seconds REAL);"
    "CREATE TABLE approvals("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    "  candidate_id INTEGER,"
    "  decision TEXT NOT NULL,"
    "  who TEXT NOT NULL,"
    "  at TEXT NOT NULL);"
    "CREATE TABLE deployments("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    "  candidate_id INTEGER NOT NULL,"
    "  program_id INTEGER NOT NULL REFERENCES programs(id),"
    "  target TEXT NOT NULL,"
    "  binary TEXT NOT NULL,"
    "  backup TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  deployed_at TEXT NOT NULL, deployed_by TEXT NOT NULL,"
    "  rolled_back_at TEXT, rolled_back_by TEXT);"
    "CREATE TABLE timings("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  stage TEXT NOT NULL,"
    "  seconds REAL NOT NULL,"
    "  at TEXT NOT NULL);";

static int make_dir(const char *cmd, const char *dir) {
  if (mkdir(dir, 0777) == 0 || errno == EEXIST)
    return 0;
  heal_error(cmd, "cannot create the store directory '%s': %s", dir, strerror(errno));
  return -1;
}

/* Creates the schema once: user_version is read again under the write lock, so two heal
 * processes opening a new store at the same time create it once. */
static int init_schema(struct heal_store *s) {
  int64_t v = query_int(s, "PRAGMA user_version", NULL);
  if (v < 0)
    return -1;
  if (v == 0) {
    if (heal_store_begin(s))
      return -1;
    v = query_int(s, "PRAGMA user_version", NULL);
    if (v == 0) {
      int64_t tables = query_int(s, "SELECT count(*) FROM sqlite_master", NULL);
      if (tables > 0) {
        heal_store_rollback(s);
        heal_error(s->cmd,
                   "'%s' is an SQLite database but not a heal store (it has tables and no "
                   "schema version); move it away or set HEAL_HOME to another directory",
                   s->path);
        return -1;
      }
      if (tables < 0 || sqlite3_exec(s->db, SCHEMA_V1, NULL, NULL, NULL) != SQLITE_OK ||
          exec(s, "PRAGMA user_version = 1", NULL) != 0) {
        if (tables >= 0)
          db_error(s, "creating the schema");
        heal_store_rollback(s);
        return -1;
      }
      v = HEAL_STORE_SCHEMA;
    }
    if (heal_store_commit(s))
      return -1;
  }
  if (v > HEAL_STORE_SCHEMA) {
    heal_error(s->cmd,
               "the incident store '%s' was written by a newer heal (schema %lld; this heal "
               "reads %d); use that heal or set HEAL_HOME to another directory",
               s->path, (long long)v, HEAL_STORE_SCHEMA);
    return -1;
  }
  return 0;
}

/* Switches the store to WAL. The switch upgrades the pragma's own read lock to an exclusive
 * one, and SQLite answers BUSY at once there instead of waiting in the busy handler (waiting
 * while holding a read lock could deadlock), so processes racing to open a new store retry
 * here, for as long as the busy timeout would have waited. */
static int set_wal(struct heal_store *s) {
  for (int tries = 0;; tries++) {
    int rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
      return 0;
    if ((rc & 0xff) != SQLITE_BUSY || tries >= 6000)
      return db_error(s, "read");
    usleep(10000);
  }
}

struct heal_store *heal_store_open(const char *cmd, int create) {
  struct heal_store *s = calloc(1, sizeof *s);
  s->cmd = cmd;
  s->dir = heal_home_dir();
  s->path = heal_xasprintf("%s/heal.db", s->dir);
  struct stat st;
  if (!create && stat(s->path, &st) != 0) {
    heal_error(cmd, "no incident store at '%s' (heal fix creates it; HEAL_HOME selects "
                    "another directory)",
               s->path);
    goto fail;
  }
  if (create && make_dir(cmd, s->dir))
    goto fail;
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK) {
    heal_error(cmd, "cannot open the incident store '%s': %s", s->path,
               s->db ? sqlite3_errmsg(s->db) : "out of memory");
    goto fail;
  }
  sqlite3_busy_timeout(s->db, 60000);
  sqlite3_extended_result_codes(s->db, 1);
  /* WAL lets readers run beside a writer; FULL makes each commit durable. Reading the
   * journal mode is also the first read of the file, where a damaged one shows. */
  if (set_wal(s) ||
      exec(s, "PRAGMA synchronous=FULL", NULL) || exec(s, "PRAGMA foreign_keys=ON", NULL) ||
      init_schema(s))
    goto fail;
  return s;
fail:
  heal_store_close(s);
  return NULL;
}

void heal_store_close(struct heal_store *s) {
  if (!s)
    return;
  if (s->in_txn)
    heal_store_rollback(s);
  if (s->db)
    sqlite3_close_v2(s->db);
  free(s->dir);
  free(s->path);
  free(s);
}

const char *heal_store_dir(const struct heal_store *s) { return s->dir; }
const char *heal_store_cmd(const struct heal_store *s) { return s->cmd; }

int heal_store_begin(struct heal_store *s) {
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_error(s, "begin");
  s->in_txn = 1;
  return 0;
}

int heal_store_commit(struct heal_store *s) {
  heal_killpoint("commit");
  if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    db_error(s, "commit");
    heal_store_rollback(s);
    return -1;
  }
  s->in_txn = 0;
  return 0;
}

void heal_store_rollback(struct heal_store *s) {
  if (sqlite3_get_autocommit(s->db) == 0)
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  s->in_txn = 0;
}

/* ---- files -------------------------------------------------------------------------------- */

/* Writes data to DIR/NAME through a temporary file, fsync and rename, so NAME is complete
 * whenever it exists. mode as for open. */
static int write_atomic(struct heal_store *s, const char *dir, const char *name,
                        const void *data, size_t n, mode_t mode) {
  char *path = heal_xasprintf("%s/%s", dir, name);
  char *tmp = heal_xasprintf("%s/.%s.tmp-%ld", dir, name, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  int ok = fd >= 0;
  const char *p = data;
  size_t left = n;
  while (ok && left) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    ok = w > 0;
    p += w > 0 ? w : 0;
    left -= w > 0 ? (size_t)w : 0;
  }
  ok = ok && fchmod(fd, mode) == 0 && fsync(fd) == 0;
  int e = errno;
  if (fd >= 0 && close(fd) != 0 && ok)
    ok = 0, e = errno;
  if (ok && rename(tmp, path) != 0)
    ok = 0, e = errno;
  if (!ok) {
    unlink(tmp);
    heal_error(s->cmd, "cannot write '%s': %s", path, strerror(e));
  }
  free(tmp);
  free(path);
  return ok ? 0 : -1;
}

static char *sub_dir(struct heal_store *s, const char *dir) {
  char *d = heal_xasprintf("%s/%s", s->dir, dir);
  if (make_dir(s->cmd, d)) {
    free(d);
    return NULL;
  }
  return d;
}

int heal_store_file(struct heal_store *s, const char *dir, const char *src, char hash[65],
                    char **path_out) {
  void *data;
  size_t n;
  struct stat st;
  if (stat(src, &st) != 0 || heal_read_file(src, &data, &n) != 0) {
    heal_error(s->cmd, "cannot read '%s': %s", src, strerror(errno));
    return -1;
  }
  heal_sha256_hex(data, n, hash);
  char *d = sub_dir(s, dir);
  int rc = -1;
  if (d) {
    char *path = heal_xasprintf("%s/%s", d, hash);
    rc = heal_is_file(path) ? 0 : write_atomic(s, d, hash, data, n, st.st_mode & 07777);
    if (rc == 0 && path_out)
      *path_out = path;
    else
      free(path);
  }
  free(d);
  free(data);
  return rc;
}

/* ---- writers -------------------------------------------------------------------------------- */

int64_t heal_store_program(struct heal_store *s, const char *path) {
  if (exec(s, "INSERT OR IGNORE INTO programs(path, created) VALUES(?, ?)", "tt", path,
           heal_now()))
    return -1;
  return query_int(s, "SELECT id FROM programs WHERE path = ?", "t", path);
}

int64_t heal_store_program_find(struct heal_store *s, const char *path) {
  return query_int(s, "SELECT id FROM programs WHERE path = ?", "t", path);
}

int heal_store_input(struct heal_store *s, const void *data, size_t n, char hash[65]) {
  heal_sha256_hex(data, n, hash);
  int64_t have = query_int(s, "SELECT count(*) FROM inputs WHERE hash = ?", "t", hash);
  if (have != 0)
    return have < 0 ? -1 : 0;
  int inline_ = n <= HEAL_STORE_INLINE_MAX;
  if (!inline_) {
    char *d = sub_dir(s, "inputs");
    int rc = d ? write_atomic(s, d, hash, data, n, 0644) : -1;
    free(d);
    if (rc)
      return -1;
  }
  return exec(s, "INSERT INTO inputs(hash, size, data, created) VALUES(?, ?, ?, ?)", "tibt",
              hash, (int64_t)n, inline_ ? (data ? data : "") : NULL, inline_ ? n : (size_t)0,
              heal_now());
}

int heal_store_input_read(struct heal_store *s, const char *hash, void **data, size_t *n) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "SELECT data, size FROM inputs WHERE hash = ?", -1, &st,
                         NULL) != SQLITE_OK)
    return db_error(s, "read");
  sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      return db_error(s, "read");
    heal_error(s->cmd, "incident store '%s': no input %s", s->path, hash);
    return -1;
  }
  int ret = 0;
  if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
    size_t len = (size_t)sqlite3_column_bytes(st, 0);
    char *buf = heal_xmalloc(len + 1);
    if (len)
      memcpy(buf, sqlite3_column_blob(st, 0), len);
    buf[len] = 0;
    *data = buf;
    *n = len;
  } else {
    char *path = heal_xasprintf("%s/inputs/%s", s->dir, hash);
    if (heal_read_file(path, data, n) != 0) {
      heal_error(s->cmd, "cannot read stored input '%s': %s", path, strerror(errno));
      ret = -1;
    }
    free(path);
  }
  sqlite3_finalize(st);
  return ret;
}

int64_t heal_store_incident_new(struct heal_store *s, int64_t program, const char *binary_hash,
                                const char *input_hash, const char *replay) {
  const char *now = heal_now();
  if (exec(s,
           "INSERT INTO incidents(program_id, created, updated, state, binary_hash, "
           "input_hash, replay) VALUES(?, ?, ?, 'new', ?, ?, ?)",
           "ittttt", program, now, now, binary_hash, input_hash, replay))
    return -1;
  return sqlite3_last_insert_rowid(s->db);
}

int64_t heal_store_incident_find(struct heal_store *s, int64_t program, const char *binary_hash,
                                 const char *input_hash, const char *replay) {
  return query_int(s,
                   "SELECT id FROM incidents WHERE program_id = ? AND binary_hash IS ? AND "
                   "input_hash IS ? AND replay = ? AND state = 'fixing' "
                   "ORDER BY id DESC LIMIT 1",
                   "ittt", program, binary_hash, input_hash, replay);
}

int heal_store_incident_state(struct heal_store *s, int64_t id, const char *state,
                              const char *note) {
  return exec(s, "UPDATE incidents SET state = ?, note = coalesce(?, note), updated = ? "
                 "WHERE id = ?",
              "ttti", state, note, heal_now(), id);
}

int heal_store_incident_fault(struct heal_store *s, int64_t id, const char *kind,
                              const char *function, const char *buffer, long long offset,
                              const char *localization) {
  const char *sql = offset >= 0
                        ? "UPDATE incidents SET kind = ?, function = ?, buffer = ?, "
                          "localization = ?, updated = ?, offset = ? WHERE id = ?"
                        : "UPDATE incidents SET kind = ?, function = ?, buffer = ?, "
                          "localization = ?, updated = ?, offset = NULL WHERE id = ?";
  if (offset >= 0)
    return exec(s, sql, "tttttii", kind, function, buffer, localization, heal_now(),
                (int64_t)offset, id);
  return exec(s, sql, "ttttti", kind, function, buffer, localization, heal_now(), id);
}

int heal_store_incident_choose(struct heal_store *s, int64_t id, int64_t candidate) {
  if (candidate > 0)
    return exec(s, "UPDATE incidents SET chosen_candidate = ?, updated = ? WHERE id = ?",
                "iti", candidate, heal_now(), id);
  return exec(s, "UPDATE incidents SET chosen_candidate = NULL, updated = ? WHERE id = ?",
              "ti", heal_now(), id);
}

int heal_store_report(struct heal_store *s, int64_t incident, int64_t candidate,
                      const char *variant, const char *json) {
  if (candidate > 0)
    return exec(s, "INSERT INTO reports(incident_id, candidate_id, variant, json) "
                   "VALUES(?, ?, ?, ?)",
                "iitt", incident, candidate, variant, json);
  return exec(s, "INSERT INTO reports(incident_id, variant, json) VALUES(?, ?, ?)", "itt",
              incident, variant, json);
}

int heal_store_policy(struct heal_store *s, const char *json, char hash[65]) {
  heal_sha256_hex(json, strlen(json), hash);
  return exec(s, "INSERT OR IGNORE INTO policies(hash, json) VALUES(?, ?)", "tt", hash, json);
}

int64_t heal_store_candidate(struct heal_store *s, int64_t incident, int seq,
                             const char *policy_hash, const char *description, int functions,
                             int distance) {
  if (exec(s, "DELETE FROM candidates WHERE incident_id = ? AND policy_hash = ?", "it",
           incident, policy_hash))
    return -1;
  if (exec(s,
           "INSERT INTO candidates(incident_id, seq, policy_hash, description, functions, "
           "distance, state) VALUES(?, ?, ?, ?, ?, ?, 'new')",
           "iittii", incident, (int64_t)seq, policy_hash, description, (int64_t)functions,
           (int64_t)distance))
    return -1;
  return sqlite3_last_insert_rowid(s->db);
}

int heal_store_candidate_result(struct heal_store *s, int64_t cand, const char *state,
                                const char *binary, int passed, int benign, double overhead,
                                double build_seconds) {
  if (exec(s,
           "UPDATE candidates SET state = ?, binary = ?, passed = ?, "
           "benign = nullif(?, -1), build_seconds = ? WHERE id = ?",
           "ttiidi", state, binary, (int64_t)passed, (int64_t)benign, build_seconds, cand))
    return -1;
  if (!isnan(overhead))
    return exec(s, "UPDATE candidates SET overhead = ? WHERE id = ?", "di", overhead, cand);
  return 0;
}

int heal_store_candidate_rank(struct heal_store *s, int64_t cand, int rank, const char *reason) {
  return exec(s, "UPDATE candidates SET rank = ?, reason = ? WHERE id = ?", "iti",
              (int64_t)rank, reason, cand);
}

int heal_store_test(struct heal_store *s, int64_t cand, const char *kind, const char *name,
                    int passed, const char *detail, double seconds) {
  return exec(s,
              "INSERT INTO test_results(candidate_id, kind, name, passed, detail, seconds) "
              "VALUES(?, ?, ?, ?, ?, ?)",
              "ittitd", cand, kind, name, (int64_t)passed, detail, seconds);
}

int heal_store_timing(struct heal_store *s, int64_t incident, const char *stage,
                      double seconds) {
  return exec(s, "INSERT INTO timings(incident_id, stage, seconds, at) VALUES(?, ?, ?, ?)",
              "itdt", incident, stage, seconds, heal_now());
}

int heal_store_approval(struct heal_store *s, int64_t incident, int64_t candidate,
                        const char *decision) {
  return exec(s,
              "INSERT INTO approvals(incident_id, candidate_id, decision, who, at) "
              "VALUES(?, nullif(?, 0), ?, ?, ?)",
              "iittt", incident, candidate, decision, heal_user(), heal_now());
}

int64_t heal_store_deployment(struct heal_store *s, int64_t incident, int64_t candidate,
                              int64_t program, const char *target, const char *binary,
                              const char *backup) {
  if (exec(s,
           "INSERT INTO deployments(incident_id, candidate_id, program_id, target, binary, "
           "backup, state, deployed_at, deployed_by) VALUES(?, ?, ?, ?, ?, ?, 'deploying', ?, ?)",
           "iiitttt" "t", incident, candidate, program, target, binary, backup, heal_now(),
           heal_user()))
    return -1;
  return sqlite3_last_insert_rowid(s->db);
}

int heal_store_deployment_state(struct heal_store *s, int64_t deployment, const char *state) {
  return exec(s, "UPDATE deployments SET state = ? WHERE id = ?", "ti", state, deployment);
}

int heal_store_deployment_delete(struct heal_store *s, int64_t deployment) {
  return exec(s, "DELETE FROM deployments WHERE id = ?", "i", deployment);
}

int heal_store_deployment_rolled_back(struct heal_store *s, int64_t deployment) {
  return exec(s,
              "UPDATE deployments SET state = 'rolled-back', rolled_back_at = ?, "
              "rolled_back_by = ? WHERE id = ?",
              "tti", heal_now(), heal_user(), deployment);
}

/* ---- readers -------------------------------------------------------------------------------- */

json_t *heal_store_incidents(struct heal_store *s) {
  return query_json(
      s,
      "SELECT i.id, p.path AS program, i.created, i.updated, i.state, i.kind, i.function, "
      "i.buffer, i.offset, "
      "(SELECT count(*) FROM candidates c WHERE c.incident_id = i.id) AS candidates, "
      "(SELECT count(*) FROM candidates c WHERE c.incident_id = i.id AND c.passed = 1) "
      "AS passed, i.chosen_candidate AS chosen "
      "FROM incidents i JOIN programs p ON p.id = i.program_id ORDER BY i.id",
      NULL);
}

/* Appends rows of a query as key in o; -1 on error. */
static int add_rows(json_t *o, const char *key, json_t *rows) {
  if (!rows)
    return -1;
  json_object_set_new(o, key, rows);
  return 0;
}

json_t *heal_store_incident_get(struct heal_store *s, int64_t id) {
  json_t *rows = query_json(
      s,
      "SELECT i.id, p.path AS program, i.program_id, i.created, i.updated, i.state, "
      "i.binary_hash, i.input_hash, n.size AS input_size, i.replay AS replay_json, i.kind, i.function, "
      "i.buffer, i.offset, i.localization AS localization_json, i.chosen_candidate AS chosen, "
      "i.note FROM incidents i JOIN programs p ON p.id = i.program_id "
      "LEFT JOIN inputs n ON n.hash = i.input_hash WHERE i.id = ?",
      "i", id);
  if (!rows)
    return NULL;
  if (json_array_size(rows) == 0) {
    json_decref(rows);
    heal_error(s->cmd, "no incident %lld in '%s' (see 'heal incidents')", (long long)id,
               s->path);
    return NULL;
  }
  json_t *inc = json_incref(json_array_get(rows, 0));
  json_decref(rows);
  json_t *cands = query_json(
      s,
      "SELECT c.id, c.seq, c.rank, c.description, c.functions, c.distance, c.state, "
      "c.passed, c.benign, c.overhead, c.build_seconds, c.reason, c.binary, c.policy_hash, "
      "p.json AS policy_json FROM candidates c JOIN policies p ON p.hash = c.policy_hash "
      "WHERE c.incident_id = ? ORDER BY c.rank IS NULL, c.rank, c.seq",
      "i", id);
  if (!cands)
    goto fail;
  size_t i;
  json_t *c;
  json_array_foreach(cands, i, c) {
    json_t *tests = query_json(s,
                               "SELECT kind, name, passed, detail, seconds FROM test_results "
                               "WHERE candidate_id = ? ORDER BY id",
                               "i", json_integer_value(json_object_get(c, "id")));
    if (add_rows(c, "tests", tests)) {
      json_decref(cands);
      goto fail;
    }
  }
  json_object_set_new(inc, "candidates", cands);
  if (add_rows(inc, "reports",
               query_json(s,
                          "SELECT id, candidate_id AS candidate, variant, json AS report_json "
                          "FROM reports WHERE incident_id = ? ORDER BY id",
                          "i", id)) ||
      add_rows(inc, "approvals",
               query_json(s,
                          "SELECT decision, candidate_id AS candidate, who, at FROM approvals "
                          "WHERE incident_id = ? ORDER BY id",
                          "i", id)) ||
      add_rows(inc, "deployments",
               query_json(s,
                          "SELECT id, candidate_id AS candidate, target, binary, backup, state, "
                          "deployed_at, deployed_by, rolled_back_at, rolled_back_by "
                          "FROM deployments WHERE incident_id = ? ORDER BY id",
                          "i", id)) ||
      add_rows(inc, "timings",
               query_json(s,
                          "SELECT stage, seconds, at FROM timings WHERE incident_id = ? "
                          "ORDER BY id",
                          "i", id)))
    goto fail;
  return inc;
fail:
  json_decref(inc);
  return NULL;
}

json_t *heal_store_program_inputs(struct heal_store *s, int64_t program, int64_t except) {
  return query_json(s,
                    "SELECT min(id) AS incident, input_hash, replay AS replay_json "
                    "FROM incidents WHERE program_id = ? AND id != ? AND input_hash IS NOT NULL "
                    "GROUP BY input_hash, replay ORDER BY min(id)",
                    "ii", program, except);
}

json_t *heal_store_last_deployment(struct heal_store *s, int64_t program) {
  json_t *rows = query_json(s,
                            "SELECT id, incident_id AS incident, candidate_id AS candidate, "
                            "program_id AS program, target, binary, backup, state, deployed_at, "
                            "deployed_by FROM deployments WHERE state IN ('deployed', "
                            "'deploying') AND "
                            "(? = 0 OR program_id = ?) ORDER BY id DESC LIMIT 1",
                            "ii", program, program);
  if (!rows)
    return NULL;
  json_t *d = json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : json_null();
  json_decref(rows);
  return d;
}

char *heal_store_candidate_policy(struct heal_store *s, int64_t cand) {
  json_t *rows = query_json(s,
                            "SELECT p.json AS policy FROM candidates c JOIN policies p ON "
                            "p.hash = c.policy_hash WHERE c.id = ?",
                            "i", cand);
  if (!rows)
    return NULL;
  const char *t = json_string_value(json_object_get(json_array_get(rows, 0), "policy"));
  char *r = t ? heal_xstrdup(t) : NULL;
  json_decref(rows);
  return r;
}
