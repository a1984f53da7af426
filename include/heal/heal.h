/* heal ABI: the one place where the pass plugin, the runtime and the tools agree.
 *
 * Included by C (runtime, tools) and C++ (pass plugin). Change a layout here and bump
 * HEAL_ABI_VERSION; the runtime refuses modules of another ABI with a clear message. */
#ifndef HEAL_HEAL_H
#define HEAL_HEAL_H

#include <stdint.h>

#define HEAL_ABI_VERSION 1u
/* "version" field of every JSON report. */
#define HEAL_REPORT_VERSION 1

/* Environment variables (configuration is by environment so build systems need no change). */
#define HEAL_ENV_MODE "HEAL_MODE"             /* sensor (default) | oracle | patch        */
#define HEAL_ENV_POLICY "HEAL_POLICY"         /* policy JSON file; implies patch          */
#define HEAL_ENV_REPORT_DIR "HEAL_REPORT_DIR" /* one JSON file per fault event            */
#define HEAL_ENV_PASSTHROUGH "HEAL_PASSTHROUGH"

enum heal_mode {
  HEAL_MODE_SENSOR = 1,
  HEAL_MODE_ORACLE = 2,
  HEAL_MODE_PATCH = 3,
};

/* One stack/global/heap buffer the Oracle guards, for naming it in reports. */
struct heal_buffer_site {
  const char *function; /* owning function (source name) */
  const char *buffer;   /* source name of the variable, or "<unnamed>" */
  const char *file;     /* declaration file, or "" */
  uint32_t line;        /* declaration line, 0 if unknown */
  uint32_t flags;       /* HEAL_SITE_* */
  uint64_t size;        /* declared size in bytes, 0 if dynamic (alloca/VLA) */
};

#define HEAL_SITE_STACK 1u
#define HEAL_SITE_GLOBAL 2u
#define HEAL_SITE_DYNAMIC 4u

/* Emitted once per instrumented module by the heal passes and handed to the runtime by a
 * module constructor. Lives in read-only data for the life of the program. */
struct heal_module {
  uint32_t abi_version; /* HEAL_ABI_VERSION */
  uint32_t mode;        /* enum heal_mode the module was built for */
  const char *source;   /* source file name of the module */
  uint32_t nsites;
  uint32_t reserved;
  const struct heal_buffer_site *sites;
};

/* One instrumented function, for the Oracle's shadow call stack (read-only data). */
struct heal_function {
  const char *name; /* source name (static functions included) */
  const char *file; /* definition file, or "" */
  uint32_t line;    /* definition line, 0 if unknown */
  uint32_t flags;   /* reserved, 0 */
};

/* Runtime entry points called by instrumented code. Names are declared once, here. */
#define HEAL_RT_REGISTER_MODULE "__heal_register_module"
#define HEAL_RT_ENTER "__heal_enter"
#define HEAL_RT_EXIT "__heal_exit"
#define HEAL_RT_UNWIND_TO "__heal_unwind_to"
#define HEAL_RT_STACK_ALLOC "__heal_stack_alloc"
#define HEAL_RT_SLOT_MARK "__heal_slot_mark"
#define HEAL_RT_SLOT_RELEASE "__heal_slot_release"
#define HEAL_RT_GUARD_GLOBAL "__heal_guard_global"

#ifdef __cplusplus
extern "C" {
#endif
void __heal_register_module(const struct heal_module *m);

/* ---- Oracle: monitoring (DYBOC's "which functions are active") --------------------------
 * Every instrumented function calls __heal_enter on entry and __heal_exit(depth) on every
 * return. A longjmp skips exits: after every setjmp-like call returns (0 or not) the
 * function calls __heal_unwind_to(its depth), which drops the frames above it and releases
 * their guarded slots. The shadow stack is per thread; depth 1 is the outermost frame. */
uint32_t __heal_enter(const struct heal_function *fn);
void __heal_exit(uint32_t depth);
void __heal_unwind_to(uint32_t depth);
#ifdef __cplusplus
}
#endif

