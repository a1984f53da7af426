/* The Oracle's part of a report: which buffer a faulting address belongs to (a slot's
 * guard or freed data, a guarded global's guard page), and the shadow call stack. Also
 * the reports the runtime raises itself: double and invalid free, a canary found broken
 * when a buffer is released, and running out of slots.
 *
 * heal_oracle_describe runs inside the fault handler: async-signal-safe, reads of
 * metadata that might be corrupt happen under HEAL_GUARDED. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

#include "heal/heal.h"
#include "internal.h"
#include "slots.h"

static const char *nonempty(const char *s) { return s && *s ? s : 0; }

/* The shadow stack of thread state t from depth `depth` down, innermost first. */
static void copy_shadow(struct heal_event *ev, const struct heal_thread *t, uint32_t depth) {
  ev->nshadow = 0;
  ev->shadow_more = 0;
  if (!t || depth == 0)
    return;
  uint32_t top = depth;
  if (top > HEAL_SHADOW_CAP) {
    /* Deeper than stored: the innermost frames are unknown; the machine frames tell. */
    ev->shadow_more = 1;
    return;
  }
  volatile int n = 0;
  HEAL_GUARDED(for (uint32_t d = top; d > 0 && n < HEAL_MAX_FRAMES; d--) {
    const struct heal_function *fn = t->frames[d - 1];
    struct heal_shadow_frame *f = &ev->shadow[n];
    f->name = fn ? fn->name : 0;
    f->file = fn ? nonempty(fn->file) : 0;
    f->line = fn ? fn->line : 0;
    n++;
  });
  ev->nshadow = n;
  ev->shadow_more = n < (int)top;
}

static const char *kind_of(const char *region, int64_t offset) {
  if (region[0] == 's')
    return offset < 0 ? "stack-buffer-underflow" : "stack-buffer-overflow";
  if (region[0] == 'g')
    return offset < 0 ? "global-buffer-underflow" : "global-buffer-overflow";
  return offset < 0 ? "heap-buffer-underflow" : "heap-buffer-overflow";
}

/* Buffer fields of a slot's buffer. */
static void name_slot(struct heal_event *ev, const struct heal_slot *s) {
  ev->buffer_size = s->size;
  if (s->kind == HEAL_KIND_STACK) {
    ev->region = "stack";
    const struct heal_buffer_site *site = s->site;
    if (site) {
      ev->buffer = nonempty(site->buffer);
      ev->buffer_function = nonempty(site->function);
      ev->buffer_file = nonempty(site->file);
      ev->buffer_line = site->line;
    }
    if (!ev->buffer_function && s->fn)
      ev->buffer_function = s->fn->name;
  } else {
    ev->region = "heap";
    ev->buffer = heal_allocator_name(s->allocator);
    ev->buffer_function = s->fn ? s->fn->name : 0;
  }
}

void heal_oracle_describe(const siginfo_t *si, const void *ucv, struct heal_event *ev) {
  const ucontext_t *uc = ucv;
  struct heal_thread *t = heal_self;
  if (t && t->depth > 0) {
    ev->oracle = 1;
    copy_shadow(ev, t, t->depth);
  }
  if ((ev->sig != SIGSEGV && ev->sig != SIGBUS) || !ev->has_address)
    return;
  uintptr_t a = ev->address;
  struct heal_slot_hit hit;
  struct heal_global_hit g;
  volatile int found = 0;
  HEAL_GUARDED(if (heal_slot_lookup(a, &hit) && hit.slot) {
    const struct heal_slot *s = hit.slot;
    name_slot(ev, s);
    ev->offset = (int64_t)(a - s->start);
    int st = atomic_load(&hit.slot->state);
    int freed = st == HEAL_SLOT_FREED || (st == HEAL_SLOT_FREE && s->guarded) ||
                (st == HEAL_SLOT_FAULTED && s->guarded);
    ev->kind = freed ? "use-after-free" : kind_of(ev->region, ev->offset);
    atomic_store(&hit.slot->state, HEAL_SLOT_FAULTED); /* never reused */
    found = 1;
  } else if (heal_global_lookup(a, &g)) {
    ev->region = "global";
    if (g.site) {
      ev->buffer = nonempty(g.site->buffer);
      ev->buffer_function = nonempty(g.site->function);
      ev->buffer_file = nonempty(g.site->file);
      ev->buffer_line = g.site->line;
    }
    ev->buffer_size = g.size;
    ev->offset = (int64_t)(a - g.buffer);
    ev->kind = kind_of("global", ev->offset);
    found = 1;
  });
  if (!found) {
    ev->region = 0;
    return;
  }
  ev->oracle = 1;
  ev->detected = "access";
  /* x86 page-fault error code: bit 1 set for a write. */
  if (ev->sig == SIGSEGV && si->si_code > 0)
    ev->access = (uc->uc_mcontext.gregs[REG_ERR] & 2) ? "write" : "read";
}

/* ---- reports raised by the runtime ------------------------------------------------------ */

