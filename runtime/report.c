/* The fault report: one JSON file in $HEAL_REPORT_DIR and one `heal:` line on stderr.
 *
 * Async-signal-safe: formatted by util.c into small buffers and written with write(2).
 * The file appears atomically: it is written under a hidden temporary name and then
 * hard-linked to its final name (link fails instead of overwriting an existing report). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "heal/heal.h"
#include "internal.h"
#include "txn.h"

const char *heal_signal_name(int sig) {
  switch (sig) {
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGILL: return "SIGILL";
  case SIGTRAP: return "SIGTRAP";
  case SIGABRT: return "SIGABRT";
  default: return "SIG?";
  }
}

const char *heal_code_name(int sig, int code) {
  switch (code) {
  case SI_USER: return "SI_USER";
  case SI_QUEUE: return "SI_QUEUE";
  case SI_TKILL: return "SI_TKILL";
  case SI_KERNEL: return "SI_KERNEL";
  default: break;
  }
  switch (sig) {
  case SIGSEGV:
    return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : 0;
  case SIGBUS:
    return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR"
         : code == BUS_OBJERR ? "BUS_OBJERR" : 0;
  case SIGFPE:
    switch (code) {
    case FPE_INTDIV: return "FPE_INTDIV";
    case FPE_INTOVF: return "FPE_INTOVF";
    case FPE_FLTDIV: return "FPE_FLTDIV";
    case FPE_FLTOVF: return "FPE_FLTOVF";
    case FPE_FLTUND: return "FPE_FLTUND";
    case FPE_FLTRES: return "FPE_FLTRES";
    case FPE_FLTINV: return "FPE_FLTINV";
    case FPE_FLTSUB: return "FPE_FLTSUB";
    default: return 0;
    }
  case SIGILL:
    switch (code) {
    case ILL_ILLOPC: return "ILL_ILLOPC";
    case ILL_ILLOPN: return "ILL_ILLOPN";
    case ILL_ILLADR: return "ILL_ILLADR";
    case ILL_ILLTRP: return "ILL_ILLTRP";
    case ILL_PRVOPC: return "ILL_PRVOPC";
    case ILL_PRVREG: return "ILL_PRVREG";
    case ILL_COPROC: return "ILL_COPROC";
    case ILL_BADSTK: return "ILL_BADSTK";
    default: return 0;
    }
  case SIGTRAP:
    return code == TRAP_BRKPT ? "TRAP_BRKPT" : code == TRAP_TRACE ? "TRAP_TRACE" : 0;
  default:
    return 0;
  }
}

static void json_key(struct heal_out *o, const char *key) {
  heal_out_str(o, ",\"");
  heal_out_str(o, key);
  heal_out_str(o, "\":");
}

/* In the Oracle the shadow stack names the functions (the instrumented ones active at
 * the fault, e.g. the caller of an overflowing strcpy); otherwise the machine frames. */
static int shadow_used(const struct heal_event *ev) { return ev->oracle && ev->nshadow > 0; }

static const char *function_of(const struct heal_event *ev) {
  if (shadow_used(ev))
    return ev->shadow[0].name;
  return ev->nframes > 0 ? ev->frames[0].function : 0;
}

static void json_line(struct heal_out *o, const char *key, uint32_t line) {
  json_key(o, key);
  if (line)
    heal_out_dec(o, line);
  else
    heal_out_str(o, "null");
}

/* Only in Oracle reports, so sensor reports keep their exact set of fields. */
static void write_oracle_fields(struct heal_out *o, const struct heal_event *ev) {
  json_key(o, "access");
  heal_out_json_str(o, ev->access);
  json_key(o, "buffer_file");
  heal_out_json_str(o, ev->region ? ev->buffer_file : 0);
  json_key(o, "buffer_function");
  heal_out_json_str(o, ev->region ? ev->buffer_function : 0);
  json_line(o, "buffer_line", ev->region ? ev->buffer_line : 0);
  json_key(o, "detected");
  heal_out_json_str(o, ev->detected);
  json_key(o, "function_file");
  heal_out_json_str(o, shadow_used(ev) ? ev->shadow[0].file : 0);
  json_line(o, "function_line", shadow_used(ev) ? ev->shadow[0].line : 0);
}