/* Inline fast path. heal-monitor emits enter and exit inline (heal.enter / heal.exit in
 * the module) and calls the functions above only on the slow path. The thread's state is
 * the initial-exec TLS pointer HEAL_RT_SELF (NULL until the thread's first enter); in it,
 * at these offsets: uint32_t depth (frames[depth - 1] is the innermost frame), uint32_t
 * live_depth (owner depth of the innermost live guarded slot, 0 if none) and
 * const struct heal_function *frames[HEAL_SHADOW_CAP]. Enter, with d0 = depth:
 *
 *     if (t && d0 < HEAL_SHADOW_CAP && live_depth <= d0) {  // else HEAL_RT_ENTER_SLOW
 *       depth = d0 + 1; frames[d0] = fn;                     // in this order
 *     }
 *
 * exit(d): if (t && live_depth < d) depth = d - 1; else HEAL_RT_EXIT_SLOW. The accesses
 * to *t are volatile (never merged, reordered among themselves or forwarded: the fault
 * handler reads them, and the slow path changes them behind the optimizer's back). */
#define HEAL_RT_SELF "__heal_self"
/* The slow paths the inline code calls: __heal_enter / __heal_exit with LLVM's
 * preserve_most convention (every general-purpose register but r11 kept), bound at load
 * time (nonlazybind: a lazy-binding resolver would not keep them). */
#define HEAL_RT_ENTER_SLOW "__heal_enter_slow" /* i32 (ptr fn), preserve_most */
#define HEAL_RT_EXIT_SLOW "__heal_exit_slow"   /* void (i32 depth), preserve_most */
#define HEAL_SHADOW_CAP (1u << 18) /* shadow frames stored per thread (deeper: counted) */
#define HEAL_THREAD_DEPTH 0u       /* offsets in the thread state */
#define HEAL_THREAD_LIVE_DEPTH 8u
#define HEAL_THREAD_FRAMES 2016u

/* Inline fast paths of guarded stack slots (heal-guard emits them as heal.stack.alloc and
 * heal.stack.exit; runtime/slots.c checks this layout). More of the thread state:
 * uint32_t live (innermost live stack slot, 0: none), uint32_t busy (in a slow path),
 * uint64_t seq (next stack allocation number), and the 4 KiB class's cache of free slots
 * {uint32_t n; uint32_t id[HEAL_CACHE_CAP_ABI]}. Slot metadata: the array HEAL_RT_SLOTS
 * (struct heal_slot *, indexed by slot id) of HEAL_SLOT_BYTES-byte records, fields at the
 * HEAL_SLOT_* offsets. Allocation of a constant size <= 4 KiB at a power-of-two alignment
 * A, with d = depth and n = the cache's count:
 *
 *     if (t && live_depth <= d && !busy && d - 1 < HEAL_SHADOW_CAP && n &&   // else
 *         top = id[n - 1], its kind == stack, size == size, placed == log2 A) { // runtime
 *       n = n - 1; site, fn = frames[d - 1], depth = d, seq = seq++, next = live,
 *       state = live; live = top; live_depth = d;                // in this order
 *     }
 *
 * exit(d), of a frame that owns slots: if live_depth < d, pop as heal.exit does; if exactly
 * one slot of this frame is live (live_depth == d, the next live slot's depth < d), it is
 * live, of the 4 KiB class, with canary windows (front, back) = (64, 0) intact, the thread
 * not busy and the cache not full: live = next, live_depth = next's depth, state = free,
 * push it on the cache, depth = d - 1 (in this order). Anything else: __heal_exit. */
