; heal-undo on hand-written IR: which writes of transactional code are logged, which
; functions are cloned, where the calls go. tx and inner are transactions with rollback,
; norb one without (policy Inputs/tx.json).
; Stores are checked with the runtime call (-heal-undo-inline=false); inline.ll checks the
; inline fast path.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/tx.json -S %s | FileCheck %s
; Idempotent: a second run changes nothing.
; RUN: %opt_heal -passes=heal-undo,heal-undo -heal-policy=%S/Inputs/tx.json -S %s > %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -S %s | diff - %t.twice.ll
; One remark per transaction says what its rollback covers.
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -pass-remarks-analysis=heal-undo -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK
; REMARK: remark: <unknown>:0:0: transaction tx: 11 writes undo-logged in 3 functions; not logged: writes made through calls to external, weak_one
; REMARK: remark: <unknown>:0:0: transaction inner: 2 writes undo-logged in 2 functions; every call is covered
; Without a policy the pass does nothing.
; RUN: %opt_heal -passes=heal-undo -S %s | FileCheck %s --check-prefix=NOPOLICY
; NOPOLICY-NOT: __heal_undo_log
; NOPOLICY-NOT: heal_tx

@g = global i32 0
@buf = global [16 x i8] zeroinitializer

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)

; CHECK: define i32 @tx(ptr %p, i64 %i, i1 %c) #[[TX:[0-9]+]] {
define i32 @tx(ptr %p, i64 %i, i1 %c) {
entry:
  %local = alloca i32
  %arr = alloca [8 x i32]
; Own frame: not logged, through GEPs and selects of own allocas too.
; CHECK-NEXT: entry:
; CHECK-NEXT:   %local = alloca i32
; CHECK-NEXT:   %arr = alloca [8 x i32]
; CHECK-NEXT:   store i32 1, ptr %local
; CHECK-NEXT:   %e = getelementptr [8 x i32], ptr %arr, i64 0, i64 %i
; CHECK-NEXT:   store i32 2, ptr %e
; CHECK-NEXT:   %own = select i1 %c, ptr %local, ptr %e
; CHECK-NEXT:   store i32 3, ptr %own
; CHECK-NEXT:   call void @llvm.memset.p0.i64(ptr %arr, i8 0, i64 32, i1 false)
  store i32 1, ptr %local
  %e = getelementptr [8 x i32], ptr %arr, i64 0, i64 %i
  store i32 2, ptr %e
  %own = select i1 %c, ptr %local, ptr %e
  store i32 3, ptr %own
  call void @llvm.memset.p0.i64(ptr %arr, i8 0, i64 32, i1 false)
; Globals, pointer arguments, a select that may be either: logged with the store size.
; CHECK-NEXT:   call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-NEXT:   store i32 4, ptr @g
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 8)
; CHECK-NEXT:   store i64 5, ptr %p
; CHECK-NEXT:   %q = getelementptr i8, ptr %p, i64 %i
; CHECK-NEXT:   call void @__heal_undo_log(ptr %q, i64 2)
; CHECK-NEXT:   store volatile i16 6, ptr %q
; CHECK-NEXT:   %either = select i1 %c, ptr %local, ptr %p
; CHECK-NEXT:   call void @__heal_undo_log(ptr %either, i64 4)
; CHECK-NEXT:   store float 1.000000e+00, ptr %either
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 16)
; CHECK-NEXT:   store { i64, double } zeroinitializer, ptr %p
  store i32 4, ptr @g
  store i64 5, ptr %p
  %q = getelementptr i8, ptr %p, i64 %i
  store volatile i16 6, ptr %q
  %either = select i1 %c, ptr %local, ptr %p
  store float 1.0, ptr %either
  store { i64, double } zeroinitializer, ptr %p