static void write_json(struct heal_out *o, const struct heal_event *ev) {
  heal_out_str(o, "{\"version\":");
  heal_out_dec(o, HEAL_REPORT_VERSION);
  json_key(o, "program");
  heal_out_json_str(o, heal_program);
  json_key(o, "pid");
  heal_out_dec(o, getpid());
  json_key(o, "tid");
  heal_out_dec(o, heal_gettid());
  json_key(o, "mode");
  heal_out_json_str(o, heal_mode_name());
  json_key(o, "signal");
  heal_out_json_str(o, heal_signal_name(ev->sig));
  json_key(o, "code");
  heal_out_json_str(o, ev->no_code ? 0 : heal_code_name(ev->sig, ev->code));
  json_key(o, "kind");
  heal_out_json_str(o, ev->kind);
  json_key(o, "address");
  if (ev->has_address)
    heal_out_json_hex(o, ev->address);
  else
    heal_out_str(o, "null");
  json_key(o, "pc");
  heal_out_json_hex(o, ev->pc);
  json_key(o, "function");
  heal_out_json_str(o, function_of(ev));
  if (ev->oracle && ev->region) {
    json_key(o, "buffer");
    heal_out_json_str(o, ev->buffer);
    json_key(o, "buffer_size");
    heal_out_dec(o, (long long)ev->buffer_size);
    json_key(o, "offset");
    heal_out_dec(o, ev->offset);
  } else {
    heal_out_str(o, ",\"buffer\":null,\"buffer_size\":null,\"offset\":null");
  }
  if (ev->oracle)
    write_oracle_fields(o, ev);
  json_key(o, "stack");
  heal_out_str(o, "[");
  if (shadow_used(ev)) {
    for (int i = 0; i < ev->nshadow; i++) {
      if (i)
        heal_out_str(o, ",");
      heal_out_json_str(o, ev->shadow[i].name ? ev->shadow[i].name : "??");
    }
  } else {
    for (int i = 0; i < ev->nframes; i++) {
      if (i)
        heal_out_str(o, ",");
      heal_out_json_str(o, ev->frames[i].function ? ev->frames[i].function : "??");
    }
  }
  heal_out_str(o, "]");
  json_key(o, "frames");
  heal_out_str(o, "[");
  for (int i = 0; i < ev->nframes; i++) {
    const struct heal_frame *f = &ev->frames[i];
    heal_out_str(o, i ? ",{\"pc\":" : "{\"pc\":");
    heal_out_json_hex(o, f->pc);
    json_key(o, "function");
    heal_out_json_str(o, f->function);
    json_key(o, "object");
    heal_out_json_str(o, f->object);
    json_key(o, "offset");
    if (f->has_offset)
      heal_out_json_hex(o, f->offset);
    else
      heal_out_str(o, "null");
    heal_out_str(o, "}");
  }
  heal_out_str(o, "]");
  json_key(o, "action");
  heal_out_json_str(o, ev->action);
  /* Patch: the transaction the fault aborted (or was inside of, when it could not be
   * recovered: then `note` says why); null outside any, and then no caller, recoveries
   * or note. */
  json_key(o, "transaction");
  heal_out_json_str(o, ev->transaction);
  json_key(o, "return_value");
  heal_out_json_str(o, ev->transaction ? ev->return_value : 0);
  /* Only then (and for the Oracle's oracle-exhausted, whose note says what ran out):
   * other reports keep their exact set of fields. */
  if (ev->transaction || ev->note) {
    json_key(o, "caller");
    heal_out_json_str(o, ev->caller);
    json_key(o, "recoveries");
    if (ev->recoveries)
      heal_out_dec(o, (long long)ev->recoveries);
    else
      heal_out_str(o, "null");
    json_key(o, "note");
    heal_out_json_str(o, ev->note);
  }
  heal_out_str(o, "}\n");
}

/* "<dir>/<prefix>heal-<pid>-<tid>-<seq>.json<suffix>" */
static void report_name(struct heal_out *o, const char *prefix, unsigned seq, const char *suffix) {
  heal_out_str(o, heal_report_dir);
  heal_out_str(o, "/");
  heal_out_str(o, prefix);
  heal_out_str(o, "heal-");
  heal_out_dec(o, getpid());
  heal_out_str(o, "-");
  heal_out_dec(o, heal_gettid());
  heal_out_str(o, "-");
  heal_out_dec(o, seq);
  heal_out_str(o, ".json");
  heal_out_str(o, suffix);
  heal_out_mem(o, "", 1);
}

/* A path built in a heal_out that never flushes (fd -1); NULL if it did not fit. */
static const char *path_of(struct heal_out *o) {
  return !o->failed && o->len > 0 && o->buf[o->len - 1] == '\0' ? o->buf : 0;
}

static unsigned report_seq;
static struct heal_out file_out, tmp_name, final_name;

