; heal-patch with a policy: the guard entries are guarded (and their function monitored)
; by heal-guard's selection, then heal-tx wraps the transactions; the module registers in
; patch mode. Only the named buffer is guarded; other functions stay untouched. The
; sensor and Oracle pipelines ignore the policy's transactions.
; RUN: %opt_heal -passes=heal-patch -heal-policy=%S/Inputs/pipeline.json -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-sensor -heal-policy=%S/Inputs/pipeline.json -S %s | FileCheck %s --check-prefix=SENSOR
; RUN: %opt_heal -passes=heal-oracle -heal-policy=%S/Inputs/pipeline.json -S %s | FileCheck %s --check-prefix=ORACLE

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @use(ptr)

define i32 @parse(ptr %s) {
  %line = alloca [32 x i8], align 16
  %other = alloca [8 x i8], align 1
  call void @use(ptr %line)
  call void @use(ptr %other)
  ret i32 0
}

define i32 @plain() {
  %buf = alloca [16 x i8], align 1
  call void @use(ptr %buf)
  ret i32 1
}

; CHECK-LABEL: define i32 @parse(
; CHECK:         asm sideeffect "mov %fs:0x30, %rdx
; CHECK:         call void @__heal_tx_enter_slow(
; CHECK:         call i32 @parse.heal_body{{(.heal_tx)?}}(
; CHECK:         call void @heal.tx.commit(
; CHECK-LABEL: define i32 @plain(
; CHECK-NEXT:    %buf = alloca [16 x i8], align 1
; The undo log (next pass) may have cloned the body to parse.heal_body.heal_tx.
; CHECK-LABEL: define internal i32 @parse.heal_body{{(.heal_tx)?}}(
; CHECK-NEXT:    %other = alloca [8 x i8], align 1
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(
; CHECK-NEXT:    %line = call {{.*}}ptr @heal.stack.alloc(i64 32, i64 16,
; CHECK:         call void @heal.stack.exit(i32 %heal.depth)
; CHECK-NEXT:    ret i32 0
; CHECK: @heal.module_ctor

; SENSOR-NOT: __heal_tx_enter_slow
; SENSOR-NOT: __heal_stack_alloc

; ORACLE-NOT: __heal_tx_enter_slow
; ORACLE: call i32 @heal.enter(
; ORACLE-NOT: __heal_tx_enter_slow
