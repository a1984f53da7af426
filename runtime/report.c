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
  heal_out_json_str(o, heal_code_name(ev->sig, ev->code));
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
  heal_out_json_str(o, ev->nframes > 0 ? ev->frames[0].function : 0);
  heal_out_str(o, ",\"buffer\":null,\"buffer_size\":null,\"offset\":null");
  json_key(o, "stack");
  heal_out_str(o, "[");
  for (int i = 0; i < ev->nframes; i++) {
    if (i)
      heal_out_str(o, ",");
    heal_out_json_str(o, ev->frames[i].function ? ev->frames[i].function : "??");
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
  heal_out_str(o, ",\"transaction\":null,\"return_value\":null}\n");
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

static void stderr_line(const struct heal_event *ev, const char *path, int err) {
  static struct heal_out o;
  heal_out_init(&o, 2);
  heal_out_str(&o, "heal: ");
  heal_out_str(&o, heal_signal_name(ev->sig));
  heal_out_str(&o, " (");
  heal_out_str(&o, ev->kind);
  heal_out_str(&o, ")");
  if (ev->has_address) {
    heal_out_str(&o, " at address ");
    heal_out_hex(&o, ev->address);
  }
  heal_out_str(&o, " in ");
  const char *fn = ev->nframes > 0 ? ev->frames[0].function : 0;
  heal_out_str(&o, fn ? fn : "??");
  heal_out_str(&o, " (pc ");
  heal_out_hex(&o, ev->pc);
  heal_out_str(&o, "); stack: ");
  enum { SHOWN = 16 };
  for (int i = 0; i < ev->nframes && i < SHOWN; i++) {
    if (i)
      heal_out_str(&o, " < ");
    fn = ev->frames[i].function;
    heal_out_str(&o, fn ? fn : "??");
  }
  if (ev->nframes > SHOWN)
    heal_out_str(&o, " < ...");
  if (ev->nframes == 0)
    heal_out_str(&o, "unknown");
  heal_out_str(&o, "; ");
  heal_out_str(&o, ev->action);
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
