; heal-undo with "rollback_callees" (what heal rebuild adds for a whole program,
; docs/rollback.md "Other modules"): a listed function defined here gets an external,
; hidden clone that other modules' transactional code calls, even when no transaction of
; this module reaches it; a listed function declared here is called through its clone by
; transactional code; everything else is as without the list.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/xmod.json -S %s | FileCheck %s
; Idempotent.
; RUN: %opt_heal -passes=heal-undo,heal-undo -heal-policy=%S/Inputs/xmod.json -S %s > %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/xmod.json -S %s | diff - %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/xmod.json -pass-remarks-analysis=heal-undo -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK
; REMARK: remark: <unknown>:0:0: transaction tx: 1 writes undo-logged in 1 functions and calls of 1 functions of other modules (logged there); not logged: writes made through calls to unlisted
; Without the list, the calls leave the module unlogged (the remark names both).
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/xmod-nolist.json -pass-remarks-analysis=heal-undo -disable-output %s 2>&1 | FileCheck %s --check-prefix=NOLIST
; NOLIST: remark: <unknown>:0:0: transaction tx: 1 writes undo-logged in 1 functions; not logged: writes made through calls to elsewhere, unlisted
; (other_tx is a transaction of its own: its module logs its writes.)

@count = global i32 0

declare void @elsewhere(i32)
declare void @unlisted(i32)
declare void @other_tx(i32)

; CHECK-LABEL: define i32 @tx(
; CHECK: call void @elsewhere.heal_tx(i32 1)
; CHECK-NEXT: call void @unlisted(i32 2)
; CHECK-NEXT: call void @other_tx(i32 3)
define i32 @tx() {
  store i32 1, ptr @count
  call void @elsewhere(i32 1)
  call void @unlisted(i32 2)
  call void @other_tx(i32 3)
  ret i32 0
}

; Outside transactions nothing changes.
; CHECK-LABEL: define void @plain(
; CHECK-NEXT: call void @elsewhere(i32 4)
define void @plain() {
  call void @elsewhere(i32 4)
  ret void
}

; Listed and defined here: the original stays; the clone is external and hidden, logs
; its writes, and its own calls go to clones.
; CHECK-LABEL: define void @shared(i32 %v)
; CHECK-NEXT: store i32 %v, ptr @count
; CHECK-NEXT: call void @helper(i32 %v)
define void @shared(i32 %v) {
  store i32 %v, ptr @count
  call void @helper(i32 %v)
  ret void
}

define internal void @helper(i32 %v) {
  store i32 %v, ptr @count
  call void @elsewhere(i32 %v)
  ret void
}

; An ODR definition may be in several modules: its clone keeps the linkage.
define linkonce_odr void @odr(i32 %v) {
  store i32 %v, ptr @count
  ret void
}

; Weak (another module may replace it) and local definitions are never exported.
define weak void @weak_one(i32 %v) {
  store i32 %v, ptr @count
  ret void
}

define internal void @local_one(i32 %v) {
  store i32 %v, ptr @count
  ret void
}

; CHECK-LABEL: define hidden void @shared.heal_tx(i32 %v)
; CHECK-NEXT: call void @__heal_undo_log(ptr @count, i64 4)
; CHECK-NEXT: store i32 %v, ptr @count
; CHECK-NEXT: call void @helper.heal_tx(i32 %v)
; CHECK-LABEL: define linkonce_odr hidden void @odr.heal_tx(i32 %v)
; CHECK-NEXT: call void @__heal_undo_log(ptr @count, i64 4)
; CHECK: declare hidden void @elsewhere.heal_tx(i32)
; CHECK-LABEL: define internal void @helper.heal_tx(i32 %v)
; CHECK-NEXT: call void @__heal_undo_log(ptr @count, i64 4)
; CHECK-NEXT: store i32 %v, ptr @count
; CHECK-NEXT: call void @elsewhere.heal_tx(i32 %v)
; CHECK-NOT: weak_one.heal_tx
; CHECK-NOT: local_one.heal_tx
