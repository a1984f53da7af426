// Patch mode with a policy that guards one 64-byte buffer (heal-guard<only=fill:blk>) in
// a transaction: the buffer's slot is allocated and released by the inline fast paths,
// called in a loop. Call 50 writes one byte past the end (faults on the guard page: the
// transaction aborts), call 70 one byte in front of it (the canary the inline exit checks
// is broken: the runtime reports it at release, the transaction aborts), call 90 leaves
// by a longjmp out of the guarded frame. Every other call returns its sum. Each call
// takes the slot the call before gave back (the aborted call 50's too: an abort releases
// faulted slots), except: call 0; call 71, as call 70's slot, whose canary was broken, is
// never reused; call 91, as main is not instrumented (patch mode monitors only fill), so
// nothing unwinds the frame the longjmp skipped and its slot stays live. (Call 50 faults
// before it compares.)
// RUN: rm -rf %t && mkdir -p %t/r
// RUN: echo '{"version":1,"transactions":[{"function":"fill"}],"guard":[{"function":"fill","buffer":"blk"}]}' > %t/p.json
// RUN: env HEAL_POLICY=%t/p.json %heal_cc -O2 -g %s -o %t/prog
// RUN: env HEAL_REPORT_DIR=%t/r %t/prog > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// RUN: ls %t/r | wc -l | FileCheck %s --check-prefix=COUNT
// RUN: %report %t/r/*-1.json | FileCheck %s --check-prefix=R1 --match-full-lines
// RUN: %report %t/r/*-2.json | FileCheck %s --check-prefix=R2 --match-full-lines
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static const unsigned char *volatile last;
static volatile unsigned same;
static int fresh[8], nfresh;

static void (*volatile hook)(int) = 0;
static void jump(int i) {
  if (i == 90)
    longjmp(env, 1);
}

int fill(int i, int bad) {
  unsigned char blk[64];
  for (int k = 0; k < 64; k++)
    blk[k] = (unsigned char)(i + k);
  blk[bad] = 1; /* the bug: bad may be 64 or -1 */
  same += last == blk;
  if (last != blk && nfresh < 8)
    fresh[nfresh++] = i;
  last = blk;
  hook(i);
  return blk[i & 63] + blk[63];
}

int main(void) {
  hook = jump;
  long sum = 0;
  int failed = 0;
  for (volatile int i = 0; i < 100; i++) {
    int bad = i == 50 ? 64 : i == 70 ? -1 : i & 63;
    if (setjmp(env)) {
      printf("longjmp at %d\n", (int)i);
      continue;
    }
    int r = fill(i, bad);
    if (r < 0)
      failed++;
    else
      sum += r;
  }
  printf("sum %ld, failed %d, same slot %u of 99, new slot at", sum, failed, same);
  for (int k = 0; k < nfresh; k++)
    printf(" %d", fresh[k]);
  printf("\n");
  return 0;
}

// OUT: longjmp at 90
// OUT-NEXT: sum 10823, failed 2, same slot 95 of 99, new slot at 0 71 91

// ERR: heal: recovered from a stack-buffer-overflow in fill: returned -1 to main; report: {{.*}}
// ERR-NEXT: heal: recovered from a stack-buffer-underflow in fill: returned -1 to main (recovery 2); report: {{.*}}
// ERR-NOT: heal:
// COUNT: 2

// R1: buffer: "blk"
// R1: detected: "access"
// R1: function: "fill"
// R1: kind: "stack-buffer-overflow"
// R1: offset: 64
// R1: stack: #1
// R1-NEXT: stack[0]: "fill"

// R2: buffer: "blk"
// R2: detected: "release"
// R2: function: "fill"
// R2: kind: "stack-buffer-underflow"
// R2: offset: -1
// R2: stack: #1
// R2-NEXT: stack[0]: "fill"
