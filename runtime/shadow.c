/* The Oracle's per-thread shadow call stack and guarded stack buffers.
 *
 * __heal_enter/__heal_exit are a TLS load and two or three stores on the common path; no
 * lock, no system call. A stack slot is owned by the shadow depth that allocated it and
 * kept on the thread's LIFO list of live slots, so leaving a frame (exit, unwind_to after
 * a longjmp) releases exactly the slots of the frames that are gone.
 *
 * Signal handlers run on the interrupted thread's state and nest like calls: whatever they
 * push they pop before returning, which leaves the interrupted code's view unchanged. A
 * handler that interrupts a slow path (t->busy) takes fresh slots and defers releases.
 * __heal_stack_alloc, __heal_slot_release and the release loop are in slots.c, where the
 * slot allocator's fast paths inline into them. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "heal/heal.h"
#include "internal.h"
#include "slots.h"
#include "txn.h"

#define API __attribute__((visibility("default")))

/* The layout the passes' inline enter/exit assume (heal.h). */
_Static_assert(offsetof(struct heal_thread, depth) == HEAL_THREAD_DEPTH, "heal.h layout");
_Static_assert(offsetof(struct heal_thread, live_depth) == HEAL_THREAD_LIVE_DEPTH, "heal.h layout");
_Static_assert(offsetof(struct heal_thread, frames) == HEAL_THREAD_FRAMES, "heal.h layout");
#define unlikely(x) __builtin_expect(!!(x), 0)

static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void thread_gone(void *p);
static void make_key(void) { pthread_key_create(&thread_key, thread_gone); }

/* The state of a new thread: one mapping, touched lazily (the shadow frames are mostly
 * never touched). */
