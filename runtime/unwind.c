/* Call stack of the interrupted thread.
 *
 * Primary: libgcc's DWARF unwinder (_Unwind_Backtrace), which works without frame
 * pointers (-O2) and steps through the kernel's signal frame. It is started from the
 * handler, so its first frames are the handler's own; they are skipped up to the frame
 * whose PC is the interrupted PC from the ucontext. libgcc finds unwind tables through
 * _dl_find_object (glibc >= 2.35, lock-free) and needs a one-time setup, done at init.
 *
 * Fallback, when the unwinder cannot get past the faulting frame (e.g. a call through a
 * null function pointer: PC 0 has no unwind table): the return address at [rsp] if the PC
 * is not executable, then the frame-pointer chain from rbp. Every memory read of the
 * interrupted stack happens under the handler's fault guard (see signals.c). */
#define _GNU_SOURCE
#include <ucontext.h>
#include <unwind.h>

#include "internal.h"

#define RAW_MAX (HEAL_MAX_FRAMES + 32) /* + the handler's own frames */

/* Static, not on the (alternate) stack: the report lock serializes handler runs, and a
 * fault in the middle of unwinding leaves the frames collected so far here. */
static volatile uintptr_t raw_pc[RAW_MAX];
static volatile int raw_n;

static _Unwind_Reason_Code collect(struct _Unwind_Context *ctx, void *arg) {
  (void)arg;
  int before = 0;
  uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
  if (raw_n >= RAW_MAX)
    return _URC_END_OF_STACK;
  raw_pc[raw_n++] = ip;
  return _URC_NO_REASON;
}

static _Unwind_Reason_Code count_only(struct _Unwind_Context *ctx, void *arg) {
  (void)ctx;
  ++*(int *)arg;
  return _URC_NO_REASON;
}

void heal_unwind_init(void) {
  int n = 0;
  _Unwind_Backtrace(count_only, &n); /* libgcc's register-size table and FDE caches */
}

/* Frame-pointer walk: each frame is [saved rbp][return address]; frames lie above the
 * stack pointer and move towards higher addresses, which bounds a corrupt chain (or an
 * rbp used as a general register by code without frame pointers) with the frame limit. */
static void fp_walk(uintptr_t fp, uintptr_t sp, struct heal_frame *frames, volatile int *n,
                    int max) {
  const uintptr_t span = 256u << 20; /* no thread stack is larger */
  while (*n < max && (fp & 7) == 0 && fp >= sp && fp - sp < span) {
    uintptr_t next = ((uintptr_t *)fp)[0];
    uintptr_t ret = ((uintptr_t *)fp)[1];
    if (ret == 0)
      break;
    frames[*n].pc = ret;
    frames[*n].exact = 0;
    ++*n;
    if (next <= fp)
      break;
    fp = next;
  }
}

int heal_unwind(const void *ucontext, struct heal_frame *frames, int max) {
  const ucontext_t *uc = ucontext;
  uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
  uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
  if (max > HEAL_MAX_FRAMES)
    max = HEAL_MAX_FRAMES;

  raw_n = 0;
  HEAL_GUARDED(_Unwind_Backtrace(collect, NULL));
  int start = -1;
  for (int i = 0; i < raw_n; i++)
    if (raw_pc[i] == pc) {
      start = i;
      break;
    }
  volatile int n = 0;
  if (start >= 0 && raw_n - start >= 2) {
    for (int i = start; i < raw_n && n < max; i++) {
      if (i > start && raw_pc[i] == 0)
        break; /* the outermost frame (_start) marks its return address undefined */
      frames[n].pc = raw_pc[i];
      frames[n].exact = i == start;
      n++;
    }
    return n;
  }

  frames[0].pc = pc;
  frames[0].exact = 1;
  n = 1;
  heal_symbolize_begin();
  if (!heal_pc_is_executable(pc)) {
    HEAL_GUARDED(if (n < max && sp && (sp & 7) == 0) {
      frames[n].pc = *(uintptr_t *)sp;
      frames[n].exact = 0;
      n++;
    });
  }
  HEAL_GUARDED(fp_walk(fp, sp, frames, &n, max));
  return n;
}

/* Outside a signal handler (reports the runtime raises itself): the frames from our
 * caller on; the caller drops the runtime's own frames after symbolizing them. */
int heal_unwind_here(struct heal_frame *frames, int max) {
  if (max > HEAL_MAX_FRAMES)
    max = HEAL_MAX_FRAMES;
  raw_n = 0;
  HEAL_GUARDED(_Unwind_Backtrace(collect, NULL));
  int n = 0;
  for (int i = 1; i < raw_n && n < max; i++) { /* 0 is this function */
    if (raw_pc[i] == 0)
      break;
    frames[n].pc = raw_pc[i];
    frames[n].exact = 0; /* return addresses */
    n++;
  }
  return n;
}
