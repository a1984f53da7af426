; heal-monitor leaves alone what the skip list (lib/Skip.h) names: naked functions,
; disable_sanitizer_instrumentation, annotate("heal_skip"), the runtime's and heal's own
; functions, available_externally copies and declarations. A module that already went
; through a heal pipeline (it has @heal.module) is not touched at all, and running the
; pass twice monitors once.
; RUN: %opt_heal -passes=heal-monitor -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-monitor,heal-monitor -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-sensor,heal-monitor -S %s | FileCheck %s --check-prefix=DONE

source_filename = "skip.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@.str = private unnamed_addr constant [10 x i8] c"heal_skip\00", section "llvm.metadata"
@.file = private unnamed_addr constant [7 x i8] c"skip.c\00", section "llvm.metadata"
@llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @annotated, ptr @.str, ptr @.file, i32 1, ptr null }], section "llvm.metadata"

; CHECK: @heal.fn.covered = private constant
; CHECK-NOT: @heal.fn.
; CHECK-LABEL: define void @covered(
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.covered)
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
; CHECK-NEXT:    ret void
; DONE-LABEL: define void @covered(
; DONE-NEXT:     ret void
define void @covered() {
  ret void
}

; CHECK-LABEL: define void @naked_fn(
; CHECK-NEXT:    call void asm
; CHECK-NEXT:    unreachable
define void @naked_fn() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; CHECK-LABEL: define void @no_instr(
; CHECK-NEXT:    ret void
define void @no_instr() disable_sanitizer_instrumentation {
  ret void
}

; CHECK-LABEL: define void @annotated(
; CHECK-NEXT:    ret void
define void @annotated() {
  ret void
}

; CHECK-LABEL: define void @__heal_private(
; CHECK-NEXT:    ret void
define void @__heal_private() {
  ret void
}

; CHECK-LABEL: define internal void @heal.helper(
; CHECK-NEXT:    ret void
define internal void @heal.helper() {
  ret void
}

; CHECK-LABEL: define available_externally void @inl(
; CHECK-NEXT:    ret void
define available_externally void @inl() {
  ret void
}

; Only one enter per function, and only for @covered.
; CHECK-NOT: @__heal_enter(ptr @heal.fn.
; CHECK-NOT: @heal.fn.covered.
; DONE-NOT: __heal_enter
