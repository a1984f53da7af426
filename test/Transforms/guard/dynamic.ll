; heal-guard, dynamic allocas (VLA, alloca()): the runtime call takes the alloca's place
; (inside loops too), size = element count (zero-extended to i64) * element size, flags
; HEAL_SITE_STACK|HEAL_SITE_DYNAMIC (5) and size 0 in the site. Once a function's dynamic
; allocas come from slots, llvm.stacksave/llvm.stackrestore become __heal_slot_mark /
; __heal_slot_release, so a VLA's slot dies with its scope.
; RUN: %opt_heal -passes=heal-guard -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK-DAG: @[[SVLA:heal.site[.0-9]*]] = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[FN:heal.str[.0-9]*]], ptr @[[NVLA:heal.str[.0-9]*]], ptr @{{heal.str[.0-9]*}}, i32 0, i32 5, i64 0 }
; CHECK-DAG: @[[SWORDS:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NWORDS:heal.str[.0-9]*]], ptr @{{heal.str[.0-9]*}}, i32 0, i32 5, i64 0 }
; A constant size outside the entry block: allocated where it was, but not dynamic.
; CHECK-DAG: @[[SFIXED:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NFIXED:heal.str[.0-9]*]], ptr @{{heal.str[.0-9]*}}, i32 0, i32 1, i64 32 }
; CHECK-DAG: @[[FN]] = private unnamed_addr constant [6 x i8] c"loops\00"
; CHECK-DAG: @[[NVLA]] = private unnamed_addr constant [4 x i8] c"vla\00"
; CHECK-DAG: @[[NWORDS]] = private unnamed_addr constant [6 x i8] c"words\00"
; CHECK-DAG: @[[NFIXED]] = private unnamed_addr constant [6 x i8] c"fixed\00"

; for (i = 0; i < n; i++) { char vla[i + 1]; int *words = alloca(n * sizeof(int)); ... }
; CHECK-LABEL: define void @loops(i32 %n) {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %saved = alloca ptr, align 8
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.loops)
; CHECK-NEXT:    br label %head
; CHECK:       body:
; CHECK-NEXT:    %len = add i32 %i, 1
; CHECK-NEXT:    %len64 = zext i32 %len to i64
; CHECK-NEXT:    %heal.mark = call i64 @__heal_slot_mark()
; CHECK-NEXT:    %sp = inttoptr i64 %heal.mark to ptr
; CHECK-NEXT:    store ptr %sp, ptr %saved, align 8
; CHECK-NEXT:    %vla = call nonnull align 16 ptr @__heal_stack_alloc(i64 %len64, i64 16, ptr @[[SVLA]])
; CHECK-NEXT:    store i8 1, ptr %vla, align 16
; i32 count of i32 elements: zero-extended, times 4.
; CHECK-NEXT:    [[COUNT:%[0-9]+]] = zext i32 %n to i64
; CHECK-NEXT:    [[BYTES:%[0-9]+]] = mul nuw i64 [[COUNT]], 4
; CHECK-NEXT:    %words = call nonnull align 4 ptr @__heal_stack_alloc(i64 [[BYTES]], i64 4, ptr @[[SWORDS]])
; CHECK-NEXT:    store i32 2, ptr %words, align 4
; CHECK-NEXT:    %fixed = call nonnull align 8 ptr @heal.stack.alloc(i64 32, i64 8, ptr @[[SFIXED]])
; CHECK-NEXT:    call void @use(ptr %vla, ptr %words, ptr %fixed)
; CHECK-NEXT:    %restore = load ptr, ptr %saved, align 8
; CHECK-NEXT:    [[MARK:%[0-9]+]] = ptrtoint ptr %restore to i64
; CHECK-NEXT:    call void @__heal_slot_release(i64 [[MARK]])
; CHECK-NEXT:    %i.next = add i32 %i, 1
; CHECK-NEXT:    br label %head
; CHECK:       exit:
; CHECK-NEXT:    call void @heal.stack.exit(i32 %heal.depth)
; CHECK-NEXT:    ret void
; CHECK-NOT:   @llvm.stacksave
; CHECK-NOT:   @llvm.stackrestore
define void @loops(i32 %n) {
entry:
  %saved = alloca ptr, align 8
  br label %head
head:
  %i = phi i32 [ 0, %entry ], [ %i.next, %body ]
  %more = icmp slt i32 %i, %n
  br i1 %more, label %body, label %exit
body:
  %len = add i32 %i, 1
  %len64 = zext i32 %len to i64
  %sp = call ptr @llvm.stacksave.p0()
  store ptr %sp, ptr %saved, align 8
  %vla = alloca i8, i64 %len64, align 16
  store i8 1, ptr %vla, align 16
  %words = alloca i32, i32 %n, align 4
  store i32 2, ptr %words, align 4
  %fixed = alloca [4 x i64], align 8
  call void @use(ptr %vla, ptr %words, ptr %fixed)
  %restore = load ptr, ptr %saved, align 8
  call void @llvm.stackrestore.p0(ptr %restore)
  %i.next = add i32 %i, 1
  br label %head
exit:
  ret void
}

; Without dynamic allocas a stacksave/stackrestore pair is left alone.
; CHECK-LABEL: define void @no_dynamic(
; CHECK:         %sp = call ptr @llvm.stacksave.p0()
; CHECK:         call void @llvm.stackrestore.p0(ptr %sp)
define void @no_dynamic() {
  %b = alloca [4 x i8], align 1
  %sp = call ptr @llvm.stacksave.p0()
  call void @use(ptr %b, ptr %b, ptr %b)
  call void @llvm.stackrestore.p0(ptr %sp)
  ret void
}

declare void @use(ptr, ptr, ptr)
declare ptr @llvm.stacksave.p0()
declare void @llvm.stackrestore.p0(ptr)