#define HEAL_RT_SLOTS "__heal_slots"
#define HEAL_STACK_ALLOC_INLINE "heal.stack.alloc" /* the module's inline allocation */
#define HEAL_STACK_EXIT_INLINE "heal.stack.exit"   /* the module's inline exit with slots */
#define HEAL_INLINE_SLOT_MAX 4096u /* size and alignment limit of the inline allocation */
#define HEAL_THREAD_LIVE 4u
#define HEAL_THREAD_BUSY 12u
#define HEAL_THREAD_SEQ 16u
#define HEAL_THREAD_CACHE0 32u /* cache[0].n; cache[0].id[] follows */
#define HEAL_CACHE_CAP_ABI 32u
#define HEAL_SLOT_BYTES 72u
#define HEAL_SLOT_START 8u
#define HEAL_SLOT_SIZE 16u
#define HEAL_SLOT_SITE 24u
#define HEAL_SLOT_FN 32u
#define HEAL_SLOT_SEQ 40u
#define HEAL_SLOT_NEXT 48u
#define HEAL_SLOT_DEPTH 52u
#define HEAL_SLOT_CANARIES 56u /* uint16_t front, back: as one uint32_t front | back << 16 */
#define HEAL_SLOT_STATE 60u    /* 0 free, 1 live */
#define HEAL_SLOT_KIND 61u     /* 1 stack */
#define HEAL_SLOT_CLS 62u
#define HEAL_SLOT_PLACED 65u

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Oracle: guarded stack buffers -------------------------------------------------------
 * A stack buffer (array, struct containing an array, alloca, VLA) of `size` bytes aligned
 * to `align` (a power of two), in a slot flanked by PROT_NONE guards; owned by the frame at
 * the current shadow depth and released by that frame's __heal_exit / __heal_unwind_to.
 * size 0 is allowed (alloca(0)). Never returns NULL (out of slots is a fatal report).
 * __heal_slot_mark / __heal_slot_release bracket a scope whose buffers die early
 * (llvm.stacksave / llvm.stackrestore around a VLA in a loop). */
void *__heal_stack_alloc(uint64_t size, uint64_t align, const struct heal_buffer_site *site);
uint64_t __heal_slot_mark(void);
void __heal_slot_release(uint64_t mark);

/* ---- Oracle: guarded globals -------------------------------------------------------------
 * A global array the pass laid out as [front guard][slack][buffer][back guard] inside one
 * page-aligned object: `base` is the object's start, `size` its total size (a multiple of
 * the page size), `buffer` the array. Called from the module constructor: the runtime makes
 * the guard pages PROT_NONE and remembers the site for reports. */
void __heal_guard_global(void *base, uint64_t size, void *buffer,
                         const struct heal_buffer_site *site);
#ifdef __cplusplus
}
#endif

