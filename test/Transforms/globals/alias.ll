; The original symbol becomes an alias of the buffer inside its guarded object, with the
; same name, linkage, visibility and unnamed_addr, so that code, other modules and
; constant initializers (also the global's own) keep referring to it. The object itself
; is private.
; RUN: %opt_heal -passes=heal-guard-globals -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-oracle %s -o %t.bc
; RUN: %clang -c %t.bc -o %t.o
; RUN: llvm-nm %t.o | FileCheck %s --check-prefix=SYMS

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@ext = global [4 x i8] c"abc\00", align 1
@loc = internal global [4 x i8] zeroinitializer, align 1
@hid = hidden global [4 x i8] zeroinitializer, align 1
@weak = weak global [4 x i8] zeroinitializer, align 1
@dl = dso_local local_unnamed_addr global [4 x i8] zeroinitializer, align 1
@self = global [2 x ptr] [ptr @self, ptr getelementptr (i8, ptr @self, i64 8)], align 16
@points_in = global ptr getelementptr (i8, ptr @ext, i64 2), align 8
@kept = internal global [4 x i8] zeroinitializer, align 1
@llvm.used = appending global [1 x ptr] [ptr @kept], section "llvm.metadata"

; CHECK-DAG: @points_in = global ptr getelementptr (i8, ptr @ext, i64 2), align 8
; CHECK-DAG: @heal.guard.self = private global <{ [4096 x i8], [4080 x i8], [2 x ptr], [0 x i8], [4096 x i8] }> <{ [4096 x i8] zeroinitializer, [4080 x i8] zeroinitializer, [2 x ptr] [ptr @self, ptr getelementptr (i8, ptr @self, i64 8)], [0 x i8] zeroinitializer, [4096 x i8] zeroinitializer }>, align 4096
; CHECK-DAG: @llvm.used = appending global [{{[0-9]+}} x ptr] [ptr @kept,

; CHECK-DAG: @ext = alias [4 x i8], getelementptr inbounds (<{ [4096 x i8], [4092 x i8], [4 x i8], [0 x i8], [4096 x i8] }>, ptr @heal.guard.ext, i32 0, i32 2)
; CHECK-DAG: @loc = internal alias [4 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.loc, i32 0, i32 2)
; CHECK-DAG: @hid = hidden alias [4 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.hid, i32 0, i32 2)
; CHECK-DAG: @weak = weak alias [4 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.weak, i32 0, i32 2)
; CHECK-DAG: @dl = dso_local local_unnamed_addr alias [4 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.dl, i32 0, i32 2)
; CHECK-DAG: @self = alias [2 x ptr], getelementptr inbounds ({{.*}}, ptr @heal.guard.self, i32 0, i32 2)
; CHECK-DAG: @kept = internal alias [4 x i8], getelementptr inbounds ({{.*}}, ptr @heal.guard.kept, i32 0, i32 2)

; CHECK-LABEL: define i8 @reader(i64 %i) {
; CHECK-NEXT:    %p = getelementptr inbounds [4 x i8], ptr @ext, i64 0, i64 %i
; CHECK-NEXT:    %v = load i8, ptr %p, align 1
; CHECK-NEXT:    store i8 %v, ptr @loc, align 1
define i8 @reader(i64 %i) {
  %p = getelementptr inbounds [4 x i8], ptr @ext, i64 0, i64 %i
  %v = load i8, ptr %p, align 1
  store i8 %v, ptr @loc, align 1
  store i8 %v, ptr @hid, align 1
  store i8 %v, ptr @weak, align 1
  store i8 %v, ptr @dl, align 1
  ret i8 %v
}

; In the object: the symbols are data symbols at the buffers (global, local, weak), the
; guarded objects have no symbol.
; SYMS-NOT: heal.guard
; SYMS-DAG: B dl
; SYMS-DAG: D ext
; SYMS-DAG: B hid
; SYMS-DAG: b kept
; SYMS-DAG: b loc
; SYMS-DAG: D self
; SYMS-DAG: V weak
; SYMS-NOT: heal.guard