/* Returns the final path, or NULL with *err set. */
static const char *write_file(const struct heal_event *ev, int *err) {
  unsigned seq = ++report_seq;
  heal_out_init(&tmp_name, -1);
  report_name(&tmp_name, ".", seq, ".tmp");
  const char *tmp = path_of(&tmp_name);
  if (!tmp) {
    *err = ENAMETOOLONG;
    return 0;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = errno;
    return 0;
  }
  heal_out_init(&file_out, fd);
  write_json(&file_out, ev);
  heal_out_flush(&file_out);
  close(fd);
  if (file_out.failed) {
    *err = EIO;
    unlink(tmp);
    return 0;
  }
  for (int tries = 0; tries < 1000; tries++, seq = ++report_seq) {
    heal_out_init(&final_name, -1);
    report_name(&final_name, "", seq, "");
    const char *fin = path_of(&final_name);
    if (!fin)
      break;
    if (link(tmp, fin) == 0) {
      unlink(tmp);
      return fin;
    }
    if (errno == EEXIST)
      continue; /* a report of an earlier process with the same pid and tid */
    if (syscall(SYS_rename, tmp, fin) == 0) /* file systems without hard links */
      return fin;
    break;
  }
  *err = errno;
  unlink(tmp);
  return 0;
}

static void plural(struct heal_out *o, uint64_t n, const char *unit) {
  heal_out_dec(o, (long long)n);
  heal_out_str(o, " ");
  heal_out_str(o, unit);
  if (n != 1)
    heal_out_str(o, "s");
}

/* "'buf' (32 bytes, f.c:3)", "heap block (32 bytes from malloc in f)" */
static void buffer_phrase(struct heal_out *o, const struct heal_event *ev) {
  if (ev->region[0] == 'h') {
    heal_out_str(o, "heap block (");
    plural(o, ev->buffer_size, "byte");
    heal_out_str(o, " from ");
    heal_out_str(o, ev->buffer ? ev->buffer : "malloc");
    if (ev->buffer_function) {
      heal_out_str(o, " in ");
      heal_out_str(o, ev->buffer_function);
    }
    heal_out_str(o, ")");
    return;
  }
  heal_out_str(o, "'");
  heal_out_str(o, ev->buffer ? ev->buffer : "?");
  heal_out_str(o, "' (");
  plural(o, ev->buffer_size, "byte");
  if (ev->buffer_file) {
    heal_out_str(o, ", ");
    heal_out_str(o, ev->buffer_file);
    if (ev->buffer_line) {
      heal_out_str(o, ":");
      heal_out_dec(o, ev->buffer_line);
    }
  } else if (ev->buffer_function) {
    heal_out_str(o, " in ");
    heal_out_str(o, ev->buffer_function);
  }
  heal_out_str(o, ")");
}

/* The Oracle's sentence, e.g. "stack-buffer-overflow in parse_line: write 1 byte past
 * the end of 'value' (32 bytes, parse.c:17)". */
static void oracle_sentence(struct heal_out *o, const struct heal_event *ev, const char *fn) {
  heal_out_str(o, ev->kind);
  heal_out_str(o, " in ");
  heal_out_str(o, fn ? fn : "??");
  heal_out_str(o, ": ");
  const char *k = ev->kind;
  if (heal_streq(k, "invalid-free")) {
    heal_out_str(o, "free of ");
    heal_out_hex(o, ev->address);
    heal_out_str(o, ", at offset ");
    heal_out_dec(o, ev->offset);
    heal_out_str(o, " of ");
    buffer_phrase(o, ev);
    return;
  }
  if (heal_streq(k, "double-free")) {
    heal_out_str(o, "double free of ");
    buffer_phrase(o, ev);
    return;
  }
  if (heal_streq(k, "use-after-free")) {
    heal_out_str(o, ev->access ? ev->access : "access");
    heal_out_str(o, " at offset ");
    heal_out_dec(o, ev->offset);
    heal_out_str(o, " of freed ");
    buffer_phrase(o, ev);
    return;
  }
  int before = ev->offset < 0;
  uint64_t dist = before ? (uint64_t)(-ev->offset) : (uint64_t)ev->offset - ev->buffer_size + 1;
  if (ev->detected && ev->detected[0] == 'r') {
    buffer_phrase(o, ev);
    heal_out_str(o, " was overwritten ");
    plural(o, dist, "byte");
    heal_out_str(o, before ? " before its start (found when it was released)"
                           : " past its end (found when it was released)");
    return;
  }
  heal_out_str(o, ev->access ? ev->access : "access");
  heal_out_str(o, " ");
  plural(o, dist, "byte");
  heal_out_str(o, before ? " before the start of " : " past the end of ");
  buffer_phrase(o, ev);
}

/* "heal: recovered from a stack-buffer-overflow in parse_uri: returned -1 to
 * handle_request" (Oracle kinds), "heal: recovered from SIGSEGV (segv) in ..." (others). */
