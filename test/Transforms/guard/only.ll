; heal-guard<only=FUNCTION:BUFFER;...> guards only the named buffers (for policies that
; list a few). A function that keeps some dynamic allocas on the machine stack must still
; restore the stack pointer: the saved value becomes a record {stack pointer, slot mark}
; allocated right after the save (so the matching restore frees it too), and the restore
; releases the slots and then restores the stack.
; RUN: %opt_heal -passes='heal-guard<only=mixed:vla;mixed:big>' -S %s | FileCheck %s
; RUN: not %opt_heal -passes='heal-guard<only=vla>' -S %s 2>&1 | FileCheck %s --check-prefix=BAD
; RUN: not %opt_heal -passes='heal-guard<everything>' -S %s 2>&1 | FileCheck %s --check-prefix=BAD
; BAD: unknown pass name 'heal-guard<

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK-LABEL: define void @mixed(i64 %n) {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %small = alloca [4 x i8], align 1
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.mixed)
; CHECK-NEXT:    %big = call nonnull align 1 ptr @heal.stack.alloc(i64 64, i64 1, ptr @heal.site
; CHECK-NEXT:    br label %body
; CHECK:       body:
; CHECK-NEXT:    %sp = call ptr @llvm.stacksave.p0()
; CHECK-NEXT:    %heal.mark = call i64 @__heal_slot_mark()
; CHECK-NEXT:    %heal.saved = alloca { ptr, i64 }, align 8
; CHECK-NEXT:    [[F0:%[0-9]+]] = getelementptr inbounds { ptr, i64 }, ptr %heal.saved, i32 0, i32 0
; CHECK-NEXT:    store ptr %sp, ptr [[F0]], align 8
; CHECK-NEXT:    [[F1:%[0-9]+]] = getelementptr inbounds { ptr, i64 }, ptr %heal.saved, i32 0, i32 1
; CHECK-NEXT:    store i64 %heal.mark, ptr [[F1]], align 8
; CHECK-NEXT:    %vla = call nonnull align 16 ptr @__heal_stack_alloc(i64 %n, i64 16, ptr @heal.site
; CHECK-NEXT:    %other = alloca i8, i64 %n, align 16
; CHECK-NEXT:    call void @use(ptr %vla, ptr %other, ptr %small, ptr %big)
; CHECK-NEXT:    [[G0:%[0-9]+]] = getelementptr inbounds { ptr, i64 }, ptr %heal.saved, i32 0, i32 0
; CHECK-NEXT:    [[SP:%[0-9]+]] = load ptr, ptr [[G0]], align 8
; CHECK-NEXT:    [[G1:%[0-9]+]] = getelementptr inbounds { ptr, i64 }, ptr %heal.saved, i32 0, i32 1
; CHECK-NEXT:    [[MARK:%[0-9]+]] = load i64, ptr [[G1]], align 8
; CHECK-NEXT:    call void @__heal_slot_release(i64 [[MARK]])
; CHECK-NEXT:    call void @llvm.stackrestore.p0(ptr [[SP]])
; CHECK-NEXT:    call void @heal.stack.exit(i32 %heal.depth)
; CHECK-NEXT:    ret void
define void @mixed(i64 %n) {
entry:
  %small = alloca [4 x i8], align 1
  %big = alloca [64 x i8], align 1
  br label %body
body:
  %sp = call ptr @llvm.stacksave.p0()
  %vla = alloca i8, i64 %n, align 16
  %other = alloca i8, i64 %n, align 16
  call void @use(ptr %vla, ptr %other, ptr %small, ptr %big)
  call void @llvm.stackrestore.p0(ptr %sp)
  ret void
}

; No buffer of this function is selected: untouched, not even monitored.
; CHECK-LABEL: define void @other(
; CHECK-NEXT:    %vla = alloca [8 x i8], align 1
; CHECK-NEXT:    call void @use(
; CHECK-NEXT:    ret void
define void @other() {
  %vla = alloca [8 x i8], align 1
  call void @use(ptr %vla, ptr %vla, ptr %vla, ptr %vla)
  ret void
}

declare void @use(ptr, ptr, ptr, ptr)
declare ptr @llvm.stacksave.p0()
declare void @llvm.stackrestore.p0(ptr)
