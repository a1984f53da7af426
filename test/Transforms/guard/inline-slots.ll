; heal-guard's inline slot paths (heal.h): a static buffer of at most 4 KiB comes from
; heal.stack.alloc, larger ones (and dynamic allocas) from __heal_stack_alloc; the exits of
; a frame that owns slots call heal.stack.exit. Both are internal alwaysinline functions
; whose accesses to the thread state and slot metadata are volatile with the shadow
; stack's TBAA tag, and which call the runtime (__heal_stack_alloc, __heal_exit) on
; anything but the fast path. The canary loads are volatile and untagged.
; RUN: %opt_heal -passes=heal-guard -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @f(i64 %i) {
  %buf = alloca [64 x i8], align 16
  %big = alloca [5000 x i8], align 16
  %p = getelementptr inbounds [64 x i8], ptr %buf, i64 0, i64 %i
  store i8 1, ptr %p
  %q = getelementptr inbounds [5000 x i8], ptr %big, i64 0, i64 %i
  store i8 1, ptr %q
  ret i32 0
}

; CHECK-LABEL: define i32 @f(i64 %i) {
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.f)
; CHECK-NEXT:    %buf = call nonnull align 16 ptr @heal.stack.alloc(i64 64, i64 16, ptr @heal.site)
; CHECK-NEXT:    %big = call nonnull align 16 ptr @__heal_stack_alloc(i64 5000, i64 16, ptr @heal.site.{{[0-9]+}})
; CHECK:         call void @heal.stack.exit(i32 %heal.depth)
; CHECK-NEXT:    ret i32 0

; The exit: pop when no slot of the frame is live; release exactly one slot whose
; canaries (front 64, back 0) are intact; else the runtime.
; CHECK-LABEL: define internal void @heal.stack.exit(i32 %0)
; CHECK-SAME:    #[[INL:[0-9]+]] {
; CHECK:         %live.depth = load volatile i32, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG:[0-9]+]]
; CHECK-NEXT:    %{{[0-9]+}} = icmp ult i32 %live.depth, %0
; CHECK:       pop:
; CHECK:         store volatile i32 %dm1, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:       one:
; CHECK-NEXT:    %slots = load ptr, ptr @__heal_slots, align 8, !tbaa ![[TAG]]
; CHECK:         %canaries = load volatile i32, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK-NEXT:    %{{[0-9]+}} = icmp eq i32 %canaries, 64
; CHECK:       canary:
; CHECK:         %{{[0-9]+}} = load volatile <2 x i64>, ptr %{{[0-9]+}}, align 1{{$}}
; CHECK:         %intact = icmp eq i128 %{{[0-9]+}}, 0
; CHECK:       release:
; CHECK-NEXT:    %{{[0-9]+}} = getelementptr inbounds i8, ptr %t, i64 4
; CHECK-NEXT:    store volatile i32 %next, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:       slow:
; CHECK-NEXT:    call void @__heal_exit(i32 %0){{$}}

; The allocation: the top of the 4 KiB cache, if it last held the same placement.
; CHECK-LABEL: define internal ptr @heal.stack.alloc(i64 %0, i64 %1, ptr %2)
; CHECK-SAME:    #[[INL]] {
; CHECK:         %n = load volatile i32, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:         %id = load volatile i32, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:         %same = and i1
; CHECK:       link:
; CHECK-NEXT:    %{{[0-9]+}} = getelementptr inbounds i8, ptr %t, i64 32
; CHECK-NEXT:    store volatile i32 %nm1, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:         store volatile i32 %id, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK-NEXT:    %{{[0-9]+}} = getelementptr inbounds i8, ptr %t, i64 8
; CHECK-NEXT:    store volatile i32 %d, ptr %{{[0-9]+}}, align 4, !tbaa ![[TAG]]
; CHECK:       slow:
; CHECK-NEXT:    %slot = call ptr @__heal_stack_alloc(i64 %0, i64 %1, ptr %2){{$}}
; CHECK:         %p = phi ptr [ %start, %link ], [ %slot, %slow ]

; CHECK: attributes #[[INL]] = { alwaysinline nounwind }
; CHECK: ![[TAG]] = !{![[TY:[0-9]+]], ![[TY]], i64 0}
; CHECK: ![[TY]] = !{!"heal shadow stack",