static void recovered_line(struct heal_out *o, const struct heal_event *ev) {
  heal_out_str(o, "heal: recovered from ");
  if (ev->oracle && ev->region) {
    const char *k = ev->kind;
    int vowel = k[0] == 'a' || k[0] == 'e' || k[0] == 'i' || k[0] == 'o' || k[0] == 'u';
    heal_out_str(o, vowel ? "an " : "a ");
    heal_out_str(o, k);
  } else {
    heal_out_str(o, heal_signal_name(ev->sig));
    heal_out_str(o, " (");
    heal_out_str(o, ev->kind);
    heal_out_str(o, ")");
  }
  heal_out_str(o, " in ");
  heal_out_str(o, ev->transaction);
  heal_out_str(o, ": returned ");
  if (ev->return_value) {
    heal_out_str(o, ev->return_value);
    heal_out_str(o, " ");
  }
  heal_out_str(o, "to ");
  heal_out_str(o, ev->caller ? ev->caller : "its caller");
  if (ev->recoveries > 1) {
    heal_out_str(o, " (recovery ");
    heal_out_dec(o, (long long)ev->recoveries);
    if (ev->recoveries > HEAL_TX_REPORT_FULL)
      heal_out_str(o, "; further reports of this transaction only at powers of two");
    heal_out_str(o, ")");
  }
}

static void stderr_line(const struct heal_event *ev, const char *path, int err) {
  static struct heal_out o;
  heal_out_init(&o, 2);
  const char *fn = function_of(ev);
  if (heal_streq(ev->action, "recovered")) {
    recovered_line(&o, ev);
    goto report;
  }
  heal_out_str(&o, "heal: ");
  if (ev->oracle && ev->region) {
    oracle_sentence(&o, ev, fn);
  } else if (ev->oracle && ev->note && !ev->transaction) { /* oracle-exhausted */
    heal_out_str(&o, ev->kind);
    heal_out_str(&o, " in ");
    heal_out_str(&o, fn ? fn : "??");
    heal_out_str(&o, ": ");
    heal_out_str(&o, ev->note);
  } else if (ev->oracle && heal_streq(ev->kind, "invalid-free")) {
    heal_out_str(&o, "invalid-free in ");
    heal_out_str(&o, fn ? fn : "??");
    heal_out_str(&o, ": free of ");
    heal_out_hex(&o, ev->address);
    heal_out_str(&o, ", which is not the start of a heap block");
  } else {
    heal_out_str(&o, heal_signal_name(ev->sig));
    heal_out_str(&o, " (");
    heal_out_str(&o, ev->kind);
    heal_out_str(&o, ")");
    if (ev->has_address) {
      heal_out_str(&o, " at address ");
      heal_out_hex(&o, ev->address);
    }
    heal_out_str(&o, " in ");
    heal_out_str(&o, fn ? fn : "??");
    heal_out_str(&o, " (pc ");
    heal_out_hex(&o, ev->pc);
    heal_out_str(&o, ")");
  }
  heal_out_str(&o, "; stack: ");
  enum { SHOWN = 16 };
  int n = shadow_used(ev) ? ev->nshadow : ev->nframes;
  for (int i = 0; i < n && i < SHOWN; i++) {
    if (i)
      heal_out_str(&o, " < ");
    fn = shadow_used(ev) ? ev->shadow[i].name : ev->frames[i].function;
    heal_out_str(&o, fn ? fn : "??");
  }
  if (n > SHOWN || (shadow_used(ev) && ev->shadow_more))
    heal_out_str(&o, " < ...");
  if (n == 0)
    heal_out_str(&o, "unknown");
  heal_out_str(&o, "; ");
  heal_out_str(&o, ev->action);
  if (ev->note && ev->transaction) {
    heal_out_str(&o, " (inside transaction ");
    heal_out_str(&o, ev->transaction ? ev->transaction : "??");
    heal_out_str(&o, ", not recovered: ");
    heal_out_str(&o, ev->note);
    heal_out_str(&o, ")");
  }
report:
  if (path) {
    heal_out_str(&o, "; report: ");
    heal_out_str(&o, path);
  } else if (heal_report_dir[0]) {
    heal_out_str(&o, "; no report written to ");
    heal_out_str(&o, heal_report_dir);
    heal_out_str(&o, err == ENOENT ? " (no such directory)"
                     : err == EACCES ? " (permission denied)"
                     : err == ENOSPC ? " (no space left)"
                     : " (error ");
    if (err != ENOENT && err != EACCES && err != ENOSPC) {
      heal_out_dec(&o, err);
      heal_out_str(&o, ")");
    }
  }
  heal_out_str(&o, "\n");
  heal_out_flush(&o);
}

void heal_report_write(const struct heal_event *ev) {
  const char *path = 0;
  int err = 0;
  if (heal_report_dir[0])
    path = write_file(ev, &err);
  stderr_line(ev, path, err);
}
