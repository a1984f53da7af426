; The sensor pipeline gives the module a descriptor (struct heal_module of heal.h) and a
; priority-1 constructor that hands it to the runtime; the user's functions and
; constructors are left as they were.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s

source_filename = "src/dir/prog.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }]

; CHECK: @heal.source = private unnamed_addr constant [15 x i8] c"src/dir/prog.c\00", align 1
; {abi_version = HEAL_ABI_VERSION 1, mode = HEAL_MODE_SENSOR 1, source, nsites 0, reserved 0, sites null}
; CHECK: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1, ptr @heal.source, i32 0, i32 0, ptr null }, align 8
; CHECK: @llvm.global_ctors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }, { i32, ptr, ptr } { i32 1, ptr @heal.module_ctor, ptr null }]
; CHECK-NOT: @heal.module.

define internal void @user_ctor() {
  ret void
}

; User code is not touched by the sensor.
; CHECK-LABEL: define i32 @main(
; CHECK-NEXT:    ret i32 0
; CHECK-NEXT:  }
define i32 @main() {
  ret i32 0
}

; CHECK: declare void @__heal_register_module(ptr)
; CHECK:      define internal void @heal.module_ctor() #[[ATTR:[0-9]+]] {
; CHECK-NEXT:   call void @__heal_register_module(ptr @heal.module)
; CHECK-NEXT:   ret void
; CHECK-NEXT: }
; CHECK: attributes #[[ATTR]] = { nounwind }