/* ---- Patch: execution transactions (micro-speculation) ----------------------------------
 * A function named in a policy's "transactions" runs as an execution transaction. The
 * wrapping pass gives it, at entry, a frame of HEAL_TX_FRAME_SIZE bytes (aligned to
 * HEAL_TX_FRAME_ALIGN) on its own stack, and emits
 *
 *     switch (<the inline entry>(frame, &site)) { // returns_twice inline assembly
 *     case 1: return <synthesized value>;       // resumed: the transaction was aborted
 *     case 2: __heal_tx_enter_slow(frame, &site); // saved, not pushed: the runtime pushes
 *     }
 *     r = ...body...;
 *     // commit, inline (the common case), else __heal_tx_commit(frame):
 *     tx = frame + HEAL_TX_OFFSET;             // struct heal_tx, starting with prev
 *     if (__heal_tx_top == tx && (tx->prev || undo.cur == undo.base))
 *       __heal_tx_top = tx->prev;
 *     else if (__heal_tx_top == tx && undo.attn == 0 &&
 *              undo.cur - undo.base <= HEAL_UNDO_INLINE_MAX)
 *       undo.cur = undo.base, __heal_tx_top = NULL; // outermost: truncate the log
 *     else
 *       __heal_tx_commit(frame);
 *     return r;
 *
 * The inline entry (lib/Transaction.cpp, heal's own setjmp, no call) saves the callee-saved
 * registers, the stack pointer and the address where it ends (the resume point) at the
 * start of the frame (stack pointer, frame pointer and resume point mangled like glibc's
 * setjmp: xor the pointer guard at %fs:0x30, rotate left 17). Then, unless the thread's
 * top frame lies at or below the new one (dead, left by a longjmp) or the first two bytes
 * of the undo log's attn word are set (frees to drain, an overflow), it fills the frame's
 * transaction state at HEAL_TX_OFFSET (struct heal_tx, HEAL_TX_F_* below) and pushes it
 * on the thread's chain of live transactions, the initial-exec TLS pointer
 * HEAL_RT_TX_TOP, and yields 0; else it yields 2 and __heal_tx_enter_slow does that
 * work. The abort restores the registers and jumps to the resume point with eax = 1.
 * That state starts with `struct heal_tx *prev` (the
 * enclosing live transaction): an inner commit is the pop
 * above; an outermost one pops inline while the undo log is empty (its `cur` and `base`,
 * the first and third words of HEAL_RT_UNDO_TLS, are equal), and truncates it inline
 * (cur = base) when it holds only memory entries, at most HEAL_UNDO_INLINE_MAX bytes of
 * them, and the log needs no attention from the runtime (the word at
 * HEAL_UNDO_ATTN_OFFSET is 0: no deferred frees, no allocations, no overflow, nothing to
 * drain).
 *
 * A fault inside (its code or any callee, any fault source) aborts the innermost live
 * transaction of the thread: the runtime rolls back the undo log to the frame's watermark,
 * releases guarded slots and shadow frames above it, reports `action: recovered`, and
 * jumps back into the frame (the entry yields 1). Frames left by a user's longjmp are
 * dropped lazily (a frame below the current stack pointer is dead). Modules built for an
 * earlier protocol (__heal_tx_begin/__sigsetjmp, the called __heal_tx_enter) no longer
 * link (the symbols are gone). */
#define HEAL_TX_FRAME_SIZE 384u
#define HEAL_TX_FRAME_ALIGN 16u
/* Offset of the transaction state in the frame; the saved registers come first, so an
 * overflow from below damages them (refused: guard word, check word) long before the
 * state the fault handler reads. */
#define HEAL_TX_OFFSET 256u
/* The pass allocates HEAL_TX_FRAME_GUARD more bytes below the frame; enter writes a check
 * word just below it. A buffer overflow reaching the frame from below (the outlined body's
 * frame lies below the wrapper's) crosses it first: the runtime then refuses to jump. */
#define HEAL_TX_FRAME_GUARD 16u
/* What the inline entry writes in the frame: the saved registers at the frame's start
 * (rbx, rbp, r12-r15, rsp, resume point: 8 bytes each, rbp/rsp/resume mangled), and these
 * fields of struct heal_tx (runtime/txn.c) at HEAL_TX_OFFSET + ...: */
#define HEAL_TX_F_PREV 0u    /* the enclosing live transaction (HEAL_RT_TX_TOP before) */
#define HEAL_TX_F_SITE 8u    /* const struct heal_tx_site * */
#define HEAL_TX_F_SLOT 16u   /* uint64_t: HEAL_RT_SELF's slot number at HEAL_TX_THREAD_SEQ (0 without) */
#define HEAL_TX_F_UNDO 24u   /* char *: the undo log's cur */
#define HEAL_TX_F_DEPTH 32u  /* uint32_t: HEAL_RT_SELF's depth at HEAL_THREAD_DEPTH (0 without) */
#define HEAL_TX_F_COOKIE 40u /* frame state ^ site ^ prev ^ pointer guard; also stored in the
                                word just below the frame */
#define HEAL_TX_THREAD_SEQ 16u /* offset of the next stack-slot number in HEAL_RT_SELF's state */

struct heal_tx_site {
  const char *function;     /* source name */
  const char *file;         /* definition file, or "" */
  uint32_t line;            /* definition line, 0 if unknown */
  uint32_t flags;           /* HEAL_TX_* */
  const char *return_value; /* the synthesized/forced value as text ("-1", "NULL", ...);
                               NULL for a void function */
  const char *reason;       /* one sentence: why that value (RetvalChoice::Reason) */
};

