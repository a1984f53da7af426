; A module without function definitions (only data and declarations) registers too: its
; globals are what the Oracle will guard.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s
; An empty module registers as well.
; RUN: echo 'source_filename = "empty.c"' | %opt_heal -passes=heal-sensor -S | FileCheck %s --check-prefix=EMPTY

source_filename = "data.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@table = global [16 x i32] zeroinitializer, align 16

declare i32 @ext(i32)

; CHECK: @heal.source = private unnamed_addr constant [7 x i8] c"data.c\00"
; CHECK: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1, ptr @heal.source, i32 0, i32 0, ptr null }
; CHECK: { i32 1, ptr @heal.module_ctor, ptr null }
; CHECK: call void @__heal_register_module(ptr @heal.module)

; EMPTY: @heal.source = private unnamed_addr constant [8 x i8] c"empty.c\00"
; EMPTY: call void @__heal_register_module(ptr @heal.module)
