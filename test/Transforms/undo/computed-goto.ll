; A function whose blocks have their address taken (a computed goto's table, like Lua's
; luaV_execute) is never cloned: the clone would jump from its own frame into the
; original's blocks. Calls to it from transactional code stay calls to it, and the remark
; says its writes are not logged.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/tx.json -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -pass-remarks-analysis=heal-undo -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK
; REMARK: remark: <unknown>:0:0: transaction tx: 1 writes undo-logged in 2 functions; not logged: writes made through calls to dispatch
; heal-calls tells heal rebuild the same.
; RUN: %opt_heal -passes=heal-calls -disable-output %s | FileCheck %s --check-prefix=SUMMARY
; SUMMARY: {"name":"dispatch","local":false,"cloneable":false,"calls":[],"type":"void (i64)","candidate":false,"indirect":[]}

@count = global i32 0
@table = internal constant [2 x ptr] [ptr blockaddress(@dispatch, %one), ptr blockaddress(@dispatch, %two)]

; CHECK-LABEL: define i32 @tx(
; CHECK: call void @plain.heal_tx(i32 1)
; CHECK-NEXT: call void @dispatch(i64 0)
define i32 @tx() {
  call void @plain(i32 1)
  call void @dispatch(i64 0)
  ret i32 0
}

define void @plain(i32 %v) {
  store i32 %v, ptr @count
  ret void
}

define void @dispatch(i64 %i) {
entry:
  %slot = getelementptr [2 x ptr], ptr @table, i64 0, i64 %i
  %target = load ptr, ptr %slot
  indirectbr ptr %target, [label %one, label %two]
one:
  store i32 1, ptr @count
  ret void
two:
  store i32 2, ptr @count
  ret void
}

; CHECK-NOT: dispatch.heal_tx