#define HEAL_TX_ROLLBACK 1u /* stores inside are undo-logged (policy "rollback": true) */
#define HEAL_TX_FORCED 2u   /* the return value was forced by the policy */

/* void (void *frame, const struct heal_tx_site *): the inline entry's slow path */
#define HEAL_RT_TX_ENTER_SLOW "__heal_tx_enter_slow"
#define HEAL_RT_TX_COMMIT "__heal_tx_commit" /* the commit's slow path */
#define HEAL_RT_TX_TOP "__heal_tx_top"     /* thread's innermost live frame (IE TLS) */

/* Undo log (memory rollback): transactional code (the transaction function and the
 * `.heal_tx` clones of what it calls) logs the old contents of memory before writing it,
 * unless the memory is the writer's own stack frame. malloc/calloc/realloc/free inside a
 * transaction go through the __heal_tx_* versions: an abort frees what the transaction
 * allocated; a free is deferred to the outermost commit (an abort drops it). */
#define HEAL_RT_UNDO_LOG "__heal_undo_log"
/* Inline fast path. The thread's log starts with { char *cur; char *limit; } in the
 * initial-exec TLS variable HEAL_RT_UNDO_TLS. For a 1, 2, 4 or 8-byte write, instrumented
 * code loads the old value and, if limit - cur >= HEAL_UNDO_SCALAR_ENTRY, stores the entry
 * { uint64_t old (zero-extended), void *addr, uint64_t size } at cur, then cur += 24 (a
 * release store: the entry is complete before the fault handler can see it); otherwise it
 * calls __heal_undo_log. Both are NULL until the thread's first logged write. The third
 * word is `char *base` (the log is empty when cur == base: the inline commit reads it),
 * the fourth (HEAL_UNDO_ATTN_OFFSET) a word that is 0 while an outermost commit may
 * truncate the log inline by setting cur = base. */
#define HEAL_RT_UNDO_TLS "__heal_undo_tls"
#define HEAL_UNDO_ATTN_OFFSET 24u
#define HEAL_UNDO_INLINE_MAX (1u << 20) /* longest log the inline commit truncates */
#define HEAL_UNDO_SCALAR_ENTRY 24u
#define HEAL_TX_CLONE_SUFFIX ".heal_tx"

#ifdef __cplusplus
extern "C" {
#endif
void __heal_tx_enter_slow(void *frame, const struct heal_tx_site *site);
void __heal_tx_commit(void *frame);
void __heal_undo_log(void *addr, uint64_t size); /* before writing size bytes at addr */
void *__heal_tx_malloc(uint64_t size);
void *__heal_tx_calloc(uint64_t n, uint64_t size);
void *__heal_tx_realloc(void *p, uint64_t size);
void __heal_tx_free(void *p);
/* More of the same, for strdup/strndup, and the libc writers: called right before the
 * named call with its arguments, each logs exactly what that call will write
 * (docs/rollback.md). limit: snprintf's size, (uint64_t)-1 when unbounded. */
char *__heal_tx_strdup(const char *s);
char *__heal_tx_strndup(const char *s, uint64_t max);
void __heal_undo_log_strcpy(char *dst, const char *src);                 /* strcpy, stpcpy */
void __heal_undo_log_strcat(char *dst, const char *src, uint64_t max);   /* strcat, strncat */
void __heal_undo_log_printf(char *dst, uint64_t limit, const char *fmt, ...); /* sprintf */
/* vsprintf & co.; ap is a va_list (on x86_64 a pointer), left unconsumed */
void __heal_undo_log_vprintf(char *dst, uint64_t limit, const char *fmt, void *ap);
#ifdef __cplusplus
}
#endif

