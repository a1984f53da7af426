; heal-undo and indirect calls (docs/rollback.md, "Indirect calls"): in transactional code,
; an indirect call whose function type matches address-taken definitions of the module
; goes through __heal_tx_target, and those definitions get .heal_tx clones, listed with
; their originals in @heal.tx.targets, which a priority-1 constructor registers (and a
; destructor unregisters). Policy Inputs/tx.json: tx and inner with rollback, norb without.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/tx.json -S %s | FileCheck %s
; Idempotent: a second run, in the same opt or on the output, changes nothing (no second
; lookup, table or constructor).
; RUN: %opt_heal -passes=heal-undo,heal-undo -heal-policy=%S/Inputs/tx.json -S %s > %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -S %s | diff - %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -S %s > %t.once.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -S %t.once.ll | grep -v ModuleID > %t.again.ll
; RUN: grep -v ModuleID %t.once.ll | diff - %t.again.ll
; The remark counts redirected calls, their candidates, and the calls left unlogged.
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/tx.json -pass-remarks-analysis=heal-undo -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK
; REMARK: remark: <unknown>:0:0: transaction tx: 5 writes undo-logged in 6 functions; 3 indirect calls redirected to the clones of 4 candidate targets; not logged: writes made through 1 indirect calls
; REMARK-NEXT: remark: <unknown>:0:0: transaction inner: 0 writes undo-logged in 1 functions; every call is covered
; REMARK-NOT: remark
; -heal-undo-indirect=false: indirect calls stay as they are, no clones for them.
; RUN: %opt_heal -passes=heal-undo -heal-undo-indirect=false -heal-policy=%S/Inputs/tx.json -S %s | FileCheck %s --check-prefix=OFF
; OFF-NOT: __heal_tx_target
; OFF-NOT: heal.tx.targets
; OFF-NOT: {{handler|helper|kr|vh}}.heal_tx
; OFF: define internal i32 @called_only.heal_tx(
; OFF-NOT: __heal_tx_target
; OFF-NOT: {{handler|helper|kr|vh}}.heal_tx

@g = global i32 0
@tbl = global [10 x ptr] [ptr @handler, ptr @other_type, ptr @ext_handler, ptr @preemptible,
                          ptr @weak_h, ptr @inner, ptr @vh, ptr @kr, ptr @pure, ptr @pure_cmp]
@slot = global ptr null

; The table: the three candidates of `i32 (i32)` (in module order) and the one of
; `i32 (ptr, ...)`; registered at priority 1 and unregistered by a destructor.
; CHECK: @heal.tx.targets = private constant [4 x { ptr, ptr }] [{ ptr, ptr } { ptr @handler, ptr @handler.heal_tx }, { ptr, ptr } { ptr @helper, ptr @helper.heal_tx }, { ptr, ptr } { ptr @kr, ptr @kr.heal_tx }, { ptr, ptr } { ptr @vh, ptr @vh.heal_tx }], align 8
; CHECK: @llvm.global_ctors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_init, ptr null }, { i32, ptr, ptr } { i32 1, ptr @heal.tx.targets_ctor, ptr null }]
; CHECK: @llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @heal.tx.targets_dtor, ptr null }]
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_init, ptr null }]

declare i32 @ext_handler(i32)

