; heal-oracle = global guard, monitoring, buffer guard, registration. The registration
; gathers every site into the module's table @heal.sites (in the order the passes made
; them: globals first) and points the descriptor at it (nsites, sites); the runtime calls
; refer to their table entries. Running the pipeline again changes nothing.
; RUN: %opt_heal -passes=heal-oracle -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-oracle %s | %opt_heal -passes=heal-oracle -S | FileCheck %s
; RUN: %opt_heal -passes=heal-oracle,heal-oracle -S %s | FileCheck %s
; The sensor and patch pipelines guard nothing.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s --check-prefix=SENSOR
; RUN: %opt_heal -passes=heal-patch -S %s | FileCheck %s --check-prefix=SENSOR

source_filename = "oracle.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@table = global [4 x i32] zeroinitializer, align 16

; CHECK-DAG: @heal.sites = private constant [3 x { ptr, ptr, ptr, i32, i32, i64 }] [{ ptr, ptr, ptr, i32, i32, i64 } { ptr @[[NONE:heal.str[.0-9]*]], ptr @[[TABLE:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 2, i64 16 }, { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[F:heal.str[.0-9]*]], ptr @[[BUF:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 1, i64 8 }, { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[F]], ptr @[[VLA:heal.str[.0-9]*]], ptr @[[NONE]], i32 0, i32 5, i64 0 }], align 8
; {abi_version 1, mode HEAL_MODE_ORACLE 2, source, nsites 3, reserved, sites}
; CHECK-DAG: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 2, ptr @heal.source, i32 3, i32 0, ptr @heal.sites }, align 8
; CHECK-DAG: @[[NONE]] = private unnamed_addr constant [1 x i8] zeroinitializer
; CHECK-DAG: @[[TABLE]] = private unnamed_addr constant [6 x i8] c"table\00"
; CHECK-DAG: @[[F]] = private unnamed_addr constant [2 x i8] c"f\00"
; CHECK-DAG: @[[BUF]] = private unnamed_addr constant [4 x i8] c"buf\00"
; CHECK-DAG: @[[VLA]] = private unnamed_addr constant [4 x i8] c"vla\00"
; The guards go up before the module registers; both before any user constructor.
; CHECK: @llvm.global_ctors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @heal.globals_ctor, ptr null }, { i32, ptr, ptr } { i32 1, ptr @heal.module_ctor, ptr null }]
; CHECK-NOT: @heal.site.
; CHECK-NOT: @heal.site =

; CHECK-LABEL: define void @f(i64 %n) {
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.f)
; CHECK-NEXT:    %buf = call nonnull align 1 ptr @heal.stack.alloc(i64 8, i64 1, ptr getelementptr inbounds ([3 x { ptr, ptr, ptr, i32, i32, i64 }], ptr @heal.sites, i64 0, i64 1))
; CHECK-NEXT:    %vla = call nonnull align 16 ptr @__heal_stack_alloc(i64 %n, i64 16, ptr getelementptr inbounds ([3 x { ptr, ptr, ptr, i32, i32, i64 }], ptr @heal.sites, i64 0, i64 2))
; CHECK-NEXT:    call void @use(ptr %buf, ptr %vla, ptr @table)
; CHECK-NEXT:    call void @heal.stack.exit(i32 %heal.depth)
; CHECK-NEXT:    ret void
; CHECK-NOT:   call i32 @__heal_enter
define void @f(i64 %n) {
  %buf = alloca [8 x i8], align 1
  %vla = alloca i8, i64 %n, align 16
  call void @use(ptr %buf, ptr %vla, ptr @table)
  ret void
}

; CHECK-LABEL: define internal void @heal.globals_ctor()
; CHECK-NEXT:    call void @__heal_guard_global(ptr @heal.guard.table, i64 12288, ptr getelementptr inbounds (<{ [4096 x i8], [4080 x i8], [4 x i32], [0 x i8], [4096 x i8] }>, ptr @heal.guard.table, i32 0, i32 2), ptr @heal.sites)
; CHECK-NEXT:    ret void
; CHECK-LABEL: define internal void @heal.module_ctor()
; CHECK-NEXT:    call void @__heal_register_module(ptr @heal.module)
; CHECK-NEXT:    ret void
; CHECK-NOT:   define internal void @heal.globals_ctor


; SENSOR: @table = global [4 x i32] zeroinitializer, align 16
; SENSOR: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 {{[13]}}, ptr @heal.source, i32 0, i32 0, ptr null }
; SENSOR-NOT: @heal.globals_ctor
; SENSOR-LABEL: define void @f(i64 %n) {
; SENSOR-NEXT:    %buf = alloca [8 x i8], align 1
; SENSOR-NEXT:    %vla = alloca i8, i64 %n, align 16
; SENSOR-NEXT:    call void @use(
; SENSOR-NEXT:    ret void

declare void @use(ptr, ptr, ptr)
