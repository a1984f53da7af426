; After heal-tx, clang's -O2 pipeline must keep the transaction a boundary: the small
; wrapper is not inlined into its caller (noinline; its inline entry is returns_twice
; assembly), the body is not inlined into the wrapper, the abort path survives, and the
; commit is inlined (@heal.tx.commit: the runtime is called only on its slow path).
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/o2.json %s -o - | %opt_heal -passes='default<O2>' -S | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define internal i32 @parse(i32 %x) {
  %bad = icmp eq i32 %x, 0
  br i1 %bad, label %err, label %ok
err:
  ret i32 -1
ok:
  %r = sdiv i32 100, %x
  ret i32 %r
}

define i32 @handle(i32 %x) {
  %r = call i32 @parse(i32 %x)
  %neg = icmp slt i32 %r, 0
  %v = select i1 %neg, i32 0, i32 %r
  ret i32 %v
}

; CHECK-LABEL: define internal {{.*}}i32 @parse(
; CHECK:         %heal.tx.enter = call { i32, ptr, ptr } asm sideeffect "{{.*}}"(ptr {{.*}}%heal.tx.frame, ptr {{.*}}@heal.tx.parse) #[[SJ:[0-9]+]]
; CHECK-NEXT:    %heal.tx.jmp = extractvalue { i32, ptr, ptr } %heal.tx.enter, 0
; CHECK-NEXT:    switch i32 %heal.tx.jmp, label %heal.tx.slow [
; CHECK-NEXT:      i32 0, label %heal.tx.body
; CHECK-NEXT:      i32 1, label %common.ret
; CHECK-NEXT:    ]
; CHECK:         phi i32 [ -1, %entry ], [ [[R:%[0-9]+]], %pop.i ], [ [[R]], %slow.i ]
; CHECK:       heal.tx.slow:
; CHECK-NEXT:    call void @__heal_tx_enter_slow(ptr {{.*}}%heal.tx.frame, ptr {{.*}}@heal.tx.parse)
; CHECK:       heal.tx.body:
; CHECK-NEXT:    [[R]] = notail call {{.*}}i32 @parse.heal_body(
; CHECK-NEXT:    %tx.i = getelementptr inbounds i8, ptr %heal.tx.space, i64 272
; CHECK-NEXT:    [[TOP:%[0-9]+]] = call {{.*}}ptr @llvm.threadlocal.address.p0(ptr @__heal_tx_top)
; CHECK-NEXT:    %top.i = load ptr, ptr [[TOP]], align 8
; CHECK-NEXT:    %is.top.i = icmp eq ptr %top.i, %tx.i
; CHECK:       pop.i:
; CHECK-NEXT:    store ptr %prev.i, ptr [[TOP]], align 8
; CHECK:       slow.i:
; CHECK-NEXT:    call void @__heal_tx_commit(ptr {{.*}}%heal.tx.frame)
; CHECK-NOT:   @heal.tx.commit(
; CHECK-LABEL: define {{.*}}i32 @handle(
; CHECK:         call {{.*}}i32 @parse(i32 {{.*}}%x)
; CHECK-LABEL: define internal {{.*}}i32 @parse.heal_body(
; CHECK:         sdiv i32 100
; CHECK: attributes #[[SJ]] = { nounwind returns_twice }
