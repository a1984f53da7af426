; heal-oracle and heal-patch record their mode (enum heal_mode) in the descriptor.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s --check-prefix=SENSOR
; RUN: %opt_heal -passes=heal-oracle -S %s | FileCheck %s --check-prefix=ORACLE
; RUN: %opt_heal -passes=heal-patch -S %s | FileCheck %s --check-prefix=PATCH

source_filename = "modes.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; SENSOR: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1, ptr @heal.source, i32 0, i32 0, ptr null }
; ORACLE: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 2, ptr @heal.source, i32 0, i32 0, ptr null }
; PATCH:  @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 3, ptr @heal.source, i32 0, i32 0, ptr null }
; ORACLE: { i32 1, ptr @heal.module_ctor, ptr null }
; PATCH:  { i32 1, ptr @heal.module_ctor, ptr null }
; ORACLE: call void @__heal_register_module(ptr @heal.module)
; PATCH:  call void @__heal_register_module(ptr @heal.module)

define i32 @f(i32 %x) {
  ret i32 %x
}
