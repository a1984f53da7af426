; -O0 code (optnone functions) is still instrumented: the passes are required.
; The OptimizerLast hook (what clang -fpass-plugin uses) fires in opt's default pipelines
; too, at O0 and at O2, and registers the module with the sensor by default.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s
; RUN: %opt_heal -passes='default<O0>' -S %s | FileCheck %s
; RUN: %opt_heal -passes='default<O2>' -S %s | FileCheck %s
; Without the plugin nothing happens (the checks can fail).
; RUN: opt -passes='default<O0>' -S %s | FileCheck %s --check-prefix=PLAIN

source_filename = "optnone.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1, ptr @heal.source, i32 0, i32 0, ptr null }
; CHECK: @llvm.global_ctors = {{.*}}{ i32 1, ptr @heal.module_ctor, ptr null }
; CHECK: define internal void @heal.module_ctor()
; CHECK-NEXT: call void @__heal_register_module(ptr @heal.module)
; PLAIN-NOT: heal

define i32 @main() #0 {
  ret i32 0
}

attributes #0 = { noinline nounwind optnone uwtable }
