; The runtime's __heal_undo_log moves the log cursor in __heal_undo_tls, which the inline
; fast path reads: its declaration must not claim to touch only inaccessible memory, or
; the optimizer keeps a cursor loaded before the call and the next inline append writes
; through a stale one (it did, in zlib's deflateInit2_ at -O2: a null cursor). So it carries
; no memory attribute; and at -O2 the cursor is loaded again after the call.
; RUN: echo '{"version":1,"transactions":[{"function":"tx"}]}' > %t.json
; RUN: %opt_heal -passes=heal-undo -heal-policy=%t.json -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-undo,default'<O2>' -heal-policy=%t.json -S %s | FileCheck %s --check-prefix=O2

@g = global [4 x i64] zeroinitializer

define void @tx(i64 %v) {
  store i64 %v, ptr @g
  store i64 %v, ptr getelementptr (i64, ptr @g, i64 1)
  ret void
}

; CHECK: declare void @__heal_undo_log(ptr nocapture readonly, i64) [[ATTR:#[0-9]+]]
; CHECK: attributes [[ATTR]] = { nounwind willreturn }

; After the slow path of the first store, the second append reads the cursor afresh (a
; load after the call), not the value loaded before it. (The O2 pipeline also wraps tx.)
; O2-LABEL: define internal void @tx.heal_body.heal_tx(
; O2:         [[BLK:%[0-9]+]] = tail call align 8 ptr @llvm.threadlocal.address.p0(ptr @__heal_undo_tls)
; O2:       heal.undo.full:
; O2-NEXT:    tail call void @__heal_undo_log(ptr nonnull @g, i64 8)
; O2-NEXT:    [[RELOAD:%[a-z.0-9]+]] = load ptr, ptr [[BLK]], align 8
; O2:         phi ptr [ [[RELOAD]], %heal.undo.full ], [ %heal.undo.next, %heal.undo.append ]
