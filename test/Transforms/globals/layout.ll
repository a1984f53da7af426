; heal-guard-globals lays each global buffer out as
;   <{ [4096 x i8] front guard, [pad x i8], T, [tail x i8], [4096 x i8] back guard }>
; page-aligned, with pad chosen so that the buffer ends at the back guard: tail is 0
; when the size is a multiple of the alignment, else less than the alignment. The
; constructor passes base, total size (a multiple of the page), buffer address and site.
; With <front> the buffer starts right after the front guard instead.
; RUN: %opt_heal -passes=heal-guard-globals -S %s | FileCheck %s
; RUN: %opt_heal -passes='heal-guard-globals<front>' -S %s | FileCheck %s --check-prefix=FRONT
; RUN: %opt_heal -passes=heal-oracle -heal-guard-globals-front -S %s | FileCheck %s --check-prefix=FRONT
; RUN: not %opt_heal -passes='heal-guard-globals<back>' -S %s 2>&1 | FileCheck %s --check-prefix=BAD
; BAD: unknown pass name 'heal-guard-globals<back>'

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; 40 bytes aligned 16: 4048 + 40 + 8 = 4096.
; CHECK-DAG: @heal.guard.a16 = private global <{ [4096 x i8], [4048 x i8], [10 x i32], [8 x i8], [4096 x i8] }> zeroinitializer, align 4096
; FRONT-DAG: @heal.guard.a16 = private global <{ [4096 x i8], [0 x i8], [10 x i32], [4056 x i8], [4096 x i8] }> zeroinitializer, align 4096
@a16 = global [10 x i32] zeroinitializer, align 16
; 40 bytes aligned 4: no slack at the end.
; CHECK-DAG: @heal.guard.a4 = private global <{ [4096 x i8], [4056 x i8], [10 x i32], [0 x i8], [4096 x i8] }> zeroinitializer, align 4096
@a4 = global [10 x i32] zeroinitializer, align 4
; More than a page: two pages between the guards.
; CHECK-DAG: @heal.guard.big = private global <{ [4096 x i8], [3192 x i8], [5000 x i8], [0 x i8], [4096 x i8] }> zeroinitializer, align 4096
@big = global [5000 x i8] zeroinitializer, align 1
; Exactly a page: touches both guards.
; CHECK-DAG: @heal.guard.page = private global <{ [4096 x i8], [0 x i8], [4096 x i8], [0 x i8], [4096 x i8] }> zeroinitializer, align 4096
@page = global [4096 x i8] zeroinitializer, align 16
; Empty: the buffer is the back guard's address.
; CHECK-DAG: @heal.guard.empty = private global <{ [4096 x i8], [0 x i8], [0 x i32], [0 x i8], [4096 x i8] }> zeroinitializer, align 4096
@empty = global [0 x i32] zeroinitializer, align 4
; Initialized and constant: the initializer moves in, the object stays constant.
; CHECK-DAG: @heal.guard.table = private constant <{ [4096 x i8], [4090 x i8], [3 x i16], [0 x i8], [4096 x i8] }> <{ [4096 x i8] zeroinitializer, [4090 x i8] zeroinitializer, [3 x i16] [i16 1, i16 2, i16 3], [0 x i8] zeroinitializer, [4096 x i8] zeroinitializer }>, align 4096
@table = constant [3 x i16] [i16 1, i16 2, i16 3], align 2
; A struct holding an array.
; CHECK-DAG: @heal.guard.rec = private global <{ [4096 x i8], [4080 x i8], { i64, [5 x i8] }, [0 x i8], [4096 x i8] }> zeroinitializer, align 4096
@rec = global { i64, [5 x i8] } zeroinitializer, align 8

; The constructor runs at priority 1, before user constructors.
; CHECK-DAG: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @heal.globals_ctor, ptr null }]

; Base, total size, &inner, &site, in module order.
; CHECK-LABEL: define internal void @heal.globals_ctor()
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.a16, i64 12288, ptr getelementptr inbounds (<{ [4096 x i8], [4048 x i8], [10 x i32], [8 x i8], [4096 x i8] }>, ptr @heal.guard.a16, i32 0, i32 2), ptr @heal.site)
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.a4, i64 12288, ptr getelementptr inbounds ({{.*}}, ptr @heal.guard.a4, i32 0, i32 2), ptr @heal.site.{{[0-9]+}})
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.big, i64 16384, ptr getelementptr inbounds ({{.*}}, ptr @heal.guard.big, i32 0, i32 2), ptr @heal.site.{{[0-9]+}})
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.page, i64 12288,
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.empty, i64 8192,
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.table, i64 12288,
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.rec, i64 12288,
; CHECK-NEXT:    ret void