static int runtime_frame(const struct heal_frame *f, const char *self_object) {
  if (self_object && f->object && heal_streq(f->object, self_object) &&
      !heal_streq(self_object, heal_program))
    return 1; /* libheal_rt.so */
  const char *n = f->function; /* static links: the runtime's functions by name */
  if (!n)
    return 0;
  while (*n == '_')
    n++;
  return n[0] == 'h' && n[1] == 'e' && n[2] == 'a' && n[3] == 'l' && n[4] == '_';
}

static void symbolize_one(struct heal_frame *f) {
  f->function = 0;
  f->object = 0;
  f->has_offset = 0;
  HEAL_GUARDED(heal_symbolize(f));
}

static void machine_frames(struct heal_event *ev) {
  ev->nframes = heal_unwind_here(ev->frames, HEAL_MAX_FRAMES);
  heal_symbolize_begin();
  struct heal_frame self = {.pc = (uintptr_t)&heal_oracle_misuse, .exact = 1};
  HEAL_GUARDED(heal_symbolize(&self));
  for (int i = 0; i < ev->nframes; i++)
    symbolize_one(&ev->frames[i]);
  int skip = 0;
  while (skip < ev->nframes - 1 && runtime_frame(&ev->frames[skip], self.object))
    skip++;
  for (int i = skip; i < ev->nframes; i++)
    ev->frames[i - skip] = ev->frames[i];
  ev->nframes -= skip;
  ev->pc = ev->nframes > 0 ? ev->frames[0].pc : 0;
}

_Noreturn void heal_oracle_misuse(const char *kind, const struct heal_slot *s, uintptr_t addr,
                                  int64_t offset, const char *detected) {
  struct heal_event *ev = heal_report_begin();
  ev->sig = SIGABRT;
  ev->no_code = 1;
  ev->kind = kind;
  ev->has_address = 1;
  ev->address = addr;
  ev->action = "terminated";
  ev->oracle = 1;
  ev->detected = detected;
  machine_frames(ev);
  struct heal_thread *t = heal_self;
  uint32_t depth = t ? t->depth : 0;
  /* A buffer released by its frame's exit: the stack starts at the owner. */
  if (s && s->kind == HEAL_KIND_STACK && s->depth > 0 && detected[0] == 'r')
    depth = s->depth;
  copy_shadow(ev, t, depth);
  if (s) {
    name_slot(ev, s);
    ev->offset = offset;
  }
  heal_report_finish(SIGABRT);
}

/* Found when the block left the quarantine, so the stack is the one of the free() that
 * pushed it out, not of the write; the block and the offset are exact. */
_Noreturn void heal_oracle_poison_broken(const struct heal_slot *s, int64_t offset) {
  struct heal_event *ev = heal_report_begin();
  ev->sig = SIGABRT;
  ev->no_code = 1;
  ev->kind = "use-after-free";
  ev->has_address = 1;
  ev->address = s->start + (uintptr_t)offset;
  ev->action = "terminated";
  ev->oracle = 1;
  ev->detected = "quarantine";
  ev->access = "write";
  machine_frames(ev);
  struct heal_thread *t = heal_self;
  copy_shadow(ev, t, t ? t->depth : 0);
  name_slot(ev, s);
  ev->offset = offset;
  heal_report_finish(SIGABRT);
}

/* The Oracle cannot model the program (out of slots, memory, address space): one report,
 * kind "oracle-exhausted", whose note says what ran out; the process dies of SIGABRT. */
_Noreturn void heal_oracle_exhausted(const char *what, uint64_t a, uint64_t b) {
  static struct heal_out note; /* only its buffer: the text of the note */
  heal_out_init(&note, -1);
  heal_out_str(&note, "the Oracle ran out of ");
  /* Each '%' in `what` takes the next number; without any, they follow in parentheses. */
  uint64_t nums[2] = {a, b};
  int used = 0;
  const char *w = what;
  for (const char *p = what; *p; p++)
    if (*p == '%' && used < 2) {
      heal_out_mem(&note, w, (size_t)(p - w));
      heal_out_dec(&note, (long long)nums[used++]);
      w = p + 1;
    }
  heal_out_str(&note, w);
  if (!used && (a || b)) {
    heal_out_str(&note, " (");
    heal_out_dec(&note, (long long)a);
    if (b) {
      heal_out_str(&note, ", limit ");
      heal_out_dec(&note, (long long)b);
    }
    heal_out_str(&note, ")");
  }
  heal_out_str(&note, "; see docs/runtime.md, \"Oracle limits\"");
  note.buf[note.len < sizeof note.buf ? note.len : sizeof note.buf - 1] = 0;
  struct heal_event *ev = heal_report_begin();
  ev->sig = SIGABRT;
  ev->no_code = 1;
  ev->kind = "oracle-exhausted";
  ev->action = "terminated";
  ev->oracle = 1;
  ev->note = note.buf;
  machine_frames(ev);
  struct heal_thread *t = heal_self;
  copy_shadow(ev, t, t ? t->depth : 0);
  heal_report_finish(SIGABRT);
}