; The originals are unchanged (this one calls through its pointer, not logged).
; CHECK-LABEL: define internal i32 @handler(i32 %x) {
; CHECK-NEXT:    store i32 %x, ptr @g
; CHECK-NEXT:    %fp = load ptr, ptr @slot
; CHECK-NEXT:    %r = call i32 %fp(i32 %x)
; CHECK-NEXT:    %s = call i32 @helper(i32 %r)

; A candidate: internal, address taken (@tbl), the call's type. Its own indirect call and
; its direct callee are transactional too (the clone's).
define internal i32 @handler(i32 %x) {
  store i32 %x, ptr @g
  %fp = load ptr, ptr @slot
  %r = call i32 %fp(i32 %x)
  %s = call i32 @helper(i32 %r)
  ret i32 %s
}
; Address taken only by a store in a function outside transactions: a candidate too.
define internal i32 @helper(i32 %x) {
  store i32 1, ptr @g
  ret i32 %x
}
define void @set_slot() {
  store ptr @helper, ptr @slot
  ret void
}
; Another function type: never a candidate of an `i32 (i32)` call, no clone.
define internal i64 @other_type(i64 %x) {
  store i32 2, ptr @g
  ret i64 %x
}
; dso_local external definition: its address in the table is the program's.
define dso_local i32 @kr(i32 %x) {
  store i32 3, ptr @g
  ret i32 0
}
; Not dso_local (-fPIC: another module may interpose it), weak, a transaction of its own
; (@inner), not address-taken (only called), a constructor (@llvm.global_ctors is not a
; taken address): not candidates.
define i32 @preemptible(i32 %x) {
  store i32 4, ptr @g
  ret i32 %x
}
define weak dso_local i32 @weak_h(i32 %x) {
  store i32 5, ptr @g
  ret i32 %x
}
define i32 @inner(i32 %x) {
  ret i32 %x
}
define internal i32 @called_only(i32 %x) {
  store i32 6, ptr @g
  ret i32 %x
}
define void @user_init() {
  store i32 7, ptr @g
  ret void
}
; Writing only its own frame and calling nothing: its clone would be the same code, so it
; needs none (not in the table). A call whose only candidates are such functions needs no
; lookup, and the remark does not count it as unlogged.
define internal i32 @pure(i32 %x) {
  %a = alloca i32
  store i32 %x, ptr %a
  %v = load i32, ptr %a
  %w = load i32, ptr @g
  %r = add i32 %v, %w
  ret i32 %r
}
define internal i32 @pure_cmp(ptr %a, ptr %b) {
  %x = load i32, ptr %a
  %y = load i32, ptr %b
  %d = sub i32 %x, %y
  ret i32 %d
}
; Variadic: a candidate of calls of its exact type.
define internal i32 @vh(ptr %fmt, ...) {
  store i32 8, ptr @g
  ret i32 0
}

; CHECK-LABEL: define i32 @tx(
; CHECK:         %fp = load ptr, ptr %p
; CHECK-NEXT:    %heal.tx.target = call ptr @__heal_tx_target(ptr %fp)
; CHECK-NEXT:    %r = call i32 %heal.tx.target(i32 %i) #[[ATTR:[0-9]+]]
; CHECK-NEXT:    %heal.tx.target1 = call ptr @__heal_tx_target(ptr %fv)
; CHECK-NEXT:    %v = call i32 (ptr, ...) %heal.tx.target1(ptr @g, i32 1, double 2.000000e+00)
; No candidate of `void ()` (the constructor is not one): called as it is.
; CHECK-NEXT:    call void %fn()
; CHECK-NEXT:    %c = call i32 @called_only.heal_tx(i32 %r)
; CHECK-NEXT:    %d = call i32 %fc(ptr %p, ptr %p)
; CHECK-NEXT:    ret i32 %v
define i32 @tx(i32 %i, ptr %fv, ptr %fn, ptr %fc) {
  %p = getelementptr [10 x ptr], ptr @tbl, i32 0, i32 %i
  %fp = load ptr, ptr %p
  %r = call i32 %fp(i32 %i) nounwind
  %v = call i32 (ptr, ...) %fv(ptr @g, i32 1, double 2.0)
  call void %fn()
  %c = call i32 @called_only(i32 %r)
  %d = call i32 %fc(ptr %p, ptr %p)
  ret i32 %v
}

; Outside transactions, and in a transaction without rollback: untouched.
; CHECK-LABEL: define i32 @outside(
; CHECK-NEXT:    %r = call i32 %fp(i32 1)
; CHECK-NEXT:    ret i32 %r
define i32 @outside(ptr %fp) {
  %r = call i32 %fp(i32 1)
  ret i32 %r
}
; CHECK-LABEL: define i32 @norb(
; CHECK-NEXT:    %r = call i32 %fp(i32 1)
; CHECK-NEXT:    ret i32 %r
define i32 @norb(ptr %fp) {
  %r = call i32 %fp(i32 1)
  ret i32 %r
}

; The clones: the candidates and what they call, logged; the clone's indirect call goes
; through the lookup too.
; CHECK-LABEL: define internal i32 @handler.heal_tx(i32 %x)
; CHECK-NEXT:    call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-NEXT:    store i32 %x, ptr @g
; CHECK-NEXT:    %fp = load ptr, ptr @slot
; CHECK-NEXT:    %heal.tx.target = call ptr @__heal_tx_target(ptr %fp)
; CHECK-NEXT:    %r = call i32 %heal.tx.target(i32 %x)
; CHECK-NEXT:    %s = call i32 @helper.heal_tx(i32 %r)
; CHECK-LABEL: define internal i32 @helper.heal_tx(
; CHECK-LABEL: define internal i32 @kr.heal_tx(
; CHECK:       declare ptr @__heal_tx_target(ptr) #[[LOOKUP:[0-9]+]]
; CHECK-LABEL: define internal i32 @vh.heal_tx(ptr %fmt, ...)
; CHECK-NEXT:    call void @__heal_undo_log(ptr @g, i64 4)
; CHECK-LABEL: define internal i32 @called_only.heal_tx(
; CHECK-NOT:   define {{.*}}heal_tx
; CHECK-NOT:   pure
; CHECK-LABEL: define internal void @heal.tx.targets_ctor()
; CHECK-NEXT:    call void @__heal_tx_register_targets(ptr @heal.tx.targets, i64 4)
; CHECK-LABEL: define internal void @heal.tx.targets_dtor()
; CHECK-NEXT:    call void @__heal_tx_unregister_targets(ptr @heal.tx.targets, i64 4)
; CHECK-NOT:   define {{.*}}heal_tx
; CHECK:       attributes #[[LOOKUP]] = { nounwind willreturn memory(inaccessiblemem: read) }
