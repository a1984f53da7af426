/* Internal interfaces of the heal runtime. Everything here has hidden visibility (the
 * library is built with -fvisibility=hidden); only include/heal/heal.h is exported.
 *
 * Functions marked [AS-safe] may run inside the fault handler: they use no malloc, no
 * stdio, no locks other than the runtime's own report lock, only system calls. */
#ifndef HEAL_RT_INTERNAL_H
#define HEAL_RT_INTERNAL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "the heal runtime supports x86_64 Linux only"
#endif

#define HEAL_MAX_FRAMES 64       /* frames in a report; bounds unwinding of a corrupt stack */
#define HEAL_ALTSTACK_SIZE (128u * 1024u)
#define HEAL_PATH_MAX 4096

/* ---- init.c ------------------------------------------------------------------------ */
void heal_rt_init(void);             /* idempotent; constructor and lazy callers */
const char *heal_mode_name(void);    /* [AS-safe] highest registered mode, "sensor" if none */
extern char heal_report_dir[HEAL_PATH_MAX]; /* "" when HEAL_REPORT_DIR is unset */
extern char heal_program[HEAL_PATH_MAX];    /* /proc/self/exe at init */

/* ---- signals.c ----------------------------------------------------------------------- */
void heal_signals_install(void);

/* ---- threads.c ----------------------------------------------------------------------- */
#include <pthread.h>
typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
void heal_threads_init(void);
int heal_altstack_install(void);     /* current thread; 0 on success or if one exists */
/* Start a thread through `real` with a wrapper that gives it an alternate stack. */
int heal_create_wrapped(create_fn real, pthread_t *t, const pthread_attr_t *attr,
                        void *(*fn)(void *), void *arg);

/* ---- unwind.c ------------------------------------------------------------------------ */
struct heal_frame {
  uintptr_t pc;       /* the frame's PC (innermost: faulting PC; others: return address) */
  uintptr_t offset;   /* pc relative to the object's load base (link-time address) */
  const char *function; /* NULL when unknown */
  const char *object;   /* ELF path, NULL when unknown */
  int exact;          /* pc is the faulting instruction (look up pc, not pc - 1) */
  int has_offset;
};
void heal_unwind_init(void);
/* [AS-safe] Fill frames starting at the interrupted context; returns the count. */
int heal_unwind(const void *ucontext, struct heal_frame *frames, int max);

/* ---- symbolize.c --------------------------------------------------------------------- */
void heal_symbolize_begin(void);     /* [AS-safe] snapshot /proc/self/maps */
void heal_symbolize(struct heal_frame *f); /* [AS-safe] fill function/object/offset */
int heal_pc_is_executable(uintptr_t pc);   /* [AS-safe] after heal_symbolize_begin */

/* ---- report.c ------------------------------------------------------------------------ */
struct heal_event {
  int sig;
  int code;            /* si_code */
  const char *kind;    /* "segv", "stack-overflow", ... */
  int has_address;
  uintptr_t address;
  uintptr_t pc;
  const char *action;  /* "terminated" */
  int nframes;
  struct heal_frame frames[HEAL_MAX_FRAMES];
  int no_code;         /* found by the runtime, not raised by the kernel: "code" is null */

  /* Patch: the fault aborted a transaction (txn.c). `transaction` set: action is
   * "recovered" and the report names the function, the value returned and to whom. */
  const char *transaction;  /* the transaction function, NULL outside any */
  const char *return_value; /* as text; NULL for a void function */
  const char *caller;       /* function the value was returned to, NULL if unknown */
  uint64_t recoveries;      /* this run's recoveries of that transaction, this one included */
  const char *note;         /* why a fault inside a transaction was not recovered */

  /* Oracle (oracle.c). `oracle` set: the report has the Oracle's fields and, when the
   * shadow stack is not empty, takes `function` and `stack` from it. */
  int oracle;
  const char *region;          /* "stack" | "heap" | "global" | NULL: no buffer named */
  const char *buffer;          /* source name, allocator for heap blocks; NULL unknown */
  const char *buffer_function; /* declaring function; heap: function that allocated */
  const char *buffer_file;
  uint32_t buffer_line;
  uint64_t buffer_size;
  int64_t offset;              /* fault address - buffer start */
  const char *detected;        /* "access" | "release" | NULL */
  const char *access;          /* "read" | "write" | NULL */
  int nshadow;                 /* shadow frames below, innermost first */
  int shadow_more;             /* frames beyond those (deeper than stored or > HEAL_MAX_FRAMES) */
  struct heal_shadow_frame {
    const char *name, *file;
    uint32_t line;
  } shadow[HEAL_MAX_FRAMES];
};
void heal_report_write(const struct heal_event *ev); /* [AS-safe] JSON file + stderr line */
const char *heal_signal_name(int sig);               /* [AS-safe] "SIGSEGV" */
const char *heal_code_name(int sig, int code);       /* [AS-safe] "SEGV_MAPERR" or NULL */

/* ---- oracle.c ------------------------------------------------------------------------- */
/* [AS-safe] Shadow stack of the current thread and the buffer at the fault address. */
void heal_oracle_describe(const siginfo_t *si, const void *ucontext, struct heal_event *ev);

/* ---- signals.c: reports the runtime raises itself (double free, canary at release) -- */
struct heal_event *heal_report_begin(void);     /* report lock; a cleared event */
_Noreturn void heal_report_finish(int sig);     /* write it, die of sig */
/* Frames of the current thread from the caller of the runtime on (not from a signal). */
int heal_unwind_here(struct heal_frame *frames, int max);

/* ---- signals.c: faults inside the handler -------------------------------------------- */
/* The fault handler runs the unwinder and the symbolizer under a guard: a fault while
 * guarded jumps back to the end of HEAL_GUARDED, which continues with what it has. */
#include <setjmp.h>
extern sigjmp_buf heal_guard_env;
extern volatile sig_atomic_t heal_guard_active;
#define HEAL_GUARDED(stmt)                                                               \
  do {                                                                                   \
    if (sigsetjmp(heal_guard_env, 0) == 0) {                                             \
      heal_guard_active = 1;                                                             \
      stmt;                                                                              \
    }                                                                                    \
    heal_guard_active = 0;                                                               \
  } while (0)

/* ---- util.c: async-signal-safe formatting ---------------------------------------------- */
long heal_gettid(void);
int heal_write_all(int fd, const void *buf, size_t n);   /* [AS-safe] 0 or -1 */
size_t heal_strlen(const char *s);
int heal_streq(const char *a, const char *b);

/* A small output buffer that flushes to a file descriptor (fd < 0: discard). */
struct heal_out {
  int fd;
  int failed;
  size_t len;
  char buf[2048];
};
void heal_out_init(struct heal_out *o, int fd);
void heal_out_flush(struct heal_out *o);
void heal_out_mem(struct heal_out *o, const char *s, size_t n);
void heal_out_str(struct heal_out *o, const char *s);
void heal_out_dec(struct heal_out *o, long long v);
void heal_out_hex(struct heal_out *o, uintptr_t v);      /* 0x... */
void heal_out_json_str(struct heal_out *o, const char *s); /* quoted, escaped; NULL: null */
void heal_out_json_hex(struct heal_out *o, uintptr_t v);   /* "0x..." */

#endif
