; What heal-guard-globals leaves alone: mergeable constants (string literals), thread-local
; variables, explicit sections (also "used" data placed there), externally initialized
; globals, common symbols, comdat and linkonce data, declarations, alignment beyond a
; page, other address spaces, globals without arrays, LLVM's and heal's own globals, and
; everything in a module that already went through a heal pipeline.
; RUN: %opt_heal -passes=heal-guard-globals -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-guard-globals -S %s | FileCheck %s --check-prefix=ONE --implicit-check-not=@heal.guard.
; RUN: %opt_heal -passes=heal-sensor,heal-guard-globals -S %s | FileCheck %s --check-prefix=DONE

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$grp = comdat any

; CHECK-DAG: @.str = private unnamed_addr constant [6 x i8] c"hello\00", align 1
@.str = private unnamed_addr constant [6 x i8] c"hello\00", align 1
; CHECK-DAG: @tls = thread_local global [8 x i8] zeroinitializer, align 1
@tls = thread_local global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @sect = global [8 x i8] zeroinitializer, section "mysection", align 1
@sect = global [8 x i8] zeroinitializer, section "mysection", align 1
; CHECK-DAG: @extinit = externally_initialized global [8 x i8] zeroinitializer, align 1
@extinit = externally_initialized global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @com = common global [8 x i8] zeroinitializer, align 1
@com = common global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @incomdat = global [8 x i8] zeroinitializer, comdat($grp), align 1
@incomdat = global [8 x i8] zeroinitializer, comdat($grp), align 1
; CHECK-DAG: @odr = linkonce_odr global [8 x i8] zeroinitializer, align 1
@odr = linkonce_odr global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @decl = external global [8 x i8], align 1
@decl = external global [8 x i8], align 1
; CHECK-DAG: @huge_align = global [8 x i8] zeroinitializer, align 8192
@huge_align = global [8 x i8] zeroinitializer, align 8192
; CHECK-DAG: @as1 = addrspace(1) global [8 x i8] zeroinitializer, align 1
@as1 = addrspace(1) global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @scalar = global i64 0, align 8
@scalar = global i64 0, align 8
; CHECK-DAG: @pair = global { i32, i32 } zeroinitializer, align 4
@pair = global { i32, i32 } zeroinitializer, align 4
; CHECK-DAG: @heal.mine = private global [8 x i8] zeroinitializer, align 1
@heal.mine = private global [8 x i8] zeroinitializer, align 1
; CHECK-DAG: @llvm.used = appending global [2 x ptr] [ptr @sect, ptr @heal.globals_ctor], section "llvm.metadata"
@llvm.used = appending global [1 x ptr] [ptr @sect], section "llvm.metadata"
; The only buffer guarded here:
; CHECK-DAG: @guarded = alias [8 x i8],
; DONE: @guarded = global [8 x i8] zeroinitializer, align 1
@guarded = global [8 x i8] zeroinitializer, align 1

; DONE-NOT: heal.guard.
; ONE: @heal.guard.guarded = private global
; ONE: @guarded = alias [8 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.guarded, i32 0, i32 2)
; ONE: call void @__heal_guard_global(ptr @heal.guard.guarded, {{.*}}, ptr @heal.guard.guarded, i32 0, i32 2)