; Atomics and memory intrinsics.
; CHECK-NEXT:   call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-NEXT:   %old = atomicrmw add ptr @g, i32 1 seq_cst
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 8)
; CHECK-NEXT:   %x = cmpxchg ptr %p, i64 0, i64 1 seq_cst seq_cst
; CHECK-NEXT:   call void @__heal_undo_log(ptr @buf, i64 16)
; CHECK-NEXT:   call void @llvm.memcpy.p0.p0.i64(ptr @buf, ptr %p, i64 16, i1 false)
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 %i)
; CHECK-NEXT:   call void @llvm.memmove.p0.p0.i64(ptr %p, ptr @buf, i64 %i, i1 false)
; CHECK-NEXT:   call void @llvm.memcpy.p0.p0.i64(ptr %local, ptr %p, i64 4, i1 false)
; CHECK-NEXT:   call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 0, i1 false)
  %old = atomicrmw add ptr @g, i32 1 seq_cst
  %x = cmpxchg ptr %p, i64 0, i64 1 seq_cst seq_cst
  call void @llvm.memcpy.p0.p0.i64(ptr @buf, ptr %p, i64 16, i1 false)
  call void @llvm.memmove.p0.p0.i64(ptr %p, ptr @buf, i64 %i, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr %local, ptr %p, i64 4, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 0, i1 false)
; Callees defined here run as clones; another transaction stays itself.
; CHECK-NEXT:   call void @helper.heal_tx(ptr %p)
; CHECK-NEXT:   %r = call i32 @inner()
; CHECK-NEXT:   call void @norb(ptr %p)
; CHECK-NEXT:   call void @external(ptr %p)
; CHECK-NEXT:   call void @weak_one(ptr %p)
; CHECK-NEXT:   ret i32 %r
  call void @helper(ptr %p)
  %r = call i32 @inner()
  call void @norb(ptr %p)
  call void @external(ptr %p)
  call void @weak_one(ptr %p)
  ret i32 %r
}


declare void @external(ptr)

; A weak definition may be replaced at link time: not cloned.
define weak void @weak_one(ptr %p) {
  store i8 0, ptr %p
  ret void
}

; The original stays as it was for its other callers.
; CHECK-LABEL: define void @helper(ptr %q) {
; CHECK-NEXT:   store i8 1, ptr %q
; CHECK-NEXT:   call void @leaf()
; CHECK-NEXT:   call void @helper(ptr %q)
define void @helper(ptr %q) {
  store i8 1, ptr %q
  call void @leaf()
  call void @helper(ptr %q)
  ret void
}

define internal void @leaf() {
  store i32 9, ptr @g
  ret void
}

; CHECK-LABEL: define void @untouched()
; CHECK-NEXT:   store i32 10, ptr @g
; CHECK-NEXT:   call void @helper(ptr @g)
define void @untouched() {
  store i32 10, ptr @g
  call void @helper(ptr @g)
  ret void
}

; A transaction with rollback is instrumented as a root, calls included.
; CHECK-LABEL: define i32 @inner()
; CHECK-NEXT:   call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-NEXT:   store i32 11, ptr @g
; CHECK-NEXT:   call void @leaf.heal_tx()
define i32 @inner() {
  store i32 11, ptr @g
  call void @leaf()
  ret i32 0
}

; Rollback off: nothing, and its callees are not cloned for it.
; CHECK-LABEL: define void @norb(ptr %p) {
; CHECK-NEXT:   store i32 12, ptr %p
; CHECK-NEXT:   call void @only_norb()
define void @norb(ptr %p) {
  store i32 12, ptr %p
  call void @only_norb()
  ret void
}

define void @only_norb() {
  store i32 13, ptr @g
  ret void
}

; CHECK: define internal void @helper.heal_tx(ptr %q) #[[TX]] {
; CHECK-NEXT:   call void @__heal_undo_log(ptr %q, i64 1)
; CHECK-NEXT:   store i8 1, ptr %q
; CHECK-NEXT:   call void @leaf.heal_tx()
; CHECK-NEXT:   call void @helper.heal_tx(ptr %q)
; CHECK: define internal void @leaf.heal_tx() #[[TX]] {
; CHECK-NEXT:   call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-NEXT:   store i32 9, ptr @g
; CHECK-NOT: only_norb.heal_tx
; CHECK-NOT: weak_one.heal_tx
; CHECK: declare void @__heal_undo_log(ptr nocapture readonly, i64) #[[LOG:[0-9]+]]
; CHECK-DAG: attributes #[[LOG]] = { nounwind willreturn }
; CHECK-DAG: attributes #[[TX]] = { "heal-undo" }
