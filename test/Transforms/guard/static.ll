; heal-guard, static buffers: every alloca of an array, or of a struct/union holding one
; (nested too), comes from heal.stack.alloc / __heal_stack_alloc(size, align, &site) (inline-slots.ll), called right after
; __heal_enter in the original order. The alignment is the larger of the alloca's and
; the type's ABI alignment. Lifetime markers of the buffers go (a slot lives until the
; frame exits). Scalars, structs without arrays and va_list stay on the stack. heal-guard
; monitors the functions whose buffers it guards (and only those) if heal-monitor has
; not. Without debug info, sites take the IR names and have no file or line.
; RUN: %opt_heal -passes=heal-guard -S %s | FileCheck %s
; The same result after heal-monitor (one __heal_enter, reused).
; RUN: %opt_heal -passes=heal-monitor,heal-guard -S %s | FileCheck %s --check-prefixes=CHECK,BOTH

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.S = type { i32, [10 x i8] }
%struct.Outer = type { i64, %struct.S }
%struct.NoArr = type { i32, i32 }
%union.U = type { i64 }
%struct.__va_list_tag = type { i32, i32, ptr, ptr }

; struct heal_buffer_site {function, buffer, file, line, flags = HEAL_SITE_STACK, size}
; CHECK-DAG: @[[SBUF:heal.site[.0-9]*]] = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[FN:heal.str[.0-9]*]], ptr @[[NBUF:heal.str[.0-9]*]], ptr @[[NONE:heal.str[.0-9]*]], i32 0, i32 1, i64 16 }, align 8
; CHECK-DAG: @[[SS:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NS:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 16 }
; CHECK-DAG: @[[SO:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NO:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 24 }
; CHECK-DAG: @[[SU:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NU:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 8 }
; CHECK-DAG: @[[SW:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NW:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 24 }
; CHECK-DAG: @[[SN:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NN:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 24 }
; CHECK-DAG: @[[SX:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FN]], ptr @[[NX:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 40 }
; CHECK-DAG: @[[FN]] = private unnamed_addr constant [7 x i8] c"locals\00"
; CHECK-DAG: @[[NBUF]] = private unnamed_addr constant [4 x i8] c"buf\00"
; CHECK-DAG: @[[NS]] = private unnamed_addr constant [2 x i8] c"s\00"
; CHECK-DAG: @[[NO]] = private unnamed_addr constant [6 x i8] c"outer\00"
; CHECK-DAG: @[[NU]] = private unnamed_addr constant [2 x i8] c"u\00"
; CHECK-DAG: @[[NW]] = private unnamed_addr constant [6 x i8] c"words\00"
; CHECK-DAG: @[[NN]] = private unnamed_addr constant [6 x i8] c"bytes\00"
; An unnamed alloca (clang without -fno-discard-value-names, no debug info).
; CHECK-DAG: @[[NX]] = private unnamed_addr constant [10 x i8] c"<unnamed>\00"
; CHECK-DAG: @[[NONE]] = private unnamed_addr constant [1 x i8] zeroinitializer

; CHECK-LABEL: define i32 @locals(i64 %i) {
; CHECK-NEXT:    %scalar = alloca i32, align 4
; CHECK-NEXT:    %plain = alloca %struct.NoArr, align 4
; CHECK-NEXT:    %ap = alloca [1 x %struct.__va_list_tag], align 16
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.locals)
; CHECK-NEXT:    %buf = call nonnull align 16 ptr @heal.stack.alloc(i64 16, i64 16, ptr @[[SBUF]])
; CHECK-NEXT:    %s = call nonnull align 4 ptr @heal.stack.alloc(i64 16, i64 4, ptr @[[SS]])
; CHECK-NEXT:    %outer = call nonnull align 8 ptr @heal.stack.alloc(i64 24, i64 8, ptr @[[SO]])
; CHECK-NEXT:    %u = call nonnull align 8 ptr @heal.stack.alloc(i64 8, i64 8, ptr @[[SU]])
; The alloca says align 2, [3 x i64] needs 8.
; CHECK-NEXT:    %words = call nonnull align 8 ptr @heal.stack.alloc(i64 24, i64 8, ptr @[[SW]])
; alloca(24) in the entry block: a static alloca with an element count.
; CHECK-NEXT:    %bytes = call nonnull align 16 ptr @heal.stack.alloc(i64 24, i64 16, ptr @[[SN]])
; CHECK-NEXT:    %heal.slot = call nonnull align 8 ptr @heal.stack.alloc(i64 40, i64 8, ptr @[[SX]])
; CHECK-NEXT:    call void @llvm.lifetime.start.p0(i64 4, ptr %scalar)
; CHECK-NEXT:    call void @use(ptr %buf)
; CHECK-NEXT:    %p = getelementptr inbounds [16 x i8], ptr %buf, i64 0, i64 %i
; CHECK-NEXT:    store i8 0, ptr %p, align 1
; CHECK-NEXT:    call void @use(ptr %s)
; CHECK-NEXT:    call void @use(ptr %outer)
; CHECK-NEXT:    call void @use(ptr %u)
; CHECK-NEXT:    call void @use(ptr %plain)
; CHECK-NEXT:    call void @use(ptr %ap)
; CHECK-NEXT:    call void @use(ptr %words)
; CHECK-NEXT:    call void @use(ptr %bytes)
; CHECK-NEXT:    call void @use(ptr %heal.slot)
; CHECK-NEXT:    call void @llvm.lifetime.end.p0(i64 4, ptr %scalar)
; CHECK-NEXT:    %v = load i32, ptr %scalar, align 4
; A frame that owns slots releases them on exit: that exit is an opaque call again.
; CHECK-NEXT:    call void @heal.stack.exit(i32 %heal.depth){{$}}
; CHECK-NEXT:    ret i32 %v
; CHECK-NEXT:  }
define i32 @locals(i64 %i) {
  %scalar = alloca i32, align 4
  %buf = alloca [16 x i8], align 16
  %s = alloca %struct.S, align 4
  %outer = alloca %struct.Outer, align 8
  %u = alloca %union.U, align 8
  %plain = alloca %struct.NoArr, align 4
  %ap = alloca [1 x %struct.__va_list_tag], align 16
  %words = alloca [3 x i64], align 2
  %bytes = alloca i8, i64 24, align 16
  %1 = alloca [5 x i64], align 8
  call void @llvm.lifetime.start.p0(i64 4, ptr %scalar)
  call void @llvm.lifetime.start.p0(i64 16, ptr %buf)
  call void @llvm.lifetime.start.p0(i64 16, ptr %s)
  call void @use(ptr %buf)
  %p = getelementptr inbounds [16 x i8], ptr %buf, i64 0, i64 %i
  store i8 0, ptr %p, align 1
  call void @use(ptr %s)
  call void @use(ptr %outer)
  call void @use(ptr %u)
  call void @use(ptr %plain)
  call void @use(ptr %ap)
  call void @use(ptr %words)
  call void @use(ptr %bytes)
  call void @use(ptr %1)
  call void @llvm.lifetime.end.p0(i64 16, ptr %s)
  call void @llvm.lifetime.end.p0(i64 16, ptr %buf)
  call void @llvm.lifetime.end.p0(i64 4, ptr %scalar)
  %v = load i32, ptr %scalar, align 4
  ret i32 %v
}

; Nothing to guard: heal-guard alone does not monitor it.
; CHECK-LABEL: define i32 @scalars_only(
; CHECK-NEXT:    %x = alloca i32, align 4
; BOTH-NEXT:     %heal.depth = call i32 @heal.enter(ptr @heal.fn.scalars_only)
; CHECK-NEXT:    store i32 1, ptr %x, align 4
; CHECK-NEXT:    %v = load i32, ptr %x, align 4
; BOTH-NEXT:     call void @heal.exit(i32 %heal.depth) #{{[0-9]+}}
; CHECK-NEXT:    ret i32 %v
define i32 @scalars_only() {
  %x = alloca i32, align 4
  store i32 1, ptr %x, align 4
  %v = load i32, ptr %x, align 4
  ret i32 %v
}

; Skipped functions keep their buffers on the stack.
; CHECK-LABEL: define void @opted_out(
; CHECK-NEXT:    %b = alloca [8 x i8], align 1
; CHECK-NEXT:    call void @use(ptr %b)
; CHECK-NEXT:    ret void
define void @opted_out() disable_sanitizer_instrumentation {
  %b = alloca [8 x i8], align 1
  call void @use(ptr %b)
  ret void
}

; CHECK-LABEL: define void @__heal_runtime_fn(
; CHECK-NEXT:    %b = alloca [8 x i8], align 1
define void @__heal_runtime_fn() {
  %b = alloca [8 x i8], align 1
  call void @use(ptr %b)
  ret void
}

; CHECK-LABEL: define void @spawn(
; CHECK-NEXT:    %b = alloca [8 x i8], align 1
define void @spawn() {
  %b = alloca [8 x i8], align 1
  call void @use(ptr %b)
  %pid = call i32 @vfork()
  ret void
}

; The slot pointer is all the runtime promises: nonnull and aligned, nothing that would
; let the optimizer drop accesses (no noalias, no allocator attributes).
; CHECK: declare ptr @__heal_stack_alloc(i64, i64, ptr) #[[NOUNWIND:[0-9]+]]
; CHECK: attributes #[[NOUNWIND]] = { nounwind }

declare void @use(ptr)
declare i32 @vfork() returns_twice
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture)
