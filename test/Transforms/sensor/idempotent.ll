; Running the pipeline twice (or two pipelines) registers the module once; the first run
; decides the mode.
; RUN: %opt_heal -passes=heal-sensor,heal-sensor -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-sensor,heal-oracle -S %s | FileCheck %s
; Also across separate opt runs (the output is fed back in).
; RUN: %opt_heal -passes=heal-sensor %s | %opt_heal -passes=heal-sensor -S | FileCheck %s

source_filename = "twice.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @heal.source = private
; CHECK-NOT: @heal.source
; CHECK: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1,
; CHECK-NOT: @heal.module{{.*}} = private
; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @heal.module_ctor, ptr null }]
; CHECK: define internal void @heal.module_ctor()
; CHECK-NEXT: call void @__heal_register_module(ptr @heal.module)
; CHECK-NOT: @heal.module_ctor
; CHECK-NOT: call void @__heal_register_module

define i32 @f(i32 %x) {
  ret i32 %x
}