static __attribute__((noinline)) struct heal_thread *thread_new(void) {
  heal_slots_init();
  struct heal_thread *t = mmap(NULL, sizeof *t, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (t == MAP_FAILED)
    heal_oracle_exhausted("memory for a thread's shadow stack", sizeof *t, 0);
  heal_self = t;
  pthread_once(&key_once, make_key);
  pthread_setspecific(thread_key, t); /* thread_gone at thread exit */
  return t;
}

struct heal_thread *heal_thread_get(void) {
  struct heal_thread *t = heal_self;
  return t ? t : thread_new();
}

/* Thread exit (TSD destructor: return, pthread_exit, cancellation): the thread's live
 * stack slots and caches go back to the global lists, its state is unmapped. */
static void thread_gone(void *p) {
  struct heal_thread *t = p;
  if (heal_self != t)
    return;
  while (t->live) {
    uint32_t id = t->live;
    t->live = heal_slots[id].next;
    /* Not checked: frames skipped by pthread_exit are not released one by one. */
    heal_slots[id].canary_front = heal_slots[id].canary_back = 0;
    heal_slot_put(t, id);
  }
  heal_slots_thread_exit(t);
  heal_self = NULL;
  munmap(t, sizeof *t);
}

API uint32_t __heal_enter(const struct heal_function *fn) {
  struct heal_thread *t = heal_self;
  if (unlikely(!t))
    t = thread_new();
  uint32_t d = t->depth + 1;
  /* Depth first: a signal handler arriving in between pushes above this frame instead of
   * overwriting it. (Compiler barriers order the stores for handlers on this thread.) */
  t->depth = d;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  if (d <= HEAL_SHADOW_CAP)
    t->frames[d - 1] = fn;
  if (unlikely(t->live_depth >= d)) /* left over by a longjmp nobody unwound */
    heal_shadow_release_above(t, d - 1);
  return d;
}

API void __heal_exit(uint32_t depth) {
  struct heal_thread *t = heal_self;
  if (unlikely(!t || depth == 0))
    return;
  /* Release, then pop the frame: while the frame is still on the stack, a signal handler
   * cannot take its slots for stale ones. */
  if (unlikely(t->live_depth >= depth))
    heal_shadow_release_above(t, depth - 1);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->depth = depth - 1;
}

/* The slow paths of the inline enter/exit (heal.h), called with LLVM's preserve_most
 * convention: they keep every general-purpose register but r11 (rax too, except for
 * enter's result), so that instrumented code saves no registers around them -- a small
 * leaf function then needs no pushes at all. Vector registers are the caller's to save
 * (preserve_most leaves them caller-saved). Each saves the argument and scratch registers
 * and calls the C function above through a hidden alias (no PLT). */
extern uint32_t heal_enter_c(const struct heal_function *fn)
    __attribute__((alias("__heal_enter"), visibility("hidden")));
extern void heal_exit_c(uint32_t depth) __attribute__((alias("__heal_exit"), visibility("hidden")));
#define PUSH(r) "  push %" r "\n  .cfi_adjust_cfa_offset 8\n  .cfi_rel_offset " r ", 0\n"
#define POP(r) "  pop %" r "\n  .cfi_adjust_cfa_offset -8\n  .cfi_restore " r "\n"
__asm__(".text\n"
        ".p2align 4\n"
        ".globl __heal_enter_slow\n"
        ".type __heal_enter_slow, @function\n"
        "__heal_enter_slow:\n"
        "  .cfi_startproc\n"
        /* 7 pushes after the return address: the stack is 16-aligned for the call */
        PUSH("rcx") PUSH("rdx") PUSH("rsi") PUSH("rdi") PUSH("r8") PUSH("r9") PUSH("r10")
        "  call heal_enter_c\n"
        POP("r10") POP("r9") POP("r8") POP("rdi") POP("rsi") POP("rdx") POP("rcx")
        "  ret\n"
        "  .cfi_endproc\n"
        ".size __heal_enter_slow, .-__heal_enter_slow\n"
        ".p2align 4\n"
        ".globl __heal_exit_slow\n"
        ".type __heal_exit_slow, @function\n"
        "__heal_exit_slow:\n"
        "  .cfi_startproc\n"
        /* 8 pushes and 8 bytes of padding after the return address */
        PUSH("rax") PUSH("rcx") PUSH("rdx") PUSH("rsi") PUSH("rdi") PUSH("r8") PUSH("r9")
        PUSH("r10")
        "  sub $8, %rsp\n  .cfi_adjust_cfa_offset 8\n"
        "  call heal_exit_c\n"
        "  add $8, %rsp\n  .cfi_adjust_cfa_offset -8\n"
        POP("r10") POP("r9") POP("r8") POP("rdi") POP("rsi") POP("rdx") POP("rcx") POP("rax")
        "  ret\n"
        "  .cfi_endproc\n"
        ".size __heal_exit_slow, .-__heal_exit_slow\n");
#undef PUSH
#undef POP

API void __heal_unwind_to(uint32_t depth) {
  struct heal_thread *t = heal_self;
  if (unlikely(!t))
    return;
  if (t->live_depth > depth)
    heal_shadow_release_above(t, depth);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->depth = depth;
}

API uint64_t __heal_slot_mark(void) {
  struct heal_thread *t = heal_self;
  return t ? t->seq : 0;
}

/* A transaction aborted (txn.c): its frames are gone, so their slots go back to the caches
 * unchecked, faulted ones included -- a fault storm must not use up the slots. */
void heal_shadow_abort(uint32_t depth, uint64_t mark) {
  struct heal_thread *t = heal_self;
  if (!t)
    return;
  while (t->live && (t->live_depth > depth || heal_slots[t->live].seq >= mark)) {
    uint32_t id = t->live;
    struct heal_slot *s = &heal_slots[id];
    t->live = s->next;
    t->live_depth = t->live ? heal_slots[t->live].depth : 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    s->canary_front = s->canary_back = 0;
    atomic_store(&s->state, HEAL_SLOT_LIVE);
    heal_slot_put(t, id);
  }
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->depth = depth;
}