/* Indirect calls in transactional code (docs/rollback.md, "Indirect calls"). A module's
 * address-taken function definitions that may be called through a pointer from its
 * transactional code get `.heal_tx` clones like direct callees; the module's private
 * constant table of {original, clone} pairs is registered by a priority-1 constructor
 * (HEAL_RT_TX_REGISTER_TARGETS, unregistered by a destructor: dlclose), and each such
 * indirect call becomes
 *     t = __heal_tx_target(fp); call t(...)
 * t is the clone registered for fp, or fp itself (any other function, NULL included).
 * __heal_tx_target may be called from any thread at any time (lock-free, no malloc). */
struct heal_tx_target {
  void *original; /* the function's address as the program sees it */
  void *clone;    /* its undo-logging `.heal_tx` clone */
};
#define HEAL_RT_TX_TARGET "__heal_tx_target"
#define HEAL_RT_TX_REGISTER_TARGETS "__heal_tx_register_targets"
#define HEAL_RT_TX_UNREGISTER_TARGETS "__heal_tx_unregister_targets"

#ifdef __cplusplus
extern "C" {
#endif
void *__heal_tx_target(void *fp);
void __heal_tx_register_targets(const struct heal_tx_target *table, uint64_t n);
void __heal_tx_unregister_targets(const struct heal_tx_target *table, uint64_t n);
#ifdef __cplusplus
}
#endif

/* ---- Records embedded in objects and binaries (read by `heal rebuild`) ----------------
 *
 * Section HEAL_SECTION_BITCODE (not allocated, so it costs no memory at run time) holds one
 * record per compiled source. Linking concatenates the sections of all objects, so records
 * are self-delimiting; a reader skips zero padding between them.
 *
 *   struct heal_bc_header | source path (NUL-terminated) | codegen args (each
 *   NUL-terminated) | clean bitcode | zero padding to 8 bytes
 *
 * All integers little-endian. The id is a hash of everything after the header, so the
 * link record can name a module without ambiguity. */
#define HEAL_SECTION_BITCODE ".heal_bitcode"
#define HEAL_BC_MAGIC "HEALBC1"  /* 8 bytes with the NUL */

struct heal_bc_header {
  char magic[8];
  uint64_t record_size;  /* whole record incl. header and padding */
  uint64_t id;           /* FNV-1a 64 of source, args and bitcode */
  uint32_t source_size;  /* incl. NUL */
  uint32_t args_size;    /* total bytes of the NUL-terminated args */
  uint32_t nargs;
  uint32_t reserved;
  uint64_t bitcode_size;
};

/* Section HEAL_SECTION_LINK in a linked executable or shared library: HEAL_LINK_MAGIC
 * followed by a JSON document (see docs/design.md, "Link record") that lets `heal rebuild`
 * link the binary again without its build system. */
#define HEAL_SECTION_LINK ".heal_link"
#define HEAL_LINK_MAGIC "HEALLK1" /* 8 bytes with the NUL */

/* The .heal_link payload: header, then `json_size` bytes of UTF-8 JSON (no NUL), then zero
 * padding to 8 bytes. */
struct heal_link_header {
  char magic[8];      /* HEAL_LINK_MAGIC */
  uint64_t json_size;
};

/* Section HEAL_SECTION_OBJECTS: verbatim copies of link inputs that carry no heal bitcode
 * (objects from assembly, objects compiled without heal-cc), so a rebuild needs nothing but
 * the binary. Self-delimiting records like .heal_bitcode:
 *
 *   struct heal_obj_header | original path (NUL-terminated) | object bytes | zero padding
 *   to 8 bytes
 *
 * The id is FNV-1a 64 of the object bytes; the link record names objects by it. */
#define HEAL_SECTION_OBJECTS ".heal_objects"
#define HEAL_OBJ_MAGIC "HEALOB1" /* 8 bytes with the NUL */

struct heal_obj_header {
  char magic[8];
  uint64_t record_size; /* whole record incl. header and padding */
  uint64_t id;          /* FNV-1a 64 of the object bytes */
  uint32_t name_size;   /* incl. NUL */
  uint32_t reserved;
  uint64_t object_size;
};

#endif
